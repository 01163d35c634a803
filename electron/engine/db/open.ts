import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { migrations, SCHEMA_VERSION } from './migrations';
import { RefusedError } from '../errors';

export type Db = Database.Database;

export interface OpenOptions {
  /** open read-only: no migrations, no pragma writes */
  readonly?: boolean;
  /** create the file (and its folder) when missing; default true */
  create?: boolean;
}

/**
 * Opens a Drawdown database: asserts the pragmas the product depends on, checks the file,
 * refuses a newer schema and applies pending migrations in one transaction.
 * Fails closed with a message a person can act on.
 */
export function openDatabase(file: string, opts: OpenOptions = {}): Db {
  const create = opts.create ?? true;
  if (file !== ':memory:') {
    if (!fs.existsSync(file)) {
      if (!create || opts.readonly) throw new RefusedError(`No database at ${file}. Create one with "drawdown demo --db ${file}" or pick another file.`);
      fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    }
  }
  let db: Db;
  try {
    db = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: !create });
  } catch (e) {
    throw new RefusedError(`Cannot open the database ${file}: ${(e as Error).message}`);
  }
  try {
    configure(db, file, opts.readonly ?? false);
    if (!opts.readonly) migrate(db, file);
    else refuseNewer(db, file);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

function configure(db: Db, file: string, readonly: boolean): void {
  const fail = (what: string, got: unknown): never => {
    throw new RefusedError(`The database ${file} could not be opened safely: ${what} (got ${JSON.stringify(got)}).`);
  };
  db.pragma('busy_timeout = 5000');
  const busy = db.pragma('busy_timeout', { simple: true });
  if (Number(busy) < 5000) fail('busy_timeout must be at least 5000 ms', busy);
  let check: unknown;
  try {
    check = db.pragma('quick_check', { simple: true });
  } catch (e) {
    throw new RefusedError(`The file ${file} is not a readable Drawdown database (${(e as Error).message}). Open another file or restore a backup.`);
  }
  if (check !== 'ok') throw new RefusedError(`The database ${file} failed its integrity check: ${String(check)}. Restore a backup.`);
  if (!readonly && file !== ':memory:') {
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

function refuseNewer(db: Db, file: string): number {
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version > SCHEMA_VERSION) {
    throw new RefusedError(
      `The database ${file} was written by a newer version of Drawdown (schema ${version}; this version knows up to ${SCHEMA_VERSION}). Update Drawdown, or open another file.`,
    );
  }
  return version;
}

/** Applies every pending migration in one transaction; user_version records the result. */
export function migrate(db: Db, file = 'database'): void {
  const version = refuseNewer(db, file);
  if (version === SCHEMA_VERSION) return;
  db.transaction(() => {
    for (let v = version; v < SCHEMA_VERSION; v++) db.exec(migrations[v]);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

export function schemaVersion(db: Db): number {
  return Number(db.pragma('user_version', { simple: true }));
}
