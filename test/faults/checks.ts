/**
 * After a kill: does the database open, pass integrity_check, and hold the whole operation or none
 * of it? Each check returns 'all', 'none' or a description of what is wrong (counted as corrupt).
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase, type Db } from '../../electron/engine/db/open';
import { SCHEMA_VERSION } from '../../electron/engine/db/migrations';
import { createAuditRepo } from '../../electron/engine/repos/audit';
import { removeStalePartials } from '../../electron/engine/services/backup';
import { ROWS_OF_FILE_SQL } from './fixtures';

export type Outcome = 'all' | 'none' | { corrupt: string };

export interface Expect {
  /** rows of the operation's file (fault.csv) when it is all there */
  rows: number;
  /** rows of the file imported before (base.csv), which no operation may touch */
  baseRows: number;
  /** rows of the long test migration */
  migrationRows: number;
}

const n = (db: Db, sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n;

/** Opens with the product's opener (quick_check, WAL recovery), then runs the full integrity_check. */
function withDb<T>(file: string, f: (db: Db) => T): T | { corrupt: string } {
  let db: Db;
  try {
    db = openDatabase(file, { create: false });
  } catch (e) {
    return { corrupt: `does not open: ${(e as Error).message}` };
  }
  try {
    const check = String(db.pragma('integrity_check', { simple: true }));
    if (check !== 'ok') return { corrupt: `integrity_check: ${check}` };
    if (!createAuditRepo(db, () => '').verify().ok) return { corrupt: 'audit chain broken' };
    return f(db);
  } finally {
    db.close();
  }
}

function baseIntact(db: Db, x: Expect): string | null {
  const base = n(db, ROWS_OF_FILE_SQL, 'base.csv');
  const orphans = n(db, 'SELECT count(*) AS n FROM usage_records WHERE import_id NOT IN (SELECT id FROM imports)');
  return base !== x.baseRows || orphans ? `base rows ${base}/${x.baseRows}, orphans ${orphans}` : null;
}

/** import of fault.csv: no batch and no rows, or one committed batch with every row */
export function checkImport(file: string, x: Expect): Outcome {
  return withDb(file, (db): Outcome => {
    const bad = baseIntact(db, x);
    if (bad) return { corrupt: bad };
    const rows = n(db, ROWS_OF_FILE_SQL, 'fault.csv');
    const batches = n(db, "SELECT count(*) AS n FROM imports WHERE file_name = 'fault.csv' AND status = 'committed'");
    if (rows === 0 && batches === 0) return 'none';
    if (rows === x.rows && batches === 1) return 'all';
    return { corrupt: `${rows} rows in ${batches} batches` };
  });
}

/** undo of import fault.csv: still committed with every row, or undone with none */
export function checkUndo(file: string, x: Expect): Outcome {
  return withDb(file, (db): Outcome => {
    const bad = baseIntact(db, x);
    if (bad) return { corrupt: bad };
    const rows = n(db, ROWS_OF_FILE_SQL, 'fault.csv');
    const status = (db.prepare("SELECT status FROM imports WHERE file_name = 'fault.csv'").get() as { status: string } | undefined)?.status;
    const audited = n(db, "SELECT count(*) AS n FROM audit_log WHERE action = 'import-undo'");
    if (status === 'committed' && rows === x.rows && audited === 0) return 'none';
    if (status === 'undone' && rows === 0 && audited === 1) return 'all';
    return { corrupt: `status ${status}, ${rows} rows, ${audited} undo entries` };
  });
}

/** backup of a database holding base.csv and fault.csv: the source untouched; no target, or a whole one */
export function checkBackup(source: string, target: string, x: Expect): Outcome {
  const src = withDb(source, (db) => baseIntact(db, x) ?? (n(db, ROWS_OF_FILE_SQL, 'fault.csv') === x.rows ? null : 'source lost rows'));
  if (src) return { corrupt: typeof src === 'string' ? src : src.corrupt };
  const dir = path.dirname(target);
  // what a killed backup leaves is only ever a .partial file, which the next backup removes
  removeStalePartials(dir);
  const left = fs.readdirSync(dir).filter((f) => f !== path.basename(target));
  if (left.length) return { corrupt: `left behind: ${left.join(', ')}` };
  if (!fs.existsSync(target)) return 'none';
  if (fs.existsSync(`${target}-wal`)) return { corrupt: 'the backup has a -wal file beside it' };
  return withDb(target, (db): Outcome => {
    const bad = baseIntact(db, x);
    if (bad) return { corrupt: bad };
    return n(db, ROWS_OF_FILE_SQL, 'fault.csv') === x.rows ? 'all' : { corrupt: 'the backup lacks rows' };
  });
}

/** restore of a backup holding fault.csv over a database without it: the old database or the restored one */
export function checkRestore(live: string, x: Expect): Outcome {
  removeStalePartials(path.dirname(live));
  return withDb(live, (db): Outcome => {
    const bad = baseIntact(db, x);
    if (bad) return { corrupt: bad };
    const rows = n(db, ROWS_OF_FILE_SQL, 'fault.csv');
    if (rows === 0) return 'none';
    if (rows === x.rows) return 'all';
    return { corrupt: `${rows} rows of the restored import` };
  });
}

/**
 * migration from 0 (a fresh file) or from the current schema to the test build's one more: still at
 * its old version without the new table, or at the test version with all of it
 */
export function checkMigration(file: string, from: number, x: Expect): Outcome {
  // not openDatabase: the product refuses the test version, which only the test build knows
  if (from === 0 && !fs.existsSync(file)) return 'none'; // killed before the file was created
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true });
  } catch (e) {
    return { corrupt: `does not open: ${(e as Error).message}` };
  }
  try {
    const check = String(db.pragma('integrity_check', { simple: true }));
    if (check !== 'ok') return { corrupt: `integrity_check: ${check}` };
    const version = Number(db.pragma('user_version', { simple: true }));
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    const big = tables.includes('fault_big') ? n(db, 'SELECT count(*) AS n FROM fault_big') : null;
    const base = tables.includes('usage_records') ? n(db, ROWS_OF_FILE_SQL, 'base.csv') : 0;
    if (from !== 0 && base !== x.baseRows) return { corrupt: `base rows ${base}` };
    if (version === from && big === null && (from !== 0 || tables.length === 0)) return 'none';
    if (version === SCHEMA_VERSION + 1 && big === x.migrationRows && tables.includes('usage_records')) return 'all';
    return { corrupt: `user_version ${version}, fault_big ${big}, ${tables.length} tables` };
  } finally {
    db.close();
  }
}
