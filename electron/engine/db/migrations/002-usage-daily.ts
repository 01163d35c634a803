/**
 * Migration 2: usage_daily, the usage rows pre-aggregated per day, credit account, workload,
 * provider, charge category and currency, kept exact by triggers on usage_records.
 *
 * Why: the dashboard's aggregations (daily cost per account, unit and workload for the drawdown;
 * billed spend by provider; spend and unattributed spend per account) read every usage row. At
 * 5 million rows each took seconds (bench/scale.ts); over usage_daily (a few hundred thousand rows
 * at most: days × workloads) each is well under the 200 ms goal, and DuckDB is no longer an order
 * of magnitude ahead.
 *
 * Exactness: the triggers add a row's contribution on INSERT, take it away on DELETE (an import
 * undone, a cascade) and move it on an UPDATE of any column in the key or the sums (rules-apply
 * re-attributing rows, a workload deleted with ON DELETE SET NULL), in the same transaction as the
 * change. A group whose rows are all gone is deleted. NULL keys are stored as 0 (account, workload:
 * ids are positive) or '' (pricing currency: the importers store NULL, never '', for none) so
 * that they group in the primary key.
 *
 * Sums are SUM(COALESCE(x, 0)): "no billed cost" adds nothing, as in every query that reads them.
 */
/** Every usage row's contribution, grouped: the backfill of the migration and the bulk rebuild. */
const FILL = `
INSERT INTO usage_daily (day, account_key, unit, workload_key, provider, charge_category, currency, pricing_currency, rows, billed_micros, pricing_micros)
SELECT day, COALESCE(account_id, 0), COALESCE(pricing_currency, currency), COALESCE(workload_id, 0), provider, charge_category, currency, COALESCE(pricing_currency, ''),
       count(*), SUM(COALESCE(billed_cost_micros, 0)), SUM(COALESCE(pricing_currency_cost_micros, 0))
FROM usage_records
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
`;

export const migration002 = `
CREATE TABLE usage_daily (
  day TEXT NOT NULL,
  -- credit account id, 0 when the row has none
  account_key INTEGER NOT NULL,
  -- what the rows draw in: the pricing currency when they have one, else the currency
  unit TEXT NOT NULL,
  -- workload id, 0 when no rule attributes the row
  workload_key INTEGER NOT NULL,
  provider TEXT NOT NULL,
  charge_category TEXT NOT NULL,
  currency TEXT NOT NULL,
  -- the virtual currency the rows are priced in, '' when none
  pricing_currency TEXT NOT NULL,
  rows INTEGER NOT NULL,
  billed_micros INTEGER NOT NULL,
  pricing_micros INTEGER NOT NULL,
  -- the drawdown's order: day, account, unit, workload (its GROUP BY streams in key order, no sort)
  PRIMARY KEY (day, account_key, unit, workload_key, provider, charge_category, currency, pricing_currency)
) STRICT, WITHOUT ROWID;
-- per account: spend, unattributed spend, workloads drawing (covering: no lookups into the table)
CREATE INDEX usage_daily_account ON usage_daily(account_key, charge_category, workload_key, billed_micros);

CREATE TRIGGER usage_daily_insert AFTER INSERT ON usage_records
BEGIN
  INSERT INTO usage_daily (day, account_key, unit, workload_key, provider, charge_category, currency, pricing_currency, rows, billed_micros, pricing_micros)
  VALUES (NEW.day, COALESCE(NEW.account_id, 0), COALESCE(NEW.pricing_currency, NEW.currency), COALESCE(NEW.workload_id, 0), NEW.provider, NEW.charge_category, NEW.currency,
          COALESCE(NEW.pricing_currency, ''), 1, COALESCE(NEW.billed_cost_micros, 0), COALESCE(NEW.pricing_currency_cost_micros, 0))
  ON CONFLICT (day, account_key, unit, workload_key, provider, charge_category, currency, pricing_currency) DO UPDATE SET
    rows = rows + 1, billed_micros = billed_micros + excluded.billed_micros, pricing_micros = pricing_micros + excluded.pricing_micros;
END;

CREATE TRIGGER usage_daily_delete AFTER DELETE ON usage_records
BEGIN
  UPDATE usage_daily SET rows = rows - 1, billed_micros = billed_micros - COALESCE(OLD.billed_cost_micros, 0),
         pricing_micros = pricing_micros - COALESCE(OLD.pricing_currency_cost_micros, 0)
  WHERE day = OLD.day AND account_key = COALESCE(OLD.account_id, 0) AND unit = COALESCE(OLD.pricing_currency, OLD.currency) AND workload_key = COALESCE(OLD.workload_id, 0) AND provider = OLD.provider
    AND charge_category = OLD.charge_category AND currency = OLD.currency AND pricing_currency = COALESCE(OLD.pricing_currency, '');
  DELETE FROM usage_daily
  WHERE day = OLD.day AND account_key = COALESCE(OLD.account_id, 0) AND unit = COALESCE(OLD.pricing_currency, OLD.currency) AND workload_key = COALESCE(OLD.workload_id, 0) AND provider = OLD.provider
    AND charge_category = OLD.charge_category AND currency = OLD.currency AND pricing_currency = COALESCE(OLD.pricing_currency, '') AND rows = 0;
END;

CREATE TRIGGER usage_daily_update AFTER UPDATE OF day, account_id, workload_id, provider, charge_category, currency, pricing_currency,
  billed_cost_micros, pricing_currency_cost_micros ON usage_records
WHEN OLD.day IS NOT NEW.day OR OLD.account_id IS NOT NEW.account_id OR OLD.workload_id IS NOT NEW.workload_id OR OLD.provider IS NOT NEW.provider
  OR OLD.charge_category IS NOT NEW.charge_category OR OLD.currency IS NOT NEW.currency OR OLD.pricing_currency IS NOT NEW.pricing_currency
  OR OLD.billed_cost_micros IS NOT NEW.billed_cost_micros OR OLD.pricing_currency_cost_micros IS NOT NEW.pricing_currency_cost_micros
BEGIN
  UPDATE usage_daily SET rows = rows - 1, billed_micros = billed_micros - COALESCE(OLD.billed_cost_micros, 0),
         pricing_micros = pricing_micros - COALESCE(OLD.pricing_currency_cost_micros, 0)
  WHERE day = OLD.day AND account_key = COALESCE(OLD.account_id, 0) AND unit = COALESCE(OLD.pricing_currency, OLD.currency) AND workload_key = COALESCE(OLD.workload_id, 0) AND provider = OLD.provider
    AND charge_category = OLD.charge_category AND currency = OLD.currency AND pricing_currency = COALESCE(OLD.pricing_currency, '');
  DELETE FROM usage_daily
  WHERE day = OLD.day AND account_key = COALESCE(OLD.account_id, 0) AND unit = COALESCE(OLD.pricing_currency, OLD.currency) AND workload_key = COALESCE(OLD.workload_id, 0) AND provider = OLD.provider
    AND charge_category = OLD.charge_category AND currency = OLD.currency AND pricing_currency = COALESCE(OLD.pricing_currency, '') AND rows = 0;
  INSERT INTO usage_daily (day, account_key, unit, workload_key, provider, charge_category, currency, pricing_currency, rows, billed_micros, pricing_micros)
  VALUES (NEW.day, COALESCE(NEW.account_id, 0), COALESCE(NEW.pricing_currency, NEW.currency), COALESCE(NEW.workload_id, 0), NEW.provider, NEW.charge_category, NEW.currency,
          COALESCE(NEW.pricing_currency, ''), 1, COALESCE(NEW.billed_cost_micros, 0), COALESCE(NEW.pricing_currency_cost_micros, 0))
  ON CONFLICT (day, account_key, unit, workload_key, provider, charge_category, currency, pricing_currency) DO UPDATE SET
    rows = rows + 1, billed_micros = billed_micros + excluded.billed_micros, pricing_micros = pricing_micros + excluded.pricing_micros;
END;

${FILL}`;

/**
 * Fills usage_daily from usage_records in one statement: for a bulk load that dropped the
 * triggers and recreated them afterwards (bench/scale.ts). Run inside a transaction.
 */
export const REBUILD_USAGE_DAILY = `DELETE FROM usage_daily;\n${FILL}`;

/**
 * For a bulk import that drops usage_daily_insert with the secondary indexes (one upsert per row
 * costs ~4–8 µs; one set-based merge per import ~1 µs a row) and recreates it before commit: adds
 * the import's rows, all inserted while the trigger was off, in one statement. Bind the import id.
 */
export const MERGE_IMPORT_INTO_USAGE_DAILY = `
INSERT INTO usage_daily (day, account_key, unit, workload_key, provider, charge_category, currency, pricing_currency, rows, billed_micros, pricing_micros)
SELECT day, COALESCE(account_id, 0), COALESCE(pricing_currency, currency), COALESCE(workload_id, 0), provider, charge_category, currency,
       COALESCE(pricing_currency, ''), count(*), SUM(COALESCE(billed_cost_micros, 0)), SUM(COALESCE(pricing_currency_cost_micros, 0))
FROM usage_records WHERE import_id = ?
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
ON CONFLICT (day, account_key, unit, workload_key, provider, charge_category, currency, pricing_currency) DO UPDATE SET
  rows = rows + excluded.rows, billed_micros = billed_micros + excluded.billed_micros, pricing_micros = pricing_micros + excluded.pricing_micros`;
