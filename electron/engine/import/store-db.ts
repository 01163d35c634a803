/**
 * The import's own connection to the database file (a worker thread cannot share the engine's,
 * and an inline import must not share it either: anything the engine wrote meanwhile would
 * join the import's transaction). Same pragmas as openDatabase, without its integrity check
 * (the engine ran it when it opened the file), plus a larger page cache for the bulk insert.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import type { Db } from '../db/open';
import { SCHEMA_VERSION } from '../db/migrations';
import { RefusedError } from '../errors';

/** page cache of the import connection, KiB */
export const IMPORT_CACHE_KIB = 64 * 1024;

export function openImportConnection(dbPath: string, cacheKib = IMPORT_CACHE_KIB): Db {
  if (!fs.existsSync(dbPath)) throw new RefusedError(`No database at ${dbPath}.`);
  const db = new Database(dbPath, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const mode = String(db.pragma('journal_mode', { simple: true })).toLowerCase();
    if (mode !== 'wal') throw new RefusedError(`The database ${dbPath} is not in WAL mode (got ${mode}); open it with Drawdown first.`);
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma(`cache_size = -${Math.max(2048, Math.floor(cacheKib))}`);
    const version = Number(db.pragma('user_version', { simple: true }));
    if (version !== SCHEMA_VERSION) {
      throw new RefusedError(`The database ${dbPath} has schema ${version}, this importer writes schema ${SCHEMA_VERSION}; open it with this version of Drawdown first.`);
    }
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
