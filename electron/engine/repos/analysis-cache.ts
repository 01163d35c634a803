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

/** Where the usage rows stand against a kept result's coverage. */
interface Coverage {
  maxId: number;
  rows: number;
  lastImport: number;
  /** the kept result holds every row there is */
  upToDate: boolean;
  /** the kept result may hold rows that are gone: start over */
  stale: boolean;
  /** the rows to fold in are those with fromId < id <= maxId */
  fromId: number;
}

const coverage = (db: Db, name: string, format: number): Coverage & { payload: string | null } => {
  const maxId = db.prepare('SELECT COALESCE(max(id), 0) FROM usage_records').pluck().get() as number;
  const rows = db.prepare('SELECT count(*) FROM usage_records').pluck().get() as number;
  const lastImport = db.prepare("SELECT COALESCE(max(id), 0) FROM imports WHERE status = 'committed'").pluck().get() as number;
  const row = db.prepare<[string], CacheRow>('SELECT format, covered_id, covered_rows, covered_import, imports_sig, payload FROM analysis_cache WHERE name = ?').get(name);
  if (row && row.format === format && importsSig(db, row.covered_import) === row.imports_sig) {
    const added = db.prepare('SELECT count(*) FROM usage_records WHERE id > ?').pluck().get(row.covered_id) as number;
    if (row.covered_rows + added === rows) return { maxId, rows, lastImport, upToDate: added === 0, stale: false, fromId: row.covered_id, payload: row.payload };
  }
  return { maxId, rows, lastImport, upToDate: false, stale: true, fromId: 0, payload: null };
};

/** Records what a kept result now covers; returns the rows changed. */
function saveCoverage(db: Db, name: string, format: number, c: Coverage, payload: string, now: string): number {
  return db
    .prepare(
      `INSERT INTO analysis_cache (name, format, covered_id, covered_rows, covered_import, imports_sig, payload, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET format = excluded.format, covered_id = excluded.covered_id, covered_rows = excluded.covered_rows,
         covered_import = excluded.covered_import, imports_sig = excluded.imports_sig, payload = excluded.payload, updated_at = excluded.updated_at`,
    )
    .run(name, format, c.maxId, c.rows, c.lastImport, importsSig(db, c.lastImport), payload, now).changes;
}

export function readIncremental<T>(db: Db, spec: IncrementalSpec<T>, now: () => string = () => new Date().toISOString()): T {
  const read = db.transaction(() => {
    const c = coverage(db, spec.name, spec.format);
    if (c.upToDate) return { value: spec.decode(c.payload!), save: null };
    const value = c.stale ? spec.empty() : spec.decode(c.payload!);
    spec.fold(value, c.fromId, c.maxId);
    return { value, save: c };
  });
  const { value, save } = read.deferred();
  if (save) {
    try {
      // keeping a derived result is not a change of the data (results kept until it changes stay valid)
      withoutWaiting(db, () => ownChanges(db, saveCoverage(db, spec.name, spec.format, save, spec.encode(value), now())));
    } catch {
      // read-only, busy or full: the result stands, it is just not kept
    }
  }
  return value;
}

/**
 * A table derived from every usage row (migration 6), described by its analysis_cache row (an
 * empty payload) and brought up to date the same way: rows added since are folded in, and the
 * table is emptied and refilled when rows it covered may have gone. Writes go through
 * spec.clear and spec.fold, each returning the rows it changed.
 */
export interface DerivedTableSpec {
  name: string;
  format: number;
  clear(): number;
  /** folds the usage rows with afterId < id <= throughId into the table */
  fold(afterId: number, throughId: number): number;
  /** usage ids folded per write transaction (DERIVED_CHUNK_IDS when not given) */
  chunkIds?: number;
}

/**
 * Runs read() in one read transaction over an up-to-date derived table, bringing it up to date
 * first (in a write transaction that gives way at once to an import holding the lock). Returns
 * null when the table cannot be brought up to date (read-only, busy, full, or rows arriving
 * between the write and the read): the caller answers from usage_records instead.
 */
export function readDerivedTable<T>(db: Db, spec: DerivedTableSpec, read: () => T, now: () => string = () => new Date().toISOString()): T | null {
  const attempt = db.transaction(() => (coverage(db, spec.name, spec.format).upToDate ? { value: read() } : null));
  const first = attempt.deferred();
  if (first) return first.value;
  const chunk = spec.chunkIds ?? DERIVED_CHUNK_IDS;
  const rowsThrough = db.prepare<[number], number>('SELECT count(*) FROM usage_records WHERE id <= ?').pluck();
  try {
    // a chunk of ids per write transaction, each committed with the coverage it reached: building
    // over millions of rows holds the write lock a second or two at a time, not for the whole build,
    // so an import started meanwhile waits (busy_timeout) instead of failing
    for (let done = false; !done; ) {
      withoutWaiting(db, () =>
        db
          .transaction(() => {
            const c = coverage(db, spec.name, spec.format);
            if (c.upToDate) return void (done = true);
            const through = Math.min(c.maxId, c.fromId + chunk);
            const reached = through === c.maxId ? c : { ...c, maxId: through, rows: rowsThrough.get(through)! };
            const changed = (c.stale ? spec.clear() : 0) + spec.fold(c.fromId, through) + saveCoverage(db, spec.name, spec.format, reached, '', now());
            // derived rows only: results kept until the data changes stay valid
            ownChanges(db, changed);
            done = through === c.maxId;
          })
          .immediate(),
      );
    }
  } catch {
    return null;
  }
  return attempt.deferred()?.value ?? null;
}

/** Usage ids folded into a derived table per write transaction (≈ 2–3 s at 5 million rows). */
export const DERIVED_CHUNK_IDS = 1_000_000;

/**
 * The id through which a derived table holds the usage rows, or null when it is stale (it will be
 * rebuilt): for a change that keeps the table exact in its own transaction (an undo).
 */
export function coveredThrough(db: Db, spec: DerivedTableSpec): number | null {
  const c = coverage(db, spec.name, spec.format);
  return c.stale ? null : c.fromId;
}

/**
 * After `rows` usage rows the table held were deleted and taken out of it, and their import
 * marked undone (in the same transaction): its description covers what is left.
 */
export function removedFromCoverage(db: Db, spec: DerivedTableSpec, rows: number): void {
  const row = db.prepare<[string], { covered_import: number }>('SELECT covered_import FROM analysis_cache WHERE name = ?').get(spec.name);
  if (!row) return;
  // the covered id comes down to the last row left under it, so that rows reusing the freed ids are folded in
  db.prepare(
    `UPDATE analysis_cache SET covered_rows = covered_rows - ?, imports_sig = ?,
       covered_id = COALESCE((SELECT max(id) FROM usage_records WHERE id <= analysis_cache.covered_id), 0) WHERE name = ?`,
  ).run(rows, importsSig(db, row.covered_import), spec.name);
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
