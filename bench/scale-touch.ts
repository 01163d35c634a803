import type { Engine } from '../electron/engine/engine';

/** What a timed run follows: nothing, an edit of another table, a usage row added, or one re-attributed. */
export type Touch = false | 'edit' | 'append' | 'usage';

/**
 * A one-row write before a timed run, so results kept until the data changes
 * (services/data-cache.ts) are computed again. 'edit': an account renamed (to the same name),
 * as after an edit of a block or an account; results over usage rows alone stay kept. 'append':
 * a copy of the last usage row added, as after an import (what is kept over usage rows is brought
 * up to date from the new rows; removeAppended() takes the copies out again). 'usage': the last
 * usage row moved to no workload, or back to its workload on the next run, as when rules
 * re-attribute rows: everything over the rows' workloads is read again in full (the spend by
 * provider, over billed costs alone, stays); an even number of runs leaves the row as it was.
 */
export function touch(engine: Engine, kind: Touch = 'edit'): void {
  const db = engine.ctx.db;
  if (kind === 'edit') db.prepare(TOUCH_EDIT).run();
  if (kind === 'usage') {
    const row = db.prepare(TOUCH_USAGE_ROW).get() as { id: number; workloadId: number | null } | undefined;
    if (!row) return;
    if (row.workloadId !== null) moved.set(row.id, row.workloadId);
    db.prepare(TOUCH_USAGE).run(row.workloadId === null ? (moved.get(row.id) ?? null) : null, row.id);
  }
  if (kind === 'append') {
    appendedAfter ??= db.prepare('SELECT COALESCE(max(id), 0) FROM usage_records').pluck().get() as number;
    const columns = (db.pragma('table_info(usage_records)') as { name: string }[]).map((c) => c.name).filter((c) => c !== 'id' && c !== 'row_key');
    db.prepare(
      `INSERT INTO usage_records (row_key, ${columns.join(', ')}) SELECT abs(random()), ${columns.join(', ')} FROM usage_records
       WHERE id = (SELECT max(id) FROM usage_records) ON CONFLICT (row_key) DO NOTHING`,
    ).run();
  }
}

/** The workload a row had before 'usage' moved it to none, to move it back. */
const moved = new Map<number, number>();

/** The last usage id before 'append' added its first copy; null when none is left. */
let appendedAfter: number | null = null;

/** Deletes the copies 'append' made; returns how many. */
export function removeAppended(engine: Engine): number {
  if (appendedAfter === null) return 0;
  const n = engine.ctx.db.prepare('DELETE FROM usage_records WHERE id > ?').run(appendedAfter).changes;
  appendedAfter = null;
  return n;
}

const TOUCH_EDIT = 'UPDATE credit_accounts SET name = name WHERE id = (SELECT min(id) FROM credit_accounts)';
export const TOUCH_USAGE = 'UPDATE usage_records SET workload_id = ? WHERE id = ?';
export const TOUCH_USAGE_ROW = 'SELECT id, workload_id AS workloadId FROM usage_records WHERE id = (SELECT max(id) FROM usage_records)';
