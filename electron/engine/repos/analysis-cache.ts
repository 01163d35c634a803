import type { Db } from '../db/open';
import { ownChanges } from '../db/changes';

/**
 * Results derived from every usage row, kept in analysis_cache (migration 4) and brought up to
 * date incrementally: usage ids grow with each insert, so the rows added since the cached result
 * are those with a larger id, read by a range of the primary key. The cached result is thrown
 * away and recomputed when rows it covered may have gone:
 *  - a committed import it covered is no longer committed (undo), or
 *  - the number of usage rows is not the covered count plus the rows added since.
 * Saving is best effort: a database that is read-only, or busy with an import's write, just
 * answers from the computation without keeping it.
 *
 * Only for results that ignore columns the app updates in place (workload_id, which attribution
 * rules rewrite): everything a spec reads must be fixed once a row is written.
 */
export interface IncrementalSpec<T> {
  name: string;
  /** bump when the payload's shape or meaning changes */
  format: number;
  empty(): T;
  /** folds the usage rows with afterId < id <= throughId into acc */
  fold(acc: T, afterId: number, throughId: number): void;
  encode(value: T): string;
  decode(payload: string): T;
}

interface CacheRow {
  format: number;
  covered_id: number;
  covered_rows: number;
  covered_import: number;
  imports_sig: string;
  payload: string;
}

export function readIncremental<T>(db: Db, spec: IncrementalSpec<T>, now: () => string = () => new Date().toISOString()): T {
  const read = db.transaction(() => {
    const maxId = db.prepare('SELECT COALESCE(max(id), 0) FROM usage_records').pluck().get() as number;
    const rows = db.prepare('SELECT count(*) FROM usage_records').pluck().get() as number;
    const lastImport = db.prepare("SELECT COALESCE(max(id), 0) FROM imports WHERE status = 'committed'").pluck().get() as number;
    const row = db.prepare<[string], CacheRow>('SELECT format, covered_id, covered_rows, covered_import, imports_sig, payload FROM analysis_cache WHERE name = ?').get(spec.name);
    if (row && row.format === spec.format && importsSig(db, row.covered_import) === row.imports_sig) {
      const added = db.prepare('SELECT count(*) FROM usage_records WHERE id > ?').pluck().get(row.covered_id) as number;
      if (row.covered_rows + added === rows) {
        const value = spec.decode(row.payload);
        if (added === 0) return { value, save: null };
        spec.fold(value, row.covered_id, maxId);
        return { value, save: { maxId, rows, lastImport } };
      }
    }
    const value = spec.empty();
    spec.fold(value, 0, maxId);
    return { value, save: { maxId, rows, lastImport } };
  });
  const { value, save } = read.deferred();
  if (save) {
    try {
      withoutWaiting(db, () => {
        const info = db
          .prepare(
            `INSERT INTO analysis_cache (name, format, covered_id, covered_rows, covered_import, imports_sig, payload, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (name) DO UPDATE SET format = excluded.format, covered_id = excluded.covered_id, covered_rows = excluded.covered_rows,
               covered_import = excluded.covered_import, imports_sig = excluded.imports_sig, payload = excluded.payload, updated_at = excluded.updated_at`,
          )
          .run(spec.name, spec.format, save.maxId, save.rows, save.lastImport, importsSig(db, save.lastImport), spec.encode(value), now());
        // keeping a derived result is not a change of the data (results kept until it changes stay valid)
        ownChanges(db, info.changes);
      });
    } catch {
      // read-only, busy or full: the result stands, it is just not kept
    }
  }
  return value;
}

/** Committed imports up to an id, as count:sum of their ids (ids are never reused; an undo drops one). */
function importsSig(db: Db, upTo: number): string {
  return db.prepare("SELECT count(*) || ':' || total(id) FROM imports WHERE status = 'committed' AND id <= ?").pluck().get(upTo) as string;
}

/** Runs fn with busy_timeout 0, so a cache write gives way at once to an import holding the write lock. */
function withoutWaiting(db: Db, fn: () => void): void {
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    fn();
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
}
