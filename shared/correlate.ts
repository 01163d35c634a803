/**
 * Correlation of spend spikes with the security incidents the team recorded: which spikes
 * an incident explains, how long the spike ran before anyone noticed, what it cost over the
 * baseline, and which top-ups fed it (auto-recharge turns a stolen key into an unbounded
 * bill). Spikes nobody recorded are the candidates for an undetected compromise.
 */
import { bucketLabel, bucketMs, seasonalBaseline, type Granularity, type SeriesDimension, type SpendSeries, type Spike, type SpikeOptions } from './anomaly';
import { isoInstant } from './dates';

const HOUR_MS = 3_600_000;

/** The fields of IncidentRecord correlation needs; `id` is the stored or external id. */
export interface IncidentInput {
  id: string | number;
  title: string;
  startedAt: string | null;
  detectedAt: string;
  resolvedAt: string | null;
  apiKeys: string[];
  workloads: string[];
  accounts: string[];
}

export interface TopUpInput {
  /** a day (the whole day counts) or an instant */
  at: string;
  accountId: string;
  amountMicros: number;
  /** e.g. 'top-up', 'auto-recharge', 'renewal' */
  kind: string;
}

export interface CorrelateOptions {
  /** hours either side of the incident within which a spike still counts; default 24 */
  slackHours?: number;
  /** end of an unresolved incident; default: open-ended */
  asOf?: string;
}

export type MatchedBy = 'apiKey' | 'workload' | 'account';

export interface MatchedSpike {
  spike: Spike;
  matchedBy: MatchedBy[];
}

export interface IncidentCorrelation {
  incidentId: string | number;
  title: string;
  spikes: MatchedSpike[];
  /** earliest start of a matched spike */
  spikeStart: string | null;
  spikeEnd: string | null;
  /** spike start → detectedAt; negative when the incident was known before money moved */
  detectionLagHours: number | null;
  excessMicros: number;
  spendMicros: number;
  /** window the top-ups were looked for in: incident and spikes together */
  windowStart: string;
  windowEnd: string | null;
  topUps: TopUpInput[];
  topUpMicros: number;
  autoRechargeMicros: number;
  spendImpact: boolean;
}

export interface UnexplainedSpike {
  spike: Spike;
  /** top-ups on the spike's account while it ran */
  topUps: TopUpInput[];
  explanation: string;
}

export interface CorrelationReport {
  incidents: IncidentCorrelation[];
  /** spikes no incident covers, largest excess first */
  unexplainedSpikes: UnexplainedSpike[];
  /** ids of incidents with no matching spike */
  incidentsWithoutSpend: (string | number)[];
}

interface Window {
  start: number;
  end: number;
}

function ms(iso: string): number {
  const t = Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(t)) throw new RangeError(`not a day or instant: ${iso}`);
  return t;
}
const overlaps = (a: Window, b: Window): boolean => a.start < b.end && b.start < a.end;
/** A top-up on a day counts for the whole day, since day-level exports do not say when. */
const topUpWindow = (t: TopUpInput): Window => ({ start: ms(t.at), end: ms(t.at) + (t.at.length === 10 ? 24 * HOUR_MS : 1) });
const spikeWindow = (s: Spike): Window => ({ start: Date.parse(s.startAt), end: Date.parse(s.endAt) });

function incidentWindow(inc: IncidentInput, o: CorrelateOptions): Window {
  const slack = (o.slackHours ?? 24) * HOUR_MS;
  const end = inc.resolvedAt ?? o.asOf;
  return { start: ms(inc.startedAt ?? inc.detectedAt) - slack, end: end ? ms(end) + slack : Infinity };
}

/** Which of the incident's lists name the spike's series (or its account). */
export function matchSpike(spike: Pick<Spike, 'seriesKey' | 'dimension' | 'accountId'>, inc: IncidentInput): MatchedBy[] {
  const by: MatchedBy[] = [];
  const d = spike.dimension;
  if ((!d || d === 'apiKey') && inc.apiKeys.includes(spike.seriesKey)) by.push('apiKey');
  if ((!d || d === 'workload') && inc.workloads.includes(spike.seriesKey)) by.push('workload');
  const account = d === 'account' ? spike.seriesKey : spike.accountId;
  if ((account != null && inc.accounts.includes(account)) || (!d && inc.accounts.includes(spike.seriesKey))) by.push('account');
  return by;
}

export function correlateIncidents(spikes: Spike[], incidents: IncidentInput[], topUps: TopUpInput[], opts: CorrelateOptions = {}): CorrelationReport {
  const explained = new Set<Spike>();
  const out = incidents.map((inc) => {
    const c = correlateOne(inc, spikes, topUps, opts);
    c.spikes.forEach((m) => explained.add(m.spike));
    return c;
  });
  const unexplainedSpikes = spikes
    .filter((s) => !explained.has(s))
    .sort((a, b) => b.excessMicros - a.excessMicros)
    .map((spike) => {
      const found = topUps.filter((t) => t.accountId === spike.accountId && overlaps(topUpWindow(t), spikeWindow(spike)));
      return {
        spike,
        topUps: found,
        explanation:
          `No recorded incident covers ${spike.dimension ?? 'series'} ${spike.seriesKey} between ${spike.startAt} and ${spike.endAt}` +
          (found.length ? `; ${found.length} top-up(s) on its account happened during the spike` : '') +
          ': review it as a possible undetected compromise.',
      };
    });
  return { incidents: out, unexplainedSpikes, incidentsWithoutSpend: out.filter((c) => !c.spendImpact).map((c) => c.incidentId) };
}

function correlateOne(inc: IncidentInput, spikes: Spike[], topUps: TopUpInput[], o: CorrelateOptions): IncidentCorrelation {
  const win = incidentWindow(inc, o);
  const matched = spikes
    .map((spike) => ({ spike, matchedBy: matchSpike(spike, inc) }))
    .filter((m) => m.matchedBy.length > 0 && overlaps(spikeWindow(m.spike), win))
    .sort((a, b) => a.spike.startAt.localeCompare(b.spike.startAt));
  const first = matched.length ? Math.min(...matched.map((m) => spikeWindow(m.spike).start)) : null;
  const last = matched.length ? Math.max(...matched.map((m) => spikeWindow(m.spike).end)) : null;
  // Top-ups are looked for from whichever came first (incident start or spike) to whichever ended last.
  const start = Math.min(ms(inc.startedAt ?? inc.detectedAt), first ?? Infinity);
  const endOfIncident = inc.resolvedAt ?? o.asOf;
  // An unresolved incident is still running: every later top-up counts.
  const end = endOfIncident ? Math.max(ms(endOfIncident), last ?? -Infinity) : Infinity;
  const accounts = new Set([...inc.accounts, ...matched.flatMap((m) => (m.spike.accountId != null ? [m.spike.accountId] : []))]);
  const fed = topUps.filter((t) => accounts.has(t.accountId) && overlaps(topUpWindow(t), { start, end }));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const money = dimensionMoney(matched.map((m) => m.spike));
  return {
    incidentId: inc.id,
    title: inc.title,
    spikes: matched,
    spikeStart: first === null ? null : isoInstant(first),
    spikeEnd: last === null ? null : isoInstant(last),
    detectionLagHours: first === null ? null : Math.round(((ms(inc.detectedAt) - first) / HOUR_MS) * 100) / 100,
    excessMicros: money.excessMicros,
    spendMicros: money.spendMicros,
    windowStart: isoInstant(start),
    windowEnd: Number.isFinite(end) ? isoInstant(end) : null,
    topUps: fed,
    topUpMicros: sum(fed.map((t) => t.amountMicros)),
    autoRechargeMicros: sum(fed.filter((t) => /auto/i.test(t.kind)).map((t) => t.amountMicros)),
    spendImpact: matched.length > 0,
  };
}

/**
 * Excess and spend of matched spikes. The series of one dimension hold disjoint money and are
 * summed; a key and its workload (or account) hold the same money twice, so across dimensions
 * the largest sum is taken instead of adding them up.
 */
export function dimensionMoney(spikes: Pick<Spike, 'dimension' | 'excessMicros' | 'spendMicros'>[]): { excessMicros: number; spendMicros: number } {
  const by = new Map<string, { excessMicros: number; spendMicros: number }>();
  for (const s of spikes) {
    const e = by.get(s.dimension ?? '') ?? { excessMicros: 0, spendMicros: 0 };
    e.excessMicros += s.excessMicros;
    e.spendMicros += s.spendMicros;
    by.set(s.dimension ?? '', e);
  }
  return [...by.values()].sort((a, b) => b.excessMicros - a.excessMicros)[0] ?? { excessMicros: 0, spendMicros: 0 };
}

// ---------------------------------------------------------------------------------------
// Timeline chart of one incident

export type TimelineMarkKind = 'started' | 'detected' | 'resolved' | 'spike-start' | 'spike-end';

export interface IncidentTimeline {
  incidentId: string | number;
  granularity: Granularity;
  /** the series summed into the chart */
  seriesKeys: string[];
  buckets: string[];
  spendMicros: number[];
  /** null where any series lacks the history for a baseline */
  baselineMicros: (number | null)[];
  marks: { kind: TimelineMarkKind; at: string; bucket: string }[];
}

/**
 * Spend against baseline around an incident, summed over the series the incident names,
 * with its start, detection, resolution and spike marks. Baselines are computed on each
 * full series (they need the history) and only then cut to the padded window.
 */
export function incidentTimeline(
  inc: IncidentInput,
  series: (SpendSeries & { dimension?: SeriesDimension })[],
  opts: CorrelateOptions & { paddingBuckets?: number; spikes?: Spike[]; spike?: SpikeOptions } = {},
): IncidentTimeline {
  const picked = series.filter((s) => matchSpike({ seriesKey: s.key, dimension: s.dimension, accountId: s.accountId }, inc).length > 0);
  const granularity: Granularity = picked[0]?.granularity ?? 'day';
  const same = picked.filter((s) => s.granularity === granularity);
  const matched = (opts.spikes ?? []).filter((s) => matchSpike(s, inc).length > 0 && overlaps(spikeWindow(s), incidentWindow(inc, opts)));
  const events: { kind: TimelineMarkKind; at: string }[] = [
    ...(inc.startedAt ? [{ kind: 'started' as const, at: inc.startedAt }] : []),
    { kind: 'detected', at: inc.detectedAt },
    ...(inc.resolvedAt ? [{ kind: 'resolved' as const, at: inc.resolvedAt }] : []),
    ...matched.flatMap((s) => [{ kind: 'spike-start' as const, at: s.startAt }, { kind: 'spike-end' as const, at: s.endAt }]),
  ];
  const step = granularity === 'day' ? 24 * HOUR_MS : HOUR_MS;
  const pad = (opts.paddingBuckets ?? (granularity === 'day' ? 7 : 24)) * step;
  const times = events.map((e) => bucketMs(e.at, granularity));
  const from = Math.min(...times) - pad;
  const to = Math.max(...times) + pad;
  const buckets: string[] = [];
  for (let t = from; t <= to; t += step) buckets.push(bucketLabel(t, granularity));
  const spend = buckets.map(() => 0);
  const base: (number | null)[] = buckets.map(() => (same.length ? 0 : null));
  for (const s of same) addSeries(s, opts.spike, buckets, spend, base);
  return {
    incidentId: inc.id,
    granularity,
    seriesKeys: same.map((s) => s.key),
    buckets,
    spendMicros: spend,
    baselineMicros: base,
    marks: events.map((e) => ({ ...e, bucket: bucketLabel(bucketMs(e.at, granularity), granularity) })),
  };
}

function addSeries(s: SpendSeries, spikeOpts: SpikeOptions | undefined, buckets: string[], spend: number[], base: (number | null)[]): void {
  const b = seasonalBaseline(s, spikeOpts);
  const at = new Map(b.buckets.map((label, i) => [label, i]));
  buckets.forEach((label, k) => {
    const i = at.get(label);
    spend[k] += i === undefined ? 0 : b.values[i];
    // Outside the series' range spend is zero but the baseline is unknown.
    const v = i === undefined ? null : b.baseline[i];
    base[k] = v === null || base[k] === null ? null : (base[k] as number) + v;
  });
}
