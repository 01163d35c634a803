import type { Db } from '../db/open';

/**
 * SQL for saved scenarios and for the aggregates the forecast is built from: daily usage cost
 * per workload, token mix per workload and model, incident days, and the workloads' and
 * accounts' facts. Everything is summed in SQL; the services only reshape rows.
 */

export interface ScenarioRow {
  id: number;
  name: string;
  description: string;
  bodyJson: string;
  createdAt: string;
  updatedAt: string;
}

export function createScenariosRepo(db: Db) {
  const cols = 'id, name, description, body_json AS bodyJson, created_at AS createdAt, updated_at AS updatedAt';
  const list = db.prepare<[], ScenarioRow>(`SELECT ${cols} FROM scenarios ORDER BY name COLLATE NOCASE, id`);
  const get = db.prepare<[number], ScenarioRow>(`SELECT ${cols} FROM scenarios WHERE id = ?`);
  const byName = db.prepare<[string], ScenarioRow>(`SELECT ${cols} FROM scenarios WHERE name = ?`);
  const insert = db.prepare<[string, string, string, string, string]>(
    'INSERT INTO scenarios (name, description, body_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
  );
  const update = db.prepare<[string, string, string, string, number]>('UPDATE scenarios SET name = ?, description = ?, body_json = ?, updated_at = ? WHERE id = ?');
  const del = db.prepare<[number]>('DELETE FROM scenarios WHERE id = ?');
  return {
    list: () => list.all(),
    get: (id: number) => get.get(id) ?? null,
    byName: (name: string) => byName.get(name) ?? null,
    insert: (name: string, description: string, bodyJson: string, now: string) => Number(insert.run(name, description, bodyJson, now, now).lastInsertRowid),
    update: (id: number, name: string, description: string, bodyJson: string, now: string) => update.run(name, description, bodyJson, now, id).changes,
    delete: (id: number) => del.run(id).changes,
  };
}

export interface DailyUsageRow {
  day: string;
  accountId: number;
  unit: string;
  workloadId: number | null;
  amountMicros: number;
}

export interface TokenMixRow {
  workloadId: number;
  modelId: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export interface WorkloadFacts {
  id: number;
  department: string;
  application: string;
  agent: string | null;
  environment: string;
  critical: number;
}

export interface AccountFacts {
  id: number;
  name: string;
  provider: string;
  currency: string;
  monthlyBudgetMicros: number | null;
  autoRecharge: number;
}

/** The cost a row draws on credit in its unit: a virtual currency's cost when priced in one, else the billed cost. */
const COST = 'CASE WHEN pricing_currency IS NOT NULL THEN COALESCE(pricing_currency_cost_micros, 0) ELSE COALESCE(billed_cost_micros, 0) END';

export function createForecastInputRepo(db: Db) {
  // Only usage is burn: purchases are blocks, and credits or refunds are not a rate to extrapolate.
  const daily = db.prepare<[string, string], DailyUsageRow>(`
    SELECT day, account_id AS accountId, COALESCE(pricing_currency, currency) AS unit, workload_id AS workloadId, SUM(${COST}) AS amountMicros
    FROM usage_records
    WHERE account_id IS NOT NULL AND charge_category = 'usage' AND day BETWEEN ? AND ?
    GROUP BY day, account_id, unit, workload_id
    ORDER BY day`);
  const mix = db.prepare<[string, string], TokenMixRow>(`
    SELECT workload_id AS workloadId, model_id AS modelId, SUM(input_tokens) AS inputTokens, SUM(output_tokens) AS outputTokens,
           SUM(cache_read_tokens) AS cacheReadTokens, SUM(cache_write_tokens) AS cacheWriteTokens
    FROM usage_records
    WHERE workload_id IS NOT NULL AND model_id IS NOT NULL AND charge_category = 'usage' AND day BETWEEN ? AND ?
    GROUP BY workload_id, model_id
    HAVING SUM(input_tokens) + SUM(output_tokens) + SUM(cache_read_tokens) + SUM(cache_write_tokens) > 0`);
  // A day inside an incident window whose key drew on the workload: left out of the fit (a leak is not a trend).
  const incidentDays = db.prepare<[string, string], { accountId: number; workloadId: number | null; day: string }>(`
    SELECT DISTINCT u.account_id AS accountId, u.workload_id AS workloadId, u.day
    FROM usage_records u
    JOIN incident_targets t ON t.kind = 'api_key' AND t.value = u.api_key
    JOIN incidents i ON i.id = t.incident_id
    WHERE u.account_id IS NOT NULL AND u.day BETWEEN ? AND ?
      AND u.day BETWEEN substr(COALESCE(i.started_at, i.detected_at), 1, 10) AND substr(COALESCE(i.resolved_at, i.detected_at), 1, 10)`);
  const workloads = db.prepare<[], WorkloadFacts>(`
    SELECT id, department, application, agent, environment, critical FROM workloads ORDER BY id`);
  const accounts = db.prepare<[], AccountFacts>(`
    SELECT id, name, provider, currency, monthly_budget_micros AS monthlyBudgetMicros, auto_recharge AS autoRecharge
    FROM credit_accounts ORDER BY id`);
  const range = db.prepare<[], { first: string | null; last: string | null }>(
    "SELECT min(day) AS first, max(day) AS last FROM usage_records WHERE charge_category = 'usage' AND account_id IS NOT NULL",
  );
  // Each account's cost per model per day: how often the model mix changes.
  const modelDaily = db.prepare<[string, string], { accountId: number; day: string; modelId: string; amountMicros: number }>(`
    SELECT account_id AS accountId, day, model_id AS modelId, SUM(${COST}) AS amountMicros
    FROM usage_records
    WHERE account_id IS NOT NULL AND model_id IS NOT NULL AND charge_category = 'usage' AND day BETWEEN ? AND ?
    GROUP BY account_id, day, model_id`);
  return {
    dailyUsage: (from: string, to: string) => daily.all(from, to),
    tokenMix: (from: string, to: string) => mix.all(from, to),
    incidentDays: (from: string, to: string) => incidentDays.all(from, to),
    workloads: () => workloads.all(),
    accounts: () => accounts.all(),
    usageRange: () => range.get() ?? { first: null, last: null },
    modelDaily: (from: string, to: string) => modelDaily.all(from, to),
  };
}
export type ForecastInputRepo = ReturnType<typeof createForecastInputRepo>;
