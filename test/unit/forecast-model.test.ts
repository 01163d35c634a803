import { describe, expect, it } from 'vitest';
import { addDays, weekday } from '../../shared/dates';
import { fitModel, forecast, planPath, samplePath } from '../../shared/forecast/model';
import { Rng } from '../../shared/forecast/rng';
import { median, quantileSorted } from '../../shared/forecast/stats';
import { syntheticSeries } from '../../shared/forecast/synthetic';

const SEASON = [1.15, 1.2, 1.2, 1.15, 1.1, 0.6, 0.6];
const START = '2025-01-06'; // a Monday

describe('fitModel', () => {
  it('recovers level, trend, weekday factors and noise of a known process', () => {
    const s = syntheticSeries({ startDay: START, days: 120, level: 100e6, trend: 0.5e6, season: SEASON, sigma: 0.15 }, 11);
    const m = fitModel(s.values, s.days);
    const trueLevel = 100e6 + 0.5e6 * 119;
    expect(m.originDay).toBe(s.days[119]);
    expect(Math.abs(m.level / trueLevel - 1)).toBeLessThan(0.08);
    expect(Math.abs(m.trend - 0.5e6)).toBeLessThan(0.35e6);
    for (let d = 0; d < 7; d++) expect(Math.abs(m.season[d] / SEASON[d] - 1)).toBeLessThan(0.12);
    expect(m.sigma).toBeGreaterThan(0.1);
    expect(m.sigma).toBeLessThan(0.2);
    expect(m.nDays).toBe(56);
  });

  it('does not let spikes lift the level or bend the trend', () => {
    const base = syntheticSeries({ startDay: START, days: 90, level: 50e6, sigma: 0.1 }, 3);
    const spiky = [...base.values];
    for (const i of [70, 75, 80, 85, 88]) spiky[i] *= 12;
    const a = fitModel(base.values, base.days);
    const b = fitModel(spiky, base.days);
    expect(Math.abs(b.level / a.level - 1)).toBeLessThan(0.05);
    expect(Math.abs(b.trend - a.trend)).toBeLessThan(0.1e6);
    expect(b.clippedDays).toBeGreaterThanOrEqual(5);
    expect(b.spikeRate).toBeGreaterThan(0);
    expect(b.spikeSize).toBeGreaterThan(3);
  });

  it('leaves excluded days (an incident window) out of the fit', () => {
    const s = syntheticSeries({ startDay: START, days: 90, level: 20e6, sigma: 0.1 }, 4);
    const incident = s.days.slice(60, 72);
    const hit = s.values.map((v, i) => (i >= 60 && i < 72 ? v * 30 : v));
    const clean = fitModel(s.values, s.days, incident);
    const excluded = fitModel(hit, s.days, incident);
    expect(excluded.excludedDays).toBe(12);
    expect(excluded.level).toBeCloseTo(clean.level, 6);
    expect(excluded.spikeRate).toBe(clean.spikeRate);
  });

  it('gives a zero model for no history or only zeros', () => {
    expect(fitModel([], []).level).toBe(0);
    const days = Array.from({ length: 30 }, (_, i) => addDays(START, i));
    const m = fitModel(new Array(30).fill(0), days);
    expect(m.level).toBe(0);
    const f = forecast(m, addDays(START, 30), 10);
    expect(f.mean.every((x) => x === 0)).toBe(true);
    expect(f.quantiles.p90.every((x) => x === 0)).toBe(true);
  });

  it('fits a short history as a flat median without weekday factors or trend', () => {
    const days = Array.from({ length: 6 }, (_, i) => addDays(START, i));
    const m = fitModel([10, 12, 11, 90, 9, 10].map((x) => x * 1e6), days);
    expect(m.trend).toBe(0);
    expect(m.season).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(m.level).toBeGreaterThan(9e6);
    expect(m.level).toBeLessThan(12e6);
  });

  it('keeps an on/off weekly pattern: no weekend traffic forecasts zero on weekends', () => {
    const s = syntheticSeries({ startDay: START, days: 84, level: 10e6, season: [1.4, 1.4, 1.4, 1.4, 1.4, 0, 0], sigma: 0.1 }, 5);
    const m = fitModel(s.values, s.days);
    expect(m.season[5]).toBe(0);
    expect(m.season[6]).toBe(0);
    const f = forecast(m, addDays(s.days[83], 1), 14);
    f.days.forEach((d, i) => {
      if (weekday(d) >= 5) expect(f.quantiles.p90[i]).toBe(0);
      else expect(f.quantiles.p50[i]).toBeGreaterThan(10e6);
    });
    expect(m.sigma).toBeLessThan(0.2); // the zero weekends do not count as noise
  });
});

describe('forecast', () => {
  const s = syntheticSeries({ startDay: START, days: 100, level: 80e6, trend: 0.2e6, season: SEASON, sigma: 0.2, phi: 0.3, spikeRate: 0.02 }, 8);
  const m = fitModel(s.values, s.days);
  const start = addDays(s.days[99], 1);

  it('orders the quantiles and puts the mean above the median', () => {
    const f = forecast(m, start, 60, [0.1, 0.5, 0.9]);
    expect(f.days[0]).toBe(start);
    for (let i = 0; i < 60; i++) {
      expect(f.quantiles.p10[i]).toBeLessThanOrEqual(f.quantiles.p50[i]);
      expect(f.quantiles.p50[i]).toBeLessThanOrEqual(f.quantiles.p90[i]);
      expect(f.mean[i]).toBeGreaterThanOrEqual(f.quantiles.p50[i]);
    }
    // the band widens with the horizon (parameter uncertainty)
    const width = (i: number) => f.quantiles.p90[i] / f.quantiles.p10[i];
    expect(width(59)).toBeGreaterThan(width(7));
  });

  it('agrees with its own Monte Carlo sampler', () => {
    const H = 40;
    const f = forecast(m, start, H);
    const plan = planPath(m, start, H);
    const rng = new Rng(77);
    const n = 6000;
    const out = new Float64Array(H);
    const day = new Float64Array(n);
    let total = 0;
    for (let p = 0; p < n; p++) {
      samplePath(plan, rng, out);
      day[p] = out[30];
      for (const x of out) total += x;
    }
    const sorted = day.sort();
    // the sampler leaves the weekday-factor error out (it cancels over a week), so its band is a little narrower
    expect(quantileSorted(sorted, 0.5) / f.quantiles.p50[30]).toBeCloseTo(1, 1);
    expect(quantileSorted(sorted, 0.9) / f.quantiles.p90[30]).toBeGreaterThan(0.9);
    expect(quantileSorted(sorted, 0.9) / f.quantiles.p90[30]).toBeLessThan(1.05);
    const meanTotal = f.mean.reduce((a, b) => a + b, 0);
    expect(total / n / meanTotal).toBeGreaterThan(0.97);
    expect(total / n / meanTotal).toBeLessThan(1.03);
  });

  it('samples reproducibly per seed', () => {
    const plan = planPath(m, start, 30);
    const a = new Float64Array(30);
    const b = new Float64Array(30);
    samplePath(plan, new Rng(1), a);
    samplePath(plan, new Rng(1), b);
    expect(b).toEqual(a);
    expect(a.every((x) => x >= 0)).toBe(true);
  });
});

describe('median', () => {
  it('is the middle of the sorted values (by selection), the mean of the two middle ones for an even count', () => {
    const rng = new Rng(5);
    const bySort = (xs: Float64Array) => {
      const s = Float64Array.from(xs).sort();
      const n = s.length;
      return n % 2 === 1 ? s[(n - 1) >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2;
    };
    for (const n of [1, 2, 3, 4, 7, 10, 101, 1000, 7140]) {
      const spread = Float64Array.from({ length: n }, () => rng.normal());
      const ties = Float64Array.from({ length: n }, () => rng.int(5)); // many equal values
      const sorted = Float64Array.from(spread).sort();
      for (const xs of [spread, ties, sorted, sorted.slice().reverse()]) expect(median(xs)).toBe(bySort(xs));
    }
    expect(median([3, Number.NaN, 1])).toBe(3); // NaN sorts last
    expect(median([])).toBeNaN();
  });
});
