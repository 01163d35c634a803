import type { Db } from '../db/open';
import { dataVersion } from '../db/changes';

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

const caches = new WeakMap<Db, { version: string; values: Map<string, unknown> }>();
