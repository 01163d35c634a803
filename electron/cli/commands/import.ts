import fs from 'node:fs';
import path from 'node:path';
import { createEngine } from '../../engine/engine';
import { resolveDbPath } from '../../engine/paths';
import { startImportJob, defaultRejectsPath } from '../../engine/handlers/imports';
import { DB_OPTION, UsageError, type Command } from '../command';
import type { ImportFileResult } from '../../../shared/api/imports';
import type { Job } from '../../../shared/domain';

/** What --json prints per file. */
export interface CliImportOutput {
  file: string;
  format: string | null;
  status: ImportFileResult['status'];
  rowsRead: number;
  rowsImported: number;
  rowsDuplicate: number;
  rowsRejected: number;
  importId: number | null;
  errors: { line: number; column: string | null; message: string }[];
  errorsTotal: number;
  duplicateOf: ImportFileResult['duplicateOf'];
  rejectsFile: string | null;
  message: string;
}

/**
 * --rejects PATH: a folder (existing, or written with a trailing separator) gets one
 * <file>.rejects.csv per input; a file path is used as is for a single input and gets the input's
 * name inserted for several.
 */
export function rejectsPathFor(option: string | undefined, input: string, inputs: number, dbPath: string, now: string): string {
  if (!option) return defaultRejectsPath(dbPath, path.basename(input), now);
  const base = path.basename(input).replace(/\.[^.]*$/, '');
  const isDir = /[\\/]$/.test(option) || (fs.existsSync(option) && fs.statSync(option).isDirectory());
  if (isDir) return path.resolve(option, `${base}.rejects.csv`);
  if (inputs === 1) return path.resolve(option);
  const ext = path.extname(option) || '.csv';
  return path.resolve(path.dirname(option), `${path.basename(option, ext)}.${base}${ext}`);
}

function progressLine(file: string, j: Job): string {
  const p = j.progress;
  const eta = p.etaSeconds == null ? '' : `  ETA ${p.etaSeconds}s`;
  return `\r${file}: ${p.percent.toFixed(1)}%  ${p.rows.toLocaleString('en-US')} rows  ${p.rowsPerSecond.toLocaleString('en-US')} rows/s${eta}\x1b[K`;
}

export const importCommand: Command = {
  name: 'import',
  summary: 'Import usage, cost, invoice or incident exports (each file all or nothing; exit 1 when one was refused)',
  usage: 'drawdown import FILE... [--db PATH] [--format ID] [--dry-run] [--on-error reject|skip] [--rejects PATH] [--json]',
  options: {
    ...DB_OPTION,
    format: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'on-error': { type: 'string' },
    rejects: { type: 'string' },
    json: { type: 'boolean' },
  },
  allowPositionals: true,
  async run(v, files, io) {
    if (files.length === 0) throw new UsageError('Name at least one file to import.');
    const onError = (v['on-error'] as string | undefined) ?? 'reject';
    if (onError !== 'reject' && onError !== 'skip') throw new UsageError(`--on-error must be "reject" or "skip" (got "${onError}").`);
    if (v.rejects && onError !== 'skip') throw new UsageError('--rejects only applies with --on-error skip.');
    for (const f of files) {
      if (!fs.existsSync(f) || !fs.statSync(f).isFile()) throw new UsageError(`No such file: ${f}`);
    }
    const dbPath = resolveDbPath(v.db as string | undefined, io.env);
    const engine = createEngine({ dbPath, mode: 'cli' });
    const tty = process.stderr.isTTY === true && !io.env.DRAWDOWN_NO_PROGRESS;
    const outputs: CliImportOutput[] = [];
    let refused = false;
    let current: string | null = null;
    const onSigint = () => {
      if (current) engine.ctx.jobs.cancel(current);
    };
    process.on('SIGINT', onSigint);
    try {
      for (const file of files) {
        const abs = path.resolve(file);
        const name = path.basename(file);
        const job = startImportJob(engine.ctx, {
          path: abs,
          name,
          format: v.format as string | undefined,
          onError,
          dryRun: v['dry-run'] === true,
          rejectsPath: onError === 'skip' ? rejectsPathFor(v.rejects as string | undefined, file, files.length, dbPath, engine.ctx.now()) : null,
        });
        current = job.id;
        const end = await engine.ctx.jobs.wait(job.id, tty ? (j) => process.stderr.write(progressLine(name, j)) : undefined, 200);
        current = null;
        if (tty) process.stderr.write('\r\x1b[K');
        if (end.state === 'cancelled') {
          io.err(`${name}: cancelled; nothing of it was written.`);
          refused = true;
          break;
        }
        if (end.state !== 'done') {
          io.err(`${name}: the import failed: ${end.message ?? 'unknown error'} Nothing of it was written.`);
          refused = true;
          outputs.push({
            file, format: null, status: 'refused', rowsRead: 0, rowsImported: 0, rowsDuplicate: 0, rowsRejected: 0, importId: null,
            errors: [], errorsTotal: 0, duplicateOf: null, rejectsFile: null, message: end.message ?? 'failed',
          });
          continue;
        }
        const r = end.result as ImportFileResult;
        if (r.status === 'refused') refused = true;
        outputs.push({
          file, format: r.format, status: r.status, rowsRead: r.rowsRead, rowsImported: r.rowsImported, rowsDuplicate: r.rowsDuplicate,
          rowsRejected: r.rowsRejected, importId: r.importId, errors: r.errors, errorsTotal: r.errorsTotal, duplicateOf: r.duplicateOf,
          rejectsFile: r.rejectsFile, message: r.message,
        });
        if (!v.json) {
          const line = `${file}: ${r.message}`;
          if (r.status === 'refused') io.err(line);
          else io.out(line);
          for (const e of r.errors.slice(0, 20)) io.err(`  line ${e.line}${e.column ? `, column ${e.column}` : ''}: ${e.message}`);
          if (r.errorsTotal > 20) io.err(`  … and ${r.errorsTotal - 20} more`);
          for (const w of r.warnings) io.err(`  note: ${w}`);
        }
      }
      if (v.json) io.out(JSON.stringify(outputs, null, 2));
      return refused ? 1 : 0;
    } finally {
      process.off('SIGINT', onSigint);
      engine.close();
    }
  },
};
