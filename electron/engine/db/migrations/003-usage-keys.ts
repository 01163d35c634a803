/**
 * Migration 3: usage rows keyed by integers, and no index on usage_records(import_id).
 *
 * Why: the dedup key of a usage row was a 77-character text (`YYYY-MM-DD/<sha256>#n`) with a
 * UNIQUE index: about a third of the database and the most expensive part of every insert. It
 * becomes two integers (import/store-keys.ts): row_key (UNIQUE, the day bucket and 40 hash bits
 * with the occurrence folded in) and row_check (52 more hash bits, not indexed, told apart from
 * another row's on a key collision). The only reader of usage_import was the undo of an import;
 * it now deletes by the id range the importer records on the import (usage_first_id,
 * usage_last_id), the rows of one import being written in one transaction.
 *
 * The table is rebuilt (SQLite cannot change a column's type): every row keeps its id and values,
 * its old key becomes the integers the importer now computes for the same content, so a file
 * imported before the upgrade is still recognised after it. A key that is not an importer's
 * (the demo's `demo:seed:n`, hand-made rows) is keyed by the sha256 of its text. The indexes and
 * triggers of usage_records (the usage_daily triggers of migration 2) are recreated as they were;
 * usage_daily itself is untouched (the rows do not change). Runs inside the migration transaction.
 */
import type { Db } from '../open';
import { usageAltKey, usageKey, usageKeyParts, type UsageKeyParts } from '../../import/store-keys';

const LEGACY_KEY = /^(?:\d{4}-\d{2}-\d{2}\/)?([0-9a-f]{64})#(\d+)$/;

const OLD_KEY_COLUMN = /\n\s*-- content hash of the normalised row[^\n]*\n\s*row_key TEXT NOT NULL UNIQUE,/;
const NEW_KEY_COLUMNS = `
  -- the row's identity (content hash with its day, occurrence among identical rows of its file) as an integer: import/store-keys.ts
  row_key INTEGER NOT NULL UNIQUE,
  -- more bits of the content hash: tells this row from another whose row_key collided (0 for rows not made by an importer)
  row_check INTEGER NOT NULL DEFAULT 0,`;

/** The new table's statement: migration 1's usage_records with the two key columns in place of the text key. */
function newTable(db: Db): string {
  const old = (db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'usage_records'").get() as { sql: string }).sql;
  const sql = old.replace(/^CREATE TABLE usage_records \(/, 'CREATE TABLE usage_records_v3 (').replace(OLD_KEY_COLUMN, NEW_KEY_COLUMNS);
  if (sql === old || !sql.includes('row_check')) throw new Error('migration 3: usage_records is not the table of schema 2');
  return sql;
}

export function migration003(db: Db): void {
  const kept = db
    .prepare<[], { type: string; name: string; sql: string }>(
      `SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'usage_records' AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name`,
    )
    .all()
    .filter((o) => o.name !== 'usage_import');
  // the old key of a row → its identity's numbers and occurrence (memo: the three functions ask in turn)
  let memoKey: string | null = null;
  let memoDay: string | null = null;
  let memo: { parts: UsageKeyParts; j: number } = { parts: { base: 0, altBase: 0, check: 0 }, j: 1 };
  const identity = (old: string, day: string) => {
    if (old !== memoKey || day !== memoDay) {
      const m = LEGACY_KEY.exec(old);
      memo = { parts: usageKeyParts(day, m ? m[1] : old), j: m ? Number(m[2]) : 1 };
      memoKey = old;
      memoDay = day;
    }
    return memo;
  };
  db.function('drawdown_v3_key', { deterministic: true }, (old, day) => {
    const x = identity(String(old), String(day));
    return usageKey(x.parts.base, x.j);
  });
  db.function('drawdown_v3_alt_key', { deterministic: true }, (old, day) => {
    const x = identity(String(old), String(day));
    return usageAltKey(x.parts.altBase, x.j);
  });
  db.function('drawdown_v3_check', { deterministic: true }, (old, day) => identity(String(old), String(day)).parts.check);

  const rest = (db.prepare("SELECT name FROM pragma_table_info('usage_records') ORDER BY cid").all() as { name: string }[])
    .map((c) => c.name)
    .filter((c) => !['id', 'import_id', 'line', 'row_key'].includes(c))
    .join(', ');
  db.exec(newTable(db));
  // every row at its key; the rare row whose key an earlier row took goes to its alternative key
  db.exec(`
INSERT INTO usage_records_v3 (id, import_id, line, row_key, row_check, ${rest})
SELECT id, import_id, line, drawdown_v3_key(row_key, day), drawdown_v3_check(row_key, day), ${rest} FROM usage_records WHERE true ORDER BY id
ON CONFLICT (row_key) DO NOTHING;
INSERT INTO usage_records_v3 (id, import_id, line, row_key, row_check, ${rest})
SELECT id, import_id, line, drawdown_v3_alt_key(row_key, day), drawdown_v3_check(row_key, day), ${rest} FROM usage_records
WHERE id NOT IN (SELECT id FROM usage_records_v3) ORDER BY id;`);
  for (const o of kept.filter((x) => x.type === 'trigger')) db.exec(`DROP TRIGGER "${o.name}"`);
  db.exec('DROP TABLE usage_records; ALTER TABLE usage_records_v3 RENAME TO usage_records;');
  for (const o of kept) db.exec(o.sql);
  db.exec(`
ALTER TABLE imports ADD COLUMN usage_first_id INTEGER;
ALTER TABLE imports ADD COLUMN usage_last_id INTEGER;
UPDATE imports SET usage_first_id = r.first, usage_last_id = r.last
FROM (SELECT import_id, min(id) AS first, max(id) AS last FROM usage_records GROUP BY import_id) AS r WHERE r.import_id = imports.id;`);
}
