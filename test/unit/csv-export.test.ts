import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import Papa from 'papaparse';
import { toCsv, fromCsv, neutralise, unneutralise, type CsvCell } from '../../shared/csv-export';

/** What a spreadsheet treats as the start of a formula, after trimming leading whitespace. */
const DANGEROUS = /^\s*[=+\-@\t\r\n\0\uFF1D\uFF0B\uFF0D\uFF20]/;

/** Strings biased towards the characters that matter: triggers, quotes, separators, unicode. */
const nasty = fc.string({
  unit: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '\0', "'", '"', ',', ' ', '＝', '\r\n') },
    { weight: 2, arbitrary: fc.constantFrom('a', '1', '.', 'é', '€', '😀', '\u00a0', '\uFEFF') },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 1 }) },
  ),
  maxLength: 12,
});
const cell: fc.Arbitrary<CsvCell> = fc.oneof(
  { weight: 5, arbitrary: nasty },
  { weight: 2, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.boolean() },
);
const table = fc.integer({ min: 1, max: 5 }).chain((width) =>
  fc.record({
    headers: fc.array(nasty, { minLength: width, maxLength: width }),
    rows: fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: 6 }),
  }),
);

function expected(c: CsvCell): string {
  if (c === null) return '';
  if (typeof c === 'number') return Object.is(c, -0) ? '0' : String(c);
  return String(c);
}


// A .csv file is comma-separated, as a spreadsheet reads it. Without this papaparse guesses the
// delimiter, and a table whose cells hold more tabs than commas gets split on tabs (seen in CI).
const COMMA = { delimiter: ',' } as const;
describe('toCsv', () => {
  it('quotes every cell, doubles quotes, joins records with CRLF', () => {
    const csv = toCsv(['a', 'b "c"'], [[1, 'x,y'], [null, true]]);
    expect(csv).toBe('"a","b ""c"""\r\n"1","x,y"\r\n"","true"');
  });

  it('neutralises text triggers but writes numbers plainly, even negative ones', () => {
    const csv = toCsv(['h'], [['=1+1'], ['-5'], [-5], ['@SUM(A1)'], ['\tx'], ['\0x'], ['\n=x'], [' =x'], ['=1\nx']]);
    expect(fromCsv(csv, { raw: true }).map((r) => r[0])).toEqual([
      'h', "'=1+1", "'-5", '-5', "'@SUM(A1)", "'\tx", "'\0x", "'\n=x", "' =x", "'=1\nx",
    ]);
  });

  it('escapes a leading quote only when it precedes a trigger, so unneutralise is exact', () => {
    expect(neutralise("'=x")).toBe("''=x");
    expect(neutralise("'abc")).toBe("'abc");
    expect(unneutralise(neutralise("'=x"))).toBe("'=x");
    expect(unneutralise("'abc")).toBe("'abc");
  });

  it('shows where papaparse escapeFormulae falls short (why this module exists)', () => {
    const out = Papa.unparse([['=1+1\nx', '\n=cmd', '\0=x']], { escapeFormulae: true, quotes: true });
    const cells = Papa.parse<string[]>(out).data[0];
    expect(cells.filter((c) => DANGEROUS.test(c)).length).toBe(3);
  });

  it('writes non-finite numbers as empty cells and rejects ragged rows', () => {
    expect(toCsv(['n'], [[Number.NEGATIVE_INFINITY], [Number.NaN]])).toBe('"n"\r\n""\r\n""');
    expect(() => toCsv(['a', 'b'], [['x']])).toThrow(RangeError);
  });

  it('(a) no cell read back by papaparse starts with a formula trigger unless it was a number', () => {
    fc.assert(
      fc.property(table, ({ headers, rows }) => {
        const parsed = Papa.parse<string[]>(toCsv(headers, rows), COMMA).data;
        expect(parsed.length).toBe(rows.length + 1);
        parsed.forEach((record, r) =>
          record.forEach((text, c) => {
            const fromNumber = r > 0 && typeof rows[r - 1][c] === 'number';
            if (!fromNumber) expect(DANGEROUS.test(text)).toBe(false);
          }),
        );
      }),
      { numRuns: 1000 },
    );
  });

  it('(b) round trip: papaparse, then unneutralise, gives the input back', () => {
    fc.assert(
      fc.property(table, ({ headers, rows }) => {
        const parsed = Papa.parse<string[]>(toCsv(headers, rows), COMMA).data.map((r) => r.map(unneutralise));
        expect(parsed).toEqual([headers, ...rows.map((r) => r.map(expected))]);
      }),
      { numRuns: 1000 },
    );
  });

  it('(c) arbitrary unicode strings with quotes, commas, CR/LF and NUL survive fromCsv', () => {
    const anyText = fc.string({ unit: 'binary', maxLength: 30 });
    fc.assert(
      fc.property(fc.array(fc.array(fc.oneof(anyText, nasty), { minLength: 3, maxLength: 3 }), { maxLength: 5 }), (rows) => {
        const csv = toCsv(['a', 'b', 'c'], rows);
        expect(fromCsv(csv)).toEqual([['a', 'b', 'c'], ...rows]);
        expect(Papa.parse<string[]>(csv, COMMA).data.map((r) => r.map(unneutralise))).toEqual([['a', 'b', 'c'], ...rows]);
      }),
      { numRuns: 1000 },
    );
  });

  it('numbers come back as the same numbers', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 5 }), (xs) => {
        const back = fromCsv(toCsv(xs.map((_, i) => `c${i}`), [xs]))[1].map(Number);
        expect(back).toEqual(xs.map((x) => (Object.is(x, -0) ? 0 : x)));
      }),
    );
  });
});
