import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline/promises';
import { createEngine } from '../../engine/engine';
import { resolveDbPath } from '../../engine/paths';
import { dbFault } from '../../engine/db/open';
import { restoreDatabase } from '../../engine/services/restore';
import { DB_OPTION, UsageError, type Command, type CliIo } from '../command';
import type { RestoreResult } from '../../../shared/api/maintenance';

const isoNow = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export const backupCommand: Command = {
  name: 'backup',
  summary: 'Back up the database with SQLite\'s online backup API (safe while the app or an import runs)',
  usage: 'drawdown backup --db PATH [--out FILE] [--json]',
  options: { ...DB_OPTION, out: { type: 'string' }, json: { type: 'boolean' } },
  async run(v, _p, io) {
    const dbPath = resolveDbPath(v.db as string | undefined, io.env);
    // a backup of a file that is not there would create an empty database first: refuse instead
    const engine = createEngine({ dbPath, mode: 'cli', create: false });
    try {
      const r = await engine.invoke('db-backup', { path: v.out ? path.resolve(v.out as string) : undefined });
      io.out(v.json ? JSON.stringify(r) : `Backup written to ${r.path} (${r.bytes.toLocaleString('en-US')} bytes, ${r.pages} pages, ${r.durationMs} ms).`);
      return 0;
    } finally {
      engine.close();
    }
  },
};

async function confirm(dbPath: string, from: string, io: CliIo): Promise<boolean> {
  if (!process.stdin.isTTY) throw new UsageError(`Restoring replaces ${dbPath}; add --yes to confirm (the current database is saved to backups/ beside it first).`);
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`Replace ${dbPath} with ${from}? The current database is saved to backups/ beside it first. [y/N] `);
    if (/^y(es)?$/i.test(answer.trim())) return true;
    io.err('Nothing was changed.');
    return false;
  } finally {
    rl.close();
  }
}

/**
 * Through the engine when the current database opens; when it is missing, damaged or from a newer
 * version (the cases a restore is for) the backup goes in without it, the old bytes kept aside.
 */
async function restore(dbPath: string, from: string, io: CliIo): Promise<RestoreResult> {
  let engine: ReturnType<typeof createEngine> | null = null;
  try {
    engine = createEngine({ dbPath, mode: 'cli', create: false });
  } catch (e) {
    const fault = dbFault(e);
    if (fault !== 'missing' && fault !== 'corrupt' && fault !== 'newer') throw e;
    if (fault !== 'missing') io.err(`note: the current database cannot be opened (${(e as Error).message.split('. ')[0]}); restoring over it, its bytes are kept in backups/.`);
  }
  if (engine) {
    try {
      const ref = engine.ctx.files.register(from);
      return await engine.invoke('db-restore', { fileRef: ref.ref });
    } finally {
      engine.close();
    }
  }
  const { db, result } = await restoreDatabase({ livePath: dbPath, from: { path: from, name: path.basename(from) }, liveDb: null, actor: 'system', now: isoNow() });
  db.close();
  return result;
}

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'Replace the database by a backup (checked first; the current one is saved to backups/before-restore-…)',
  usage: 'drawdown restore --db PATH --from FILE [--yes] [--json]',
  options: { ...DB_OPTION, from: { type: 'string' }, yes: { type: 'boolean' }, json: { type: 'boolean' } },
  async run(v, _p, io) {
    if (!v.from) throw new UsageError('Name the backup file to restore with --from FILE.');
    const from = path.resolve(v.from as string);
    if (!fs.existsSync(from) || !fs.statSync(from).isFile()) throw new UsageError(`No such file: ${v.from as string}`);
    const dbPath = resolveDbPath(v.db as string | undefined, io.env);
    if (!v.yes && !(await confirm(dbPath, from, io))) return 1;
    const r = await restore(dbPath, from, io);
    if (v.json) {
      io.out(JSON.stringify(r));
      return 0;
    }
    const c = r.counts;
    io.out(
      `Restored ${r.restoredFrom} into ${dbPath} (schema ${r.backupSchemaVersion}${r.backupSchemaVersion < r.schemaVersion ? ` migrated to ${r.schemaVersion}` : ''}; ` +
        `${c.usageRecords.toLocaleString('en-US')} usage rows, ${c.imports} imports, ${c.creditBlocks} credit blocks, ${c.workloads} workloads).`,
    );
    io.out(r.beforeRestoreBackup ? `The database it replaced was saved to ${r.beforeRestoreBackup}.` : 'There was no database there before.');
    return 0;
  },
};

export const backupCommands: Command[] = [backupCommand, restoreCommand];
