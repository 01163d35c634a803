import { describe, it, expect } from 'vitest';
import { detectSpikes, detectNewModelUse, detectProbeThenBurst, seasonalBaseline, type Granularity, type Spike } from '../../shared/anomaly';
import { isoDay, isoInstant } from '../../shared/dates';

/** mulberry32: a tiny deterministic PRNG so every run sees the same synthetic data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

interface Synthetic {
  buckets: string[];
  values: number[];
  injected: { from: number; to: number }[];
}

const START = Date.UTC(2025, 0, 6); // a Monday

/** Weekly (and for hours, daily) seasonality with lognormal noise, plus injected spikes. */
function synthetic(rand: () => number, g: Granularity): Synthetic {
  const step = g === 'day' ? 86_400_000 : 3_600_000;
  const n = g === 'day' ? 210 : 10 * 168;
  const level = (g === 'day' ? 50 : 2) * 1e6 * (1 + 9 * rand());
  const weekend = 0.3 + 0.4 * rand();
  const buckets: string[] = [];
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = new Date(START + i * step);
    const wd = (d.getUTCDay() + 6) % 7;
    const h = d.getUTCHours();
    const daily = g === 'hour' ? (h >= 8 && h < 19 ? 1 : 0.15) : 1;
    const mean = level * daily * (wd >= 5 ? weekend : 1);
    buckets.push(g === 'day' ? isoDay(d.getTime()) : isoInstant(d.getTime()));
    values.push(Math.round(mean * Math.exp(0.2 * gaussian(rand))));
  }
  const injected: { from: number; to: number }[] = [];
  const warmup = g === 'day' ? 28 : 2 * 168;
  for (let at = warmup + Math.floor(rand() * 20); at < n - 10; at += (g === 'day' ? 25 : 90) + Math.floor(rand() * 30)) {
    const len = 1 + Math.floor(rand() * (g === 'day' ? 4 : 8));
    const excess = level * (0.6 + 3.4 * rand()); // 0.6–4× the weekday level, against 20% noise
    for (let j = at; j < Math.min(n, at + len); j++) values[j] += Math.round(excess);
    injected.push({ from: at, to: at + len - 1 });
  }
  return { buckets, values, injected };
}

function score(spikes: Spike[], s: Synthetic): { tp: number; detected: number; found: number; injected: number } {
  const index = (label: string) => s.buckets.indexOf(label);
  const overlaps = (sp: Spike, inj: { from: number; to: number }) => index(sp.start) <= inj.to && index(sp.end) >= inj.from;
  return {
    tp: spikes.filter((sp) => s.injected.some((inj) => overlaps(sp, inj))).length,
    detected: spikes.length,
    found: s.injected.filter((inj) => spikes.some((sp) => overlaps(sp, inj))).length,
    injected: s.injected.length,
  };
}

describe('detectSpikes', () => {
  for (const g of ['day', 'hour'] as const) {
    it(`finds injected ${g}ly spikes with precision and recall ≥ 0.8 over several seeds`, () => {
      const total = { tp: 0, detected: 0, found: 0, injected: 0 };
      for (const seed of [1, 2, 3, 5, 8, 13, 21, 34]) {
        const s = synthetic(prng(seed), g);
        const r = score(detectSpikes({ key: `k${seed}`, buckets: s.buckets, values: s.values, granularity: g }), s);
        for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += r[k];
      }
      const precision = total.tp / total.detected;
      const recall = total.found / total.injected;
      console.log(`[anomaly] ${g}: ${total.injected} injected, ${total.detected} detected, precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`);
      expect(precision).toBeGreaterThanOrEqual(0.8);
      expect(recall).toBeGreaterThanOrEqual(0.8);
    });
  }

  it('reports one spike per run with excess, baseline and peak to the micro-unit', () => {
    const buckets = Array.from({ length: 42 }, (_, i) => isoDay(START + i * 86_400_000));
    const values = buckets.map((_, i) => 10_000_000 + (i % 2) * 1_000_000);
    values[36] += 50_000_000;
    values[37] += 80_000_000;
    const [spike, ...rest] = detectSpikes({ key: 'key-a', buckets, values, granularity: 'day', dimension: 'apiKey', accountId: 'acct' });
    expect(rest).toEqual([]);
    const b = seasonalBaseline({ key: 'key-a', buckets, values, granularity: 'day' });
    expect(spike).toMatchObject({ seriesKey: 'key-a', dimension: 'apiKey', accountId: 'acct', start: buckets[36], end: buckets[37], buckets: 2, peak: buckets[37] });
    expect(spike.baselineMicros).toBe((b.baseline[36] ?? 0) + (b.baseline[37] ?? 0));
    expect(spike.excessMicros).toBe(values[36] + values[37] - spike.baselineMicros);
    expect(spike.startAt).toBe(`${buckets[36]}T00:00:00Z`);
    expect(spike.endAt).toBe(`${buckets[38]}T00:00:00Z`);
  });

  it('treats sparse input as zero spend and sums repeated buckets', () => {
    const buckets = ['2025-03-01T00:00:00Z', '2025-03-05T10:00:00Z', '2025-03-05T10:00:00Z'];
    const spikes = detectSpikes({ key: 'idle', buckets, values: [1_000, 4_000_000, 3_000_000], granularity: 'hour' });
    expect(spikes).toHaveLength(1);
    expect(spikes[0]).toMatchObject({ start: '2025-03-05T10:00:00Z', spendMicros: 7_000_000, excessMicros: 7_000_000 });
  });

  it('scores nothing before there is enough history', () => {
    const b = seasonalBaseline({ key: 'x', buckets: ['2025-01-01', '2025-01-02'], values: [1, 2], granularity: 'day' });
    expect(b.score).toEqual([null, null]);
    expect(detectSpikes({ key: 'x', buckets: [], values: [], granularity: 'day' })).toEqual([]);
  });
});

describe('detectNewModelUse', () => {
  it('flags an established key calling a model it never used, not a new key finding its feet', () => {
    const days = Array.from({ length: 10 }, (_, i) => isoDay(START + i * 86_400_000));
    const uses = [
      ...days.map((d) => ({ key: 'prod', bucket: d, models: ['gpt-4o-mini'] })),
      { key: 'prod', bucket: days[9], models: ['gpt-4o-mini', 'o1-pro'] },
      { key: 'new', bucket: days[7], models: ['gpt-4o'] },
      { key: 'new', bucket: days[8], models: ['o1-pro', 'gpt-4o'] },
    ];
    const findings = detectNewModelUse(uses);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'new-model', key: 'prod', at: days[9], model: 'o1-pro', knownModels: ['gpt-4o-mini'], usedByOtherKeys: true });
    expect(findings[0].explanation).toContain('o1-pro');
  });
});

describe('detectProbeThenBurst', () => {
  const hours = (n: number) => Array.from({ length: n }, (_, i) => isoInstant(START + i * 3_600_000));

  it('finds a few cheap calls after a quiet spell followed by a surge', () => {
    const b = hours(72);
    const requests = b.map(() => 0);
    const cost = b.map(() => 0);
    requests[50] = 2; cost[50] = 2_000;
    requests[51] = 1; cost[51] = 1_000;
    for (let h = 55; h < 60; h++) { requests[h] = 400; cost[h] = 30_000_000; }
    const [f, ...rest] = detectProbeThenBurst({ key: 'leaked', granularity: 'hour', buckets: b, requests, costMicros: cost });
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ key: 'leaked', probeStart: b[50], probeEnd: b[51], probeRequests: 3, probeCostMicros: 3_000, burstStart: b[55], burstEnd: b[59], burstRequests: 2_000, burstCostMicros: 150_000_000, at: b[55] });
    expect(f.explanation).toMatch(/tested before being abused/);
  });

  it('ignores steady use, a burst without a probe, and a probe without a burst', () => {
    const b = hours(72);
    const steady = detectProbeThenBurst({ key: 's', granularity: 'hour', buckets: b, requests: b.map(() => 5), costMicros: b.map((_, i) => (i === 40 ? 90_000_000 : 50_000)) });
    const noProbe = detectProbeThenBurst({ key: 'n', granularity: 'hour', buckets: b, requests: b.map((_, i) => (i >= 50 ? 300 : 0)), costMicros: b.map((_, i) => (i >= 50 ? 20_000_000 : 0)) });
    const noBurst = detectProbeThenBurst({ key: 'p', granularity: 'hour', buckets: b, requests: b.map((_, i) => (i === 30 ? 2 : 0)), costMicros: b.map((_, i) => (i === 30 ? 1_000 : 0)) });
    expect([steady, noProbe, noBurst]).toEqual([[], [], []]);
  });
});
