/**
 * SQL the scale benchmark compares with what the app runs: the dashboard's aggregations as they
 * were over usage_records before migration 2, and the exactness check of the usage_daily pre-aggregate.
 */
import type { Db } from '../electron/engine/db/open';

export function hasUsageDaily(db: Db): boolean {
  return !!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'usage_daily'`).get();
}

/** repos/blocks.ts accounts() as it was before migration 2, its usage figures over usage_records. */
export const ACCOUNT_SELECT_BEFORE = `
  SELECT a.id, a.provider, a.external_id AS externalId, a.name, a.currency, a.pooled, a.auto_recharge AS autoRecharge,
         a.monthly_budget_micros AS monthlyBudgetMicros,
         (SELECT count(*) FROM credit_blocks b WHERE b.account_id = a.id AND b.retired_at IS NULL) AS blocks,
         (SELECT count(DISTINCT workload_id) FROM usage_records u WHERE u.account_id = a.id AND u.workload_id IS NOT NULL) AS workloads,
         (SELECT COALESCE(SUM(billed_cost_micros), 0) FROM usage_records u WHERE u.account_id = a.id AND u.charge_category = 'usage') AS spendMicros,
         (SELECT COALESCE(SUM(billed_cost_micros), 0) FROM usage_records u WHERE u.account_id = a.id AND u.charge_category = 'usage' AND u.workload_id IS NULL) AS unattributedMicros
  FROM credit_accounts a ORDER BY a.name`;

/** The dashboard's spend by provider over the pre-aggregate (now) and over every usage row (before migration 2). */
export const SPEND_SQL = {
  daily: 'SELECT provider, currency, SUM(billed_micros) AS billedCostMicros FROM usage_daily GROUP BY provider, currency ORDER BY provider, currency',
  rows: 'SELECT provider, currency, SUM(COALESCE(billed_cost_micros, 0)) AS billedCostMicros FROM usage_records GROUP BY provider, currency ORDER BY provider, currency',
};

/** repos/ledger.ts dailyCost before migration 2. */
export const DAILY_BEFORE_SQL = `
  SELECT day, account_id AS accountId, COALESCE(pricing_currency, currency) AS unit, workload_id AS workloadId,
         SUM(CASE WHEN pricing_currency IS NOT NULL THEN COALESCE(pricing_currency_cost_micros, 0) ELSE COALESCE(billed_cost_micros, 0) END) AS amountMicros
  FROM usage_records
  WHERE account_id IS NOT NULL AND charge_category IN ('usage','credit','adjustment')
  GROUP BY day, account_id, unit, workload_id
  ORDER BY day`;

export type DailyRow = { day: string; accountId: number; unit: string; workloadId: number | null; amountMicros: number };

/** The same groups with the same sums, in any order. */
export function sameRows(a: DailyRow[], b: DailyRow[]): boolean {
  const key = (r: DailyRow) => `${r.day}|${r.accountId}|${r.unit}|${r.workloadId}|${r.amountMicros}`;
  const x = a.map(key).sort();
  const y = b.map(key).sort();
  return x.length === y.length && x.every((k, i) => k === y[i]);
}

/** The pre-aggregate against a fresh GROUP BY over usage_records: groups that differ (0 when exact), null without usage_daily. */
export function checkUsageDaily(db: Db): number | null {
  if (!hasUsageDaily(db)) return null;
  const row = db
    .prepare<[], { n: number }>(
      `WITH fresh AS (
         SELECT day, COALESCE(account_id, 0) AS a, COALESCE(pricing_currency, currency) AS u, COALESCE(workload_id, 0) AS w, provider, charge_category AS c, currency,
                COALESCE(pricing_currency, '') AS pc, count(*) AS rows, SUM(COALESCE(billed_cost_micros, 0)) AS billed, SUM(COALESCE(pricing_currency_cost_micros, 0)) AS pricing
         FROM usage_records GROUP BY 1, 2, 3, 4, 5, 6, 7, 8),
       kept AS (SELECT day, account_key AS a, unit AS u, workload_key AS w, provider, charge_category AS c, currency, pricing_currency AS pc, rows, billed_micros AS billed,
                       pricing_micros AS pricing FROM usage_daily)
       SELECT (SELECT count(*) FROM (SELECT * FROM fresh EXCEPT SELECT * FROM kept)) + (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM fresh)) AS n`,
    )
    .get();
  return row?.n ?? null;
}
