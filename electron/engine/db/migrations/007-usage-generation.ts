/**
 * Migration 7: usage_generation, a number that moves whenever a usage row is deleted or changed
 * in place (an undo, rules re-attributing rows, a workload deleted with ON DELETE SET NULL).
 *
 * Why: inserts already show in max(id) (SQLite gives a new row the largest id + 1; an id is used
 * again only after a deletion, which moves the number), so `max(id):n` names the state of
 * usage_records, read in two index lookups (db/changes.ts usageVersion). Results over usage rows
 * alone (the ledger's daily cost, 150,000 groups at 5 million rows) are kept while it stays put,
 * instead of until any write (an account renamed, a block edited) as data_version allows.
 *
 * Cost: one single-row UPDATE per deleted or updated usage row, in the same transaction; inserts,
 * the import's work, pay nothing.
 */
export const migration007 = `
CREATE TABLE usage_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n INTEGER NOT NULL
) STRICT;
INSERT INTO usage_generation (id, n) VALUES (1, 0);

CREATE TRIGGER usage_generation_delete AFTER DELETE ON usage_records
BEGIN
  UPDATE usage_generation SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER usage_generation_update AFTER UPDATE ON usage_records
BEGIN
  UPDATE usage_generation SET n = n + 1 WHERE id = 1;
END;
`;
