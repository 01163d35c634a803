/**
 * Builds what the Monte Carlo simulation needs from the database: the ledger's balances as of a
 * day, each workload's daily usage cost (unattributed usage as one pseudo-workload per account,
 * or the pooled account's depletion would be wrong), the token mix behind a model swap, the
 * department map and the planned renewals. One ForecastBase serves the baseline and every
 * scenario of a run, so they all start from the same state.
 */
import type { Db } from '../db/open';
import { computeLedger } from './ledger';
import { createForecastInputRepo, type DailyUsageRow } from '../repos/scenarios';
import { ensurePriceCatalog, findCatalogFile, loadPriceCatalog } from '../repos/catalog';
import { workloadPath } from './ledger-report';
import { RefusedError } from '../errors';
import { addDays, daysBetween } from '../../../shared/dates';
import type { DrawdownAllocation, DrawdownBlock } from '../../../shared/drawdown';
import type { SimWorkload } from '../../../shared/forecast/simulate';
import type { TokenMix } from '../../../shared/forecast/scenario';
import type { PriceEntry } from '../../../shared/catalog';
import type { BlockKind } from '../../../shared/domain';

/** Days of history read for the fit: the model looks back at most 84 days (weekday factors). */
export const HISTORY_DAYS = 120;
/** A workload without spend in this many days is not forecast (it stopped). */
const ACTIVE_DAYS = 56;
/** Days of token counts the model-swap lever prices: recent enough to reflect today's mix. */
export const TOKEN_MIX_DAYS = 28;

export interface ForecastBase {
  asOf: string;
  startDay: string;
  /** blocks with credit left (or bought later) on the first forecast day */
  blocks: DrawdownBlock[];
  allocations: DrawdownAllocation[];
  initialRemaining: Map<number, number>;
  initialAllocationLeft: Map<string, number>;
  workloads: SimWorkload[];
  tokenMix: Record<number, Record<string, TokenMix>>;
  departments: Record<string, number[]>;
  renewals: { accountId: number; day: string }[];
  blockInfo: Map<number, { name: string; kind: BlockKind }>;
  accountInfo: Map<number, { name: string; provider: string; unit: string }>;
  workloadNames: Map<number, string>;
  catalog: PriceEntry[];
}

export function lastUsageDay(db: Db): string {
  const last = createForecastInputRepo(db).usageRange().last;
  if (!last) throw new RefusedError('There is no usage to forecast from yet: import usage exports or load the demo organisation.');
  return last;
}

export function loadForecastBase(db: Db, dbPath: string, at?: string): ForecastBase {
  const repo = createForecastInputRepo(db);
  const last = lastUsageDay(db);
  // after the last usage day the history would be missing days, not days without spend
  if (at !== undefined && at > last) throw new RefusedError(`The usage history ends on ${last}: forecast as of that day or an earlier one, not ${at}.`, 'invalid-argument');
  const asOf = at ?? last;
  const startDay = addDays(asOf, 1);
  const snap = computeLedger(db, asOf);
  const remainingById = new Map(snap.result.blocks.map((b) => [b.blockId, b.remainingMicros]));
  // a block emptied or expired before the forecast starts can no longer change: leave it out
  const blocks = snap.blocks.filter((b) => b.purchasedOn > asOf || ((remainingById.get(b.id) ?? 0) > 0 && (b.expiresOn === null || b.expiresOn >= startDay)));
  const kept = new Set(blocks.map((b) => b.id));
  const initialRemaining = new Map(blocks.filter((b) => b.purchasedOn <= asOf).map((b) => [b.id, remainingById.get(b.id) ?? 0]));
  const initialAllocationLeft = new Map(snap.result.allocations.filter((a) => kept.has(a.blockId)).map((a) => [`${a.blockId}:${a.workloadId}`, a.leftMicros]));
  const facts = repo.workloads();
  const departments: Record<string, number[]> = {};
  for (const w of facts) (departments[w.department] ??= []).push(w.id);
  ensurePriceCatalog(db, findCatalogFile(dbPath));
  return {
    asOf,
    startDay,
    blocks,
    allocations: snap.allocations.filter((a) => kept.has(a.blockId)),
    initialRemaining,
    initialAllocationLeft,
    workloads: workloadHistories(repo.dailyUsage(addDays(asOf, -(HISTORY_DAYS - 1)), asOf), repo.incidentDays(addDays(asOf, -(HISTORY_DAYS - 1)), asOf), asOf),
    tokenMix: tokenMixes(repo.tokenMix(addDays(asOf, -(TOKEN_MIX_DAYS - 1)), asOf)),
    departments,
    renewals: plannedRenewals(blocks, asOf),
    blockInfo: new Map(snap.blockRows.map((b) => [b.id, { name: b.name, kind: b.kind }])),
    accountInfo: new Map(repo.accounts().map((a) => [a.id, { name: a.name, provider: a.provider, unit: blocks.find((b) => b.accountId === a.id)?.unit ?? a.currency }])),
    workloadNames: new Map(facts.map((w) => [w.id, workloadPath(w)])),
    catalog: loadPriceCatalog(db),
  };
}

const keyOf = (accountId: number, unit: string, workloadId: number | null) => `${accountId}\u0001${unit}\u0001${workloadId ?? ''}`;

/**
 * One zero-filled daily series per account, unit and workload, from its first spend in the
 * window to the as-of day: a day without rows after a workload started is a day it spent
 * nothing, not an unknown day.
 */
export function workloadHistories(rows: DailyUsageRow[], incidents: { accountId: number; workloadId: number | null; day: string }[], asOf: string): SimWorkload[] {
  const groups = new Map<string, { accountId: number; unit: string; workloadId: number | null; byDay: Map<string, number>; first: string }>();
  for (const r of rows) {
    const k = keyOf(r.accountId, r.unit, r.workloadId);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { accountId: r.accountId, unit: r.unit, workloadId: r.workloadId, byDay: new Map(), first: r.day }));
    g.byDay.set(r.day, (g.byDay.get(r.day) ?? 0) + r.amountMicros);
    if (r.day < g.first) g.first = r.day;
  }
  const excluded = new Map<string, string[]>();
  for (const i of incidents) {
    const k = `${i.accountId}\u0001${i.workloadId ?? ''}`;
    excluded.set(k, [...(excluded.get(k) ?? []), i.day]);
  }
  const activeFrom = addDays(asOf, -(ACTIVE_DAYS - 1));
  const out: SimWorkload[] = [];
  for (const g of [...groups.values()].sort((a, b) => a.accountId - b.accountId || (a.workloadId ?? 0) - (b.workloadId ?? 0) || a.unit.localeCompare(b.unit))) {
    const recent = [...g.byDay].some(([d, v]) => d >= activeFrom && v > 0);
    if (!recent) continue;
    const n = daysBetween(g.first, asOf) + 1;
    const historyDays = Array.from({ length: n }, (_, i) => addDays(g.first, i));
    out.push({
      id: g.workloadId,
      accountId: g.accountId,
      unit: g.unit,
      history: historyDays.map((d) => g.byDay.get(d) ?? 0),
      historyDays,
      excludedDays: excluded.get(`${g.accountId}\u0001${g.workloadId ?? ''}`) ?? [],
    });
  }
  return out;
}

function tokenMixes(rows: { workloadId: number; modelId: string; inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number }[]) {
  const out: Record<number, Record<string, TokenMix>> = {};
  for (const r of rows) {
    (out[r.workloadId] ??= {})[r.modelId] = {
      inputTokens: r.inputTokens,
      outputTokens: r.outputTokens,
      cacheReadTokens: r.cacheReadTokens,
      cacheWriteTokens: r.cacheWriteTokens,
    };
  }
  return out;
}

/**
 * The next planned renewal of each account: the day its soonest-expiring purchased credit
 * expires (prepaid credit is bought for a year and renewed when it runs out of time). Promotional
 * grants are not renewals.
 */
export function plannedRenewals(blocks: DrawdownBlock[], asOf: string): { accountId: number; day: string }[] {
  const next = new Map<number, string>();
  for (const b of blocks) {
    if (b.kind !== 'purchased' || b.expiresOn === null || b.expiresOn <= asOf || b.purchasedOn > asOf) continue;
    const cur = next.get(b.accountId);
    if (cur === undefined || b.expiresOn < cur) next.set(b.accountId, b.expiresOn);
  }
  return [...next].map(([accountId, day]) => ({ accountId, day }));
}
