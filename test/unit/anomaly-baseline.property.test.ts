import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { detectSpikes, seasonalBaseline, type Granularity } from '../../shared/anomaly';
import { isoDay, isoInstant } from '../../shared/dates';

/**
 * seasonalBaseline computes its medians by selection in reused buffers (it runs over thousands
 * of series per incident report). This checks it against the definition written plainly, with
 * sorted copies: the seasonal slot median as the baseline, and the leave-one-out relative MAD of
 * the window before the current block as the spread.
 */
const STRIDES: Record<Granularity, number[]> = { hour: [168, 24, 1], day: [7, 1] };
const EVERY: Record<Granularity, number> = { hour: 24, day: 1 };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function reference(xs: number[], g: Granularity) {
  const window = g === 'day' ? 56 : 6 * 168;
  const minHistory = g === 'day' ? 21 : 72;
  const slot = (i: number, from: number, stride: number) => {
    const out: number[] = [];
    for (let j = i - stride; j >= from; j -= stride) out.push(xs[j]);
    return out;
  };
  const relMad = (from: number, to: number, stride: number) => {
    const residuals: number[] = [];
    for (let r = 0; r < stride && from + r < to; r++) {
      const group: number[] = [];
      for (let j = from + r; j < to; j += stride) group.push(xs[j]);
      if (group.length < 2) continue;
      group.forEach((x, p) => {
        const m = median(group.filter((_, q) => q !== p));
        if (m > 0) residuals.push((x - m) / m);
      });
    }
    if (residuals.length === 0) return 0;
    const mid = median(residuals);
    return median(residuals.map((x) => Math.abs(x - mid)));
  };
  const baseline: (number | null)[] = [];
  const scale: (number | null)[] = [];
  for (let i = 0; i < xs.length; i++) {
    const from = Math.max(0, i - window);
    const stride = STRIDES[g].find((s) => slot(i, from, s).length >= 3) ?? 1;
    if (i - from < minHistory) {
      baseline.push(null);
      scale.push(null);
      continue;
    }
    const base = Math.round(median(slot(i, from, stride)));
    const block = i - (i % EVERY[g]);
    const rel = relMad(Math.max(0, block - window), block, stride);
    baseline.push(base);
    scale.push(Math.max(rel * 1.4826 * base, 100_000, 0.1 * Math.abs(base)));
  }
  return { baseline, scale };
}

describe('seasonalBaseline equals its definition', () => {
  for (const g of ['day', 'hour'] as const) {
    it(`on random ${g}ly series (ties, zeros, spikes)`, () => {
      const value = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50 }).map((x) => x * 1_000_000), fc.integer({ min: 0, max: 2_000_000_000 }));
      fc.assert(
        fc.property(fc.array(value, { minLength: 1, maxLength: g === 'day' ? 150 : 400, size: 'max' }), (xs) => {
          const step = g === 'day' ? 86_400_000 : 3_600_000;
          const start = Date.UTC(2026, 0, 1);
          const buckets = xs.map((_, i) => (g === 'day' ? isoDay(start + i * step) : isoInstant(start + i * step)));
          const got = seasonalBaseline({ key: 'k', buckets, values: xs, granularity: g });
          const want = reference(xs, g);
          expect(got.baseline).toEqual(want.baseline);
          // the spread is a product of floats summed in another order: equal to a few units in the last place
          // (relative: at $2,000 a day in micro-units one unit is 5e-7, toBeCloseTo's 6 decimals would refuse it)
          got.scale.forEach((s, i) => (s === null ? expect(want.scale[i]).toBeNull() : expect(Math.abs(s - want.scale[i]!)).toBeLessThanOrEqual(1e-12 * Math.abs(want.scale[i]!))));
        }),
        { numRuns: g === 'day' ? 200 : 40 },
      );
    });
  }
});

describe('detectSpikes equals the runs of the full baseline', () => {
  it('computing the spread only where a point could be hot finds the same spikes', () => {
    const level = fc.integer({ min: 0, max: 40 }).map((x) => x * 1_000_000);
    fc.assert(
      fc.property(fc.array(fc.tuple(level, fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 9 })), { minLength: 30, maxLength: 150, size: 'max' }), (points) => {
        // a level with noise, and now and then a burst of up to 30× the level
        const xs = points.map(([l, burst, noise]) => (burst > 27 ? l * burst : l) + noise * 100_000);
        const start = Date.UTC(2026, 0, 1);
        const buckets = xs.map((_, i) => isoDay(start + i * 86_400_000));
        const full = seasonalBaseline({ key: 'k', buckets, values: xs, granularity: 'day' });
        const runs: { start: string; end: string; excess: number; score: number }[] = [];
        let first = -1;
        for (let i = 0; i <= xs.length; i++) {
          const hot = i < xs.length && (full.score[i] ?? -Infinity) >= 4;
          if (hot && first < 0) first = i;
          if (!hot && first >= 0) {
            let excess = 0;
            let score = -Infinity;
            for (let j = first; j < i; j++) {
              excess += xs[j] - (full.baseline[j] ?? 0);
              score = Math.max(score, full.score[j]!);
            }
            if (excess >= 1_000_000) runs.push({ start: buckets[first], end: buckets[i - 1], excess, score });
            first = -1;
          }
        }
        const got = detectSpikes({ key: 'k', buckets, values: xs, granularity: 'day' }).map((x) => ({ start: x.start, end: x.end, excess: x.excessMicros, score: x.score }));
        expect(got).toEqual(runs);
      }),
      { numRuns: 300 },
    );
  });
});
