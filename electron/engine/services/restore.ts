/**
 * Restore: replaces the live database by a backup file, crash-atomically.
 *
 * 1. Stage: the backup is opened read-only and checked (readable, quick_check, schema not newer
 *    than this version, the Drawdown tables present), copied with the backup API to a temp file
 *    beside the live database, integrity_check'ed there, sealed (single file, fsynced).
 * 2. Save the current database to backups/before-restore-….db (backup API; a raw copy of the
 *    file and its -wal when it cannot be opened), so a restore never loses anything.
 * 3. Swap: the live connection checkpoints and leaves WAL mode — SQLite refuses that while any
 *    other connection (an import's worker, another process) has the file open, which is exactly
 *    when a swap would lose writes — takes an exclusive lock, and the staged file is renamed over
 *    the database. rename() is atomic: after a crash the path holds the old or the new database,
 *    never a mix, and no -wal of the old one is left to be replayed into the new one.
 * 4. Reopen with openDatabase (migrating an older backup) and record the restore in the audit log.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/open';
import { openDatabase, newerSchemaError, sqliteKind } from '../db/open';
import { SCHEMA_VERSION } from '../db/migrations';
import { RefusedError } from '../errors';
import { createAuditRepo } from '../repos/audit';
import { integrityCheck, missingCoreTables, quickCheck, readCounts } from '../repos/maintenance';
import type { RestoreResult } from '../../../shared/api/maintenance';
import { backupDatabase, defaultBackupPath, fsyncDir, fsyncFile, partialPath, removeStalePartials, sealCopy } from './backup';

export interface RestoreOptions {
  livePath: string;
  /** the backup file, and the name to show for it (an upload's temp file has no meaningful name) */
  from: { path: string; name: string };
  /** the open live connection (closed by the swap), or null when the live file is missing or cannot be opened */
  liveDb: Db | null;
  actor: string;
  /** ISO instant */
  now: string;
}

/** Validates the backup and restores it; resolves with the reopened live connection. */
export async function restoreDatabase(o: RestoreOptions): Promise<{ db: Db; result: RestoreResult }> {
  if (o.livePath === ':memory:') throw new RefusedError('An in-memory database cannot be restored into; open a database file first.');
  const live = path.resolve(o.livePath);
  if (fs.existsSync(o.from.path) && fs.existsSync(live) && fs.realpathSync(o.from.path) === fs.realpathSync(live)) {
    throw new RefusedError(`${o.from.name} is the database in use; pick a backup file.`, 'invalid-argument');
  }
  fs.mkdirSync(path.dirname(live), { recursive: true });
  removeStalePartials(path.dirname(live));
  const staged = await stage(o.from, live);
  try {
    const before = await saveCurrent(live, o.liveDb, o.now);
    swapIn(live, staged.file, o.liveDb, before.dataVersion);
    const db = reopen(live, before.path);
    createAuditRepo(db, () => o.now).append(o.actor, 'db-restore', 'database', null, {
      from: o.from.name, backupSchemaVersion: staged.schemaVersion, beforeRestoreBackup: before.path,
    });
    return {
      db,
      result: {
        restoredFrom: o.from.name, backupSchemaVersion: staged.schemaVersion, schemaVersion: SCHEMA_VERSION,
        beforeRestoreBackup: before.path, bytes: fs.statSync(live).size, counts: readCounts(db),
      },
    };
  } finally {
    for (const s of ['', '-journal', '-wal', '-shm']) fs.rmSync(staged.file + s, { force: true });
  }
}

function notABackup(name: string, why: string): RefusedError {
  return new RefusedError(`${name} cannot be restored: ${why}. Nothing was changed. Pick another backup file.`, 'invalid-argument');
}

/** Step 1: check the backup and copy it to a sealed temp file beside the live database. */
async function stage(from: { path: string; name: string }, live: string): Promise<{ file: string; schemaVersion: number }> {
  if (!fs.existsSync(from.path) || !fs.statSync(from.path).isFile()) throw notABackup(from.name, 'the file does not exist');
  let src: Db;
  try {
    src = new Database(from.path, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw notABackup(from.name, `it cannot be opened (${(e as Error).message})`);
  }
  const file = partialPath(live);
  let schemaVersion: number;
  try {
    schemaVersion = checkSource(src, from.name);
    await src.backup(file);
  } catch (e) {
    for (const s of ['', '-journal']) fs.rmSync(file + s, { force: true });
    if (e instanceof RefusedError) throw e;
    throw notABackup(from.name, `it could not be copied (${(e as Error).message})`);
  } finally {
    src.close();
  }
  try {
    const copy = new Database(file, { fileMustExist: true });
    try {
      const check = integrityCheck(copy);
      if (check !== 'ok') throw notABackup(from.name, `its copy fails the integrity check (${check})`);
    } finally {
      copy.close();
    }
    sealCopy(file);
  } catch (e) {
    for (const s of ['', '-journal', '-wal', '-shm']) fs.rmSync(file + s, { force: true });
    throw e;
  }
  return { file, schemaVersion };
}

/** Readable, clean, not from a newer Drawdown, and a Drawdown database at all. */
function checkSource(src: Db, name: string): number {
  let check: string;
  try {
    check = quickCheck(src);
  } catch (e) {
    throw notABackup(name, `it is not a readable SQLite database (${(e as Error).message})`);
  }
  if (check !== 'ok') throw notABackup(name, `it is damaged (${check})`);
  const version = Number(src.pragma('user_version', { simple: true }));
  if (version > SCHEMA_VERSION) throw newerSchemaError(name, version);
  const missing = missingCoreTables(src);
  if (version < 1 || missing.length) throw notABackup(name, `it is not a Drawdown database (missing tables: ${missing.join(', ') || 'none'}; schema ${version})`);
  return version;
}

/** Step 2: the safety copy of what is about to be replaced. */
async function saveCurrent(live: string, liveDb: Db | null, now: string): Promise<{ path: string | null; dataVersion: number | null }> {
  if (!fs.existsSync(live)) return { path: null, dataVersion: null };
  const target = defaultBackupPath(live, now, 'before-restore');
  if (liveDb) {
    const dataVersion = Number(liveDb.pragma('data_version', { simple: true }));
    await backupDatabase(liveDb, target);
    return { path: target, dataVersion };
  }
  // the file cannot be opened (damaged, newer schema): keep its bytes as they are, -wal included
  fs.mkdirSync(path.dirname(target), { recursive: true });
  for (const s of ['', '-wal']) {
    if (!fs.existsSync(live + s)) continue;
    fs.copyFileSync(live + s, target + s);
    fsyncFile(target + s);
  }
  fsyncDir(path.dirname(target));
  return { path: target, dataVersion: null };
}

/** Step 3 (synchronous: nothing else in this process runs in between). */
function swapIn(live: string, staged: string, liveDb: Db | null, dataVersion: number | null): void {
  if (liveDb) claimSole(liveDb, live, dataVersion);
  else for (const s of ['-wal', '-shm', '-journal']) fs.rmSync(live + s, { force: true }); // saved above; replayed into the new file they would corrupt it
  try {
    fs.renameSync(staged, live);
    fsyncDir(path.dirname(live));
  } catch (e) {
    if (liveDb) release(liveDb);
    throw new RefusedError(`The backup could not be moved into place (${(e as Error).message}); the database was not changed.`);
  }
  liveDb?.close();
}

/** Makes liveDb the only connection to the file and locks it; refuses (leaving it as it was) otherwise. */
function claimSole(db: Db, live: string, dataVersion: number | null): void {
  const busy = () =>
    new RefusedError(
      `The database ${live} is in use by an import or another program, so it cannot be replaced now; nothing was changed. Wait for the import to finish (or close the other program) and restore again.`,
      'conflict',
    );
  db.pragma('busy_timeout = 0');
  try {
    if (dataVersion !== null && Number(db.pragma('data_version', { simple: true })) !== dataVersion) {
      throw new RefusedError('The database changed while its safety backup was written; nothing was replaced. Restore again.', 'conflict');
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    const mode = String(db.pragma('journal_mode = DELETE', { simple: true })).toLowerCase();
    if (mode !== 'delete') throw busy();
    db.exec('BEGIN EXCLUSIVE');
  } catch (e) {
    release(db);
    if (e instanceof RefusedError) throw e;
    if (sqliteKind(e) === 'locked') throw busy();
    throw e;
  }
}

/** Undoes claimSole: the live database goes on as before (imports require WAL mode). */
function release(db: Db): void {
  if (db.inTransaction) db.exec('ROLLBACK');
  db.pragma('busy_timeout = 5000');
  try {
    db.pragma('journal_mode = WAL');
  } catch {
    /* still in WAL mode */
  }
}

/** Step 4; should the restored file not open after all, the saved database is put back. */
function reopen(live: string, before: string | null): Db {
  try {
    return openDatabase(live, { create: false });
  } catch (e) {
    if (!before) throw e;
    const back = partialPath(live);
    fs.copyFileSync(before, back);
    fsyncFile(back);
    fs.renameSync(back, live);
    fsyncDir(path.dirname(live));
    throw new RefusedError(`The restored database could not be opened (${(e as Error).message}); the previous one was put back from ${before}.`);
  }
}
