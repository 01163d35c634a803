/**
 * The passes of incident correlation that are not in shared/anomaly.ts: telling a level shift
 * (a model swap, a new workload: spend stays up) from a spike (spend comes back), refining a
 * day-level spike's start with hourly rows and attack precursors, and merging the spikes of a
 * key and of its workload into one event. Pure functions over plain data.
 */
import { seasonalBaseline, type SpendSeries, type Spike } from '../../../shared/anomaly';
import { addDays } from '../../../shared/dates';

const HOUR_MS = 3_600_000;
/** Days compared before and after a run to tell a spike from a level shift. */
const SHIFT_WINDOW_DAYS = 14;
const SHIFT_MIN_POST_DAYS = 7;
/** An hour is hot when it costs at least this multiple of the day's baseline spread flat over 24 hours. */
const HOT_HOUR_FACTOR = 2;

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Values of a daily series on [from, to] (inclusive), zeros where the export has no row, clipped to the series' range. */
function dailyValues(series: SpendSeries, from: string, to: string): number[] {
  const at = new Map<string, number>();
  series.buckets.forEach((b, i) => at.set(b, (at.get(b) ?? 0) + series.values[i]));
  const first = series.buckets.reduce((a, b) => (b < a ? b : a), series.buckets[0]);
  const last = series.buckets.reduce((a, b) => (b > a ? b : a), series.buckets[0]);
  const out: number[] = [];
  for (let d = from < first ? first : from; d <= to && d <= last; d = addDays(d, 1)) out.push(at.get(d) ?? 0);
  return out;
}

export interface ShiftTest {
  levelShift: boolean;
  preMicros: number;
  runMicros: number;
  postMicros: number;
}

/**
 * A run after which spend stays nearer the run's level than the level before it is a level
 * shift, not a spike: the baseline simply had to catch up (a model swap triples a key's
 * spend for weeks). A run at the end of the data cannot be told apart and stays a spike.
 */
export function shiftTest(series: SpendSeries, spike: Spike): ShiftTest {
  const pre = median(dailyValues(series, addDays(spike.start, -SHIFT_WINDOW_DAYS), addDays(spike.start, -1)));
  const run = median(dailyValues(series, spike.start, spike.end));
  const postValues = dailyValues(series, addDays(spike.end, 1), addDays(spike.end, SHIFT_WINDOW_DAYS));
  const post = median(postValues);
  const levelShift = postValues.length >= SHIFT_MIN_POST_DAYS && run > pre && post - pre >= 0.5 * (run - pre);
  return { levelShift, preMicros: Math.round(pre), runMicros: Math.round(run), postMicros: Math.round(post) };
}

export interface Precursor {
  key: string;
  at: string;
  kind: 'new-model' | 'probe';
}

export type StartBasis = 'day' | 'hour' | 'new-model' | 'probe';

/**
 * Where a day-level spike really started. With hourly rows: the first hour costing at least
 * twice the day's baseline spread over 24 hours. Then earlier precursors on the series' keys
 * within a day before (a key's first use of a model it never used, the probe before a burst)
 * move the start back: for a stolen key the theft starts with the probe, not with the bill.
 */
export function refineStart(
  spike: Spike,
  series: SpendSeries,
  hourly: { hour: string; micros: number }[],
  precursors: Precursor[],
): { startAt: string; basis: StartBasis } {
  let start = Date.parse(spike.startAt);
  let basis: StartBasis = 'day';
  const end = Date.parse(spike.endAt);
  const inRun = hourly.filter((h) => Date.parse(h.hour) >= start && Date.parse(h.hour) < end).sort((a, b) => a.hour.localeCompare(b.hour));
  if (inRun.length > 0) {
    const b = seasonalBaseline(series);
    const base = new Map(b.buckets.map((d, i) => [d, b.baseline[i]]));
    const hot = inRun.find((h) => {
      const day = base.get(h.hour.slice(0, 10));
      return day !== null && day !== undefined && h.micros > 0 && h.micros >= (HOT_HOUR_FACTOR * day) / 24;
    });
    if (hot) {
      start = Date.parse(hot.hour);
      basis = 'hour';
    }
  }
  const earliest = Date.parse(spike.startAt) - 24 * HOUR_MS;
  for (const p of [...precursors].sort((a, b) => a.at.localeCompare(b.at))) {
    const t = Date.parse(p.at);
    if (t >= earliest && t < start && t < end) {
      start = t;
      basis = p.kind;
      break;
    }
  }
  return { startAt: new Date(start).toISOString().replace(/\.\d{3}Z$/, 'Z'), basis };
}

export interface EventSpike {
  id: string;
  dimension: 'apiKey' | 'workload';
  seriesKey: string;
  startAt: string;
  endAt: string;
  excessMicros: number;
  spendMicros: number;
}

/**
 * Groups spikes into events: a key's spike and its workload's spike over overlapping hours are
 * the same money seen twice. `workloadOfKey` maps a key to the workload most of its rows belong to.
 */
export function groupEvents<S extends EventSpike>(spikes: S[], workloadOfKey: Map<string, string>): S[][] {
  const groups: S[][] = [];
  const overlaps = (a: S, b: S) => a.startAt < b.endAt && b.startAt < a.endAt;
  const linked = (a: S, b: S) =>
    a.dimension !== b.dimension &&
    overlaps(a, b) &&
    (a.dimension === 'apiKey' ? workloadOfKey.get(a.seriesKey) === b.seriesKey : workloadOfKey.get(b.seriesKey) === a.seriesKey);
  for (const s of spikes) {
    const g = groups.find((members) => members.some((m) => linked(m, s)));
    if (g) g.push(s);
    else groups.push([s]);
  }
  return groups;
}
