/**
 * Incident correlation: spikes per API key and per workload against a seasonal baseline
 * (shared/anomaly.ts), new-model use and probe-then-burst, matched to the recorded incidents
 * (shared/correlate.ts) with detection lag, excess spend, top-ups in the window and a timeline.
 */
import type { EngineContext } from '../context';
import { untilChanged } from './data-cache';
import { NotFoundError } from '../errors';
import { detectNewModelUse, detectProbeThenBurst, detectSpikes, type ProbeBurstFinding, type ProbeBurstOptions, type SpendSeries, type Spike } from '../../../shared/anomaly';
import { correlateIncidents, dimensionMoney, type IncidentCorrelation } from '../../../shared/correlate';
import { addDays } from '../../../shared/dates';
import { instant } from '../../../shared/report-format';
import type { IncidentView, IncidentsReport, LevelShift, SpikeView, UnexplainedSpike } from '../../../shared/api/report-types';
import { loadIncidentData, toTopUpInput, type IncidentData, type Names } from './incidents-data';
import { groupEvents, refineStart, shiftTest, type Precursor } from './incidents-analysis';
import { hourlyTimeline, dailyTimeline } from './incidents-timeline';

/** Baselines need 8 weeks of history plus 3 weeks before a day is scored. */
const HISTORY_DAYS = 84;
/**
 * Probe calls may cost up to $1 in all (the shared default is $0.10): a thief's test calls on
 * an expensive model cost more than a cent or two, and $1 is still nothing next to a burst.
 */
export const PROBE_OPTIONS: ProbeBurstOptions = { maxProbeCostMicros: 1_000_000 };

export const METHOD = [
  'Spikes: daily spend per API key and per workload against a robust seasonal baseline (day-of-week median over 8 weeks, robust z-score ≥ 4, excess ≥ $1).',
  'A run after which spend stays at the new level is a level shift (model swap, new workload), listed apart, not a spike.',
  'Spike start: refined to the first hour at twice the flat hourly baseline where the exports are hourly, and moved back to an attack precursor on the same key within a day (first use of a new model, a probe before a burst).',
  'Detection lag: spike start → incident detected. Excess: spend over the baseline during the spike; a key and its workload are the same money and are not added up.',
  'Top-ups: credit blocks bought inside the incident window; auto-recharge when named so or bought on an auto-recharge account outside a request.',
];

const inWindow = (s: { startAt: string; endAt: string }, from: string, to: string) => s.startAt < `${addDays(to, 1)}T00:00:00Z` && s.endAt > `${from}T00:00:00Z`;

/**
 * The incident report for [from, to]. Seconds at millions of rows, and asked for again by every
 * export of the same report (PDF, each CSV table, JSON), so it is kept until the data changes
 * (data-cache.ts); it depends on nothing else. Callers share the value and must not change it.
 */
export function buildIncidentsReport(ctx: EngineContext, from: string, to: string): IncidentsReport {
  return untilChanged(ctx.db, `incidents-report:${from}:${to}`, () => computeIncidentsReport(ctx, from, to));
}

function computeIncidentsReport(ctx: EngineContext, from: string, to: string): IncidentsReport {
  const data = loadIncidentData(ctx, addDays(from, -HISTORY_DAYS), from, to);
  const newModels = detectNewModelUse(data.modelUses);
  const probes = probeFindings(data);
  const precursors: Precursor[] = [
    ...newModels.map((f) => ({ key: f.key, at: f.at, kind: 'new-model' as const })),
    ...probes.map((p) => ({ key: p.key, at: p.probeStart, kind: 'probe' as const })),
  ];
  const spikes: { spike: Spike; view: SpikeView; series: SpendSeries }[] = [];
  const levelShifts: LevelShift[] = [];
  for (const series of data.series) {
    for (const raw of detectSpikes(series)) {
      if (!inWindow(raw, from, to)) continue;
      const refined = refineSpike(raw, series, data, precursors);
      const shift = shiftTest(series, raw);
      if (shift.levelShift) {
        const near = newModels.find((f) => keysOf(series, data.names).includes(f.key) && Math.abs(Date.parse(f.at) - Date.parse(raw.startAt)) <= 3 * 86_400_000);
        levelShifts.push({ spike: refined.view, preMicros: shift.preMicros, runMicros: shift.runMicros, postMicros: shift.postMicros, explainedBy: near?.explanation ?? null });
      } else spikes.push({ ...refined, series });
    }
  }
  const report = correlateIncidents(spikes.map((s) => s.spike), data.incidents.map((i) => i.input), data.topUps.map(toTopUpInput));
  const viewOf = new Map(spikes.map((s) => [s.spike, s.view]));
  const incidents = report.incidents.map((c, k) => incidentView(data, k, c, viewOf, spikes));
  return {
    from, to, incidents,
    unexplained: unexplained(spikes.map((s) => s.view), new Set(report.unexplainedSpikes.map((u) => viewOf.get(u.spike)!)), data),
    incidentsWithoutSpend: incidents.filter((i) => !i.spendImpact).map((i) => ({ id: i.id, externalId: i.externalId, title: i.title })),
    spikes: spikes.map((s) => s.view),
    levelShifts,
    newModels: newModels.filter((f) => f.at.slice(0, 10) >= from && f.at.slice(0, 10) <= to),
    probes: probes.filter((p) => p.at.slice(0, 10) >= from && p.at.slice(0, 10) <= to),
    topUps: data.topUps.filter((t) => t.purchasedOn >= from && t.purchasedOn <= to),
    method: METHOD,
  };
}

/** One incident with its correlation, over a window around it. */
export function buildIncidentView(ctx: EngineContext, incidentId: number): IncidentView {
  const row = ctx.db
    .prepare<[number], { started: string; detected: string; resolved: string | null }>('SELECT COALESCE(started_at, detected_at) AS started, detected_at AS detected, resolved_at AS resolved FROM incidents WHERE id = ?')
    .get(incidentId);
  if (!row) throw new NotFoundError(`Incident ${incidentId}`);
  const end = (row.resolved ?? ctx.now()).slice(0, 10);
  const r = buildIncidentsReport(ctx, addDays(row.started.slice(0, 10), -7), addDays(end, 7));
  const found = r.incidents.find((i) => i.id === incidentId);
  if (!found) throw new NotFoundError(`Incident ${incidentId}`);
  return found;
}

/** The keys whose spend a series holds: the key itself, or the keys of a workload. */
function keysOf(series: SpendSeries, names: Names): string[] {
  if (series.dimension === 'apiKey') return [series.key];
  return [...names.workloadOfKey].filter(([, w]) => w === series.key).map(([k]) => k);
}

function refineSpike(raw: Spike, series: SpendSeries, data: IncidentData, precursors: Precursor[]): { spike: Spike; view: SpikeView } {
  const keys = keysOf(series, data.names);
  const byHour = new Map<string, number>();
  for (const h of hourlyBySeries(data).get(`${series.dimension === 'apiKey' ? 'apiKey' : 'workload'}:${series.key}`) ?? []) {
    byHour.set(h.hour, (byHour.get(h.hour) ?? 0) + h.micros);
  }
  const hourly = [...byHour].map(([hour, micros]) => ({ hour, micros }));
  const { startAt, basis } = refineStart(raw, series, hourly, precursors.filter((p) => keys.includes(p.key)));
  const spike: Spike = { ...raw, startAt };
  const dimension = series.dimension === 'apiKey' ? 'apiKey' : 'workload';
  const accountId = series.accountId ?? null;
  return {
    spike,
    view: {
      id: `${dimension}:${raw.seriesKey}:${raw.start}`, dimension, seriesKey: raw.seriesKey,
      label: dimension === 'apiKey' ? raw.seriesKey : data.names.workload.get(raw.seriesKey) ?? `workload ${raw.seriesKey}`,
      accountId: accountId === null ? null : Number(accountId), accountName: accountId === null ? null : data.names.account.get(accountId) ?? null,
      granularity: raw.granularity, start: raw.start, end: raw.end, startAt, endAt: raw.endAt, startBasis: basis, buckets: raw.buckets,
      peak: raw.peak, peakMicros: raw.peakMicros, spendMicros: raw.spendMicros, baselineMicros: raw.baselineMicros,
      excessMicros: raw.excessMicros, score: Math.round(raw.score * 10) / 10,
    },
  };
}

/** The hourly points of each key ('apiKey:KEY') and workload ('workload:ID'), indexed once per report. */
const hourlyIndex = new WeakMap<IncidentData, Map<string, IncidentData['hourly']>>();
function hourlyBySeries(data: IncidentData): Map<string, IncidentData['hourly']> {
  let index = hourlyIndex.get(data);
  if (!index) {
    index = new Map();
    const add = (k: string, h: IncidentData['hourly'][number]) => {
      const list = index!.get(k);
      if (list) list.push(h);
      else index!.set(k, [h]);
    };
    for (const h of data.hourly) {
      if (h.apiKey !== null) add(`apiKey:${h.apiKey}`, h);
      if (h.workloadId !== null) add(`workload:${h.workloadId}`, h);
    }
    hourlyIndex.set(data, index);
  }
  return index;
}

/** Probe-then-burst per key and model; an hourly finding wins over the daily one of the same burst. */
function probeFindings(data: IncidentData): ProbeBurstFinding[] {
  const hourly = detectProbeThenBurst(data.activity.filter((a) => a.granularity === 'hour'), PROBE_OPTIONS);
  const daily = detectProbeThenBurst(data.activity.filter((a) => a.granularity === 'day'), PROBE_OPTIONS).filter(
    (d) => !hourly.some((h) => h.key === d.key && h.burstStart.slice(0, 10) >= d.burstStart.slice(0, 10) && h.burstStart.slice(0, 10) <= d.burstEnd.slice(0, 10)),
  );
  return [...hourly, ...daily].sort((a, b) => a.at.localeCompare(b.at));
}

function incidentView(data: IncidentData, k: number, c: IncidentCorrelation, viewOf: Map<Spike, SpikeView>, all: { spike: Spike; series: SpendSeries }[]): IncidentView {
  const { row, input, targets } = data.incidents[k];
  const matched = c.spikes.map((m) => ({ spike: viewOf.get(m.spike)!, matchedBy: m.matchedBy }));
  const topUps = data.topUps.filter((t) => c.topUps.some((u) => u.at === t.purchasedOn && u.accountId === String(t.accountId) && u.amountMicros === t.amountMicros));
  const timeline = dailyTimeline(input, data, all.map((s) => s.spike));
  return {
    id: row.id, externalId: row.externalId, title: row.title, type: row.type, severity: row.severity, status: row.status,
    startedAt: row.startedAt, detectedAt: row.detectedAt, resolvedAt: row.resolvedAt, targets,
    spikes: matched, spikeStart: c.spikeStart, spikeEnd: c.spikeEnd, detectionLagHours: c.detectionLagHours,
    excessMicros: c.excessMicros, spendMicros: c.spendMicros, topUps, topUpMicros: c.topUpMicros, autoRechargeMicros: c.autoRechargeMicros,
    spendImpact: c.spendImpact, timeline: timeline?.view ?? null,
    hourly: timeline ? hourlyTimeline(input, data, timeline, c.spikeStart) : null,
  };
}

/**
 * Events no incident explains. Grouping runs over all spikes: when an incident names only the
 * workload, the key's spike over the same hours is the same money and is explained with it.
 */
function unexplained(all: SpikeView[], open: Set<SpikeView>, data: IncidentData): UnexplainedSpike[] {
  return groupEvents(all, data.names.workloadOfKey)
    .filter((group) => group.every((s) => open.has(s)))
    .map((group): UnexplainedSpike => {
      const money = dimensionMoney(group);
      const key = group.find((s) => s.dimension === 'apiKey');
      const wl = group.find((s) => s.dimension === 'workload');
      const label = key && wl ? `${key.label} (${wl.label})` : group[0].label;
      const startAt = group.map((s) => s.startAt).sort()[0];
      const endAt = group.map((s) => s.endAt).sort().at(-1)!;
      const accounts = new Set(group.map((s) => s.accountId));
      const topUps = data.topUps.filter((t) => accounts.has(t.accountId) && t.purchasedOn >= startAt.slice(0, 10) && `${t.purchasedOn}T00:00:00Z` < endAt);
      return {
        id: group[0].id, label, startAt, endAt, excessMicros: money.excessMicros, spendMicros: money.spendMicros,
        accountName: group[0].accountName, spikes: group, topUps,
        explanation: `No recorded incident covers ${label} from ${instant(startAt)} to ${instant(endAt)}` + (topUps.length ? `; ${topUps.length} top-up(s) on its account during the spike` : '') + ': review it as a possible undetected compromise.',
      };
    })
    .sort((a, b) => b.excessMicros - a.excessMicros);
}
