import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { CsvStreamParser, parseCsv, detectDelimiter, type CsvOptions, type CsvRecord, type Delimiter } from '../../electron/engine/import/csv';
import { StreamDecoder } from '../../electron/engine/import/decode';

/** Parses text cut at the given offsets (string chunks). */
function parseSplit(text: string, cuts: number[], opts: CsvOptions = {}): CsvRecord[] {
  const p = new CsvStreamParser(opts);
  const out: CsvRecord[] = [];
  let prev = 0;
  for (const c of [...new Set(cuts)].filter((c) => c > 0 && c < text.length).sort((a, b) => a - b)) {
    out.push(...p.push(text.slice(prev, c)));
    prev = c;
  }
  out.push(...p.push(text.slice(prev)));
  out.push(...p.end());
  return out;
}

/** Encodes to UTF-8 (optionally with BOM), cuts the bytes, and feeds decoder → parser. */
function parseBytesSplit(text: string, cuts: number[], bom: boolean, opts: CsvOptions = {}): CsvRecord[] {
  const body = Buffer.from(text, 'utf8');
  const bytes = bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
  const d = new StreamDecoder();
  const p = new CsvStreamParser(opts);
  const out: CsvRecord[] = [];
  let prev = 0;
  for (const c of [...new Set(cuts)].filter((c) => c > 0 && c < bytes.length).sort((a, b) => a - b)) {
    out.push(...p.push(d.write(bytes.subarray(prev, c))));
    prev = c;
  }
  out.push(...p.push(d.write(bytes.subarray(prev))));
  out.push(...p.push(d.end()));
  out.push(...p.end());
  return out;
}

const cellChars = fc.constantFrom('a', 'b', 'Z', '1', '0', ' ', ',', ';', '\t', '"', '\n', '\r', 'é', '€', '😀', '=', '-');
const junkChars = fc.constantFrom('a', 'b', ',', ';', '\t', '"', '"', '\n', '\r', '\r\n', 'é', '€', '😀', ' ');

interface Doc {
  text: string;
  rows: string[][];
  lines: number[];
  delimiter: Delimiter;
}

/** A well-formed CSV: random quoting, random line endings per row, with or without a final newline. */
const docArb: fc.Arbitrary<Doc> = fc
  .record({
    delimiter: fc.constantFrom<Delimiter>(',', ';', '\t'),
    width: fc.integer({ min: 1, max: 5 }),
    rows: fc.array(fc.array(fc.string({ unit: cellChars, maxLength: 8 }), { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 8 }),
    quoteAll: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
    eols: fc.array(fc.constantFrom('\n', '\r\n', '\r'), { minLength: 8, maxLength: 8 }),
    finalNewline: fc.boolean(),
  })
  .map(({ delimiter, width, rows, quoteAll, eols, finalNewline }) => {
    const table = rows.map((r) => r.slice(0, width));
    let text = '';
    const lines: number[] = [];
    let line = 1;
    table.forEach((row, ri) => {
      // a lone empty unquoted cell would be a blank line, which is skipped: quote it
      const rendered = row.map((cell, ci) => {
        const must = /[",;\t\r\n]/.test(cell) || (row.length === 1 && cell === '');
        return must || quoteAll[(ri * 5 + ci) % 40] ? `"${cell.replace(/"/g, '""')}"` : cell;
      });
      lines.push(line);
      const rec = rendered.join(delimiter);
      const eol = eols[ri % eols.length];
      const last = ri === table.length - 1;
      text += rec + (last && !finalNewline ? '' : eol);
      line += (rec.match(/\r\n|\r|\n/g) ?? []).length + 1;
    });
    return { text, rows: table, lines, delimiter };
  });

const cutsArb = fc.array(fc.nat({ max: 400 }), { maxLength: 12 });

describe('CSV parser', () => {
  it('handles LF, CRLF, CR, quotes, doubled quotes, embedded newlines and reports start lines', () => {
    const text = 'a,b,c\r\n1,"x,y",3\n"multi\nline",2,3\r4,5,6\n\n7,"q""uote",9';
    const { delimiter, records } = parseCsv(text);
    expect(delimiter).toBe(',');
    expect(records).toEqual([
      { line: 1, cells: ['a', 'b', 'c'] },
      { line: 2, cells: ['1', 'x,y', '3'] },
      { line: 3, cells: ['multi\nline', '2', '3'] },
      { line: 5, cells: ['4', '5', '6'] },
      { line: 7, cells: ['7', 'q"uote', '9'] },
    ]);
  });

  it('keeps trailing empty fields and a CRLF inside quotes counts as one line', () => {
    const { records } = parseCsv('a,b,\r\n"x\r\ny",,\r\nlast,');
    expect(records).toEqual([
      { line: 1, cells: ['a', 'b', ''] },
      { line: 2, cells: ['x\r\ny', '', ''] },
      { line: 4, cells: ['last', ''] },
    ]);
  });

  it('detects the delimiter from the header line, ignoring quoted ones', () => {
    expect(detectDelimiter('a;b;c')).toBe(';');
    expect(detectDelimiter('a\tb\tc')).toBe('\t');
    expect(detectDelimiter('"x;y;z",b,c')).toBe(',');
    expect(detectDelimiter('single')).toBe(',');
    expect(parseCsv('Datum;Betrag\n01.10.2025;1,5\n').records[1].cells).toEqual(['01.10.2025', '1,5']);
    expect(parseCsv('a\tb\n1\t"2\t3"').records[1].cells).toEqual(['1', '2\t3']);
  });

  it('reports broken quoting with line and message, and goes on', () => {
    const text = 'h1,h2,h3\nok,1,2\n10,ab"c,11\n12,"ok"x,13\n14,15,16\n"open,1,2\n3,4,5';
    const { records } = parseCsv(text);
    expect(records[0]).toEqual({ line: 1, cells: ['h1', 'h2', 'h3'] });
    expect(records[1]).toEqual({ line: 2, cells: ['ok', '1', '2'] });
    expect(records[2]).toMatchObject({ line: 3, errorColumn: 1 });
    expect(records[2].error).toMatch(/unexpected quote in the middle of unquoted column 2/);
    expect(records[3]).toMatchObject({ line: 4, errorColumn: 1 });
    expect(records[3].error).toMatch(/after the closing quote in column 2/);
    expect(records[4]).toEqual({ line: 5, cells: ['14', '15', '16'] });
    expect(records[5].line).toBe(6);
    expect(records[5].error).toMatch(/unterminated quoted field.*line 6/);
    // parsing resumes on the line after the opening quote
    expect(records[6]).toEqual({ line: 7, cells: ['3', '4', '5'] });
  });

  it('caps cell size, row size and column count with a clear error', () => {
    const long = 'x'.repeat(50);
    let r = parseCsv(`a,b\n1,${long}\n2,3\n`, { maxCellChars: 20 }).records;
    expect(r[1].error).toMatch(/column 2 is longer than 20 characters/);
    expect(r[2]).toEqual({ line: 3, cells: ['2', '3'] });

    r = parseCsv(`a,b\n1,"${long}\n2,3\n4,5\n`, { maxCellChars: 20 }).records;
    expect(r[1]).toMatchObject({ line: 2 });
    expect(r[1].error).toMatch(/longer than 20 characters \(is a quote left open\?\)/);
    expect(r.slice(2)).toEqual([
      { line: 3, cells: ['2', '3'] },
      { line: 4, cells: ['4', '5'] },
    ]);

    r = parseCsv(`a\n${Array(10).fill('1').join(',')}\nz\n`, { maxColumns: 4 }).records;
    expect(r[1].error).toBe('the row has more than 4 columns');
    expect(r[1].cells).toHaveLength(4);
    expect(r[2]).toEqual({ line: 3, cells: ['z'] });

    r = parseCsv(`a\n${Array(20).fill('abc').join(',')}\nz\n`, { maxCellChars: 10, maxRecordChars: 30 }).records;
    expect(r[1].error).toMatch(/the row is longer than 30 characters/);
    expect(r[2]).toEqual({ line: 3, cells: ['z'] });
  });

  it('bounded memory: an unterminated quote in a long stream does not accumulate', () => {
    const p = new CsvStreamParser({ maxCellChars: 1000 });
    const out: CsvRecord[] = [];
    out.push(...p.push('h1,h2\n1,"never closed'));
    let maxBuffered = 0;
    for (let i = 0; i < 2000; i++) {
      out.push(...p.push(`more text without quotes ${i} `));
      maxBuffered = Math.max(maxBuffered, p.bufferedChars);
    }
    out.push(...p.push('\nlast,row\n'));
    out.push(...p.end());
    expect(maxBuffered).toBeLessThan(5000);
    expect(out[1].error).toMatch(/longer than 1000 characters/);
    expect(out[2]).toEqual({ line: 3, cells: ['last', 'row'] });
  });

  it('strips a BOM left in the text and skips blank lines (still counting them)', () => {
    const { records } = parseCsv('\uFEFFa,b\n\n\r\n1,2');
    expect(records).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 4, cells: ['1', '2'] },
    ]);
  });

  it('property: well-formed CSV round-trips with the right start lines, whatever the chunking', () => {
    fc.assert(
      fc.property(docArb, cutsArb, (doc, cuts) => {
        const opts = { delimiter: doc.delimiter };
        const whole = parseCsv(doc.text, opts).records;
        expect(whole.map((r) => r.cells)).toEqual(doc.rows);
        expect(whole.map((r) => r.line)).toEqual(doc.lines);
        expect(whole.every((r) => r.error === undefined)).toBe(true);
        expect(parseSplit(doc.text, cuts.map((c) => c % (doc.text.length + 1)), opts)).toEqual(whole);
      }),
      { numRuns: 600 },
    );
  });

  it('property: any text (broken quoting included) parses the same at every split point', () => {
    fc.assert(
      fc.property(fc.string({ unit: junkChars, maxLength: 120 }), cutsArb, fc.boolean(), (text, cuts, small) => {
        const opts: CsvOptions = small ? { maxCellChars: 8, maxRecordChars: 30, maxColumns: 4 } : {};
        const whole = parseCsv(text, opts).records;
        expect(parseSplit(text, cuts.map((c) => c % (text.length + 1)), opts)).toEqual(whole);
      }),
      { numRuns: 1500 },
    );
  });

  it('property: byte chunks split inside multibyte UTF-8, between \\r and \\n, with a BOM, parse the same', () => {
    fc.assert(
      fc.property(fc.oneof(docArb.map((d) => d.text), fc.string({ unit: junkChars, maxLength: 120 })), cutsArb, fc.boolean(), (text, cuts, bom) => {
        const whole = parseCsv(text).records;
        const size = Buffer.byteLength(text) + (bom ? 3 : 0) + 1;
        expect(parseBytesSplit(text, cuts.map((c) => c % size), bom)).toEqual(whole);
      }),
      { numRuns: 800 },
    );
  });

  it('every single split point of a tricky document gives the same records', () => {
    const text = 'a,"b\r\nc",d\r\n"x""y",😀é€,"z"\r"q"\n1,2,3';
    const whole = parseCsv(text).records;
    for (let i = 0; i <= text.length; i++) expect(parseSplit(text, [i])).toEqual(whole);
    const bytes = Buffer.byteLength(text);
    for (let i = 0; i <= bytes; i++) expect(parseBytesSplit(text, [i], true)).toEqual(whole);
  });

  it('keeps hostile cells verbatim', () => {
    const cells = ['=HYPERLINK("http://evil")', '+1+2', '-2+3', '@SUM(A1)', "'; DROP TABLE usage_records; --", 'tab\there', 'nul\u0000byte', 'bell\u0007', '\u202Ertl'];
    const text = `${cells.map((_c, i) => `h${i}`).join(',')}\n${cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')}\n`;
    expect(parseCsv(text).records[1].cells).toEqual(cells);
  });
});
