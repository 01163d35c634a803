/**
 * Migration 7: usage_generation, numbers that move when usage rows are deleted or changed in place
 * (an undo, rules re-attributing rows, a workload deleted with ON DELETE SET NULL): `n` on every
 * deletion or update, `billed` only on a deletion or a change of a row's billed cost, provider or
 * currency (re-attribution leaves it: the spend by provider does not move).
 *
 * Why: inserts already show in max(id) (SQLite gives a new row the largest id + 1; an id is used
 * again only after a deletion, which moves both numbers), so `max(id):n` names the state of
 * usage_records, read in two index lookups (db/changes.ts usageState). Results over usage rows
 * alone (the ledger's daily cost, 150,000 groups at 5 million rows) are kept while it stays put,
 * instead of until any write (an account renamed, a block edited) as data_version allows; the
 * spend by provider while `max(id):billed` does.
 *
 * Cost: one or two single-row UPDATEs per deleted or updated usage row, in the same transaction;
 * inserts, the import's work, pay nothing.
 */
export const migration007 = `
CREATE TABLE usage_generation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n INTEGER NOT NULL,
  billed INTEGER NOT NULL
) STRICT;
INSERT INTO usage_generation (id, n, billed) VALUES (1, 0, 0);

CREATE TRIGGER usage_generation_delete AFTER DELETE ON usage_records
BEGIN
  UPDATE usage_generation SET n = n + 1, billed = billed + 1 WHERE id = 1;
END;

CREATE TRIGGER usage_generation_update AFTER UPDATE ON usage_records
BEGIN
  UPDATE usage_generation SET n = n + 1 WHERE id = 1;
END;

CREATE TRIGGER usage_generation_billed AFTER UPDATE OF billed_cost_micros, provider, currency ON usage_records
WHEN OLD.billed_cost_micros IS NOT NEW.billed_cost_micros OR OLD.provider IS NOT NEW.provider OR OLD.currency IS NOT NEW.currency
BEGIN
  UPDATE usage_generation SET billed = billed + 1 WHERE id = 1;
END;
`;
