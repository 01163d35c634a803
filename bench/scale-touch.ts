import type { Engine } from '../electron/engine/engine';

/** What a timed run follows: nothing, an edit of another table, a usage row added, or one changed. */
export type Touch = false | 'edit' | 'append' | 'usage';

/**
 * A one-row write before a timed run, so results kept until the data changes
 * (services/data-cache.ts) are computed again. 'edit': an account renamed (to the same name),
 * as after an edit of a block or an account; results over usage rows alone stay kept. 'append':
 * a copy of the last usage row added, as after an import (what is kept over usage rows is brought
 * up to date from the new rows; removeAppended() takes the copies out again). 'usage': a usage row
 * updated (to the same values), as after rules re-attributing rows or an undo: usage_generation
 * (migration 7) moves, so those are read again in full; nothing a report groups changes.
 */
export function touch(engine: Engine, kind: Touch = 'edit'): void {
  const db = engine.ctx.db;
  if (kind === 'edit') db.prepare(TOUCH_EDIT).run();
  if (kind === 'usage') db.prepare(TOUCH_USAGE).run();
  if (kind === 'append') {
    const columns = (db.pragma('table_info(usage_records)') as { name: string }[]).map((c) => c.name).filter((c) => c !== 'id' && c !== 'row_key');
    db.prepare(
      `INSERT INTO usage_records (row_key, ${columns.join(', ')}) SELECT abs(random()), ${columns.join(', ')} FROM usage_records
       WHERE id = (SELECT max(id) FROM usage_records) ON CONFLICT (row_key) DO NOTHING`,
    ).run();
  }
}

/** Deletes the usage rows added after `maxId` (the copies 'append' made). */
export function removeAppended(engine: Engine, maxId: number): number {
  return engine.ctx.db.prepare('DELETE FROM usage_records WHERE id > ?').run(maxId).changes;
}

export const TOUCH_EDIT = 'UPDATE credit_accounts SET name = name WHERE id = (SELECT min(id) FROM credit_accounts)';
export const TOUCH_USAGE = 'UPDATE usage_records SET requests = requests WHERE id = (SELECT max(id) FROM usage_records)';
