import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NOISE_TABLE, NOISE_TABLE_SIZE, Rng } from '../../shared/forecast/rng';
import { normalCdf, normalQuantile, quantileSorted } from '../../shared/forecast/stats';
import { tableExp } from '../../shared/forecast/simulate';
import { fanQuantiles, selectQuantile } from '../../shared/forecast/simulate-stats';

/** Mean, variance, kurtosis and the Kolmogorov–Smirnov distance to the standard normal (every 97th order statistic). */
function moments(x: Float64Array): { mean: number; variance: number; kurtosis: number; ks: number } {
  const n = x.length;
  let m = 0;
  for (const v of x) m += v;
  m /= n;
  let v2 = 0;
  let v4 = 0;
  for (const v of x) {
    v2 += (v - m) ** 2;
    v4 += (v - m) ** 4;
  }
  v2 /= n;
  v4 /= n;
  const sorted = Float64Array.from(x).sort();
  let ks = 0;
  for (let i = 0; i < n; i += 97) ks = Math.max(ks, Math.abs((i + 0.5) / n - normalCdf(sorted[i])));
  return { mean: m, variance: v2, kurtosis: v4 / (v2 * v2), ks };
}

describe('Rng', () => {
  it('is reproducible per seed and differs between seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xs = Array.from({ length: 50 }, () => a.normal());
    expect(Array.from({ length: 50 }, () => b.normal())).toEqual(xs);
    expect(Array.from({ length: 50 }, () => c.normal())).not.toEqual(xs);
    const s1 = new Rng('scenario-7');
    const s2 = new Rng('scenario-7');
    expect(s1.uniform()).toBe(s2.uniform());
    const f1 = new Float64Array(1000);
    const f2 = new Float64Array(1000);
    new Rng(9).fillNormal(f1);
    new Rng(9).fillNormal(f2);
    expect(f2).toEqual(f1);
  });

  it('draws uniforms strictly inside (0, 1)', () => {
    const r = new Rng(1);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const u = r.uniform();
      if (!(u > 0 && u < 1)) outside++;
    }
    expect(outside).toBe(0);
  });

  it.each([
    ['normal()', (r: Rng, out: Float64Array) => out.forEach((_, i) => (out[i] = r.normal()))],
    ['fillNormal()', (r: Rng, out: Float64Array) => r.fillNormal(out)],
  ])('%s has the moments and tails of a standard normal', (_name, fill) => {
    const n = 400_000;
    const x = new Float64Array(n);
    fill(new Rng(2024), x);
    const { mean, variance, kurtosis, ks } = moments(x);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(variance).toBeCloseTo(1, 1);
    expect(kurtosis).toBeCloseTo(3, 0);
    // Kolmogorov–Smirnov distance against the normal CDF (critical value at 1%: 1.63/√n)
    expect(ks).toBeLessThan(1.63 / Math.sqrt(n) + 1e-4);
    // the tail beyond 3σ (ziggurat tail and wedge paths)
    const beyond3 = x.filter((v) => Math.abs(v) > 3).length / n;
    expect(beyond3).toBeGreaterThan(0.0027 * 0.8);
    expect(beyond3).toBeLessThan(0.0027 * 1.2);
  });

  it('fillTableNormal draws a discretised normal with the right mean, variance, quantiles and tails', () => {
    // the table itself: 4096 quantile midpoints, symmetric, unit variance
    expect(NOISE_TABLE_SIZE).toBeGreaterThanOrEqual(4096);
    let tv = 0;
    for (let i = 0; i < NOISE_TABLE_SIZE; i++) {
      expect(NOISE_TABLE[i]).toBe(-NOISE_TABLE[NOISE_TABLE_SIZE - 1 - i]);
      if (i > 0) expect(NOISE_TABLE[i]).toBeGreaterThan(NOISE_TABLE[i - 1]);
      tv += NOISE_TABLE[i] ** 2;
    }
    expect(tv / NOISE_TABLE_SIZE).toBeCloseTo(1, 12);
    expect(NOISE_TABLE[NOISE_TABLE_SIZE - 1]).toBeGreaterThan(3.5);
    // samples: an odd count, from an offset, reproducible per seed
    const n = 400_001;
    const x = new Float64Array(n + 3);
    new Rng(77).fillTableNormal(x, 3);
    const again = new Float64Array(n + 3);
    new Rng(77).fillTableNormal(again, 3);
    expect(again).toEqual(x);
    const v = x.subarray(3);
    const { mean, variance, kurtosis, ks } = moments(v);
    expect(Math.abs(mean)).toBeLessThan(0.006); // standard error 0.0016
    expect(Math.abs(variance - 1)).toBeLessThan(0.01);
    expect(kurtosis).toBeGreaterThan(2.9);
    expect(kurtosis).toBeLessThan(3.05);
    // Kolmogorov–Smirnov distance against the normal CDF: the sampling error plus at most half a cell
    expect(ks).toBeLessThan(1.63 / Math.sqrt(n) + 1 / NOISE_TABLE_SIZE);
    // tails: beyond 2σ and 3σ as often as a normal's (±10%)
    for (const [k, p] of [
      [2, 0.0455],
      [3, 0.0027],
    ]) {
      const beyond = v.filter((y) => Math.abs(y) > k).length / n;
      expect(beyond).toBeGreaterThan(p * 0.9);
      expect(beyond).toBeLessThan(p * 1.1);
    }
    // the two values of one draw are uncorrelated
    let c = 0;
    for (let i = 0; i + 1 < n; i += 2) c += v[i] * v[i + 1];
    expect(Math.abs(c / (n / 2))).toBeLessThan(0.01);
  });

  it('draws geometric gaps with mean (1 − p) / p', () => {
    const r = new Rng(5);
    let s = 0;
    for (let i = 0; i < 50_000; i++) s += r.geometric(0.05);
    expect(s / 50_000).toBeGreaterThan(19 * 0.97);
    expect(s / 50_000).toBeLessThan(19 * 1.03);
  });

  it('eventDays hits each day with probability p', () => {
    const r = new Rng(6);
    const out = new Int32Array(400);
    const hits = new Float64Array(365);
    let unordered = 0;
    for (let i = 0; i < 20_000; i++) {
      const end = r.eventDays(1 / Math.log1p(-0.02), 365, out, 0);
      for (let k = 0; k < end; k++) {
        if (k > 0 && out[k] <= out[k - 1]) unordered++;
        hits[out[k]]++;
      }
    }
    expect(unordered).toBe(0);
    const rate = hits.reduce((a, b) => a + b, 0) / (20_000 * 365);
    expect(rate).toBeGreaterThan(0.02 * 0.97);
    expect(rate).toBeLessThan(0.02 * 1.03);
    expect(hits[0] / 20_000).toBeCloseTo(0.02, 2);
    expect(hits[364] / 20_000).toBeCloseTo(0.02, 2);
    expect(r.eventDays(-0, 365, out, 5)).toBe(5);
  });

  it('normalsInto draws what as many normal() calls draw, the slow path of the ziggurat included', () => {
    const a = new Rng(8);
    const b = new Rng(8);
    const out = new Float64Array(10_000);
    b.normalsInto(out, 0, out.length);
    let beyondR = 0; // the tail beyond R = 3.44 only comes from the slow path
    for (let k = 0; k < out.length; k++) {
      expect(out[k]).toBe(a.normal());
      if (Math.abs(out[k]) > 3.45) beyondR++;
    }
    expect(beyondR).toBeGreaterThan(0);
    expect(b.nextInt32()).toBe(a.nextInt32());
  });
});

describe('normal quantile and CDF', () => {
  it('invert each other and match known values', () => {
    expect(normalQuantile(0.9)).toBeCloseTo(1.2815515655, 6);
    expect(normalQuantile(0.975)).toBeCloseTo(1.9599639845, 6);
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    for (const p of [0.001, 0.02, 0.1, 0.5, 0.7, 0.99]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6);
  });
});

describe('tableExp', () => {
  it('stays within 5e-4 relative of Math.exp, unbiased on average, exact at 0, and clamps at ±20', () => {
    let bias = 0;
    let n = 0;
    for (let x = -19.99; x < 20; x += 0.0137) {
      const rel = tableExp(x) / Math.exp(x) - 1;
      expect(Math.abs(rel)).toBeLessThan(5e-4);
      bias += rel;
      n++;
    }
    expect(Math.abs(bias / n)).toBeLessThan(1e-5);
    expect(tableExp(0)).toBe(1);
    expect(tableExp(50)).toBeCloseTo(Math.exp(20), -3);
    expect(tableExp(-50) / Math.exp(-20)).toBeCloseTo(1, 4);
  });
});

describe('selectQuantile', () => {
  it('equals the quantile of the sorted values', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true, min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 300 }), fc.double({ min: 0, max: 1, noNaN: true }), (xs, q) => {
        const a = Float64Array.from(xs);
        const sorted = Float64Array.from(xs).sort();
        expect(selectQuantile(a, q)).toBeCloseTo(quantileSorted(sorted, q), 6);
      }),
    );
  });
});

describe('fanQuantiles', () => {
  it('takes nearest-rank P10/P50/P90 per day', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 1e6 }), (paths, days, seed) => {
        const rng = new Rng(seed);
        const samples = new Float32Array(2 * days * paths).map(() => Math.round(rng.uniform() * 1000) * (rng.uniform() < 0.3 ? 0 : 1));
        const copy = Float32Array.from(samples);
        const fan = fanQuantiles(samples, 1, days, paths);
        for (let d = 0; d < days; d++) {
          const sorted = copy.slice((days + d) * paths, (days + d + 1) * paths).sort();
          expect([fan.p10[d], fan.p50[d], fan.p90[d]]).toEqual([0.1, 0.5, 0.9].map((q) => sorted[Math.round(q * (paths - 1))]));
        }
      }),
    );
  });
});
