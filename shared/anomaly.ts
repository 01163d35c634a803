/**
 * Anomalies in spend series (per API key or workload): spikes against a robust seasonal
 * baseline, a key's first use of a model, and the probe-then-burst pattern of a stolen key.
 * Pure functions over plain arrays; money is integer micro-units; all times are UTC.
 *
 * Bucket labels: 'YYYY-MM-DD' for days, 'YYYY-MM-DDTHH:00:00Z' for hours. Inputs may be
 * sparse, unsorted or repeat a bucket: they are summed and gaps filled with zero spend,
 * because a missing bucket in a usage export means nothing was used.
 */
import { isoDay, isoInstant } from './dates';
import { formatMicros } from './money';
import { instant } from './report-format';
import { selectQuantile } from './forecast/simulate-stats';

export type Granularity = 'hour' | 'day';
/** What a series measures; correlation matches it against an incident's keys/workloads/accounts. */
export type SeriesDimension = 'apiKey' | 'workload' | 'account';

export interface SpendSeries {
  key: string;
  buckets: string[];
  values: number[];
  granularity: Granularity;
  dimension?: SeriesDimension;
  /** credit account the series draws on, so top-ups can be tied to a spike */
  accountId?: string | null;
}

export interface SpikeOptions {
  /** trailing window the baseline is taken from; default 8 weeks of days, 6 weeks of hours */
  windowBuckets?: number;
  /** buckets of history needed before a bucket is scored; default 21 days or 72 hours */
  minHistory?: number;
  /** points a seasonal slot needs before its median is trusted; below, a coarser slot is used */
  minSlotSamples?: number;
  /** robust z-score from which a bucket is anomalous; default 4 */
  threshold?: number;
  /** lowest scale in micros, so a flat series (MAD 0) does not flag every cent; default 0.10 */
  floorMicros?: number;
  /** lowest scale as a share of the baseline; default 0.1 */
  relativeFloor?: number;
  /** spikes whose excess over the baseline is smaller are dropped; default 1.00 */
  minExcessMicros?: number;
}

export interface BaselineSeries {
  buckets: string[];
  values: number[];
  /** null until there is enough history */
  baseline: (number | null)[];
  scale: (number | null)[];
  score: (number | null)[];
}

export interface Spike {
  seriesKey: string;
  dimension?: SeriesDimension;
  accountId?: string | null;
  granularity: Granularity;
  /** first and last anomalous bucket (inclusive) */
  start: string;
  end: string;
  /** the same run as instants, end exclusive, for overlap tests */
  startAt: string;
  endAt: string;
  buckets: number;
  /** bucket with the highest spend, and that spend */
  peak: string;
  peakMicros: number;
  spendMicros: number;
  baselineMicros: number;
  /** Σ (spend − baseline) over the run */
  excessMicros: number;
  /** highest robust z-score in the run */
  score: number;
}

const HOUR_MS = 3_600_000;
export const STEP_MS: Record<Granularity, number> = { hour: HOUR_MS, day: 24 * HOUR_MS };
/** A consistency factor: MAD × 1.4826 estimates σ for normal noise. */
const MAD_TO_SIGMA = 1.4826;
const MAX_BUCKETS = 2_000_000;

export function bucketMs(label: string, granularity: Granularity): number {
  const known = MS_OF[granularity].get(label);
  if (known !== undefined) return known;
  const parsed = Date.parse(label.length === 10 ? `${label}T00:00:00Z` : label);
  if (Number.isNaN(parsed)) throw new RangeError(`not a bucket: ${label}`);
  const ms = Math.floor(parsed / STEP_MS[granularity]) * STEP_MS[granularity];
  return remember(MS_OF[granularity], label, ms);
}

export function bucketLabel(ms: number, granularity: Granularity): string {
  return LABEL_OF[granularity].get(ms) ?? remember(LABEL_OF[granularity], ms, granularity === 'day' ? isoDay(ms) : isoInstant(ms));
}

/**
 * Labels and times already converted: an incident report converts the same few thousand days
 * and hours for every one of thousands of series (Date.parse and toISOString were a tenth of it).
 */
const MS_OF: Record<Granularity, Map<string, number>> = { day: new Map(), hour: new Map() };
const LABEL_OF: Record<Granularity, Map<number, string>> = { day: new Map(), hour: new Map() };
function remember<K, V>(m: Map<K, V>, k: K, v: V): V {
  if (m.size >= 100_000) m.clear();
  m.set(k, v);
  return v;
}

interface DenseSeries {
  granularity: Granularity;
  ms: number[];
  values: number[][];
}

/** Sorts, sums repeated buckets and fills gaps with zeros, for one or more parallel measures. */
function densify(granularity: Granularity, buckets: string[], measures: number[][]): DenseSeries {
  if (buckets.length === 0) return { granularity, ms: [], values: measures.map(() => []) };
  const step = STEP_MS[granularity];
  const times = buckets.map((b) => bucketMs(b, granularity));
  // reduce, not Math.min(...times): spreading a long array overflows the call stack.
  const first = times.reduce((a, b) => Math.min(a, b));
  const count = (times.reduce((a, b) => Math.max(a, b)) - first) / step + 1;
  if (count > MAX_BUCKETS) throw new RangeError(`series spans ${count} buckets`);
  const ms = Array.from({ length: count }, (_, i) => first + i * step);
  const values = measures.map((m) => {
    const out = new Array<number>(count).fill(0);
    times.forEach((t, i) => (out[(t - first) / step] += m[i] ?? 0));
    return out;
  });
  return { granularity, ms, values };
}

/**
 * Scratch buffers for the medians (a baseline is a few medians per bucket, over thousands of
 * series in an incident report): reused instead of allocating and sorting an array each time.
 */
const SCRATCH: Float64Array[] = [new Float64Array(64), new Float64Array(64), new Float64Array(64)];
function scratch(k: number, n: number): Float64Array {
  if (SCRATCH[k].length < n) SCRATCH[k] = new Float64Array(Math.max(n, 2 * SCRATCH[k].length));
  return SCRATCH[k];
}

/** Median of buf[0, n) by selection (expected O(n), no sort); reorders buf. NaN when n is 0. */
function medianOf(buf: Float64Array, n: number): number {
  return selectQuantile(buf.subarray(0, n), 0.5);
}

/**
 * Seasonal slots from finest to coarsest, as strides in a dense series (bucket j and
 * j − stride share a slot): hour-of-week → hour-of-day → none; day-of-week → none.
 */
const STRIDES: Record<Granularity, number[]> = { hour: [168, 24, 1], day: [7, 1] };
/** How often the spread is re-estimated: once a day for hours (it moves slowly), every day for days. */
const SPREAD_EVERY: Record<Granularity, number> = { hour: 24, day: 1 };

function defaults(granularity: Granularity, o: SpikeOptions): Required<SpikeOptions> {
  const day = granularity === 'day';
  return {
    windowBuckets: o.windowBuckets ?? (day ? 56 : 6 * 168),
    minHistory: o.minHistory ?? (day ? 21 : 72),
    minSlotSamples: o.minSlotSamples ?? 3,
    threshold: o.threshold ?? 4,
    floorMicros: o.floorMicros ?? 100_000,
    relativeFloor: o.relativeFloor ?? 0.1,
    minExcessMicros: o.minExcessMicros ?? 1_000_000,
  };
}

/** Same-slot values before i inside [from, i) into buf, returning their count: the point itself is never its own baseline. */
function slotValues(xs: number[], i: number, from: number, stride: number, buf: Float64Array): number {
  let n = 0;
  for (let j = i - stride; j >= from; j -= stride) buf[n++] = xs[j];
  return n;
}

/** How many same-slot values lie before i inside [from, i). */
function slotCount(i: number, from: number, stride: number): number {
  return i - stride < from ? 0 : Math.floor((i - stride - from) / stride) + 1;
}

/** Median of the sorted buf[start, start + len) without its element at offset p. */
function medianWithout(buf: Float64Array, start: number, len: number, p: number): number {
  const n = len - 1;
  const at = (i: number) => buf[start + (i < p ? i : i + 1)];
  const mid = n >> 1;
  return n % 2 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

/**
 * Relative MAD of the window [from, to): each point's residual against the median of the
 * other points of its slot (leave-one-out: with 6–8 points a slot, in-sample residuals
 * understate the spread, the median point's being 0), divided by that median. Spend noise
 * grows with the level (busy hours vary more in absolute terms than nights), so one
 * relative spread pooled over all slots and multiplied by the slot's own baseline fits
 * every slot, where a per-slot MAD from so few points would be unstable. Slots with a zero
 * median (no regular use) carry no relative information.
 */
function relativeMad(xs: number[], from: number, to: number, stride: number): number {
  const group = scratch(1, Math.ceil((to - from) / stride) + 1);
  const residuals = scratch(2, to - from);
  let n = 0;
  for (let r = 0; r < stride && from + r < to; r++) {
    let len = 0;
    for (let j = from + r; j < to; j += stride) {
      // insertion sort as the values arrive: a slot holds a handful of points
      const x = xs[j];
      let k = len++;
      while (k > 0 && group[k - 1] > x) group[k] = group[--k];
      group[k] = x;
    }
    if (len < 2) continue;
    for (let p = 0; p < len; p++) {
      const m = medianWithout(group, 0, len, p);
      if (m > 0) residuals[n++] = (group[p] - m) / m;
    }
  }
  if (n === 0) return 0;
  const mid = medianOf(residuals, n);
  for (let i = 0; i < n; i++) residuals[i] = Math.abs(residuals[i] - mid);
  return medianOf(residuals, n);
}

/** Per-bucket baseline, scale and score; also feeds the incident timeline chart. */
export function seasonalBaseline(series: SpendSeries, opts: SpikeOptions = {}): BaselineSeries {
  return baselineOf(series, opts, false);
}

/**
 * hotOnly: the spread (the costly part: a leave-one-out MAD over the window) is computed only
 * where the point could score at or above the threshold. The scale is never below the floors,
 * so a point under base + threshold × floor cannot; its scale and score are left null. Spike
 * detection needs nothing else, and gets exactly the spikes the full computation gives.
 */
function baselineOf(series: SpendSeries, opts: SpikeOptions, hotOnly: boolean): BaselineSeries {
  const o = defaults(series.granularity, opts);
  const d = densify(series.granularity, series.buckets, [series.values]);
  const xs = d.values[0];
  const every = SPREAD_EVERY[d.granularity];
  const spreads = new Map<string, number>();
  const out: BaselineSeries = { buckets: d.ms.map((t) => bucketLabel(t, d.granularity)), values: xs, baseline: [], scale: [], score: [] };
  for (let i = 0; i < xs.length; i++) {
    const from = Math.max(0, i - o.windowBuckets);
    const stride = STRIDES[d.granularity].find((s) => slotCount(i, from, s) >= o.minSlotSamples) ?? 1;
    if (i - from < o.minHistory) {
      out.baseline.push(null);
      out.scale.push(null);
      out.score.push(null);
      continue;
    }
    const slot = scratch(0, slotCount(i, from, stride));
    const base = Math.round(medianOf(slot, slotValues(xs, i, from, stride, slot)));
    if (hotOnly && o.threshold > 0 && xs[i] - base < o.threshold * Math.max(o.floorMicros, o.relativeFloor * Math.abs(base))) {
      out.baseline.push(base);
      out.scale.push(null);
      out.score.push(null);
      continue;
    }
    // The spread comes from the window before the current block, so it excludes the point too.
    const block = i - (i % every);
    const key = `${stride}:${block}`;
    const rel = spreads.get(key) ?? relativeMad(xs, Math.max(0, block - o.windowBuckets), block, stride);
    spreads.set(key, rel);
    const scale = Math.max(rel * MAD_TO_SIGMA * base, o.floorMicros, o.relativeFloor * Math.abs(base));
    out.baseline.push(base);
    out.scale.push(scale);
    out.score.push((xs[i] - base) / scale);
  }
  return out;
}

/** Runs of consecutive buckets scoring at or above the threshold, each one spike. */
export function detectSpikes(series: SpendSeries, opts: SpikeOptions = {}): Spike[] {
  const o = defaults(series.granularity, opts);
  const b = baselineOf(series, opts, true);
  const spikes: Spike[] = [];
  let runStart = -1;
  for (let i = 0; i <= b.buckets.length; i++) {
    const hot = i < b.buckets.length && (b.score[i] ?? -Infinity) >= o.threshold;
    if (hot && runStart < 0) runStart = i;
    if (!hot && runStart >= 0) {
      const spike = toSpike(series, b, runStart, i - 1);
      if (spike.excessMicros >= o.minExcessMicros) spikes.push(spike);
      runStart = -1;
    }
  }
  return spikes;
}

function toSpike(series: SpendSeries, b: BaselineSeries, first: number, last: number): Spike {
  let peak = first;
  let spend = 0;
  let base = 0;
  let score = -Infinity;
  for (let i = first; i <= last; i++) {
    if (b.values[i] > b.values[peak]) peak = i;
    spend += b.values[i];
    base += b.baseline[i] ?? 0;
    score = Math.max(score, b.score[i] ?? -Infinity);
  }
  const step = STEP_MS[series.granularity];
  return {
    seriesKey: series.key,
    ...(series.dimension ? { dimension: series.dimension } : {}),
    ...(series.accountId != null ? { accountId: series.accountId } : {}),
    granularity: series.granularity,
    start: b.buckets[first],
    end: b.buckets[last],
    startAt: isoInstant(bucketMs(b.buckets[first], series.granularity)),
    endAt: isoInstant(bucketMs(b.buckets[last], series.granularity) + step),
    buckets: last - first + 1,
    peak: b.buckets[peak],
    peakMicros: b.values[peak],
    spendMicros: spend,
    baselineMicros: base,
    excessMicros: spend - base,
    score,
  };
}

// ---------------------------------------------------------------------------------------
// Patterns of a compromised key

export interface ModelUse {
  key: string;
  /** day or hour bucket label */
  bucket: string;
  models: string[];
}

export interface NewModelFinding {
  kind: 'new-model';
  key: string;
  at: string;
  model: string;
  /** models the key had used before */
  knownModels: string[];
  usedByOtherKeys: boolean;
  explanation: string;
}

/**
 * A key's first use of a model it never used before. A key's first `learningHours`
 * (default 72) are its learning period: a new key trying models is normal, an established
 * key suddenly calling an expensive model it never touched is what a thief does.
 */
export function detectNewModelUse(uses: ModelUse[], opts: { learningHours?: number } = {}): NewModelFinding[] {
  const learningMs = (opts.learningHours ?? 72) * HOUR_MS;
  const sorted = uses.map((u) => ({ ...u, ms: bucketMs(u.bucket, 'hour') })).sort((a, b) => a.ms - b.ms);
  const keys = new Map<string, { firstMs: number; models: Set<string> }>();
  const modelKeys = new Map<string, Set<string>>();
  const findings: NewModelFinding[] = [];
  for (const u of sorted) {
    const k = keys.get(u.key) ?? { firstMs: u.ms, models: new Set<string>() };
    keys.set(u.key, k);
    for (const model of new Set(u.models)) {
      const users = modelKeys.get(model) ?? new Set<string>();
      if (!k.models.has(model) && u.ms - k.firstMs >= learningMs) {
        const others = [...users].some((other) => other !== u.key);
        findings.push({
          kind: 'new-model', key: u.key, at: u.bucket, model, knownModels: [...k.models].sort(), usedByOtherKeys: others,
          explanation: `Key ${u.key} used ${model} for the first time at ${instant(u.bucket)}, after ${Math.floor((u.ms - k.firstMs) / HOUR_MS)} h of use with only ${[...k.models].sort().join(', ') || 'no models'}` +
            (others ? '; other keys use this model.' : '; no other key has used this model either.'),
        });
      }
      users.add(u.key);
      modelKeys.set(model, users);
    }
    for (const model of u.models) k.models.add(model);
  }
  return findings;
}

export interface KeyActivity {
  key: string;
  granularity: Granularity;
  buckets: string[];
  requests: number[];
  costMicros: number[];
}

export interface ProbeBurstOptions {
  /** buckets without requests before the probe (series start counts as quiet); default 24 h / 2 d */
  quietBuckets?: number;
  /** the probe's calls all fall within this many buckets; default 3 h / 1 d */
  probeWindowBuckets?: number;
  /** the burst starts at most this many buckets after the last probe call; default 24 h / 3 d */
  burstWithinBuckets?: number;
  maxProbeRequests?: number;
  maxProbeCostMicros?: number;
  /** a burst bucket costs at least this, and at least burstFactor × the whole probe */
  burstMinCostMicros?: number;
  burstFactor?: number;
}

export interface ProbeBurstFinding {
  kind: 'probe-then-burst';
  key: string;
  /** burst start, the moment money started to go */
  at: string;
  probeStart: string;
  probeEnd: string;
  probeRequests: number;
  probeCostMicros: number;
  burstStart: string;
  burstEnd: string;
  burstRequests: number;
  burstCostMicros: number;
  explanation: string;
}

function probeDefaults(g: Granularity, o: ProbeBurstOptions): Required<ProbeBurstOptions> {
  const day = g === 'day';
  return {
    quietBuckets: o.quietBuckets ?? (day ? 2 : 24),
    probeWindowBuckets: o.probeWindowBuckets ?? (day ? 1 : 3),
    burstWithinBuckets: o.burstWithinBuckets ?? (day ? 3 : 24),
    maxProbeRequests: o.maxProbeRequests ?? 20,
    maxProbeCostMicros: o.maxProbeCostMicros ?? 100_000,
    burstMinCostMicros: o.burstMinCostMicros ?? 1_000_000,
    burstFactor: o.burstFactor ?? 10,
  };
}

/**
 * A few cheap calls after a quiet spell (the thief checking the key works), then within a
 * short time a surge. Legitimate first deployments look the same, hence a finding to
 * review, not a verdict.
 */
export function detectProbeThenBurst(activity: KeyActivity | KeyActivity[], opts: ProbeBurstOptions = {}): ProbeBurstFinding[] {
  if (Array.isArray(activity)) return activity.flatMap((a) => detectProbeThenBurst(a, opts));
  const o = probeDefaults(activity.granularity, opts);
  const d = densify(activity.granularity, activity.buckets, [activity.requests, activity.costMicros]);
  const findings: ProbeBurstFinding[] = [];
  let quiet = Infinity;
  for (let i = 0; i < d.ms.length; i++) {
    if (d.values[0][i] === 0) {
      quiet += 1;
      continue;
    }
    const found = quiet >= o.quietBuckets ? probeFrom(activity.key, d, i, o) : null;
    quiet = 0;
    if (found) {
      findings.push(found.finding);
      i = found.burstEnd;
    }
  }
  return findings;
}

/** Scans forward from a call after a quiet spell: small calls only, then a surge in time. */
function probeFrom(key: string, d: DenseSeries, i: number, o: Required<ProbeBurstOptions>): { finding: ProbeBurstFinding; burstEnd: number } | null {
  const [req, cost] = d.values;
  let reqs = 0;
  let spent = 0;
  let lastCall = i;
  for (let k = i; k < d.ms.length && k - lastCall <= o.burstWithinBuckets; k++) {
    if (k > i && cost[k] >= Math.max(o.burstMinCostMicros, o.burstFactor * spent)) {
      let end = k;
      while (end + 1 < d.ms.length && cost[end + 1] > o.maxProbeCostMicros) end += 1;
      const label = (j: number) => bucketLabel(d.ms[j], d.granularity);
      const burstReqs = req.slice(k, end + 1).reduce((a, b) => a + b, 0);
      const burstCost = cost.slice(k, end + 1).reduce((a, b) => a + b, 0);
      const finding: ProbeBurstFinding = {
        kind: 'probe-then-burst', key, at: label(k), probeStart: label(i), probeEnd: label(lastCall), probeRequests: reqs, probeCostMicros: spent,
        burstStart: label(k), burstEnd: label(end), burstRequests: burstReqs, burstCostMicros: burstCost,
        explanation: `Key ${key}: ${reqs} small request(s) costing ${formatMicros(spent, { trim: true })} from ${instant(label(i))} to ${instant(label(lastCall))} after a quiet spell, ` +
          `then ${burstReqs} requests costing ${formatMicros(burstCost, { trim: true })} from ${instant(label(k))} to ${instant(label(end))}: a key tested before being abused.`,
      };
      return { finding, burstEnd: end };
    }
    reqs += req[k];
    spent += cost[k];
    if (req[k] > 0) lastCall = k;
    if (reqs > o.maxProbeRequests || spent > o.maxProbeCostMicros || lastCall - i >= o.probeWindowBuckets) return null;
  }
  return null;
}
