import type { Db } from '../db/open';
import { readIncremental, type IncrementalSpec } from './analysis-cache';
import { createKeyDailyRepo, type KeyDay } from './key-daily';

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


/** Rows covering at most an hour (hourly exports); daily rows say nothing about the hour. */
const HOURLY = `period_end IS NOT NULL AND (julianday(period_end) - julianday(period_start)) * 24 <= 1.001`;

export function createIncidentsRepo(db: Db) {
  // Workloads and accounts are columns of usage_daily (migration 2): their series come from the
  // pre-aggregate, a few hundred thousand rows at most, not from every usage row of the window.
  const fromDaily = (col: 'workload_key' | 'account_key') =>
    db.prepare<[string, string], DailyPoint>(`
      SELECT CAST(${col} AS TEXT) AS key, day, SUM(billed_micros) AS micros FROM usage_daily
      WHERE ${col} <> 0 AND charge_category = 'usage' AND day >= ? AND day <= ?
      GROUP BY ${col}, day ORDER BY ${col}, day`);
  const statements = { workload_id: fromDaily('workload_key'), account_id: fromDaily('account_key') };
  // Everything per API key but the hours comes from the daily groups per key, model, workload and
  // account (repos/key-daily.ts, kept in usage_key_daily); summed into the series in keyWindow().
  const keyDays = createKeyDailyRepo(db);
  // Hourly points over the last days: the usage rows that cover at most an hour, keyed or not,
  // summed per hour, key, workload and model. The rows come as one JSON array per day (the day
  // index gives them in day order: no sort) and are summed here: grouped in SQL, the sort of
  // every row took 1 s at 5 million rows; this takes a third of that.
  const hourlyRows = db.prepare<[string, string], [string, string]>(`
    SELECT day, json_group_array(json_array(substr(period_start, 1, 13), api_key, workload_id, COALESCE(model_id, model_raw), COALESCE(requests, 0), COALESCE(billed_cost_micros, 0)))
    FROM usage_records WHERE day >= ? AND day <= ? AND charge_category = 'usage' AND ${HOURLY}
    GROUP BY day ORDER BY day`).raw(true);
  const hourly = (from: string, to: string): HourlyPoint[] => {
    const out: HourlyPoint[] = [];
    for (const [, json] of hourlyRows.iterate(from, to)) {
      const points = new Map<string, HourlyPoint>();
      for (const [hour, apiKey, workloadId, model, requests, micros] of JSON.parse(json) as [string, string | null, number | null, string | null, number, number][]) {
        // '\u0001' stands for none: no key or model contains it
        const k = `${hour}\u0000${apiKey ?? '\u0001'}\u0000${workloadId ?? ''}\u0000${model ?? '\u0001'}`;
        const p = points.get(k);
        if (p) {
          p.requests += requests;
          p.micros += micros;
        } else points.set(k, { apiKey, workloadId, model, hour, requests, micros });
      }
      // a day's hours in order (stable: ties keep the rows' order), days in order
      for (const p of [...points.values()].sort((a, b) => (a.hour < b.hour ? -1 : a.hour > b.hour ? 1 : 0))) {
        p.hour = `${p.hour}:00:00Z`;
        out.push(p);
      }
    }
    return out;
  };
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
  const workloadHomes = db.prepare<[string, string], { workloadId: number; accountId: number | null; n: number }>(`
    SELECT workload_key AS workloadId, NULLIF(account_key, 0) AS accountId, SUM(rows) AS n FROM usage_daily
    WHERE workload_key <> 0 AND day >= ? AND day <= ? GROUP BY workload_key, account_key`);
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
    /** Daily spend per workload or account in [from, to], from usage_daily. */
    daily: (col: 'workload_id' | 'account_id', from: string, to: string) => statements[col].all(from, to),
    /** The per-key series of a window, and the hourly points (read in the same transaction as the groups). */
    keyWindow: (w: KeyWindowRange): KeyWindow => {
      const r = keyDays.days(w.historyFrom, w.to, () => hourly(w.hourFrom, w.to));
      return { ...keyWindow(r.days, w), hourly: r.also };
    },
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

export interface KeyWindowRange {
  /** daily spend per key and key homes from this day (the baselines' history) */
  historyFrom: string;
  /** daily activity per key and model from this day */
  modelFrom: string;
  /** hourly points from this day */
  hourFrom: string;
  to: string;
}

export interface KeyWindow {
  /** usage spend per key and day, for days with billed usage; in key and day order */
  daily: DailyPoint[];
  /** usage per key (or none), workload, model and hour, for rows covering at most an hour; in hour order */
  hourly: HourlyPoint[];
  /** usage requests and spend per key, model ('' for none) and day from modelFrom; in key, model, day order */
  dailyByKeyModel: { apiKey: string; model: string; day: string; requests: number; micros: number }[];
  /** rows (all categories) per key, account and workload; in key, account, workload order (none first) */
  keyHomes: { apiKey: string; accountId: number | null; workloadId: number | null; n: number }[];
}

/**
 * Sums the daily groups into the per-key series the incident analysis reads: the days arrive in
 * order, so a key's (or a key and model's) day merges with its last point; homes are counted per
 * key. The output is ordered with JavaScript's comparison (SQLite sorts bytes, JavaScript UTF-16
 * units).
 */
function keyWindow(days: KeyDay[], w: KeyWindowRange): Omit<KeyWindow, 'hourly'> {
  const daily = new Map<string, DailyPoint[]>();
  const byModel = new Map<string, Map<string, KeyWindow['dailyByKeyModel']>>();
  const homes = new Map<string, Map<string, KeyWindow['keyHomes'][number]>>();
  for (const [day, groups] of days) {
    const withModels = day >= w.modelFrom;
    for (const [apiKey, workloadKey, accountKey, model, n, usageRows, requests, billed, micros] of groups) {
      let keyHomes = homes.get(apiKey);
      if (!keyHomes) homes.set(apiKey, (keyHomes = new Map()));
      const home = `${accountKey}/${workloadKey}`;
      const e = keyHomes.get(home);
      if (e) e.n += n;
      else keyHomes.set(home, { apiKey, accountId: accountKey || null, workloadId: workloadKey || null, n });
      if (billed !== null) {
        let points = daily.get(apiKey);
        if (!points) daily.set(apiKey, (points = []));
        const last = points.at(-1);
        if (last?.day === day) last.micros += billed;
        else points.push({ key: apiKey, day, micros: billed });
      }
      if (usageRows > 0 && withModels) {
        let models = byModel.get(apiKey);
        if (!models) byModel.set(apiKey, (models = new Map()));
        let points = models.get(model);
        if (!points) models.set(model, (points = []));
        const last = points.at(-1);
        if (last?.day === day) {
          last.requests += requests;
          last.micros += micros;
        } else points.push({ apiKey, model, day, requests, micros });
      }
    }
  }
  const cmp = (a: string | number | null, b: string | number | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
  const sorted = <V>(m: Map<string, V>) => [...m].sort((a, b) => cmp(a[0], b[0])).map(([, v]) => v);
  return {
    daily: sorted(daily).flat(),
    dailyByKeyModel: sorted(byModel).flatMap((models) => sorted(models).flat()),
    keyHomes: sorted(homes).flatMap((m) => [...m.values()].sort((a, b) => cmp(a.accountId, b.accountId) || cmp(a.workloadId, b.workloadId))),
  };
}
