/**
 * Per-path bookkeeping and the final aggregation of the Monte Carlo run: depletion dates as
 * quantiles, probabilities of running dry, expected waste and overage, fan charts.
 */
import { addDays, weekday } from '../dates';
import { select } from './stats';

const NEVER = 0x7fffffff;

/** What the simulation knows about each block, as day offsets from the start. */
export interface BlockFacts {
  /** first day the block can be drawn */
  purchase: Int32Array;
  /** first day the block can no longer be drawn (NEVER when not within reach) */
  expiry: Int32Array;
  /** nothing left at the start */
  emptyAtStart: Uint8Array;
  initial: Float64Array;
}

/**
 * The first day an account has no usable credit left: every block of it is depleted, expired,
 * not bought yet or empty from the start. -1 when that never happens within the horizon.
 * Candidates are day 0, the depletion days and the expiry days: the state only changes there.
 */
export function accountDryDay(blocks: Int32Array, facts: BlockFacts, depletion: Int32Array, horizon: number, scratch: Int32Array): number {
  let n = 0;
  scratch[n++] = 0;
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    if (depletion[b] >= 0) scratch[n++] = depletion[b];
    if (facts.expiry[b] < horizon) scratch[n++] = facts.expiry[b];
  }
  let best = -1;
  for (let k = 0; k < n; k++) {
    const t = scratch[k];
    if (best >= 0 && t >= best) continue;
    let dry = true;
    for (let i = 0; i < blocks.length && dry; i++) {
      const b = blocks[i];
      const d = depletion[b];
      dry = facts.emptyAtStart[b] === 1 || (d >= 0 && d <= t) || facts.expiry[b] <= t || facts.purchase[b] > t;
    }
    if (dry) best = t;
  }
  return best;
}

export interface DepletionStats {
  /** quantiles of the day credit runs out; null when fewer paths than that run out within the horizon */
  p10: string | null;
  p50: string | null;
  p90: string | null;
  /** share of paths that run dry within the horizon */
  probDry: number;
  /** share of paths that run dry before the credit expires (within the horizon only) */
  probDryBeforeExpiry: number;
  /** the credit expires after the horizon: probDryBeforeExpiry only sees the horizon */
  expiryBeyondHorizon: boolean;
  nextRenewal: string | null;
  /** null when no renewal is planned */
  probDryBeforeRenewal: number | null;
  /** credit expiring unused, mean and 90th percentile over paths */
  expectedWasteMicros: number;
  p90WasteMicros: number;
  /** left at the end of the horizon, mean over paths */
  expectedRemainingMicros: number;
  /** the distribution the quantiles come from: paths per ISO week of the day credit runs out */
  histogram: DepletionHistogram;
}

/** Paths per ISO week (Monday to Sunday) in which credit runs out, and the paths where it does not within the horizon. */
export interface DepletionHistogram {
  /** the Monday of the week holding the first forecast day: counts[i] is the week from weekStart + 7·i */
  weekStart: string;
  /** one per week the horizon touches */
  counts: number[];
  notDepleted: number;
}

export interface Fan {
  p10: number[];
  p50: number[];
  p90: number[];
}

/** Depletion statistics from per-path dry days (-1 = never) and per-path waste. */
export function depletionStats(
  startDay: string,
  horizon: number,
  dry: Int32Array,
  stride: number,
  offset: number,
  paths: number,
  expiry: number,
  renewal: number | null,
  waste: Float64Array,
  remainingSum: number,
  scratchF: Float64Array,
): DepletionStats {
  let nDry = 0;
  let beforeExpiry = 0;
  let beforeRenewal = 0;
  const lead = weekday(startDay); // days of the first week before the start
  const counts = new Array<number>(Math.ceil((lead + horizon) / 7)).fill(0);
  for (let p = 0; p < paths; p++) {
    const d = dry[p * stride + offset];
    scratchF[p] = d < 0 ? NEVER : d;
    if (d < 0) continue;
    counts[Math.floor((lead + d) / 7)]++;
    nDry++;
    if (d < expiry) beforeExpiry++;
    if (renewal !== null && d < renewal) beforeRenewal++;
  }
  // the q-th depletion day, "never" counting as after every day (selection, not a sort)
  const days = scratchF.subarray(0, paths);
  const q = (x: number) => {
    const v = select(days, Math.max(0, Math.ceil(x * paths) - 1), 0, paths - 1);
    return v === NEVER ? null : addDays(startDay, v);
  };
  const p10 = q(0.1);
  const p50 = q(0.5);
  const p90 = q(0.9);
  let wasteSum = 0;
  for (let p = 0; p < paths; p++) {
    scratchF[p] = waste[p * stride + offset];
    wasteSum += scratchF[p];
  }
  const p90Waste = selectQuantile(scratchF.subarray(0, paths), 0.9);
  return {
    p10,
    p50,
    p90,
    probDry: nDry / paths,
    probDryBeforeExpiry: beforeExpiry / paths,
    expiryBeyondHorizon: expiry >= horizon,
    nextRenewal: renewal === null ? null : addDays(startDay, renewal),
    probDryBeforeRenewal: renewal === null ? null : beforeRenewal / paths,
    expectedWasteMicros: wasteSum / paths,
    p90WasteMicros: p90Waste,
    expectedRemainingMicros: remainingSum / paths,
    histogram: { weekStart: addDays(startDay, -lead), counts, notDepleted: paths - nDry },
  };
}

/**
 * P10/P50/P90 per day from fan samples laid out [(series * horizon + day) * fanPaths + path]:
 * nearest-rank order statistics (a chart needs no interpolation). The paths are kept in order
 * from day to day: a balance moves little in a day, so yesterday's order sorts again in a few
 * steps (insertion sort, its work cut off at a few per path; a day that reorders more is
 * selected instead, in what the previous selection left above it).
 */
export function fanQuantiles(samples: Float32Array, series: number, horizon: number, fanPaths: number): Fan {
  const fan: Fan = { p10: [], p50: [], p90: [] };
  if (fanPaths === 0) return fan;
  const n = fanPaths;
  const k10 = Math.round(0.1 * (n - 1));
  const k50 = Math.round(0.5 * (n - 1));
  const k90 = Math.round(0.9 * (n - 1));
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let d = 0; d < horizon; d++) {
    const at = (series * horizon + d) * n;
    if (sortOrder(samples, at, order, 8 * n)) {
      fan.p10.push(Math.round(samples[at + order[k10]]));
      fan.p50.push(Math.round(samples[at + order[k50]]));
      fan.p90.push(Math.round(samples[at + order[k90]]));
      continue;
    }
    const s = samples.subarray(at, at + n);
    fan.p10.push(Math.round(select(s, k10, 0, n - 1)));
    fan.p50.push(Math.round(select(s, k50, Math.min(k10 + 1, k50), n - 1)));
    fan.p90.push(Math.round(select(s, k90, Math.min(k50 + 1, k90), n - 1)));
  }
  return fan;
}

/** Insertion-sorts `order` by samples[at + order[i]]; false (order left a permutation, unsorted) past `budget` moves. */
function sortOrder(samples: Float32Array, at: number, order: Int32Array, budget: number): boolean {
  for (let i = 1; i < order.length; i++) {
    const o = order[i];
    const v = samples[at + o];
    let j = i - 1;
    while (j >= 0 && samples[at + order[j]] > v) {
      order[j + 1] = order[j];
      j--;
      if (--budget < 0) {
        order[j + 1] = o;
        return false;
      }
    }
    order[j + 1] = o;
  }
  return true;
}

/** Quantile q (type 7, as quantileSorted) by selection instead of a sort; partially reorders `a`. */
export function selectQuantile(a: Float32Array | Float64Array, q: number): number {
  const n = a.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(h);
  const x = select(a, lo, 0, n - 1);
  if (lo + 1 >= n || h === lo) return x;
  // the next order statistic is the minimum of what lies above rank lo
  let y = Number.POSITIVE_INFINITY;
  for (let i = lo + 1; i < n; i++) if (a[i] < y) y = a[i];
  return x + (h - lo) * (y - x);
}


/** Mean and quantiles of per-path values laid out [path * stride + offset]. */
export function spread(values: Float64Array, stride: number, offset: number, paths: number, scratch: Float64Array): { mean: number; p10: number; p50: number; p90: number; probPositive: number } {
  let sum = 0;
  let pos = 0;
  for (let p = 0; p < paths; p++) {
    const v = values[p * stride + offset];
    scratch[p] = v;
    sum += v;
    if (v > 0) pos++;
  }
  const s = scratch.subarray(0, paths);
  return { mean: sum / paths, p10: selectQuantile(s, 0.1), p50: selectQuantile(s, 0.5), p90: selectQuantile(s, 0.9), probPositive: pos / paths };
}
