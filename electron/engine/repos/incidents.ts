import type { Db } from '../db/open';
import { readIncremental, type IncrementalSpec } from './analysis-cache';

/**
 * SQL for incident correlation. Every series is aggregated in SQL (per key or workload and day;
 * per key, model and hour for the rows that are hourly), so the analysis never loads raw rows.
 */

export interface IncidentRow {
  id: number;
  externalId: string;
  title: string;
  type: string | null;
  severity: string | null;
  status: string | null;
  startedAt: string | null;
  detectedAt: string;
  resolvedAt: string | null;
}

export interface DailyPoint {
  key: string;
  day: string;
  micros: number;
}

export interface HourlyPoint {
  apiKey: string | null;
  workloadId: number | null;
  model: string | null;
  hour: string;
  requests: number;
  micros: number;
}

export interface BlockTopUp {
  blockId: number;
  blockName: string;
  accountId: number;
  accountName: string;
  purchasedOn: string;
  amountMicros: number;
  unit: string;
  source: string;
  sourceRef: string | null;
  autoRecharge: number;
  requested: number;
}

export type SeriesColumn = 'api_key' | 'workload_id' | 'account_id';

/** Rows covering at most an hour (hourly exports); daily rows say nothing about the hour. */
const HOURLY = `period_end IS NOT NULL AND (julianday(period_end) - julianday(period_start)) * 24 <= 1.001`;

export function createIncidentsRepo(db: Db) {
  const daily = (col: SeriesColumn) =>
    db.prepare<[string, string], DailyPoint>(`
      SELECT CAST(${col} AS TEXT) AS key, day, SUM(billed_cost_micros) AS micros FROM usage_records
      WHERE ${col} IS NOT NULL AND charge_category = 'usage' AND billed_cost_micros IS NOT NULL AND day >= ? AND day <= ?
      GROUP BY ${col}, day ORDER BY ${col}, day`);
  const statements = { api_key: daily('api_key'), workload_id: daily('workload_id'), account_id: daily('account_id') };
  const hourly = db.prepare<[string, string], HourlyPoint>(`
    SELECT api_key AS apiKey, workload_id AS workloadId, COALESCE(model_id, model_raw) AS model,
           substr(period_start, 1, 13) || ':00:00Z' AS hour, SUM(COALESCE(requests, 0)) AS requests, SUM(COALESCE(billed_cost_micros, 0)) AS micros
    FROM usage_records
    WHERE charge_category = 'usage' AND day >= ? AND day <= ? AND ${HOURLY}
    GROUP BY api_key, workload_id, model, hour ORDER BY hour`);
  const dailyByKeyModel = db.prepare<[string, string], { apiKey: string; model: string; day: string; requests: number; micros: number }>(`
    SELECT api_key AS apiKey, COALESCE(model_id, model_raw, '') AS model, day,
           SUM(COALESCE(requests, 0)) AS requests, SUM(COALESCE(billed_cost_micros, 0)) AS micros
    FROM usage_records WHERE api_key IS NOT NULL AND charge_category = 'usage' AND day >= ? AND day <= ?
    GROUP BY api_key, model, day`);
  // The first use of each model by each key is all new-model detection needs: over all history,
  // kept in analysis_cache and topped up with the rows added since (5 s at 5 million rows, then
  // only the new rows).
  const firstUseSince = db.prepare<[number, number], { apiKey: string; model: string; firstAt: string }>(`
    SELECT api_key AS apiKey, COALESCE(model_id, model_raw) AS model, MIN(period_start) AS firstAt FROM usage_records
    WHERE id > ? AND id <= ? AND api_key IS NOT NULL AND COALESCE(model_id, model_raw) IS NOT NULL AND charge_category = 'usage'
    GROUP BY api_key, model`);
  const firstUses: IncrementalSpec<Map<string, string>> = {
    name: 'first-model-use-per-key',
    format: 1,
    empty: () => new Map(),
    fold(acc, afterId, throughId) {
      for (const u of firstUseSince.iterate(afterId, throughId)) {
        const k = JSON.stringify([u.apiKey, u.model]);
        const seen = acc.get(k);
        if (seen === undefined || u.firstAt < seen) acc.set(k, u.firstAt);
      }
    },
    encode: (m) => JSON.stringify([...m]),
    decode: (s) => new Map(JSON.parse(s) as [string, string][]),
  };
  // Which account and workload a key mostly belongs to (by rows), to tie key spikes to top-ups and workloads.
  const keyHomes = db.prepare<[string, string], { apiKey: string; accountId: number | null; workloadId: number | null; n: number }>(`
    SELECT api_key AS apiKey, account_id AS accountId, workload_id AS workloadId, count(*) AS n FROM usage_records
    WHERE api_key IS NOT NULL AND day >= ? AND day <= ? GROUP BY api_key, account_id, workload_id`);
  const workloadHomes = db.prepare<[string, string], { workloadId: number; accountId: number | null; n: number }>(`
    SELECT workload_id AS workloadId, account_id AS accountId, count(*) AS n FROM usage_records
    WHERE workload_id IS NOT NULL AND day >= ? AND day <= ? GROUP BY workload_id, account_id`);
  const incidents = db.prepare<[string, string], IncidentRow>(`
    SELECT id, external_id AS externalId, title, type, severity, status, started_at AS startedAt, detected_at AS detectedAt,
           resolved_at AS resolvedAt
    FROM incidents
    WHERE substr(COALESCE(started_at, detected_at), 1, 10) <= ? AND (resolved_at IS NULL OR substr(resolved_at, 1, 10) >= ?)
    ORDER BY COALESCE(started_at, detected_at), id`);
  const incident = db.prepare<[number], IncidentRow>(`
    SELECT id, external_id AS externalId, title, type, severity, status, started_at AS startedAt, detected_at AS detectedAt,
           resolved_at AS resolvedAt FROM incidents WHERE id = ?`);
  const targets = db.prepare<[number], { kind: 'api_key' | 'workload' | 'account'; value: string }>(
    'SELECT kind, value FROM incident_targets WHERE incident_id = ? ORDER BY kind, value',
  );
  const topUps = db.prepare<[string, string], BlockTopUp>(`
    SELECT b.id AS blockId, b.name AS blockName, b.account_id AS accountId, a.name AS accountName, b.purchased_on AS purchasedOn,
           b.amount_micros AS amountMicros, b.unit, b.source, b.source_ref AS sourceRef, a.auto_recharge AS autoRecharge,
           EXISTS (SELECT 1 FROM topup_requests t WHERE t.created_block_id = b.id) AS requested
    FROM credit_blocks b JOIN credit_accounts a ON a.id = b.account_id
    WHERE b.retired_at IS NULL AND b.purchased_on >= ? AND b.purchased_on <= ? ORDER BY b.purchased_on, b.id`);
  const accounts = db.prepare<[], { id: number; name: string; externalId: string }>('SELECT id, name, external_id AS externalId FROM credit_accounts');
  const workloads = db.prepare<[], { id: number; department: string; application: string; agent: string | null; environment: string }>(
    'SELECT id, department, application, agent, environment FROM workloads ORDER BY id',
  );
  return {
    daily: (col: SeriesColumn, from: string, to: string) => statements[col].all(from, to),
    hourly: (from: string, to: string) => hourly.all(from, to),
    dailyByKeyModel: (from: string, to: string) => dailyByKeyModel.all(from, to),
    /** Each key's first use of each model, among the pairs first used on or before `to`. */
    firstUse: (to: string) => {
      const out: { apiKey: string; model: string; firstAt: string }[] = [];
      for (const [k, firstAt] of readIncremental(db, firstUses)) {
        if (firstAt.slice(0, 10) > to) continue;
        const [apiKey, model] = JSON.parse(k) as [string, string];
        out.push({ apiKey, model, firstAt });
      }
      // in key and model order whatever order the cache grew in (ties in one hour are processed in this order)
      return out.sort((a, b) => (a.apiKey < b.apiKey ? -1 : a.apiKey > b.apiKey ? 1 : a.model < b.model ? -1 : a.model > b.model ? 1 : 0));
    },
    keyHomes: (from: string, to: string) => keyHomes.all(from, to),
    workloadHomes: (from: string, to: string) => workloadHomes.all(from, to),
    incidents: (from: string, to: string) => incidents.all(to, from),
    incident: (id: number) => incident.get(id),
    targets: (id: number) => targets.all(id),
    topUps: (from: string, to: string) => topUps.all(from, to),
    accounts: () => accounts.all(),
    workloads: () => workloads.all(),
  };
}
export type IncidentsRepo = ReturnType<typeof createIncidentsRepo>;
