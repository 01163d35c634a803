import { describe, expect, it } from 'vitest';
import { addDays } from '../../shared/dates';
import { backtest, monthToDateRate, score, trailingAverage } from '../../shared/forecast/backtest';
import { syntheticSeries } from '../../shared/forecast/synthetic';

/** level + trend + weekly seasonality + AR(1) lognormal noise + injected spikes */
const PROCESS = { level: 100e6, trend: 0.25e6, season: [1.15, 1.2, 1.2, 1.15, 1.1, 0.6, 0.6], sigma: 0.2, phi: 0.3, spikeRate: 0.03 };
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

describe('backtest on a known process', () => {
  for (const naive of ['daily', 'as-of-cut'] as const) {
    it(`beats the month-to-date line and the trailing 30-day average (naive methods ${naive}), P10–P90 covers ~80%`, () => {
      let model = 0;
      let mtd = 0;
      let t30 = 0;
      let coverage = 0;
      for (const seed of SEEDS) {
        const s = syntheticSeries({ startDay: '2025-01-01', days: 150, ...PROCESS }, seed * 7 + 1);
        const r = backtest({ history: s.values, days: s.days, cutDay: addDays('2025-01-01', 120), naive });
        expect(r.scoredDays).toBe(30);
        model += r.model.wape;
        mtd += r.mtd.wape;
        t30 += r.trailing30.wape;
        coverage += r.coverage;
      }
      const n = SEEDS.length;
      expect(model / n).toBeLessThan(mtd / n);
      expect(model / n).toBeLessThan(t30 / n);
      expect(coverage / n).toBeGreaterThan(0.7);
      expect(coverage / n).toBeLessThan(0.9);
    });
  }

  it('keeps its edge over a two-month holdout', () => {
    let wins = 0;
    for (const seed of SEEDS.slice(0, 8)) {
      const s = syntheticSeries({ startDay: '2025-01-01', days: 176, ...PROCESS }, seed);
      const r = backtest({ history: s.values, days: s.days, cutDay: addDays('2025-01-01', 120) });
      if (r.model.wape < Math.min(r.mtd.wape, r.trailing30.wape)) wins++;
      expect(r.model.mape).not.toBeNull();
    }
    expect(wins).toBeGreaterThanOrEqual(6);
  });

  it('scores only the horizon asked for and skips excluded days', () => {
    const s = syntheticSeries({ startDay: '2025-01-01', days: 150, ...PROCESS }, 3);
    const cut = addDays('2025-01-01', 120);
    const r = backtest({ history: s.values, days: s.days, cutDay: cut, horizonDays: 14, excludedDays: [addDays(cut, 2), addDays(cut, 3)] });
    expect(r.scoredDays).toBe(12);
    expect(r.series.days[0]).toBe(cut);
    expect(r.series.days).not.toContain(addDays(cut, 2));
    expect(r.fitted.originDay).toBe(addDays(cut, -1));
  });
});

describe('the naive methods', () => {
  const byDay = new Map<string, number>();
  // March: 10 a day; April 1–5: 20, 30, 40, 50, 60
  for (let d = 1; d <= 31; d++) byDay.set(`2025-03-${String(d).padStart(2, '0')}`, 10);
  [20, 30, 40, 50, 60].forEach((v, i) => byDay.set(`2025-04-0${i + 1}`, v));

  it('month to date: this month so far, and last month on the 1st', () => {
    expect(monthToDateRate(byDay, '2025-04-01')).toBe(10);
    expect(monthToDateRate(byDay, '2025-04-02')).toBe(20);
    expect(monthToDateRate(byDay, '2025-04-04')).toBe(30);
    expect(monthToDateRate(byDay, '2025-04-06')).toBe(40);
  });

  it('trailing average over the days before', () => {
    expect(trailingAverage(byDay, '2025-04-03', 30)).toBeCloseTo((28 * 10 + 20 + 30) / 30, 9);
    expect(trailingAverage(byDay, '2025-04-03', 2)).toBe(25);
  });

  it('scores MAE, WAPE, MAPE and bias by hand', () => {
    const s = score([100, 200, 0], [110, 150, 10]);
    expect(s.mae).toBeCloseTo((10 + 50 + 10) / 3, 9);
    expect(s.wape).toBeCloseTo(70 / 300, 9);
    expect(s.mape).toBeCloseTo((0.1 + 0.25) / 2, 9);
    expect(s.bias).toBeCloseTo((270 - 300) / 300, 9);
  });
});
