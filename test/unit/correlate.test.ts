import { describe, it, expect } from 'vitest';
import { detectSpikes, type SpendSeries, type Spike } from '../../shared/anomaly';
import { correlateIncidents, incidentTimeline, matchSpike, type IncidentInput, type TopUpInput } from '../../shared/correlate';
import { addDays } from '../../shared/dates';

const D0 = '2025-01-06';
const day = (n: number) => addDays(D0, n);

/** 70 days of ~$100/day with a weekly wobble; extra spend on the given days. */
function series(key: string, extra: Record<number, number>, more: Partial<SpendSeries> = {}): SpendSeries {
  const buckets = Array.from({ length: 70 }, (_, i) => day(i));
  const values = buckets.map((_, i) => 100_000_000 + ((i * 7919) % 13) * 1_000_000 + (extra[i] ?? 0));
  return { key, buckets, values, granularity: 'day', ...more };
}

const leakedKey = series('sk-leak', { 45: 900_000_000, 46: 1_200_000_000, 47: 600_000_000 }, { dimension: 'apiKey', accountId: 'acct-1' });
const agent = series('agent-x', { 50: 2_000_000_000 }, { dimension: 'workload', accountId: 'acct-2' });
const spikes = [...detectSpikes(leakedKey), ...detectSpikes(agent)];

const leak: IncidentInput = {
  id: 'INC-1', title: 'Leaked key on GitHub', startedAt: `${day(44)}T12:00:00Z`, detectedAt: `${day(47)}T06:00:00Z`,
  resolvedAt: `${day(48)}T00:00:00Z`, apiKeys: ['sk-leak'], workloads: [], accounts: ['acct-1'],
};
const phishing: IncidentInput = {
  id: 'INC-2', title: 'Phishing attempt', startedAt: null, detectedAt: `${day(30)}T09:00:00Z`, resolvedAt: `${day(31)}T00:00:00Z`,
  apiKeys: ['sk-other'], workloads: [], accounts: [],
};
const topUps: TopUpInput[] = [
  { at: day(46), accountId: 'acct-1', amountMicros: 500_000_000, kind: 'auto-recharge' },
  { at: `${day(47)}T02:00:00Z`, accountId: 'acct-1', amountMicros: 250_000_000, kind: 'top-up' },
  { at: day(20), accountId: 'acct-1', amountMicros: 1_000_000_000, kind: 'top-up' },
  { at: day(46), accountId: 'acct-9', amountMicros: 700_000_000, kind: 'auto-recharge' },
  { at: day(50), accountId: 'acct-2', amountMicros: 300_000_000, kind: 'auto-recharge' },
];

describe('correlateIncidents', () => {
  const report = correlateIncidents(spikes, [leak, phishing], topUps);
  const inc = report.incidents[0];

  it('matches the leaked key spike, measures the detection lag and the excess', () => {
    expect(spikes.map((s) => [s.seriesKey, s.start, s.end])).toEqual([['sk-leak', day(45), day(47)], ['agent-x', day(50), day(50)]]);
    expect(inc.spikes).toHaveLength(1);
    expect(inc.spikes[0].matchedBy).toEqual(['apiKey', 'account']);
    expect(inc.spikeStart).toBe(`${day(45)}T00:00:00Z`);
    expect(inc.detectionLagHours).toBe(54);
    expect(inc.excessMicros).toBe(spikes[0].excessMicros);
    // The baseline is the weekday median, so the excess is the injected spend within the wobble.
    expect(Math.abs(inc.excessMicros - 2_700_000_000)).toBeLessThan(3 * 13_000_000);
  });

  it('lists the top-ups on the incident accounts inside the window, auto-recharges apart', () => {
    expect(inc.topUps.map((t) => t.amountMicros)).toEqual([500_000_000, 250_000_000]);
    expect(inc.topUpMicros).toBe(750_000_000);
    expect(inc.autoRechargeMicros).toBe(500_000_000);
    expect(inc.windowStart).toBe(`${day(44)}T12:00:00Z`);
    expect(inc.windowEnd).toBe(`${day(48)}T00:00:00Z`);
  });

  it('reports the spike no incident covers, with the top-up that fed it, and the incident without spend', () => {
    expect(report.unexplainedSpikes).toHaveLength(1);
    expect(report.unexplainedSpikes[0].spike.seriesKey).toBe('agent-x');
    expect(report.unexplainedSpikes[0].topUps.map((t) => t.amountMicros)).toEqual([300_000_000]);
    expect(report.unexplainedSpikes[0].explanation).toMatch(/undetected compromise/);
    expect(report.incidentsWithoutSpend).toEqual(['INC-2']);
    expect(report.incidents[1]).toMatchObject({ spendImpact: false, detectionLagHours: null, excessMicros: 0, spikeStart: null });
  });

  it('uses the slack around the incident window, and open incidents run until asOf', () => {
    const before: Spike = { ...spikes[0], startAt: `${day(43)}T00:00:00Z`, endAt: `${day(43)}T16:00:00Z` };
    expect(correlateIncidents([before], [leak], []).incidents[0].spikes).toHaveLength(1);
    expect(correlateIncidents([before], [leak], [], { slackHours: 0 }).incidents[0].spikes).toHaveLength(0);
    const later: Spike = { ...spikes[0], startAt: `${day(60)}T00:00:00Z`, endAt: `${day(61)}T00:00:00Z` };
    const open = { ...leak, resolvedAt: null };
    expect(correlateIncidents([later], [open], []).incidents[0].spikes).toHaveLength(1);
    expect(correlateIncidents([later], [open], [], { asOf: `${day(50)}T00:00:00Z` }).incidents[0].spikes).toHaveLength(0);
  });

  it('matches by the dimension of the series, or any list when it is unknown', () => {
    const inc: IncidentInput = { ...leak, apiKeys: ['shared-name'], workloads: [], accounts: [] };
    expect(matchSpike({ seriesKey: 'shared-name', dimension: 'workload' }, inc)).toEqual([]);
    expect(matchSpike({ seriesKey: 'shared-name' }, inc)).toEqual(['apiKey']);
    expect(matchSpike({ seriesKey: 'acct-1', dimension: 'account' }, leak)).toEqual(['account']);
  });
});

describe('incidentTimeline', () => {
  it('gives spend vs baseline around the incident with its marks', () => {
    const t = incidentTimeline(leak, [leakedKey, agent], { spikes });
    expect(t.seriesKeys).toEqual(['sk-leak']);
    expect(t.buckets[0]).toBe(day(37));
    expect(t.buckets.at(-1)).toBe(day(55));
    expect(t.spendMicros[t.buckets.indexOf(day(46))]).toBe(leakedKey.values[46]);
    expect(t.baselineMicros.every((b) => b !== null && b > 90_000_000 && b < 115_000_000)).toBe(true);
    expect(t.marks.map((m) => [m.kind, m.bucket])).toEqual([
      ['started', day(44)], ['detected', day(47)], ['resolved', day(48)], ['spike-start', day(45)], ['spike-end', day(48)],
    ]);
  });

  it('leaves the baseline empty where the series has no history', () => {
    const t = incidentTimeline({ ...leak, detectedAt: `${day(3)}T00:00:00Z`, startedAt: null, resolvedAt: null }, [leakedKey]);
    expect(t.baselineMicros[0]).toBeNull();
    expect(t.spendMicros[0]).toBe(0); // before the series starts
  });
});
