import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/engine';
import type { IncidentsReport } from '../../shared/api/report-types';
import { shiftTest, refineStart, groupEvents } from '../../electron/engine/services/incidents-analysis';
import { detectSpikes, type SpendSeries } from '../../shared/anomaly';
import { dimensionMoney } from '../../shared/correlate';
import { addDays } from '../../shared/dates';
import { tempDbPath } from '../helpers';

/** The demo organisation's facts (electron/engine/demo/org.ts), checked through incidents-report. */
describe('incident correlation on the demo organisation', () => {
  let engine: Engine;
  let r: IncidentsReport;
  let attackerMicros: number;

  beforeAll(async () => {
    engine = createEngine({ dbPath: tempDbPath(), mode: 'test' });
    await engine.invoke('demo-load', {});
    r = await engine.invoke('incidents-report', { from: '2026-07-01', to: '2026-11-24' });
    // What the thief spent: the leaked key's gpt-4o rows on the day (the workload itself only used gpt-4o-mini).
    attackerMicros = engine.ctx.db
      .prepare<[], { m: number }>("SELECT SUM(billed_cost_micros) AS m FROM usage_records WHERE api_key = 'key_mkt_content_prod' AND day = '2026-09-24' AND model_id = 'gpt-4o'")
      .get()!.m;
  });
  afterAll(() => engine.close());

  it('finds the leaked-key spike of INC-2026-0412, when it started, the detection lag and the excess spend', () => {
    expect(r.incidents).toHaveLength(1);
    const inc = r.incidents[0];
    expect(inc.externalId).toBe('INC-2026-0412');
    expect(inc.spendImpact).toBe(true);
    expect(inc.spikes.map((m) => [m.spike.dimension, m.spike.label])).toEqual([
      ['apiKey', 'key_mkt_content_prod'],
      ['workload', 'Marketing › Content Studio › copywriter'],
    ]);
    // The probe calls at 02:00 on a model the key never used are where the theft starts.
    expect(inc.spikeStart).toBe('2026-09-24T02:00:00Z');
    expect(inc.detectionLagHours).toBe(9);
    // Excess over the seasonal baseline, counted once (key and workload are the same money): within 2 % of what the thief spent.
    expect(inc.excessMicros).toBe(Math.max(...inc.spikes.map((m) => m.spike.excessMicros)));
    expect(Math.abs(inc.excessMicros - attackerMicros) / attackerMicros).toBeLessThan(0.02);
    console.log(`[incidents] INC-2026-0412: spike start ${inc.spikeStart}, detection lag ${inc.detectionLagHours} h, excess ${(inc.excessMicros / 1e6).toFixed(2)} USD (attacker spend ${(attackerMicros / 1e6).toFixed(2)} USD)`);
  });

  it('ties the auto-recharge bought that day to the incident', () => {
    const inc = r.incidents[0];
    expect(inc.topUps.map((t) => [t.blockName, t.kind, t.amountMicros])).toEqual([['Auto-recharge 2026-09-24', 'auto-recharge', 2_000_000_000]]);
    expect(inc.autoRechargeMicros).toBe(2_000_000_000);
  });

  it('draws a daily and an hourly timeline with start, detection and resolution marked', () => {
    const inc = r.incidents[0];
    expect(inc.timeline!.seriesLabels).toEqual(['key_mkt_content_prod']);
    expect(inc.timeline!.buckets).toContain('2026-09-24');
    const h = inc.hourly!;
    expect(h.buckets).toHaveLength(24);
    expect(h.marks.map((m) => [m.kind, m.bucket])).toEqual([
      ['started', '2026-09-24T02:00:00Z'], ['detected', '2026-09-24T11:00:00Z'], ['resolved', '2026-09-24T16:00:00Z'], ['spike-start', '2026-09-24T02:00:00Z'],
    ]);
    // The hourly bars hold the whole day's spend of the key.
    const day = inc.timeline!.spendMicros[inc.timeline!.buckets.indexOf('2026-09-24')];
    expect(h.spendMicros.reduce((a, b) => a + b, 0)).toBe(day);
  });

  it('reports exactly one spike without an incident: the trend-analyst key around 2026-10-19', () => {
    expect(r.unexplained).toHaveLength(1);
    const u = r.unexplained[0];
    expect(u.label).toBe('sk-ant-api03-...mK3x (Marketing › Campaign Insights › trend-analyst)');
    expect(u.startAt).toBe('2026-10-19T00:00:00Z');
    expect(u.endAt).toBe('2026-10-21T00:00:00Z');
    expect(u.excessMicros).toBeGreaterThan(100_000_000);
    expect(r.incidentsWithoutSpend).toEqual([]);
  });

  it('tells the Code Review Bot model swap (spend stays up) from a spike, and explains it', () => {
    expect(r.levelShifts.map((l) => [l.spike.label, l.spike.start])).toEqual([
      ['sk-ant-api03-...cR4b', '2026-07-27'],
      ['Engineering › Code Review Bot', '2026-07-27'],
    ]);
    expect(r.levelShifts[0].postMicros).toBeGreaterThan(2 * r.levelShifts[0].preMicros);
    expect(r.levelShifts[0].explainedBy).toMatch(/claude-sonnet-4-5 for the first time/);
  });

  it('finds the leaked key’s first use of gpt-4o and its probe-then-burst', () => {
    expect(r.newModels.map((f) => [f.key, f.model, f.at])).toContainEqual(['key_mkt_content_prod', 'gpt-4o', '2026-09-24T02:00:00Z']);
    expect(r.probes.map((p) => [p.key, p.probeStart, p.burstStart, p.burstEnd])).toEqual([['key_mkt_content_prod', '2026-09-24T02:00:00Z', '2026-09-24T04:00:00Z', '2026-09-24T15:00:00Z']]);
  });

  it('gives one incident with its correlation through incident-timeline', async () => {
    const inc = await engine.invoke('incident-timeline', { incidentId: r.incidents[0].id });
    expect([inc.spikeStart, inc.detectionLagHours, inc.excessMicros]).toEqual([r.incidents[0].spikeStart, 9, r.incidents[0].excessMicros]);
    await expect(engine.invoke('incident-timeline', { incidentId: 999 })).rejects.toThrow(/Incident 999 was not found/);
  });

  it('matches an incident that names only the workload, in another spelling, and explains the key’s spike with it', async () => {
    const db = engine.ctx.db;
    const id = Number(db.prepare(`INSERT INTO incidents (source, external_id, title, started_at, detected_at, resolved_at, created_at) VALUES ('test', 'INC-X', 'Workload only', '2026-10-19T06:00:00Z', '2026-10-20T09:00:00Z', '2026-10-20T12:00:00Z', '2026-10-21T00:00:00Z')`).run().lastInsertRowid);
    db.prepare(`INSERT INTO incident_targets (incident_id, kind, value) VALUES (?, 'workload', 'marketing > campaign insights > TREND-ANALYST')`).run(id);
    const again = await engine.invoke('incidents-report', { from: '2026-10-01', to: '2026-10-31' });
    const x = again.incidents.find((i) => i.externalId === 'INC-X')!;
    expect(x.spendImpact).toBe(true);
    expect(x.detectionLagHours).toBe(33);
    expect(again.unexplained).toEqual([]);
    db.prepare('DELETE FROM incidents WHERE id = ?').run(id);
  });
});

describe('incident analysis passes', () => {
  const days = (n: number, f: (i: number) => number, from = '2026-01-05'): SpendSeries => ({
    key: 'k', dimension: 'apiKey', granularity: 'day', buckets: Array.from({ length: n }, (_, i) => addDays(from, i)), values: Array.from({ length: n }, (_, i) => f(i)),
  });
  const wobble = (i: number) => 100_000_000 + ((i * 7919) % 11) * 1_000_000;

  it('a run that comes back is a spike, a run that stays is a level shift', () => {
    const spike = days(90, (i) => wobble(i) + (i === 60 ? 800_000_000 : 0));
    const shift = days(90, (i) => wobble(i) * (i >= 60 ? 3 : 1));
    expect(shiftTest(spike, detectSpikes(spike)[0]).levelShift).toBe(false);
    const s = detectSpikes(shift)[0];
    expect(s.start).toBe(addDays('2026-01-05', 60));
    expect(shiftTest(shift, s)).toMatchObject({ levelShift: true });
  });

  it('refines a day-level start to the first hot hour, then to an earlier precursor on the key', () => {
    const series = days(60, (i) => wobble(i) + (i === 50 ? 2_400_000_000 : 0));
    const spike = detectSpikes(series)[0];
    const day = spike.start;
    const hourly = Array.from({ length: 24 }, (_, h) => ({ hour: `${day}T${String(h).padStart(2, '0')}:00:00Z`, micros: h >= 7 && h < 19 ? 210_000_000 : 4_000_000 }));
    expect(refineStart(spike, series, hourly, [])).toEqual({ startAt: `${day}T07:00:00Z`, basis: 'hour' });
    expect(refineStart(spike, series, hourly, [{ key: 'k', at: `${day}T05:00:00Z`, kind: 'probe' }])).toEqual({ startAt: `${day}T05:00:00Z`, basis: 'probe' });
    // a precursor two days before is another story
    expect(refineStart(spike, series, [], [{ key: 'k', at: `${addDays(day, -2)}T05:00:00Z`, kind: 'new-model' }])).toEqual({ startAt: `${day}T00:00:00Z`, basis: 'day' });
  });

  it('counts a key and its workload once: the larger dimension, not the sum', () => {
    const sp = (dimension: 'apiKey' | 'workload', excessMicros: number) => ({ dimension, excessMicros, spendMicros: excessMicros * 2 });
    expect(dimensionMoney([sp('apiKey', 300), sp('workload', 320), sp('apiKey', 50)])).toEqual({ excessMicros: 350, spendMicros: 700 });
    expect(dimensionMoney([])).toEqual({ excessMicros: 0, spendMicros: 0 });
  });

  it('merges the spikes of a key and of its workload over the same hours into one event', () => {
    const s = (dimension: 'apiKey' | 'workload', seriesKey: string, startAt: string, endAt: string) => ({ id: `${dimension}:${seriesKey}`, dimension, seriesKey, startAt, endAt, excessMicros: 1, spendMicros: 1 });
    const groups = groupEvents(
      [s('apiKey', 'k1', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'), s('workload', '7', '2026-01-01T00:00:00Z', '2026-01-03T00:00:00Z'), s('workload', '8', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z'), s('apiKey', 'k1', '2026-02-01T00:00:00Z', '2026-02-02T00:00:00Z')],
      new Map([['k1', '7']]),
    );
    expect(groups.map((g) => g.map((x) => x.id))).toEqual([['apiKey:k1', 'workload:7'], ['workload:8'], ['apiKey:k1']]);
  });
});
