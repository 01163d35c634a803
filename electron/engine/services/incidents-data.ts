/**
 * Loads what incident correlation works on, from SQL aggregates: daily spend series per API key
 * and per workload, hourly points, first model use per key, key activity for the probe
 * pattern, the incidents with their targets mapped to series keys, and top-ups.
 */
import type { EngineContext } from '../context';
import { createIncidentsRepo, type BlockTopUp, type DailyPoint, type HourlyPoint, type IncidentRow, type KeyWindow } from '../repos/incidents';
import type { KeyActivity, ModelUse, SpendSeries } from '../../../shared/anomaly';
import type { IncidentInput, TopUpInput } from '../../../shared/correlate';
import type { TopUpView } from '../../../shared/api/report-types';
import { addDays } from '../../../shared/dates';

export interface Names {
  account: Map<string, string>;
  workload: Map<string, string>;
  /** key → the workload (id as text) most of its rows belong to */
  workloadOfKey: Map<string, string>;
  accountOfKey: Map<string, string>;
  accountOfWorkload: Map<string, string>;
}

export interface IncidentData {
  names: Names;
  /** per API key and per workload */
  series: SpendSeries[];
  /** per credit account, for incidents that name only an account */
  accountSeries: SpendSeries[];
  hourly: HourlyPoint[];
  modelUses: ModelUse[];
  activity: KeyActivity[];
  incidents: { row: IncidentRow; input: IncidentInput; targets: { apiKeys: string[]; workloads: string[]; accounts: string[] } }[];
  topUps: TopUpView[];
}

/** The path shown for a workload: department › application › agent, and the environment when not production. */
export function workloadPath(w: { department: string; application: string; agent: string | null; environment: string }): string {
  const base = [w.department, w.application, w.agent].filter((p): p is string => !!p).join(' › ');
  return w.environment === 'production' ? base : `${base} (${w.environment})`;
}

/** Most frequent value per key. */
function homes<T extends { n: number }>(rows: T[], key: (r: T) => string, value: (r: T) => number | null): Map<string, string> {
  const best = new Map<string, { v: string; n: number }>();
  for (const r of rows) {
    const v = value(r);
    if (v === null) continue;
    const k = key(r);
    const cur = best.get(k);
    if (!cur || r.n > cur.n) best.set(k, { v: String(v), n: r.n });
  }
  return new Map([...best].map(([k, b]) => [k, b.v]));
}

function loadNames(repo: ReturnType<typeof createIncidentsRepo>, keys: KeyWindow['keyHomes'], from: string, to: string): Names {
  return {
    account: new Map(repo.accounts().map((a) => [String(a.id), a.name])),
    workload: new Map(repo.workloads().map((w) => [String(w.id), workloadPath(w)])),
    workloadOfKey: homes(keys, (r) => r.apiKey, (r) => r.workloadId),
    accountOfKey: homes(keys, (r) => r.apiKey, (r) => r.accountId),
    accountOfWorkload: homes(repo.workloadHomes(from, to), (r) => String(r.workloadId), (r) => r.accountId),
  };
}

type Dimension = ['api_key', 'apiKey'] | ['workload_id', 'workload'] | ['account_id', 'account'];

function dailySeries(points: (col: Dimension[0]) => DailyPoint[], names: Names, dims: Dimension[]): SpendSeries[] {
  const out: SpendSeries[] = [];
  for (const [col, dimension] of dims) {
    const by = new Map<string, SpendSeries>();
    for (const p of points(col)) {
      let s = by.get(p.key);
      if (!s) {
        const accountId = dimension === 'apiKey' ? names.accountOfKey.get(p.key) : dimension === 'workload' ? names.accountOfWorkload.get(p.key) : p.key;
        s = { key: p.key, buckets: [], values: [], granularity: 'day', dimension, accountId: accountId ?? null };
        by.set(p.key, s);
      }
      s.buckets.push(p.day);
      s.values.push(p.micros);
    }
    out.push(...by.values());
  }
  return out;
}

/** Per key and model: hourly activity from hourly rows, daily activity from all rows. */
function keyActivity(hourly: HourlyPoint[], daily: KeyWindow['dailyByKeyModel']): KeyActivity[] {
  const acts = new Map<string, KeyActivity>();
  const add = (g: 'hour' | 'day', key: string, model: string, bucket: string, requests: number, micros: number) => {
    const id = `${g}\u0000${key}\u0000${model}`;
    const a = acts.get(id) ?? { key, granularity: g, buckets: [], requests: [], costMicros: [] };
    a.buckets.push(bucket);
    a.requests.push(requests);
    a.costMicros.push(micros);
    acts.set(id, a);
  };
  for (const h of hourly) if (h.apiKey) add('hour', h.apiKey, h.model ?? '', h.hour, h.requests, h.micros);
  for (const d of daily) add('day', d.apiKey, d.model, d.day, d.requests, d.micros);
  return [...acts.values()];
}

/** Incident targets as series keys: workload paths and account names or external ids become ids. */
function mapTargets(row: IncidentRow, targets: { kind: string; value: string }[], ids: { workloads: Map<string, string[]>; accounts: Map<string, string> }): IncidentInput {
  const of = (kind: string) => targets.filter((t) => t.kind === kind).map((t) => t.value);
  return {
    id: row.id, title: row.title, startedAt: row.startedAt, detectedAt: row.detectedAt, resolvedAt: row.resolvedAt,
    apiKeys: of('api_key'),
    workloads: [...new Set(of('workload').flatMap((v) => ids.workloads.get(norm(v)) ?? []))],
    accounts: [...new Set(of('account').flatMap((v) => ids.accounts.get(norm(v)) ?? []))],
  };
}

/** Paths are compared without case, extra spaces, or the kind of separator (›, >, /). */
const norm = (s: string) => s.toLowerCase().replace(/\s*(›|>|\/)\s*/g, '›').replace(/\s+/g, ' ').trim();

function targetIds(repo: ReturnType<typeof createIncidentsRepo>) {
  const workloads = new Map<string, string[]>();
  const put = (k: string, id: number) => workloads.set(norm(k), [...(workloads.get(norm(k)) ?? []), String(id)]);
  for (const w of repo.workloads()) {
    put(String(w.id), w.id);
    put(workloadPath({ ...w, environment: 'production' }), w.id);
    if (w.environment !== 'production') put(workloadPath(w), w.id);
  }
  const accounts = new Map<string, string>();
  for (const a of repo.accounts()) for (const k of [String(a.id), a.name, a.externalId]) accounts.set(norm(k), String(a.id));
  return { workloads, accounts };
}

/** Block sources an auto-recharge arrives through: the provider's bill, or a top-up recorded after the fact. */
const RECHARGE_SOURCES = ['top-up', 'invoice-line', 'focus-purchase'];

/**
 * An auto-recharge is a block named so (the demo's), or one that arrived from the provider on an
 * account with auto-recharge on without anyone requesting it. A block behind a request is a
 * top-up; anything else (manual entry, demo purchases) is a purchase.
 */
export function topUpKind(b: BlockTopUp): TopUpView['kind'] {
  if (/auto[- ]?recharge|\bauto\b/i.test(`${b.blockName} ${b.sourceRef ?? ''}`)) return 'auto-recharge';
  if (b.requested) return 'top-up';
  if (b.autoRecharge && RECHARGE_SOURCES.includes(b.source)) return 'auto-recharge';
  return b.source === 'top-up' ? 'top-up' : 'purchase';
}

export function toTopUpInput(t: TopUpView): TopUpInput {
  return { at: t.purchasedOn, accountId: String(t.accountId), amountMicros: t.amountMicros, kind: t.kind };
}

/** Everything from `historyFrom` (for baselines) to `to`; incidents and top-ups around [from, to]. */
export function loadIncidentData(ctx: EngineContext, historyFrom: string, from: string, to: string): IncidentData {
  const repo = createIncidentsRepo(ctx.db);
  const keys = repo.keyWindow({ historyFrom, modelFrom: addDays(from, -30), hourFrom: addDays(from, -1), to });
  const names = loadNames(repo, keys.keyHomes, historyFrom, to);
  const hourly = keys.hourly;
  const points = (col: Dimension[0]) => (col === 'api_key' ? keys.daily : repo.daily(col, historyFrom, to));
  const ids = targetIds(repo);
  const incidents = repo.incidents(from, to).map((row) => {
    const raw = repo.targets(row.id);
    const of = (kind: string) => raw.filter((t) => t.kind === kind).map((t) => t.value);
    return { row, input: mapTargets(row, raw, ids), targets: { apiKeys: of('api_key'), workloads: of('workload'), accounts: of('account') } };
  });
  const topUps = repo.topUps(addDays(from, -7), addDays(to, 7)).map((b) => ({
    blockId: b.blockId, blockName: b.blockName, accountId: b.accountId, accountName: b.accountName, purchasedOn: b.purchasedOn,
    amountMicros: b.amountMicros, unit: b.unit, kind: topUpKind(b),
  }));
  return {
    names,
    series: dailySeries(points, names, [['api_key', 'apiKey'], ['workload_id', 'workload']]),
    accountSeries: dailySeries(points, names, [['account_id', 'account']]),
    hourly,
    modelUses: repo.firstUse(to).map((u) => ({ key: u.apiKey, bucket: `${u.firstAt.slice(0, 13)}${u.firstAt.length > 10 ? ':00:00Z' : ''}`, models: [u.model] })),
    activity: keyActivity(hourly, keys.dailyByKeyModel),
    incidents,
    topUps,
  };
}
