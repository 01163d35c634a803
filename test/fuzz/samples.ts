/**
 * The importers the fuzzer attacks, each with a real header and real data rows: every format of
 * the registry (FORMATS) with its fixture under test/fixtures/formats/, plus the custom mapping.
 * FOCUS 1.0–1.2 have no fixture of their own: they are fed the FOCUS 1.3 file with the format
 * forced (a 1.3 file carries every column the older mappers read).
 */
import fs from 'node:fs';
import path from 'node:path';
import { FORMATS, customFormat, type CustomMapping, type FormatDef } from '../../electron/engine/import/formats';
import { parseCsv, type Delimiter } from '../../electron/engine/import/csv';
import type { ImportKind } from '../../electron/engine/import/types';

/** test/fixtures/formats, beside this file or (when bundled to a temp file) under the working directory */
export const FIXTURES = [path.resolve(__dirname, '..', 'fixtures', 'formats'), path.resolve(process.cwd(), 'test', 'fixtures', 'formats')].find((d) =>
  fs.existsSync(d),
) ?? path.resolve(process.cwd(), 'test', 'fixtures', 'formats');

export interface ImporterSample {
  /** the format id, or 'custom' */
  id: string;
  kind: ImportKind;
  /** passed to runImport as format (undefined for the custom mapping) */
  format?: string;
  mapping?: CustomMapping;
  header: string[];
  /** the fixture's data rows that its importer accepts (fixtures also hold deliberately bad rows), in header order */
  rows: string[][];
  delimiter: Delimiter;
}

const FIXTURE_OF: Record<string, string> = {
  'focus-1.0': 'focus-1.3.csv',
  'focus-1.1': 'focus-1.3.csv',
  'focus-1.2': 'focus-1.3.csv',
};

export const CUSTOM_MAPPING: CustomMapping = {
  kind: 'usage',
  columns: { periodStart: 'Datum', subAccountName: 'Projekt', model: 'Modell', inputTokens: 'Eingabe-Tokens', outputTokens: 'Ausgabe-Tokens', billedCost: 'Betrag', currency: 'Währung' },
  dateFormat: 'dmy',
  decimalSeparator: ',',
  provider: 'openai',
  name: 'Kostenbericht',
};

function readFixture(file: string): { header: string[]; rows: string[][]; delimiter: Delimiter } {
  const text = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
  const { delimiter, records } = parseCsv(text);
  const [head, ...rest] = records;
  const rows = rest.filter((r) => !r.error && r.cells.length === head.cells.length).map((r) => r.cells);
  if (!head || rows.length === 0) throw new Error(`fixture ${file} has no usable data row`);
  return { header: head.cells.map((h) => h.replace(/^\uFEFF/, '')), rows, delimiter };
}

/** Keeps the rows the format maps to a record. */
function accepted(def: FormatDef, header: string[], rows: string[][]): string[][] {
  const mapper = def.prepare(header.map((h) => h.trim()));
  const ok = rows.filter((r, i) => mapper(r, i + 2).ok === true);
  if (ok.length === 0) throw new Error(`no row of the ${def.info.id} fixture maps`);
  return ok;
}

let cache: ImporterSample[] | null = null;

/** Every importer: the registry's formats in order, then 'custom'. */
export function importerSamples(): ImporterSample[] {
  if (cache) return cache;
  const out: ImporterSample[] = [];
  for (const def of FORMATS) {
    const id = def.info.id;
    const fx = readFixture(FIXTURE_OF[id] ?? `${id}.csv`);
    out.push({ id, kind: def.info.kind, format: id, header: fx.header, rows: accepted(def, fx.header, fx.rows), delimiter: fx.delimiter });
  }
  const custom = readFixture('custom-semicolon.csv');
  out.push({
    id: 'custom',
    kind: 'usage',
    mapping: CUSTOM_MAPPING,
    header: custom.header,
    rows: accepted(customFormat(CUSTOM_MAPPING), custom.header, custom.rows),
    delimiter: custom.delimiter,
  });
  cache = out;
  return out;
}

export function importerIds(): string[] {
  return importerSamples().map((s) => s.id);
}

export function sampleOf(id: string): ImporterSample {
  const s = importerSamples().find((x) => x.id === id);
  if (!s) throw new Error(`unknown importer ${id}; known: ${importerIds().join(', ')}`);
  return s;
}
