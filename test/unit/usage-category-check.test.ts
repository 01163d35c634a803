/**
 * Migration 5: usage_records' CHECK on charge_category, rewritten from IN (…) to comparisons
 * joined by OR in the schema text only. A schema-4 database upgrades with its rows untouched, the
 * check refuses and accepts exactly what it did, and the table reads as a new database's does.
 */
import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3';
import { openDatabase, schemaVersion, type Db } from '../../electron/engine/db/open';
import { migrations, SCHEMA_VERSION } from '../../electron/engine/db/migrations';
import { tempDbPath } from '../helpers';

const tableSql = (db: Database.Database) =>
  (db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'usage_records'").get() as { sql: string }).sql;

/** A schema-4 database file with one import and one usage row. */
function v4File(): string {
  const file = tempDbPath();
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  raw.transaction(() => {
    for (const m of migrations.slice(0, 4)) {
      if (typeof m === 'string') raw.exec(m);
      else m(raw);
    }
    raw.pragma('user_version = 4');
    raw.exec(`
      INSERT INTO imports (id, file_name, content_hash, byte_hash, byte_size, format, kind, status, run_by, started_at, finished_at)
      VALUES (1, 'a.csv', 'h', 'b', 1, 'x', 'usage', 'committed', 't', 'x', 'x');
      INSERT INTO usage_records (import_id, line, row_key, provider, charge_category, period_start, day, currency, billed_cost_micros)
      VALUES (1, 2, 7, 'openai', 'tax', '2026-01-01T00:00:00Z', '2026-01-01', 'USD', 1500000);`);
  })();
  expect(tableSql(raw)).toContain("charge_category IN ('usage','purchase','tax','credit','adjustment')");
  raw.close();
  return file;
}

function insertCategory(db: Db, category: string, key: number): void {
  db.prepare(
    `INSERT INTO usage_records (import_id, line, row_key, provider, charge_category, period_start, day, currency)
     VALUES (1, 3, ?, 'openai', ?, '2026-01-02T00:00:00Z', '2026-01-02', 'USD')`,
  ).run(key, category);
}

describe('migration 5: the charge_category check without an IN list', () => {
  it('upgrades a schema-4 database in place: same rows, same verdicts, the text of a new database', () => {
    const file = v4File();
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(tableSql(db)).not.toContain('charge_category IN');
    expect(tableSql(db)).toContain("CHECK (charge_category = 'usage' OR charge_category = 'purchase' OR charge_category = 'tax' OR charge_category = 'credit' OR charge_category = 'adjustment')");
    expect(db.prepare('SELECT row_key, charge_category, billed_cost_micros FROM usage_records').all()).toEqual([{ row_key: 7, charge_category: 'tax', billed_cost_micros: 1500000 }]);

    let key = 100;
    for (const c of ['usage', 'purchase', 'tax', 'credit', 'adjustment']) expect(() => insertCategory(db, c, key++)).not.toThrow();
    for (const c of ['Usage', 'refund', '', 'usage ']) expect(() => insertCategory(db, c, key++)).toThrow(/CHECK constraint failed/);
    expect(() => insertCategory(db, null as unknown as string, key++)).toThrow(/NOT NULL constraint failed/);

    // a new database ends with the same table text, and a second connection reads it too
    const fresh = openDatabase(tempDbPath());
    expect(tableSql(fresh)).toBe(tableSql(db));
    fresh.close();
    const other = new Database(file, { readonly: true });
    expect(tableSql(other)).toBe(tableSql(db));
    other.close();
    db.close();
  });

  it('refuses a usage_records table without the check it rewrites, and changes nothing', () => {
    const file = v4File();
    const raw = new Database(file);
    raw.unsafeMode(true);
    raw.pragma('writable_schema = ON');
    const v = Number(raw.pragma('schema_version', { simple: true }));
    raw.prepare("UPDATE sqlite_schema SET sql = replace(sql, '''adjustment''', '''adjustments''') WHERE name = 'usage_records'").run();
    raw.pragma(`schema_version = ${v + 1}`);
    raw.pragma('writable_schema = OFF');
    raw.close();
    expect(() => openDatabase(file)).toThrow(/migration 5/);
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(4);
    check.close();
  });
});
