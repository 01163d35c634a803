/**
 * Backup through SQLite's online backup API. It copies a consistent snapshot page by page, a
 * step per event-loop turn, from the engine's own connection; an import running meanwhile in its
 * worker (another connection) holds an uncommitted transaction the backup does not see, and if
 * that import commits mid-copy SQLite restarts the copy, so a backup holds none or all of it.
 *
 * The copy is written to a .partial file beside the target, made a self-contained single file
 * (rollback journal, no -wal beside it), fsynced, then renamed into place: a crash at any point
 * leaves either no backup or a whole one at the target path.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../db/open';
import { backupsDir, explainDbError, sqliteKind } from '../db/open';
import { RefusedError } from '../errors';
import { createContext, type EngineContext } from '../context';
import type { BackupResult } from '../../../shared/api/maintenance';

/** pages copied per step (4 MiB at the default page size): large enough to be quick, small enough to keep the event loop responsive */
const STEP_PAGES = 1024;

export interface BackupProgress {
  totalPages: number;
  remainingPages: number;
}

/** "2025-03-01T10:20:30Z" → "20250301-102030" */
export function stamp(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/.exec(iso);
  return m ? `${m[1]}${m[2]}${m[3]}-${m[4]}${m[5]}${m[6]}` : iso.replace(/[^0-9]/g, '').slice(0, 14);
}

/** backups/<prefix>-YYYYMMDD-HHMMSS.db beside the database (a suffix -2, -3… when that name is taken). */
export function defaultBackupPath(dbPath: string, nowIso: string, prefix = 'drawdown'): string {
  const dir = dbPath === ':memory:' ? path.join(os.tmpdir(), 'drawdown-backups') : backupsDir(dbPath);
  const base = path.join(dir, `${prefix}-${stamp(nowIso)}`);
  for (let i = 1; ; i++) {
    const p = i === 1 ? `${base}.db` : `${base}-${i}.db`;
    if (!fs.existsSync(p)) return p;
  }
}

/** A path the caller chose: absolute, a database-like name, not an existing file (a backup never overwrites). */
export function checkBackupTarget(target: string): string {
  if (!path.isAbsolute(target)) throw new RefusedError(`The backup path must be absolute (got ${target}).`, 'invalid-argument');
  if (!/\.(db|sqlite|sqlite3)$/i.test(target)) throw new RefusedError(`The backup file name must end in .db, .sqlite or .sqlite3 (got ${path.basename(target)}).`, 'invalid-argument');
  if (fs.existsSync(target)) throw new RefusedError(`${target} already exists; a backup never overwrites a file. Choose another name.`, 'conflict');
  return target;
}

export function fsyncFile(p: string): void {
  const fd = fs.openSync(p, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes a rename durable; some platforms (Windows) cannot open a folder to fsync it, and need not. */
export function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    /* not supported here */
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

const PARTIAL = /\.partial-(\d+)-[0-9a-f]+(-journal|-wal|-shm)?$/;

/** Removes .partial files a killed backup left behind (their process is gone). */
export function removeStalePartials(dir: string): number {
  let removed = 0;
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const m = PARTIAL.exec(name);
    if (!m || processAlive(Number(m[1]))) continue;
    fs.rmSync(path.join(dir, name), { force: true });
    removed++;
  }
  return removed;
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A temp name beside the target, so the final rename stays on one file system. */
export function partialPath(target: string): string {
  return `${target}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Converts a fresh copy to a single self-contained file (rollback journal) and flushes it to disk. */
export function sealCopy(file: string): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
  fsyncFile(file);
}

function removeCopy(file: string): void {
  for (const s of ['', '-journal', '-wal', '-shm']) fs.rmSync(file + s, { force: true });
}

/** Copies the database behind `db` to `target` (which must not exist) with the online backup API. */
export async function backupDatabase(db: Db, target: string, onProgress?: (p: BackupProgress) => void): Promise<BackupResult> {
  const t0 = Date.now();
  const dir = path.dirname(target);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new RefusedError(`The backup folder ${dir} cannot be created (${(e as Error).message}). Choose another place.`);
  }
  removeStalePartials(dir);
  const tmp = partialPath(target);
  try {
    const r = await db.backup(tmp, {
      progress: (p) => {
        onProgress?.(p);
        return STEP_PAGES;
      },
    });
    sealCopy(tmp);
    if (fs.existsSync(target)) throw new RefusedError(`${target} appeared while the backup was written; nothing was overwritten. Back up again.`, 'conflict');
    fs.renameSync(tmp, target);
    fsyncDir(dir);
    return { path: target, bytes: fs.statSync(target).size, pages: r.totalPages, durationMs: Date.now() - t0 };
  } catch (e) {
    removeCopy(tmp);
    if (e instanceof RefusedError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ENOSPC' || sqliteKind(e) === 'full') {
      throw new RefusedError(`The disk is full: the backup ${target} could not be written. Nothing was left behind; free some space there or choose another place.`);
    }
    throw explainDbError(e, target, `The backup ${target} could not be written`);
  }
}

/**
 * Appends an audit entry without freezing the app on the write lock: an import holds that lock for
 * its whole file, so when it is taken the entry is retried in the background (every second, for an
 * hour) until the lock is free. Returns whether it was written at once.
 */
export function auditSoon(ctx: EngineContext, action: string, details: unknown, retries = 3600): boolean {
  const db = ctx.db;
  const actor = ctx.actor();
  const attempt = (left: number, first: boolean): boolean => {
    if (!db.open || ctx.db !== db) return false; // closed, or swapped by a restore: the entry belonged to the old database
    try {
      db.pragma('busy_timeout = 0');
      db.transaction(() => ctx.audit.append(actor, action, 'database', null, details)).immediate();
      return true;
    } catch (e) {
      if (sqliteKind(e) !== 'locked') {
        if (first) throw e;
        return false;
      }
      if (left > 0) setTimeout(() => attempt(left - 1, false), 1000).unref();
      return false;
    } finally {
      if (db.open) db.pragma('busy_timeout = 5000');
    }
  };
  return attempt(retries, true);
}

/**
 * Points the shared context at a new connection (after a restore). Every handler reads ctx.db and
 * the repositories at call time, so swapping them in place switches the whole engine; the jobs, the
 * file registry and the clock are kept.
 */
export function rebindContext(ctx: EngineContext, db: Db): void {
  const fresh = createContext(db, ctx.dbPath, ctx.mode, ctx.version, ctx.jobs, () => new Date(ctx.now()));
  const { files: _files, jobs: _jobs, now: _now, ...bound } = fresh;
  Object.assign(ctx, bound);
}
