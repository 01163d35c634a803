import type { Engine } from '../electron/engine/engine';

/** What a timed run follows: nothing, an edit of another table, or a change of the usage rows. */
export type Touch = false | 'edit' | 'usage';

/**
 * A one-row write before a timed run, so results kept until the data changes
 * (services/data-cache.ts) are computed again. 'edit': an account renamed (to the same name),
 * as after an edit of a block or an account; results over usage rows alone stay kept. 'usage':
 * a usage row updated (to the same values), as after an import or an undo: usage_generation
 * (migration 7) moves, so those are read again too; nothing a report groups changes.
 */
export function touch(engine: Engine, kind: Touch = 'edit'): void {
  if (kind === 'edit') engine.ctx.db.prepare(TOUCH_EDIT).run();
  if (kind === 'usage') engine.ctx.db.prepare(TOUCH_USAGE).run();
}

export const TOUCH_EDIT = 'UPDATE credit_accounts SET name = name WHERE id = (SELECT min(id) FROM credit_accounts)';
export const TOUCH_USAGE = 'UPDATE usage_records SET requests = requests WHERE id = (SELECT max(id) FROM usage_records)';
