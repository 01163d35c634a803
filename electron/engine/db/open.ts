import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrations, SCHEMA_VERSION } from './migrations';
import { RefusedError } from '../errors';

export type Db = Database.Database;

/** page size of a database this version creates (an existing file keeps its own) */
const NEW_PAGE_SIZE = 8192;

export interface OpenOptions {
  /** open read-only: no migrations, no pragma writes */
  readonly?: boolean;
  /** create the file (and its folder) when missing; default true */
  create?: boolean;
  /** above this size a database closed cleanly last time opens without quick_check; default OPEN_CHECK_MAX_BYTES */
  openCheckMaxBytes?: number;
}

/**
 * Opens a Drawdown database: asserts the pragmas the product depends on, checks the file,
 * refuses a newer schema and applies pending migrations in one transaction.
 * Fails closed with a message a person can act on: what is wrong, and what to do next.
 */
export function openDatabase(file: string, opts: OpenOptions = {}): Db {
  const create = opts.create ?? true;
  const readonly = opts.readonly ?? false;
  if (file !== ':memory:') prepareFile(file, create, readonly);
  let db: Db;
  try {
    db = new Database(file, { readonly, fileMustExist: !create });
  } catch (e) {
    throw explainDbError(e, file, `Cannot open the database ${file}`);
  }
  try {
    configure(db, file, readonly, opts.openCheckMaxBytes ?? OPEN_CHECK_MAX_BYTES);
    if (!readonly) migrate(db, file);
    else refuseNewer(db, file);
    return db;
  } catch (e) {
    db.close();
    throw explainDbError(e, file);
  }
}

/** Refuses early, with a precise reason, what SQLite would only report vaguely (or on the first write). */
function prepareFile(file: string, create: boolean, readonly: boolean): void {
  if (!fs.existsSync(file)) {
    const dir = path.dirname(path.resolve(file));
    if (!create || readonly) {
      const where = fs.existsSync(dir) ? '' : ` (the folder ${dir} does not exist)`;
      throw fault('missing', `No database at ${file}${where}. Create one with "drawdown demo --db ${file}", restore a backup there, or pick another file.`);
    }
    try {
      fs.mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw fault('cantopen', `Cannot create the database ${file}: the folder ${dir} cannot be created (${(e as Error).message}). Pick a folder you can write to.`);
    }
    return;
  }
  if (fs.statSync(file).isDirectory()) throw fault('cantopen', `${file} is a folder, not a database file. Pick a database file.`);
  // root ignores permission bits, but access(W_OK) still reports an immutable file (EPERM) or a read-only mount (EROFS)
  if (!readonly && (!writable(file) || !writable(path.dirname(path.resolve(file))))) throw readOnlyError(file);
}

function writable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function configure(db: Db, file: string, readonly: boolean, checkMaxBytes: number): void {
  const fail = (what: string, got: unknown): never => {
    throw new RefusedError(`The database ${file} could not be opened safely: ${what} (got ${JSON.stringify(got)}).`);
  };
  db.pragma('busy_timeout = 5000');
  const busy = db.pragma('busy_timeout', { simple: true });
  if (Number(busy) < 5000) fail('busy_timeout must be at least 5000 ms', busy);
  const skip = skipOpenCheck(file, checkMaxBytes);
  openChecks.set(db, skip ? 'skipped' : 'quick_check');
  let check: unknown;
  try {
    // a database skipping the full check still has its schema read, which fails on a file that is not one
    check = skip ? (db.prepare('SELECT count(*) FROM sqlite_master').pluck().get(), 'ok') : db.pragma('quick_check', { simple: true });
  } catch (e) {
    if (sqliteKind(e) === 'locked') throw explainDbError(e, file);
    throw fault('corrupt', `The file ${file} is not a readable Drawdown database (${(e as Error).message}). Open another file or restore a backup${backupHint(file)}.`);
  }
  if (check !== 'ok') throw fault('corrupt', `The database ${file} failed its integrity check: ${summarize(String(check))}. Restore a backup${backupHint(file)}, or open another file.`);
  if (!readonly && file !== ':memory:') {
    // a new file: 8 KiB pages (fewer, fuller B-tree pages for the wide usage rows; set before anything is written)
    if (Number(db.pragma('page_count', { simple: true })) === 0) db.pragma(`page_size = ${NEW_PAGE_SIZE}`);
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (String(mode).toLowerCase() !== 'wal') fail('journal_mode must be WAL', mode);
  }
  db.pragma('synchronous = FULL');
  const sync = db.pragma('synchronous', { simple: true });
  if (sync !== 2) fail('synchronous must be FULL', sync);
  db.pragma('foreign_keys = ON');
  const fk = db.pragma('foreign_keys', { simple: true });
  if (fk !== 1) fail('foreign_keys must be ON', fk);
}

/**
 * quick_check reads every page: 6–13 s on a 2.4 GB database (5 million usage rows), on every
 * start. Below OPEN_CHECK_MAX_BYTES it always runs. Above, only when the last session did not end
 * cleanly: SQLite removes the -wal file when the last connection closes normally, so a -wal file
 * with content at open means a crash, a kill or a power loss (or another process that has the
 * database open right now, when checking is the safe choice too). Settings › Database and
 * `drawdown db-info --check` run the check on demand.
 */
export const OPEN_CHECK_MAX_BYTES = 256 * 1024 * 1024;

function skipOpenCheck(file: string, maxBytes: number): boolean {
  return file !== ':memory:' && fileSize(file) > maxBytes && fileSize(`${file}-wal`) === 0;
}

/** A file's size in bytes, 0 when it does not exist (a database's -wal after a clean close). */
export function fileSize(p: string): number {
  try {
    return fs.statSync(p).size;
  } catch {
    return 0;
  }
}

const openChecks = new WeakMap<Db, 'quick_check' | 'skipped'>();

/** Whether opening this connection ran quick_check or skipped it (a large database closed cleanly last time). */
export function openCheck(db: Db): 'quick_check' | 'skipped' {
  return openChecks.get(db) ?? 'quick_check';
}

/** SQLite lists every finding on its own line (thousands on a badly damaged file): the first few are enough to act on. */
function summarize(findings: string): string {
  const lines = findings.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('***'));
  const head = lines.slice(0, 3).join('; ');
  return lines.length > 3 ? `${head}; and ${lines.length - 3} more findings` : head;
}

function refuseNewer(db: Db, file: string): number {
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version > SCHEMA_VERSION) throw newerSchemaError(file, version);
  return version;
}

/** The one message for a database (or a backup) written by a newer Drawdown. */
export function newerSchemaError(file: string, version: number): RefusedError {
  return fault('newer', `The database ${file} was written by a newer version of Drawdown (schema ${version}; this version knows up to ${SCHEMA_VERSION}). Update Drawdown, or open another file.`);
}

/** Applies every pending migration in one transaction; user_version records the result. */
export function migrate(db: Db, file = 'database'): void {
  const version = refuseNewer(db, file);
  if (version === SCHEMA_VERSION) return;
  db.transaction(() => {
    for (let v = version; v < SCHEMA_VERSION; v++) {
      const m = migrations[v];
      if (typeof m === 'string') db.exec(m);
      else m(db);
    }
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

export function schemaVersion(db: Db): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/** Folder of the automatic backups: backups/ beside the database. */
export function backupsDir(dbPath: string): string {
  return path.join(path.dirname(path.resolve(dbPath)), 'backups');
}

/** The newest *.db file in backups/ beside the database, or null. */
export function latestBackup(dbPath: string): { path: string; bytes: number; modifiedAt: string } | null {
  if (dbPath === ':memory:') return null;
  let best: { path: string; bytes: number; modifiedAt: string; ms: number } | null = null;
  try {
    for (const name of fs.readdirSync(backupsDir(dbPath))) {
      if (!name.endsWith('.db')) continue;
      const p = path.join(backupsDir(dbPath), name);
      const st = fs.statSync(p);
      if (st.isFile() && (!best || st.mtimeMs > best.ms)) best = { path: p, bytes: st.size, modifiedAt: st.mtime.toISOString(), ms: st.mtimeMs };
    }
  } catch {
    return null;
  }
  return best && { path: best.path, bytes: best.bytes, modifiedAt: best.modifiedAt };
}

function backupHint(file: string): string {
  const b = latestBackup(file);
  return b ? ` (the latest is ${b.path}: drawdown restore --db ${file} --from ${b.path})` : ` (drawdown restore --db ${file} --from BACKUP.db)`;
}

type SqliteKind = 'locked' | 'readonly' | 'full' | 'corrupt' | 'cantopen' | null;
/** What is wrong with a database file; carried in RefusedError.details.fault so callers can choose a way forward. */
export type DbFault = Exclude<SqliteKind, null> | 'missing' | 'newer';

function fault(kind: DbFault, message: string, code: ConstructorParameters<typeof RefusedError>[1] = 'refused'): RefusedError {
  return new RefusedError(message, code, { fault: kind });
}

/** The fault a RefusedError from openDatabase reports, or null. */
export function dbFault(e: unknown): DbFault | null {
  return e instanceof RefusedError ? ((e.details as { fault?: DbFault } | undefined)?.fault ?? null) : null;
}

/** Classifies an error by SQLite code, or by message when it crossed a worker (which keeps only the text). */
export function sqliteKind(e: unknown): SqliteKind {
  const code = String((e as { code?: unknown })?.code ?? '');
  const msg = String((e as Error)?.message ?? '');
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') || /database (table )?is locked/.test(msg)) return 'locked';
  if (code.startsWith('SQLITE_READONLY') || /readonly database/.test(msg)) return 'readonly';
  if (code === 'SQLITE_FULL' || code === 'SQLITE_IOERR_SHMSIZE' || /disk is full|ENOSPC/.test(msg)) return 'full';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB' || /malformed|not a database/.test(msg)) return 'corrupt';
  if (code.startsWith('SQLITE_CANTOPEN') || /unable to open database file/.test(msg)) return 'cantopen';
  return null;
}

function readOnlyError(file: string): RefusedError {
  return fault(
    'readonly',
    `The database ${file} is read-only: Drawdown cannot write to it (the file or its folder is write-protected, immutable, or on a read-only disk). ` +
      'Make it writable, copy it to a folder you can write to and open the copy, or open another file.',
  );
}

/**
 * Turns a low-level SQLite failure into a RefusedError that says what happened and what to do;
 * anything else (including RefusedErrors) passes through unchanged.
 */
export function explainDbError(e: unknown, file: string, prefix?: string): unknown {
  if (e instanceof RefusedError) return e;
  const detail = (e as Error)?.message ?? String(e);
  switch (sqliteKind(e)) {
    case 'locked':
      return fault(
        'locked',
        `The database ${file} is locked by another program (another Drawdown window, a running "drawdown" command or import, or a sqlite3 shell). Close it or wait for it to finish, then try again; or open another file.`,
        'conflict',
      );
    case 'readonly':
      return readOnlyError(file);
    case 'full':
      return fault('full', `The disk is full: the database ${file} could not be written (${detail}). Nothing of this change was saved. Free some space on that disk and try again.`);
    case 'corrupt':
      return fault('corrupt', `The database ${file} is damaged (${detail}). Restore a backup${backupHint(file)}, or open another file.`);
    case 'cantopen':
      return fault('cantopen', `${prefix ?? `Cannot open the database ${file}`}: ${detail}. Check that the file and its folder exist and can be read, or open another file.`);
    default:
      return prefix ? new RefusedError(`${prefix}: ${detail}`) : e;
  }
}
