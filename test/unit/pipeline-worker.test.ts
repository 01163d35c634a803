import { describe, it, expect, beforeAll, afterEach } from 'vitest';
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { createEngine, type Engine } from '../../electron/engine/engine';
import { startImportJob } from '../../electron/engine/handlers/imports';
import { parseArgs } from 'node:util';
import { runCli } from '../../electron/cli/main';
import { commands } from '../../electron/cli/commands';
import { importCommand } from '../../electron/cli/commands/import';
import { UsageError, type CliIo } from '../../electron/cli/command';
import type { ImportFileResult } from '../../shared/api/imports';
import { sharedData, tempDbPath, tempDir } from '../helpers';

const ROOT = path.resolve(__dirname, '..', '..');
const OPENAI_HEADER =
  'start_time,end_time,start_time_iso,end_time_iso,project_id,num_model_requests,user_id,api_key_id,model,batch,service_tier,input_tokens,output_tokens,input_cached_tokens,input_uncached_tokens,input_text_tokens,output_text_tokens,input_cached_text_tokens,input_audio_tokens,input_cached_audio_tokens,output_audio_tokens,input_image_tokens,input_cached_image_tokens,output_image_tokens';

function openaiCsv(file: string, rows: number, bad: number[] = []): string {
  const out: string[] = [OPENAI_HEADER];
  for (let i = 0; i < rows; i++) {
    const t = 1735689600 + i * 60;
    const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', '+00:00');
    const output = bad.includes(i) ? 'n/a' : `${100 + (i % 50)}.0`;
    out.push(`${t},${t + 60},${iso(t)},${iso(t + 60)},proj_${i % 7},2.0,user-${i % 5},key_${i % 11},gpt-4o-mini-2024-07-18,FALSE,default,${1000 + i}.0,${output},0.0,${1000 + i}.0,${1000 + i}.0,${output},0.0,0.0,0.0,0.0,0.0,0.0,0.0`);
  }
  fs.writeFileSync(file, out.join('\n') + '\n');
  return file;
}

let workerFile = '';
beforeAll(async () => {
  const dir = tempDir('drawdown-worker-');
  workerFile = path.join(dir, 'import-worker.cjs');
  await build({
    entryPoints: [path.join(ROOT, 'electron/engine/import/worker.ts')],
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile: workerFile, external: ['better-sqlite3'], logLevel: 'warning',
    nodePaths: [path.join(ROOT, 'node_modules')],
  });
  // the bundle resolves better-sqlite3 from the project's node_modules
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
});

const engines: Engine[] = [];
afterEach(() => {
  for (const e of engines.splice(0)) e.close();
});

async function viaWorker(e: Engine, file: string, o: { onError?: 'reject' | 'skip'; cancelAtFirstProgress?: boolean } = {}) {
  const job = startImportJob(e.ctx, { path: file, name: path.basename(file), onError: o.onError, workerFile });
  let cancelled = false;
  return e.ctx.jobs.wait(
    job.id,
    (j) => {
      if (o.cancelAtFirstProgress && !cancelled && j.progress.rows > 0) {
        cancelled = true;
        e.ctx.jobs.cancel(job.id);
      }
    },
    5,
  );
}

describe('import in a worker thread (the built worker bundle)', () => {
  it('imports the FOCUS sample off the main thread with the same result as inline, and reports progress', async () => {
    const e = createEngine({ dbPath: tempDbPath(), mode: 'test' });
    engines.push(e);
    const end = await viaWorker(e, sharedData('focus-sample', 'focus_sample_1.0.csv'));
    expect(end.state).toBe('done');
    const r = end.result as ImportFileResult;
    expect(r).toMatchObject({ status: 'committed', rowsImported: 1000, format: 'focus-1.0' });
    expect(end.progress.percent).toBe(100);
    expect(end.progress.bytes).toBe(fs.statSync(sharedData('focus-sample', 'focus_sample_1.0.csv')).size);
    const s = await e.invoke('stats-get', {});
    expect(s.totals[0].billedCost).toBe('20.52022672899');
    // the engine's own connection sees the worker's commit; the audit chain stays whole
    expect(e.ctx.audit.verify().ok).toBe(true);
    const again = await viaWorker(e, sharedData('focus-sample', 'focus_sample_1.0.csv'));
    expect((again.result as ImportFileResult).status).toBe('duplicate');
  });

  it('parses in a second thread on a larger file, with skip mode and a rejects file', async () => {
    const e = createEngine({ dbPath: tempDbPath(), mode: 'test' });
    engines.push(e);
    const file = openaiCsv(path.join(tempDir(), 'usage.csv'), 30_000, [5, 29_999]);
    const end = await viaWorker(e, file, { onError: 'skip' });
    expect(end.state).toBe('done');
    const r = end.result as ImportFileResult;
    expect(r).toMatchObject({ status: 'committed', rowsRead: 30_000, rowsImported: 29_998, rowsRejected: 2 });
    expect(r.errors.map((x) => x.line)).toEqual([7, 30_001]);
    expect(fs.readFileSync(r.rejectsFile!, 'utf8').split('\r\n')).toHaveLength(4);
    expect((e.ctx.db.prepare('SELECT count(*) AS n FROM usage_records WHERE model_known = 1').get() as { n: number }).n).toBe(29_998);
    expect(e.ctx.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('cancel in the worker rolls back: nothing written', async () => {
    const e = createEngine({ dbPath: tempDbPath(), mode: 'test' });
    engines.push(e);
    const file = openaiCsv(path.join(tempDir(), 'usage.csv'), 80_000);
    const end = await viaWorker(e, file, { cancelAtFirstProgress: true });
    expect(end.state).toBe('cancelled');
    expect((e.ctx.db.prepare('SELECT count(*) AS n FROM usage_records').get() as { n: number }).n).toBe(0);
    expect((e.ctx.db.prepare('SELECT count(*) AS n FROM imports').get() as { n: number }).n).toBe(0);
  });
});

/** runCli once the lead registers the command; until then the same parse and exit-code rules around importCommand. */
async function cli(argv: string[], io: CliIo): Promise<number> {
  if (argv[0] !== 'import' || commands.some((c) => c.name === 'import')) return runCli(argv, io);
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv.slice(1), options: importCommand.options, allowPositionals: true, strict: true });
  } catch (e) {
    io.err((e as Error).message);
    return 2;
  }
  try {
    return await importCommand.run(parsed.values as Record<string, string | boolean | string[] | undefined>, parsed.positionals, io);
  } catch (e) {
    if (e instanceof UsageError) return 2;
    io.err((e as Error).message);
    return 1;
  }
}

describe('drawdown import (CLI)', () => {
  function io() {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), env: { DRAWDOWN_NO_PROGRESS: '1' }, rendererDir: '/nonexistent' } };
  }

  it('imports several files, prints per-file JSON and exits 1 when one was refused (nothing of it written)', async () => {
    const dir = tempDir();
    const db = tempDbPath();
    const good = openaiCsv(path.join(dir, 'good.csv'), 20);
    const bad = openaiCsv(path.join(dir, 'bad.csv'), 20, [3]);
    const a = io();
    const code = await cli(['import', good, bad, sharedData('focus-sample', 'focus_sample_1.0.csv'), '--db', db, '--json'], a.io);
    expect(code).toBe(1);
    const out = JSON.parse(a.out.join('\n')) as Record<string, unknown>[];
    expect(out).toHaveLength(3);
    expect(out[0]).toMatchObject({ file: good, format: 'openai-usage', rowsRead: 20, rowsImported: 20, rowsDuplicate: 0, rowsRejected: 0, errors: [] });
    expect(out[0].importId).toEqual(expect.any(Number));
    expect(out[1]).toMatchObject({ file: bad, status: 'refused', rowsImported: 0, rowsRejected: 1, importId: null });
    expect(out[1].errors).toEqual([expect.objectContaining({ line: 5, column: 'output_tokens' })]);
    expect(out[2]).toMatchObject({ format: 'focus-1.0', rowsImported: 1000 });
    const b = io();
    expect(await cli(['stats', '--db', db, '--json'], b.io)).toBe(0);
    expect(JSON.parse(b.out.join('\n')).usageRows).toBe(1020);
    // again: duplicates are not a refusal
    const c = io();
    expect(await cli(['import', good, '--db', db, '--json'], c.io)).toBe(0);
    expect(JSON.parse(c.out.join('\n'))[0]).toMatchObject({ status: 'duplicate', rowsImported: 0 });
  });

  it('--dry-run writes nothing; --on-error skip --rejects PATH saves the bad rows there', async () => {
    const dir = tempDir();
    const db = tempDbPath();
    const bad = openaiCsv(path.join(dir, 'bad.csv'), 10, [0, 9]);
    const a = io();
    expect(await cli(['import', bad, '--db', db, '--dry-run', '--on-error', 'skip'], a.io)).toBe(0);
    expect(a.out.join('\n')).toMatch(/Dry run: 8 rows/);
    const rejects = path.join(dir, 'fix-me.csv');
    const b = io();
    expect(await cli(['import', bad, '--db', db, '--on-error', 'skip', '--rejects', rejects, '--json'], b.io)).toBe(0);
    const r = JSON.parse(b.out.join('\n'))[0];
    expect(r).toMatchObject({ status: 'committed', rowsImported: 8, rowsRejected: 2, rejectsFile: rejects });
    expect(fs.readFileSync(rejects, 'utf8').startsWith(`${OPENAI_HEADER},drawdown_error\r\n`)).toBe(true);
  });

  it('usage errors exit 2', async () => {
    const a = io();
    expect(await cli(['import', '--db', tempDbPath()], a.io)).toBe(2);
    expect(await cli(['import', '/nonexistent.csv', '--db', tempDbPath()], io().io)).toBe(2);
    expect(await cli(['import', __filename, '--on-error', 'maybe', '--db', tempDbPath()], io().io)).toBe(2);
  });
});
