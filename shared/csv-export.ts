/**
 * CSV writer for reports that users open in spreadsheets, safe against formula injection
 * (CSV injection, OWASP). RFC 4180: CRLF between records, every cell quoted, quotes doubled.
 *
 * Why not papaparse's `unparse({ escapeFormulae: true })` (5.x)? Its default pattern is
 * /^[=+\-@\t\r].*$/ without the `s` flag, so:
 *  - a text cell whose formula is followed by a line break ("=HYPERLINK(…)\nx") does not
 *    match (`.` stops at \n and `$` then fails) and is written unescaped;
 *  - cells starting with LF or NUL are not escaped at all (OWASP lists both), nor leading
 *    whitespace before a trigger, which some spreadsheet imports trim away;
 *  - the escape is not reversible: a text that already starts with `'=` comes back as `=`
 *    after unescaping, and there is no unescape function, so round trips are lossy;
 *  - it quotes only when needed, so escaping depends on its quoting heuristics.
 * Here the trigger set is wider, the test runs on the whole text, and a leading quote that
 * could be mistaken for our own prefix is itself escaped, so `unneutralise` is exact.
 */

export type CsvCell = string | number | null | boolean;

/**
 * A text cell is dangerous when, after any leading quotes we might have added and any
 * whitespace a spreadsheet might trim, it starts with a formula trigger. Full-width
 * ＝＋－＠ are included because some locales of Excel fold them to ASCII on input.
 */
const TRIGGER = '=+\\-@\\t\\r\\n\\0\\uFF1D\\uFF0B\\uFF0D\\uFF20';
const NEEDS_PREFIX = new RegExp(`^'*\\s*[${TRIGGER}]`);
const HAS_PREFIX = new RegExp(`^'+\\s*[${TRIGGER}]`);

/**
 * Prefixes a single quote to text a spreadsheet could run as a formula. Texts that start
 * with quotes followed by a trigger get one more quote, which keeps the mapping injective.
 */
export function neutralise(text: string): string {
  return NEEDS_PREFIX.test(text) ? `'${text}` : text;
}

/** Exact inverse of `neutralise`: removes the one quote it added, nothing else. */
export function unneutralise(text: string): string {
  return HAS_PREFIX.test(text) ? text.slice(1) : text;
}

/** Cell text before quoting. Numbers stay numeric text so spreadsheets read them as numbers. */
function cellText(cell: CsvCell): string {
  if (cell === null) return '';
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  if (typeof cell === 'number') {
    // NaN and ±Infinity are not numbers to a spreadsheet ("-Infinity" even looks like a formula).
    if (!Number.isFinite(cell)) return '';
    return Object.is(cell, -0) ? '0' : String(cell);
  }
  return neutralise(cell);
}

function quote(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

/**
 * Headers and rows to CSV text: CRLF between records, no line break after the last one
 * (RFC 4180 allows both; without it, parsers such as papaparse return exactly the rows).
 * Throws RangeError when a row's width differs from the headers', a caller bug that would
 * otherwise shift columns silently in a report.
 */
export function toCsv(headers: string[], rows: CsvCell[][]): string {
  const lines: string[] = [headers.map((h) => quote(neutralise(h))).join(',')];
  rows.forEach((row, i) => {
    if (row.length !== headers.length) {
      throw new RangeError(`row ${i + 1} has ${row.length} cells, headers have ${headers.length}`);
    }
    lines.push(row.map((c) => quote(cellText(c))).join(','));
  });
  return headers.length === 0 ? '' : lines.join('\r\n');
}

/**
 * RFC 4180 reader, the inverse of `toCsv` (quoted or bare cells, CRLF or LF). Returns all
 * records including the header row. Cells come back unneutralised unless `raw` is set, in
 * which case they are what a spreadsheet would see.
 */
export function fromCsv(text: string, opts: { raw?: boolean } = {}): string[][] {
  const records: string[][] = [];
  if (text === '') return records;
  let record: string[] = [];
  let i = 0;
  for (;;) {
    const { value, next } = readCell(text, i);
    record.push(opts.raw ? value : unneutralise(value));
    i = next;
    if (i >= text.length) break;
    if (text[i] === ',') {
      i += 1;
      continue;
    }
    // A record separator: CRLF or a bare LF.
    i += text.startsWith('\r\n', i) ? 2 : 1;
    records.push(record);
    record = [];
    if (i >= text.length) return records;
  }
  records.push(record);
  return records;
}

function readCell(text: string, start: number): { value: string; next: number } {
  if (text[start] !== '"') {
    let end = start;
    while (end < text.length && text[end] !== ',' && text[end] !== '\n' && !text.startsWith('\r\n', end)) end += 1;
    return { value: text.slice(start, end), next: end };
  }
  let value = '';
  let i = start + 1;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q < 0) throw new SyntaxError(`unterminated quoted cell at offset ${start}`);
    value += text.slice(i, q);
    if (text[q + 1] === '"') {
      value += '"';
      i = q + 2;
    } else {
      return { value, next: q + 1 };
    }
  }
}
