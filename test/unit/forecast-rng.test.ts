import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Rng } from '../../shared/forecast/rng';
import { normalCdf, normalQuantile, quantileSorted } from '../../shared/forecast/stats';
import { fastExp } from '../../shared/forecast/simulate';
import { fanQuantiles, selectQuantile } from '../../shared/forecast/simulate-stats';

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
    expect(Math.abs(m)).toBeLessThan(0.01);
    expect(v2).toBeCloseTo(1, 1);
    expect(v4 / (v2 * v2)).toBeCloseTo(3, 0);
    // Kolmogorov–Smirnov distance against the normal CDF (critical value at 1%: 1.63/√n)
    const sorted = Float64Array.from(x).sort();
    let ks = 0;
    for (let i = 0; i < n; i += 97) ks = Math.max(ks, Math.abs((i + 0.5) / n - normalCdf(sorted[i])));
    expect(ks).toBeLessThan(1.63 / Math.sqrt(n) + 1e-4);
    // the tail beyond 3σ (ziggurat tail and wedge paths)
    const beyond3 = x.filter((v) => Math.abs(v) > 3).length / n;
    expect(beyond3).toBeGreaterThan(0.0027 * 0.8);
    expect(beyond3).toBeLessThan(0.0027 * 1.2);
  });

  it('draws geometric gaps with mean (1 − p) / p', () => {
    const r = new Rng(5);
    let s = 0;
    for (let i = 0; i < 50_000; i++) s += r.geometric(0.05);
    expect(s / 50_000).toBeGreaterThan(19 * 0.97);
    expect(s / 50_000).toBeLessThan(19 * 1.03);
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

describe('fastExp', () => {
  it('stays within 1e-5 relative of Math.exp and clamps at ±20', () => {
    for (let x = -19.99; x < 20; x += 0.0137) expect(Math.abs(fastExp(x) / Math.exp(x) - 1)).toBeLessThan(1e-5);
    expect(fastExp(50)).toBeCloseTo(Math.exp(20) * 1, -3);
    expect(fastExp(-50) / Math.exp(-20)).toBeCloseTo(1, 4);
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
