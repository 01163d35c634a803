import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseMicros, formatMicros, DecimalSum, parseInteger, tokenCostMicros } from '../../shared/money';

describe('money', () => {
  it('parses decimal strings to micro-units, half-even, without floats', () => {
    expect(parseMicros('20.52022672899')).toBe(20_520_227);
    expect(parseMicros('0.0000005')).toBe(0); // tie rounds to even (0)
    expect(parseMicros('0.0000015')).toBe(2); // tie rounds to even (2)
    expect(parseMicros('-2.6137')).toBe(-2_613_700);
    expect(parseMicros('0.00 ')).toBe(0);
    expect(parseMicros('1,234.5')).toBe(1_234_500_000);
    expect(parseMicros('1.234,5', ',')).toBe(1_234_500_000);
    expect(parseMicros('1e-3')).toBe(1000);
    expect(parseMicros('abc')).toBeNull();
    expect(parseMicros('')).toBeNull();
  });

  it('round-trips: parse(format(x)) == x', () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (x) => {
        expect(parseMicros(formatMicros(x))).toBe(x);
      }),
      { numRuns: 2000 },
    );
  });

  it('sums decimal texts exactly', () => {
    const s = new DecimalSum();
    for (const t of ['0.1', '0.2', '-0.3', '0.00000000001']) s.add(t);
    expect(s.toString()).toBe('0.00000000001');
  });

  it('parses float-looking integer counts and rejects fractions', () => {
    expect(parseInteger('10.0')).toBe(10);
    expect(parseInteger('10.5')).toBeNull();
  });

  it('prices tokens per million with half-even rounding', () => {
    expect(tokenCostMicros(1_000_000, 3_000_000)).toBe(3_000_000);
    expect(tokenCostMicros(1, 3_000_000)).toBe(3);
    expect(tokenCostMicros(1, 500_000)).toBe(0); // 0.5 → 0 (even)
  });
});
