/**
 * Import benchmark: `node scripts/run-ts.mjs bench/import.ts [--rows N] [--inline] [--no-parse-thread] [--defer-indexes auto|always|never] [--keep]`
 * (cwd = project root; `npm run bench:import`).
 *
 * Generates an OpenAI-style usage export (the 24-column header of FORMATS.md, realistic values)
 * in a temp folder, imports it through the real pipeline (worker thread, parse thread, dedup,
 * model normalisation, catalog cost, attribution rules, indexes, one transaction) into a fresh
 * database, then imports the same file with Debian's `sqlite3` CLI (`.mode csv`, `.import`) into
 * a bare table, and prints both times, their ratio, rows/s, CPU times (Linux) and our peak RSS.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { openDatabase } from '../electron/engine/db/open';
import { runImportJob, WORKER_FILE_NAME } from '../electron/engine/import/run';
import type { ImportFileResult } from '../shared/api/imports';

const HEADER =
  'start_time,end_time,start_time_iso,end_time_iso,project_id,num_model_requests,user_id,api_key_id,model,batch,service_tier,input_tokens,output_tokens,input_cached_tokens,input_uncached_tokens,input_text_tokens,output_text_tokens,input_cached_text_tokens,input_audio_tokens,input_cached_audio_tokens,output_audio_tokens,input_image_tokens,input_cached_image_tokens,output_image_tokens';

const MODELS = [
  'gpt-4o-2024-08-06', 'gpt-4o-mini-2024-07-18', 'gpt-4.1-2025-04-14', 'gpt-4.1-mini-2025-04-14', 'o3-mini-2025-01-31', 'o4-mini-2025-04-16',
  'gpt-5-2025-08-07', 'gpt-5-mini-2025-08-07', 'text-embedding-3-small', 'gpt-4o-audio-preview-2024-12-17', 'ft:gpt-4o-mini-2024-07-18:acme::b7Xz',
];

function args() {
  const a = process.argv.slice(2);
  const get = (name: string) => {
    const i = a.indexOf(name);
    return i >= 0 ? a[i + 1] : undefined;
  };
  return {
    rows: Number((get('--rows') ?? '1000000').replace(/_/g, '')),
    inline: a.includes('--inline'),
    parseThread: !a.includes('--no-parse-thread'),
    keep: a.includes('--keep'),
    /** bulk mode: rebuild the secondary indexes and usage_daily once ('always'), keep them up to date row by row ('never'), or decide by size */
    defer: (get('--defer-indexes') ?? 'auto') as 'auto' | 'always' | 'never',
  };
}

/** Deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Streams N rows to a file with bounded memory. One-minute buckets grouped by project, user, key and model. */
async function generate(file: string, rows: number): Promise<number> {
  const out = fs.createWriteStream(file);
  const rnd = prng(20260701);
  const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', '+00:00');
  let t = Date.UTC(2025, 0, 1) / 1000;
  let times = '';
  let buf = `${HEADER}\n`;
  for (let i = 0; i < rows; i++) {
    if (i % 40 === 0) {
      t += 60;
      times = `${t},${t + 60},${iso(t)},${iso(t + 60)}`;
    }
    const model = MODELS[Math.floor(rnd() * rnd() * MODELS.length)];
    const embedding = model.startsWith('text-embedding');
    const audio = model.includes('audio');
    const requests = 1 + Math.floor(rnd() * 60);
    const input = Math.floor(requests * (200 + rnd() * 4000));
    const cached = rnd() < 0.4 ? Math.floor(input * rnd() * 0.8) : 0;
    const output = embedding ? 0 : Math.floor(requests * (20 + rnd() * 900));
    const audioIn = audio ? Math.floor(input * 0.3) : 0;
    const audioOut = audio ? Math.floor(output * 0.5) : 0;
    const batch = rnd() < 0.05 ? 'TRUE' : 'FALSE';
    const tier = batch === 'TRUE' ? 'batch' : rnd() < 0.1 ? 'flex' : 'default';
    buf +=
      `${times},proj_${(Math.floor(rnd() * 24) + 1000).toString(36)}Q9xk,${requests}.0,` +
      `user-${Math.floor(rnd() * 300).toString(36)}ab,key_${Math.floor(rnd() * 500).toString(16)}f00d,${model},${batch},${tier},` +
      `${input}.0,${output}.0,${cached}.0,${input - cached}.0,${input - audioIn}.0,${output - audioOut}.0,${cached}.0,${audioIn}.0,0.0,${audioOut}.0,0.0,0.0,0.0\n`;
    if (buf.length > 1 << 22) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return fs.statSync(file).size;
}

async function buildWorker(dir: string): Promise<string> {
  const req = createRequire(path.join(process.cwd(), 'package.json'));
  const esbuild = req('esbuild') as typeof import('esbuild');
  const outfile = path.join(dir, WORKER_FILE_NAME);
  await esbuild.build({
    entryPoints: [path.join(process.cwd(), 'electron/engine/import/worker.ts')],
    bundle: true, platform: 'node', target: 'node20', format: 'cjs', outfile, external: ['better-sqlite3'], logLevel: 'warning',
  });
  return outfile;
}

/** CPU seconds of this process's waited-for children (Linux: cutime + cstime of /proc/self/stat); null elsewhere. */
function childCpu(): number | null {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields 16 and 17 of stat(5), counted from the state (field 3) here
    return (Number(f[13]) + Number(f[14])) / 100;
  } catch {
    return null;
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1048576).toFixed(0)} MB`;
}

async function main(): Promise<void> {
  const o = args();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drawdown-bench-'));
  try {
    // the worker bundle first, from the same sources as this run
    const workerFile = o.inline ? null : await buildWorker(dir);
    const csv = path.join(dir, 'openai-usage.csv');
    const tg = Date.now();
    const size = await generate(csv, o.rows);
    console.log(`generated ${o.rows.toLocaleString('en-US')} rows, ${mb(size)} in ${((Date.now() - tg) / 1000).toFixed(1)} s: ${csv}`);

    const dbPath = path.join(dir, 'drawdown.db');
    openDatabase(dbPath).close();
    (globalThis as { gc?: () => void }).gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 25);
    const controller = new AbortController();
    let lastPrint = 0;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const result: ImportFileResult = await runImportJob(
      {
        dbPath, file: { path: csv, name: path.basename(csv) }, actor: 'bench', workerFile, parseThread: o.parseThread,
        deferIndexes: o.defer === 'auto' ? 'auto' : o.defer === 'always',
      },
      {
        signal: controller.signal,
        progress: (p) => {
          if (process.stderr.isTTY && Date.now() - lastPrint > 250 && p.totalBytes) {
            lastPrint = Date.now();
            process.stderr.write(`\r  importing… ${((100 * (p.bytes ?? 0)) / p.totalBytes).toFixed(1)}%  ${(p.rows ?? 0).toLocaleString('en-US')} rows`);
          }
        },
      },
    );
    const ours = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const oursCpu = (cpu.user + cpu.system) / 1e6;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    const maxRss = process.resourceUsage().maxRSS * 1024;
    if (result.status !== 'committed' || result.rowsImported !== o.rows) {
      console.error(`import did not commit every row: ${result.status} ${result.message}`);
      process.exitCode = 1;
    }
    const check = openDatabase(dbPath, { readonly: true });
    const stored = (check.prepare('SELECT count(*) AS n FROM usage_records').get() as { n: number }).n;
    const known = (check.prepare('SELECT count(*) AS n FROM usage_records WHERE model_known = 1').get() as { n: number }).n;
    check.close();

    const bare = path.join(dir, 'bare.db');
    const ts = performance.now();
    const child0 = childCpu();
    const r = spawnSync('sqlite3', [bare], { input: `.mode csv\n.import '${csv.replace(/'/g, "''")}' t\n`, encoding: 'utf8' });
    const theirs = (performance.now() - ts) / 1000;
    const child1 = childCpu();
    const theirsCpu = child0 !== null && child1 !== null ? child1 - child0 : null;
    const haveSqlite = r.status === 0 && !r.error;

    console.log('');
    console.log(`rows                         ${o.rows.toLocaleString('en-US')} (${mb(size)})`);
    console.log(`drawdown import (${o.inline ? 'inline' : o.parseThread ? 'worker + parse thread' : 'worker'})   ${ours.toFixed(2)} s  ${Math.round(o.rows / ours).toLocaleString('en-US')} rows/s  (stored ${stored.toLocaleString('en-US')}, model known ${known.toLocaleString('en-US')})`);
    console.log(`  of which (ms)               writing rows ${result.timings.writeMs}, index rebuild ${result.timings.finishMs}, commit ${result.timings.commitMs}`);
    if (haveSqlite) {
      console.log(`sqlite3 .import bare table   ${theirs.toFixed(2)} s  ${Math.round(o.rows / theirs).toLocaleString('en-US')} rows/s`);
      console.log(`ratio (ours / sqlite3)       ${(ours / theirs).toFixed(2)}`);
      if (theirsCpu !== null && theirsCpu > 0) {
        // CPU time moves much less than wall time on a shared machine; ours is the sum over the writing and the parse thread
        console.log(`CPU time                     ours ${oursCpu.toFixed(2)} s (all threads), sqlite3 ${theirsCpu.toFixed(2)} s, ratio ${(oursCpu / theirsCpu).toFixed(2)}`);
      }
    } else {
      console.log(`sqlite3 .import              not run: ${r.error?.message ?? r.stderr?.trim() ?? `exit ${r.status}`} (apt-get install sqlite3)`);
    }
    console.log(`peak RSS                     ${mb(peak)} sampled during the import (${mb(before)} before it), ${mb(maxRss)} maxRSS of the whole run`);
  } finally {
    if (!o.keep) fs.rmSync(dir, { recursive: true, force: true });
    else console.log(`kept ${dir}`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
