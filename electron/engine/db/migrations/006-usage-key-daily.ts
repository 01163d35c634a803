/**
 * Migration 6: usage_key_daily, the usage rows grouped per day, API key, model, workload and
 * account: the baselines of incident correlation (repos/key-daily.ts).
 *
 * Why: an incident report over two months reads the daily spend of every key over the window and
 * its 12 weeks of history, about a million rows at 5 million (bench/scale.ts); grouping them took
 * SQLite ≈ 1.3 s (a sort of every row on five columns), every time the data had changed. Kept
 * here, ≈ 2,000 groups a day, the window's groups are read in ≈ 0.3 s.
 *
 * How it stays exact: it is derived data, maintained like analysis_cache (migration 4) and
 * described by that table's row 'usage_key_daily': usage rows are folded in by id range when a
 * report needs them (ids grow with each insert), taken out again by an undo in its transaction
 * (every column is a count or a sum), and the whole table is rebuilt when rows it covered may
 * have gone some other way or changed in place: the trigger below drops the
 * description on any update of a column the groups read (rules re-attributing rows), in the same
 * transaction, so the next reader rebuilds. Imports pay nothing (a trigger on INSERT, as
 * usage_daily has, would add to every row's insert). A database the app cannot write (read-only,
 * busy) is answered from usage_records directly.
 *
 * NULL keys are stored as '' (model) or 0 (workload, account: ids are positive) so that they group
 * in the primary key.
 */
export const migration006 = `
CREATE TABLE usage_key_daily (
  day TEXT NOT NULL,
  api_key TEXT NOT NULL,
  model TEXT NOT NULL,
  workload_key INTEGER NOT NULL,
  account_key INTEGER NOT NULL,
  -- rows of every charge category; the usage rows among them, those with a billed cost, and their sums
  rows INTEGER NOT NULL,
  usage_rows INTEGER NOT NULL,
  billed_rows INTEGER NOT NULL,
  requests INTEGER NOT NULL,
  micros INTEGER NOT NULL,
  PRIMARY KEY (day, api_key, model, workload_key, account_key)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER usage_key_daily_stale AFTER UPDATE OF day, api_key, model_id, model_raw, workload_id, account_id, charge_category, requests, billed_cost_micros ON usage_records
WHEN OLD.day IS NOT NEW.day OR OLD.api_key IS NOT NEW.api_key OR OLD.model_id IS NOT NEW.model_id OR OLD.model_raw IS NOT NEW.model_raw
  OR OLD.workload_id IS NOT NEW.workload_id OR OLD.account_id IS NOT NEW.account_id OR OLD.charge_category IS NOT NEW.charge_category
  OR OLD.requests IS NOT NEW.requests OR OLD.billed_cost_micros IS NOT NEW.billed_cost_micros
BEGIN
  DELETE FROM analysis_cache WHERE name = 'usage_key_daily';
END;
`;
