/**
 * Timeline charts of an incident: daily spend against the seasonal baseline around it, and hour
 * by hour over its days where the exports are hourly. The series of one dimension only are
 * summed (the incident's keys, else its workloads, else its accounts): a key and its workload
 * are the same money, and adding them would double the bars.
 */
import { incidentTimeline, type IncidentInput, type TimelineMarkKind } from '../../../shared/correlate';
import type { SpendSeries, Spike } from '../../../shared/anomaly';
import { addDays } from '../../../shared/dates';
import type { TimelineView } from '../../../shared/api/report-types';
import type { IncidentData } from './incidents-data';

export interface DailyTimeline {
  view: TimelineView;
  series: SpendSeries[];
}

function chooseSeries(inc: IncidentInput, data: IncidentData): SpendSeries[] {
  const keys = data.series.filter((s) => s.dimension === 'apiKey' && inc.apiKeys.includes(s.key));
  if (keys.length) return keys;
  const workloads = data.series.filter((s) => s.dimension === 'workload' && inc.workloads.includes(s.key));
  if (workloads.length) return workloads;
  return data.accountSeries.filter((s) => inc.accounts.includes(s.key));
}

function label(s: SpendSeries, data: IncidentData): string {
  if (s.dimension === 'workload') return data.names.workload.get(s.key) ?? `workload ${s.key}`;
  if (s.dimension === 'account') return data.names.account.get(s.key) ?? `account ${s.key}`;
  return s.key;
}

export function dailyTimeline(inc: IncidentInput, data: IncidentData, spikes: Spike[]): DailyTimeline | null {
  const series = chooseSeries(inc, data);
  if (series.length === 0) return null;
  const own = spikes.filter((s) => series.some((x) => x.key === s.seriesKey && x.dimension === s.dimension));
  const t = incidentTimeline(inc, series, { spikes: own });
  return {
    series,
    view: { granularity: t.granularity, buckets: t.buckets, spendMicros: t.spendMicros, baselineMicros: t.baselineMicros, marks: t.marks, seriesLabels: series.map((s) => label(s, data)) },
  };
}

const hourOf = (iso: string) => `${iso.slice(0, 13)}:00:00Z`;

/**
 * Hour by hour over the incident's days (at most three), only when the hourly rows hold all of
 * those days' spend; the baseline is the day's baseline spread evenly over its hours.
 */
export function hourlyTimeline(inc: IncidentInput, data: IncidentData, daily: DailyTimeline, spikeStart: string | null): TimelineView | null {
  const dim = daily.series[0].dimension;
  if (dim === 'account') return null;
  const keys = new Set(daily.series.map((s) => s.key));
  const first = (inc.startedAt ?? inc.detectedAt).slice(0, 10);
  const lastDay = (inc.resolvedAt ?? inc.detectedAt).slice(0, 10);
  const days: string[] = [];
  for (let d = first; d <= lastDay && days.length < 3; d = addDays(d, 1)) days.push(d);
  const byHour = new Map<string, number>();
  for (const h of data.hourly) {
    const key = dim === 'apiKey' ? h.apiKey : h.workloadId === null ? null : String(h.workloadId);
    if (key !== null && keys.has(key) && days.includes(h.hour.slice(0, 10))) byHour.set(h.hour, (byHour.get(h.hour) ?? 0) + h.micros);
  }
  const at = new Map(daily.view.buckets.map((b, i) => [b, i]));
  for (const d of days) {
    const i = at.get(d);
    const hourly = [...byHour].filter(([h]) => h.startsWith(d)).reduce((a, [, v]) => a + v, 0);
    const total = i === undefined ? 0 : daily.view.spendMicros[i];
    if (total <= 0 || hourly < 0.99 * total) return null;
  }
  const buckets = days.flatMap((d) => Array.from({ length: 24 }, (_, h) => `${d}T${String(h).padStart(2, '0')}:00:00Z`));
  const base = (b: string) => {
    const i = at.get(b.slice(0, 10));
    const v = i === undefined ? null : daily.view.baselineMicros[i];
    return v === null ? null : Math.round(v / 24);
  };
  const events: { kind: TimelineMarkKind; at: string | null }[] = [
    { kind: 'started', at: inc.startedAt }, { kind: 'detected', at: inc.detectedAt }, { kind: 'resolved', at: inc.resolvedAt }, { kind: 'spike-start', at: spikeStart },
  ];
  return {
    granularity: 'hour', buckets, spendMicros: buckets.map((b) => byHour.get(b) ?? 0), baselineMicros: buckets.map(base),
    marks: events.filter((e): e is { kind: TimelineMarkKind; at: string } => e.at !== null).map((e) => ({ kind: e.kind, at: e.at, bucket: hourOf(e.at) })),
    seriesLabels: daily.view.seriesLabels,
  };
}
