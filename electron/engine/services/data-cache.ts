import type { Db } from '../db/open';
import { dataVersion, usageVersion } from '../db/changes';

/**
 * Results that depend on nothing but the database, kept per connection until the data changes
 * (db/changes.ts: any commit by another connection, any write by this one). Inside an open transaction nothing
 * is kept or reused, since what it reads may still roll back. Callers share a cached value and
 * must not change it.
 */
export function untilChanged<T>(db: Db, key: string, compute: () => T): T {
  return kept(caches, db, dataVersion, key, compute);
}

/**
 * The same for results over usage rows alone (db/changes.ts usageVersion): kept across writes to
 * other tables, recomputed when a usage row is inserted, deleted or changed.
 */
export function untilUsageChanged<T>(db: Db, key: string, compute: () => T): T {
  return kept(usageCaches, db, usageVersion, key, compute);
}

type Caches = WeakMap<Db, { version: string; values: Map<string, unknown> }>;
const caches: Caches = new WeakMap();
const usageCaches: Caches = new WeakMap();

function kept<T>(store: Caches, db: Db, versionOf: (db: Db) => string, key: string, compute: () => T): T {
  if (db.inTransaction) return compute();
  const version = versionOf(db);
  let entries = store.get(db);
  if (!entries || entries.version !== version) store.set(db, (entries = { version, values: new Map() }));
  if (entries.values.has(key)) return entries.values.get(key) as T;
  const value = compute();
  entries.values.set(key, value);
  return value;
}
