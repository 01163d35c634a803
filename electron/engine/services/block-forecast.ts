import type { LedgerSnapshot } from './ledger';
import { compileDrawdown, makeKernelOut, runKernel } from '../../../shared/drawdown-kernel';
import { addDays, daysBetween } from '../../../shared/dates';

/**
 * What happens to each credit block if every workload keeps burning at its recent rate: the
 * drawdown kernel runs the same order rules forward from the ledger's as-of balances, so a block
 * that is waiting its turn (lower priority, later expiry) gets a dry day and a waste forecast that
 * reflect the blocks drawn before it, not just its own past burn.
 */
export const BURN_WINDOW_DAYS = 30;
/** Forecasts stop three years out: nothing we show depends on a later day. */
const MAX_HORIZON_DAYS = 3 * 366;

export interface BlockForecast {
  /** average spend per day drawn from this block over the last BURN_WINDOW_DAYS */
  burnPerDayMicros: number;
  /** credit the forecast leaves on the block when it expires */
  wasteForecastMicros: number;
  forecastDryOn: string | null;
  /** days from the as-of day until the forecast empties the block */
  runwayDays: number | null;
}

export function forecastBlocks(snap: LedgerSnapshot): Map<number, BlockForecast> {
  return runForecast(snap, false).blocks;
}

/** The forecast balance of every block for each day after the as-of day (for burn-down charts). */
export interface ForecastPath {
  days: string[];
  balances: Map<number, number[]>;
}

export function forecastPath(snap: LedgerSnapshot): ForecastPath {
  return runForecast(snap, true).path;
}

function runForecast(snap: LedgerSnapshot, withBalances: boolean): { blocks: Map<number, BlockForecast>; path: ForecastPath } {
  const out = new Map<number, BlockForecast>();
  const path: ForecastPath = { days: [], balances: new Map() };
  const { asOf, blocks, result } = snap;
  const empty = (id: number) => out.set(id, { burnPerDayMicros: 0, wasteForecastMicros: 0, forecastDryOn: null, runwayDays: null });
  if (!asOf || blocks.length === 0) {
    blocks.forEach((b) => empty(b.id));
    return { blocks: out, path };
  }
  const windowFrom = addDays(asOf, -(BURN_WINDOW_DAYS - 1));
  const burnByBlock = new Map<number, number>();
  for (const d of result.draws) if (d.day >= windowFrom) burnByBlock.set(d.blockId, (burnByBlock.get(d.blockId) ?? 0) + d.amountMicros);

  const lanes = workloadRates(snap, windowFrom);
  const start = addDays(asOf, 1);
  const horizon = horizonDays(snap, start);
  const remaining = new Map(result.blocks.map((b) => [b.blockId, b.remainingMicros]));
  const allocLeft = new Map(result.allocations.map((a) => [`${a.blockId}:${a.workloadId}`, a.leftMicros]));
  const compiled = compileDrawdown(blocks, snap.allocations, lanes.ids, lanes.accounts, start, horizon, remaining, allocLeft);
  const cost = new Float64Array(horizon * lanes.ids.length);
  for (let t = 0; t < horizon; t++) cost.set(lanes.rates, t * lanes.ids.length);
  const k = makeKernelOut(compiled, withBalances);
  runKernel(compiled, cost, k);
  if (k.balanceByDay) {
    const bal = k.balanceByDay;
    for (let t = 0; t < horizon; t++) path.days.push(addDays(start, t));
    blocks.forEach((b, i) => path.balances.set(b.id, path.days.map((_, t) => Math.round(bal[t * blocks.length + i]))));
  }

  blocks.forEach((b, i) => {
    const dry = k.depletionDay[i] >= 0 ? addDays(start, k.depletionDay[i]) : null;
    out.set(b.id, {
      burnPerDayMicros: Math.round(Math.max(0, burnByBlock.get(b.id) ?? 0) / BURN_WINDOW_DAYS),
      wasteForecastMicros: Math.round(k.expired[i]),
      forecastDryOn: dry,
      runwayDays: dry ? daysBetween(asOf, dry) : null,
    });
  });
  return { blocks: out, path };
}

/** Each workload's average daily spend per account and unit over the window (draws plus overage). */
function workloadRates(snap: LedgerSnapshot, windowFrom: string) {
  const blockOf = new Map(snap.blocks.map((b) => [b.id, b]));
  const sums = new Map<string, { id: number | null; accountId: number; unit: string; micros: number }>();
  const add = (id: number | null, accountId: number, unit: string, micros: number) => {
    const key = `${id}|${accountId}|${unit}`;
    const e = sums.get(key) ?? { id, accountId, unit, micros: 0 };
    e.micros += micros;
    sums.set(key, e);
  };
  for (const d of snap.result.draws) {
    const b = blockOf.get(d.blockId);
    if (b && d.day >= windowFrom) add(d.workloadId, b.accountId, b.unit, d.amountMicros);
  }
  for (const o of snap.result.overage) if (o.day >= windowFrom) add(o.workloadId, o.accountId, o.unit, o.amountMicros);
  const lanes = [...sums.values()].filter((e) => e.micros > 0);
  return {
    ids: lanes.map((e) => e.id),
    accounts: lanes.map((e) => ({ accountId: e.accountId, unit: e.unit })),
    rates: Float64Array.from(lanes, (e) => e.micros / BURN_WINDOW_DAYS),
  };
}

/** Long enough to see every block with credit left expire (or a year when none expires). */
function horizonDays(snap: LedgerSnapshot, start: string): number {
  const last = snap.blocks
    .map((b, i) => (snap.result.blocks[i].remainingMicros > 0 ? b.expiresOn : null))
    .filter((d): d is string => d !== null && d >= start)
    .sort()
    .pop();
  const days = last ? daysBetween(start, last) + 1 : 366;
  return Math.max(1, Math.min(MAX_HORIZON_DAYS, Math.max(days, 366)));
}
