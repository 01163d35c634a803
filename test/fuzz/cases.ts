/**
 * Hostile CSV files for one importer, as fast-check arbitraries: the importer's real header and
 * rows with cells replaced by hostile values, rows with too many or too few cells, broken
 * quoting, mixed line endings, other delimiters, blank lines, random headers, 10,000 columns,
 * random bytes, huge cells; then encoded as UTF-8 (with or without BOM), UTF-16 LE/BE,
 * Windows-1252 or invalid UTF-8.
 *
 * buildCase() turns a case into the file's bytes and the text values the database must hold
 * verbatim if the file is committed (worked out with the importer's own row mapper on the cells
 * as written, see profile.ts).
 */
import fc from 'fast-check';
import { anyText, cellValue, CONTROL, FORMULA_SQL, fileName, type CellValue } from './hostile';
import { mapperFor, profileOf, storedStrings } from './profile';
import { sampleOf, type ImporterSample } from './samples';

export type Encoding = 'utf-8' | 'utf-8-bom' | 'utf-16le-bom' | 'utf-16be-bom' | 'utf-16le' | 'windows-1252' | 'invalid-utf-8';
export type Quoting = 'minimal' | 'all' | 'none' | 'broken';
export type Eol = 'lf' | 'crlf' | 'cr' | 'mixed';
export type Shape = 'rows' | 'random-header' | 'wide' | 'garbage' | 'header-only' | 'empty' | 'huge';

export interface RowSpec {
  /** which fixture row to start from (modulo the number of rows) */
  base: number;
  edits: { col: number; value: CellValue }[];
  /** cells added (> 0) or removed (< 0) at the end of the row */
  extra: number;
  /** a fresh external id for incident rows, so they are new rather than duplicates */
  id: string;
}

export interface FuzzCase {
  importer: string;
  shape: Shape;
  /**
   * 'wild': every damage as generated; 'hostile-text': a well-formed file (lossless encoding,
   * proper quoting) whose cells carry only formula/SQL/control text, so it is often committed and
   * its text checked; 'clean': the same without cell edits (huge and wide files that can commit).
   */
  mode: 'wild' | 'hostile-text' | 'clean';
  rows: RowSpec[];
  /** extra header names appended to the real header (their cells stay empty) */
  extraColumns: string[];
  /** shape 'random-header': the header, and random rows under it */
  randomHeader: string[];
  randomRows: string[][];
  /** shape 'wide': the number of columns */
  wideColumns: number;
  /** shape 'huge': one cell of this many characters */
  huge: { chars: number; ch: string; col: number; quoted: boolean };
  /** shape 'garbage': random bytes, after the real header line when withHeader */
  garbage: { bytes: number[]; withHeader: boolean };
  delimiter: 'sample' | ',' | ';' | '\t';
  quoting: Quoting;
  /** where quoting is broken (shape of the damage and a position seed) */
  broken: { how: 'unterminated' | 'stray' | 'after-close' | 'open-at-end'; at: number };
  eol: Eol;
  eolSeeds: number[];
  blankLines: number[];
  trailingNewline: boolean;
  encoding: Encoding;
  invalidBytes: { at: number; seq: number }[];
  forceFormat: boolean;
  onError: 'reject' | 'skip';
  dryRun: boolean;
  fileName: string;
}

export interface BuiltCase {
  bytes: Buffer;
  /** text values the database must hold verbatim when the file is committed without duplicates or rejects */
  verbatim: string[];
  /** upper bound of the file's physical line count */
  maxLine: number;
  /** a one-line description for reports */
  label: string;
}

const INVALID_SEQS: readonly number[][] = [[0xff], [0xfe], [0x80], [0xc0, 0xaf], [0xc3], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xef, 0xbf]];

const rowSpec = (cols: number): fc.Arbitrary<RowSpec> =>
  fc.record({
    base: fc.nat(50),
    edits: fc.array(fc.record({ col: fc.nat(cols - 1), value: cellValue }), { maxLength: 4 }),
    extra: fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -3, max: 4 }) }),
    id: fc.bigInt({ min: 1n, max: 10n ** 15n }).map(String),
  });

const shapeArb: fc.Arbitrary<Shape> = fc.oneof(
  { weight: 80, arbitrary: fc.constant<Shape>('rows') },
  { weight: 6, arbitrary: fc.constant<Shape>('random-header') },
  { weight: 3, arbitrary: fc.constant<Shape>('wide') },
  { weight: 6, arbitrary: fc.constant<Shape>('garbage') },
  { weight: 2, arbitrary: fc.constant<Shape>('header-only') },
  { weight: 1, arbitrary: fc.constant<Shape>('empty') },
);

const encodingArb: fc.Arbitrary<Encoding> = fc.oneof(
  { weight: 10, arbitrary: fc.constant<Encoding>('utf-8') },
  { weight: 3, arbitrary: fc.constant<Encoding>('utf-8-bom') },
  { weight: 2, arbitrary: fc.constant<Encoding>('utf-16le-bom') },
  { weight: 1, arbitrary: fc.constant<Encoding>('utf-16be-bom') },
  { weight: 1, arbitrary: fc.constant<Encoding>('utf-16le') },
  { weight: 2, arbitrary: fc.constant<Encoding>('windows-1252') },
  { weight: 2, arbitrary: fc.constant<Encoding>('invalid-utf-8') },
);

const quotingArb: fc.Arbitrary<Quoting> = fc.oneof(
  { weight: 8, arbitrary: fc.constant<Quoting>('minimal') },
  { weight: 3, arbitrary: fc.constant<Quoting>('all') },
  { weight: 2, arbitrary: fc.constant<Quoting>('none') },
  { weight: 3, arbitrary: fc.constant<Quoting>('broken') },
);

/** Arbitrary hostile files for one importer. */
export function caseArb(importer: string, opts: { shape?: fc.Arbitrary<Shape> } = {}): fc.Arbitrary<FuzzCase> {
  const s = sampleOf(importer);
  const cols = s.header.length;
  return fc.record({
    importer: fc.constant(importer),
    shape: opts.shape ?? shapeArb,
    mode: fc.oneof({ weight: 3, arbitrary: fc.constant<FuzzCase['mode']>('wild') }, { weight: 2, arbitrary: fc.constant<FuzzCase['mode']>('hostile-text') }, { weight: 1, arbitrary: fc.constant<FuzzCase['mode']>('clean') }),
    rows: fc.array(rowSpec(cols), { minLength: 1, maxLength: 6 }),
    extraColumns: fc.oneof({ weight: 9, arbitrary: fc.constant<string[]>([]) }, { weight: 1, arbitrary: fc.array(anyText, { minLength: 1, maxLength: 4 }) }),
    randomHeader: fc.array(fc.oneof(anyText, fc.constantFrom(...s.header)), { minLength: 1, maxLength: 30 }),
    randomRows: fc.array(fc.array(fc.oneof(anyText, cellValue.map((c) => c.v)), { maxLength: 32 }), { maxLength: 5 }),
    wideColumns: fc.oneof({ weight: 6, arbitrary: fc.constant(10_000) }, { weight: 1, arbitrary: fc.constant(20_001) }),
    huge: fc.record({
      chars: fc.constantFrom(1 << 20, 10 << 20, 17 << 20),
      ch: fc.constantFrom('x', '"', ',', '=', 'é'),
      col: fc.nat(cols - 1),
      quoted: fc.boolean(),
    }),
    garbage: fc.record({ bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 3000 }), withHeader: fc.boolean() }),
    delimiter: fc.oneof({ weight: 8, arbitrary: fc.constant<'sample'>('sample') }, { weight: 1, arbitrary: fc.constantFrom<',' | ';' | '\t'>(',', ';', '\t') }),
    quoting: quotingArb,
    broken: fc.record({ how: fc.constantFrom('unterminated', 'stray', 'after-close', 'open-at-end'), at: fc.nat() }),
    eol: fc.constantFrom<Eol>('lf', 'crlf', 'cr', 'mixed'),
    eolSeeds: fc.array(fc.nat(2), { minLength: 8, maxLength: 8 }),
    blankLines: fc.oneof({ weight: 5, arbitrary: fc.constant<number[]>([]) }, { weight: 1, arbitrary: fc.array(fc.nat(8), { maxLength: 3 }) }),
    trailingNewline: fc.boolean(),
    encoding: encodingArb,
    invalidBytes: fc.array(fc.record({ at: fc.nat(), seq: fc.nat(INVALID_SEQS.length - 1) }), { minLength: 1, maxLength: 4 }),
    forceFormat: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    onError: fc.oneof({ weight: 5, arbitrary: fc.constant<'reject'>('reject') }, { weight: 1, arbitrary: fc.constant<'skip'>('skip') }),
    dryRun: fc.oneof({ weight: 19, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    fileName,
  });
}

/** A few cases with one huge cell (1, 10 or 17 MB; the CSV reader's cell limit is 16 Mi characters). */
export function hugeCaseArb(importer: string): fc.Arbitrary<FuzzCase> {
  return caseArb(importer, { shape: fc.constant<Shape>('huge') }).map((c) => ({ ...c, encoding: c.encoding === 'invalid-utf-8' ? 'utf-8' : c.encoding }));
}

// ---- building the file ------------------------------------------------------------------------

const HOSTILE_TEXT = [...FORMULA_SQL, ...CONTROL];
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Applies the case's mode: 'hostile-text' and 'clean' files are well-formed apart from their cell text. */
function tame(c: FuzzCase): FuzzCase {
  if (c.mode === 'wild' || c.shape === 'garbage' || c.shape === 'random-header') return c;
  const lossless: Encoding[] = ['utf-8', 'utf-8-bom', 'utf-16le-bom', 'utf-16be-bom'];
  const encoding = lossless.includes(c.encoding) ? c.encoding : 'utf-8';
  const rows = c.rows.map((r, i) => ({
    ...r,
    extra: 0,
    edits:
      c.mode === 'clean'
        ? []
        : r.edits.map((e, k) => (e.value.k === 'formula' || e.value.k === 'control' ? e : { col: e.col, value: { k: 'formula' as const, v: HOSTILE_TEXT[(i * 7 + k * 3 + e.col) % HOSTILE_TEXT.length] } })),
  }));
  return {
    ...c,
    rows,
    extraColumns: [],
    encoding,
    quoting: c.quoting === 'all' ? 'all' : 'minimal',
    delimiter: 'sample',
    blankLines: [],
    huge: { ...c.huge, quoted: true },
    onError: c.mode === 'clean' ? 'reject' : c.onError,
    dryRun: false,
  };
}

function quoteCell(v: string, delim: string, mode: Quoting): string {
  if (mode === 'none') return v;
  if (mode === 'all' || v.includes(delim) || v.includes('"') || v.includes('\n') || v.includes('\r')) return `"${v.replace(/"/g, '""')}"`;
  return v;
}

function eolAt(c: FuzzCase, i: number): string {
  const all = ['\n', '\r\n', '\r'];
  if (c.eol === 'lf') return '\n';
  if (c.eol === 'crlf') return '\r\n';
  if (c.eol === 'cr') return '\r';
  return all[c.eolSeeds[i % c.eolSeeds.length]];
}

function breakQuoting(lines: string[], c: FuzzCase): void {
  if (lines.length === 0) return;
  // the header stays intact most of the time: break a data line when there is one
  const li = lines.length > 1 ? 1 + (c.broken.at % (lines.length - 1)) : 0;
  const line = lines[li];
  const pos = line.length ? c.broken.at % line.length : 0;
  switch (c.broken.how) {
    case 'unterminated':
      lines[li] = `${line.slice(0, pos)}"${line.slice(pos)}`;
      break;
    case 'stray':
      lines[li] = `${line.slice(0, pos)}x"y${line.slice(pos)}`;
      break;
    case 'after-close':
      lines[li] = `"${line}"tail`;
      break;
    case 'open-at-end':
      lines[li] = `${line}"`;
      break;
  }
}

const CP1252: Map<number, number> = (() => {
  const m = new Map<number, number>();
  const high = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
  for (let b = 0; b < 256; b++) m.set(b >= 0x80 && b <= 0x9f ? high.charCodeAt(b - 0x80) : b, b);
  return m;
})();

function encode(text: string, c: FuzzCase): Buffer {
  switch (c.encoding) {
    case 'utf-8':
      return Buffer.from(text, 'utf8');
    case 'utf-8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf-16le':
      return Buffer.from(text, 'utf16le');
    case 'utf-16le-bom':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf-16be-bom': {
      const le = Buffer.from(text, 'utf16le');
      le.swap16();
      return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
    }
    case 'windows-1252': {
      const out = Buffer.alloc(text.length);
      for (let i = 0; i < text.length; i++) out[i] = CP1252.get(text.charCodeAt(i)) ?? 0x3f;
      return out;
    }
    case 'invalid-utf-8': {
      let b = Buffer.from(text, 'utf8');
      for (const { at, seq } of c.invalidBytes) {
        const p = b.length ? at % (b.length + 1) : 0;
        b = Buffer.concat([b.subarray(0, p), Buffer.from(INVALID_SEQS[seq]), b.subarray(p)]);
      }
      return b;
    }
  }
}

/** The lines (without line breaks) of a case's text, before quoting damage and encoding. */
function textLines(c: FuzzCase, s: ImporterSample, delim: string): { lines: string[]; header: string[]; dataRows: string[][] } {
  const q = (cells: string[]) => cells.map((v) => quoteCell(v, delim, c.quoting === 'broken' ? 'minimal' : c.quoting)).join(delim);
  if (c.shape === 'empty') return { lines: [], header: [], dataRows: [] };
  if (c.shape === 'random-header') {
    return { lines: [q(c.randomHeader), ...c.randomRows.map(q)], header: c.randomHeader, dataRows: c.randomRows };
  }
  const header = [...s.header, ...c.extraColumns];
  const dataRows: string[][] = [];
  const idCol = profileOf(s).idColumn;
  for (const r of c.rows) {
    const cells = [...s.rows[r.base % s.rows.length], ...c.extraColumns.map(() => '')];
    if (idCol >= 0) cells[idCol] = r.id;
    for (const e of r.edits) cells[e.col % cells.length] = e.value.v;
    if (r.extra > 0) for (let k = 0; k < r.extra; k++) cells.push(k % 2 ? '' : 'x');
    else if (r.extra < 0) cells.splice(Math.max(1, cells.length + r.extra));
    dataRows.push(cells);
  }
  if (c.shape === 'header-only') return { lines: [q(header)], header, dataRows: [] };
  if (c.shape === 'wide') {
    const wideHeader = [...header];
    for (let i = wideHeader.length; i < c.wideColumns; i++) wideHeader.push(`x_col_${i}`);
    const wideRows = dataRows.slice(0, 2).map((cells) => {
      const w = [...cells];
      for (let i = w.length; i < c.wideColumns; i++) w.push(i % 3 ? '' : String(i));
      return w;
    });
    return { lines: [q(wideHeader), ...wideRows.map(q)], header: wideHeader, dataRows: wideRows };
  }
  if (c.shape === 'huge') {
    const big = c.huge.ch.repeat(c.huge.chars);
    const cells = [...(dataRows[0] ?? s.rows[0])];
    cells[c.huge.col % cells.length] = big;
    const line = cells.map((v, i) => (i === c.huge.col % cells.length ? (c.huge.quoted ? `"${v.replace(/"/g, '""')}"` : v) : quoteCell(v, delim, 'minimal'))).join(delim);
    return { lines: [q(header), line, ...dataRows.slice(1).map(q)], header, dataRows: [cells, ...dataRows.slice(1)] };
  }
  return { lines: [q(header), ...dataRows.map(q)], header, dataRows };
}

/** The file's bytes and what must be stored verbatim if it is committed. */
export function buildCase(input: FuzzCase): BuiltCase {
  const c = tame(input);
  const s = sampleOf(c.importer);
  const delim = c.delimiter === 'sample' ? s.delimiter : c.delimiter;
  if (c.shape === 'garbage') {
    const head = c.garbage.withHeader ? encode(s.header.join(s.delimiter) + '\n', { ...c, encoding: 'utf-8' }) : Buffer.alloc(0);
    const bytes = Buffer.concat([head, Buffer.from(c.garbage.bytes)]);
    return { bytes, verbatim: [], maxLine: lineBound(bytes), label: `${c.importer} garbage ${bytes.length} bytes${c.garbage.withHeader ? ' after the header' : ''}` };
  }
  const { lines, header, dataRows } = textLines(c, s, delim);
  if (c.quoting === 'broken') breakQuoting(lines, c);
  for (const at of c.blankLines) lines.splice(Math.min(lines.length, 1 + at), 0, '');
  let text = '';
  lines.forEach((l, i) => {
    text += l;
    if (i < lines.length - 1 || c.trailingNewline) text += eolAt(c, i);
  });
  const bytes = encode(text, c);

  // What the database must hold verbatim: the stored text of every accepted row that carries a
  // formula/SQL or control value, as the importer's own mapper reads the cells written.
  const verbatim: string[] = [];
  const lossless = ['utf-8', 'utf-8-bom', 'utf-16le-bom', 'utf-16be-bom'].includes(c.encoding);
  const clean = lossless && (c.quoting === 'minimal' || c.quoting === 'all') && c.delimiter === 'sample' && c.blankLines.length === 0;
  if (clean && (c.shape === 'rows' || c.shape === 'huge')) {
    const mapper = mapperFor(s, header);
    const hostile = new Set(HOSTILE_TEXT);
    if (c.shape === 'huge') hostile.add(c.huge.ch.repeat(c.huge.chars));
    if (mapper) {
      for (const cells of dataRows) {
        if (!cells.some((v) => hostile.has(v)) || cells.some((v) => LONE_SURROGATE.test(v))) continue;
        const r = mapper(cells, 2);
        if (r.ok !== true) continue;
        for (const stored of storedStrings(r.mapped)) if ([...hostile].some((h) => stored.includes(h.trim()) && h.trim() !== '')) verbatim.push(stored);
      }
    }
  }
  const label = `${c.importer} ${c.shape}/${c.mode} rows=${c.shape === 'rows' ? c.rows.length : dataRows.length} ${c.encoding} ${c.quoting} eol=${c.eol} delim=${JSON.stringify(delim)} onError=${c.onError}${c.dryRun ? ' dry-run' : ''}${c.forceFormat ? '' : ' detect'} ${bytes.length} bytes`;
  return { bytes, verbatim, maxLine: lineBound(bytes), label };
}

/** Line breaks in the raw bytes + 1: no reported line can be beyond it, whatever the encoding. */
function lineBound(bytes: Buffer): number {
  let n = 1;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10 || bytes[i] === 13) n++;
  return n;
}

/** A well-formed case (the fixture's first row, UTF-8, minimal quoting) to build deterministic tests from. */
export function plainCase(importer: string, patch: Partial<FuzzCase> = {}): FuzzCase {
  return {
    importer,
    shape: 'rows',
    mode: 'wild',
    rows: [{ base: 0, edits: [], extra: 0, id: '424242' }],
    extraColumns: [],
    randomHeader: [],
    randomRows: [],
    wideColumns: 10_000,
    huge: { chars: 1 << 20, ch: 'x', col: 0, quoted: true },
    garbage: { bytes: [], withHeader: false },
    delimiter: 'sample',
    quoting: 'minimal',
    broken: { how: 'unterminated', at: 0 },
    eol: 'lf',
    eolSeeds: [0],
    blankLines: [],
    trailingNewline: true,
    encoding: 'utf-8',
    invalidBytes: [{ at: 0, seq: 0 }],
    forceFormat: true,
    onError: 'reject',
    dryRun: false,
    fileName: 'export.csv',
    ...patch,
  };
}
