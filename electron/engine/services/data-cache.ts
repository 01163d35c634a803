import type { Db } from '../db/open';
import { dataVersion, usageState } from '../db/changes';

/**
 * Results that depend on nothing but the database, kept per connection until the data changes
 * (db/changes.ts: any commit by another connection, any write by this one). Inside an open transaction nothing
 * is kept or reused, since what it reads may still roll back. Callers share a cached value and
 * must not change it.
 */
export function untilChanged<T>(db: Db, key: string, compute: () => T): T {
  if (db.inTransaction) return compute();
  const version = dataVersion(db);
  let entries = caches.get(db);
  if (!entries || entries.version !== version) caches.set(db, (entries = { version, values: new Map() }));
  if (entries.values.has(key)) return entries.values.get(key) as T;
  const value = compute();
  entries.values.set(key, value);
  return value;
}

/**
 * The same for results over usage rows alone (db/changes.ts usageState), kept across writes to
 * other tables. After rows were only added (an import), append() brings the kept value up to date
 * from the rows with a larger id than it saw; after any deletion or update of a usage row it is
 * computed again in full — or, with `over: 'billed'` for results over billed costs, providers and
 * currencies alone, only after a deletion or a change of one of those. append must return a new
 * value, not change the kept one.
 */
export function untilUsageChanged<T>(
  db: Db,
  key: string,
  full: () => T,
  append?: (kept: T, afterId: number) => T,
  over: 'rows' | 'billed' = 'rows',
): T {
  if (db.inTransaction) return full();
  // the state and the reads in one read transaction: what is kept matches the state it is kept under
  return db
    .transaction(() => {
      const state = usageState(db);
      const maxId = state.maxId;
      const generation = over === 'billed' ? state.billed : state.generation;
      let entries = usageCaches.get(db);
      if (!entries) usageCaches.set(db, (entries = new Map()));
      const e = entries.get(key);
      if (e && e.generation === generation && e.maxId === maxId) return e.value as T;
      const value = e && append && e.generation === generation && e.maxId < maxId ? append(e.value as T, e.maxId) : full();
      entries.set(key, { maxId, generation, value });
      return value;
    })
    .deferred();
}

const usageCaches = new WeakMap<Db, Map<string, { maxId: number; generation: number; value: unknown }>>();

const caches = new WeakMap<Db, { version: string; values: Map<string, unknown> }>();
