import type Database from 'better-sqlite3';
import type { Db } from './open';

/**
 * A token that changes when the data in the database may have changed since the last call: any
 * commit by another connection moves PRAGMA data_version (the import worker writes through its
 * own), and this connection's writes move total_changes(). Writes that only keep derived results
 * (analysis_cache) are declared with ownChanges() and do not count: keeping a result must not make
 * every other kept result stale.
 */
export function dataVersion(db: Db): string {
  let s = statements.get(db);
  if (!s) statements.set(db, (s = { changes: db.prepare('SELECT total_changes()').pluck(), version: db.prepare('PRAGMA data_version').pluck() }));
  const changes = (s.changes.get() as number) - (excluded.get(db) ?? 0);
  return `${s.version.get() as number}:${changes}`;
}

const statements = new WeakMap<Db, { changes: Database.Statement; version: Database.Statement }>();
const excluded = new WeakMap<Db, number>();

/** Declares n row changes this connection just made to derived data only. */
export function ownChanges(db: Db, n: number): void {
  excluded.set(db, (excluded.get(db) ?? 0) + n);
}

/**
 * Where usage_records stands: max(id) moves with every insert, usage_generation (migration 7) with
 * every deletion or update (`generation`), or only those that change a billed cost, provider or
 * currency (`billed`). Equal ids and generations, equal rows; the same generation and a larger
 * id, rows only added, those with a larger id than before.
 */
export function usageState(db: Db): { maxId: number; generation: number; billed: number } {
  let s = usageStatements.get(db);
  if (!s)
    usageStatements.set(
      db,
      (s = db.prepare('SELECT (SELECT COALESCE(max(id), 0) FROM usage_records) AS maxId, n AS generation, billed FROM usage_generation WHERE id = 1')),
    );
  return s.get() as { maxId: number; generation: number; billed: number };
}

const usageStatements = new WeakMap<Db, Database.Statement>();
