import type { Db } from '../db/open';

/**
 * Results that depend on nothing but the database, kept per connection until the data changes:
 * any committed write by any connection moves PRAGMA data_version (other connections: the import
 * worker has its own) or this connection's total_changes(). Inside an open transaction nothing
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

/** Changes when anything in the database may have changed since the last call. */
export function dataVersion(db: Db): string {
  const changes = db.prepare('SELECT total_changes()').pluck().get() as number;
  return `${db.pragma('data_version', { simple: true }) as number}:${changes}`;
}
