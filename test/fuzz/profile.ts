/**
 * What the fuzzer needs to know about each importer, learned by running its row mapper in memory
 * (no database): which column carries an incident's external id (so generated incidents are
 * new, not duplicates), and what happens to formula/SQL text in each column (stored verbatim,
 * refused, or altered) — the last is a report, so a mapper that "sanitises" text shows up.
 */
import { customFormat, getFormat, type RowMapper } from '../../electron/engine/import/formats';
import type { ImportKind, MappedRecord } from '../../electron/engine/import/types';
import { FORMULA_SQL } from './hostile';
import { importerSamples, type ImporterSample } from './samples';

/** Record fields the writer stores as text, per kind (fields stored only on first sight, such as an account's name, are left out). */
const STORED_FIELDS: Record<ImportKind, readonly string[]> = {
  usage: [
    'provider', 'billingAccountId', 'subAccountId', 'subAccountName', 'apiKey', 'userId', 'serviceName', 'modelRaw', 'billedCostText',
    'currency', 'pricingCurrency', 'pricingQuantityText', 'pricingUnit', 'sku', 'region', 'resourceId', 'description',
  ],
  invoice: ['invoiceNumber', 'issuer', 'billingAccountId', 'currency', 'description', 'amountText', 'quantityText'],
  incident: ['source', 'externalId', 'title', 'type', 'severity', 'status', 'apiKeys', 'workloads', 'accounts'],
};

/** The text values of a mapped record that the database must hold verbatim once the row is committed. */
export function storedStrings(m: MappedRecord): string[] {
  const rec = m.record as unknown as Record<string, unknown>;
  const out: string[] = [];
  for (const f of STORED_FIELDS[m.kind]) {
    const v = rec[f];
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') out.push(x.trim());
  }
  return out;
}

/** The importer's row mapper for a header, or null when the header does not fit it. */
export function mapperFor(sample: ImporterSample, header: string[]): RowMapper | null {
  try {
    const def = sample.mapping ? customFormat(sample.mapping) : getFormat(sample.id);
    return def ? def.prepare(header.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h).trim())) : null;
  } catch {
    return null;
  }
}

export interface ColumnFinding {
  column: string;
  value: string;
  /** 'verbatim': stored as written; 'refused': the row is rejected with a reason; 'altered': accepted, stored differently; 'dropped': accepted, not stored */
  outcome: 'verbatim' | 'refused' | 'altered' | 'dropped';
  stored?: string[];
}

export interface ImporterProfile {
  sample: ImporterSample;
  /** column holding an incident's external id, -1 for other kinds */
  idColumn: number;
  /** per column: what happens to formula/SQL text written there */
  findings: ColumnFinding[];
}

function findingFor(mapper: RowMapper, sample: ImporterSample, row: string[], col: number, value: string): ColumnFinding {
  const cells = [...row];
  const before = cells[col];
  cells[col] = value;
  const column = sample.header[col];
  const r = mapper(cells, 2);
  if (r.ok === false) return { column, value, outcome: 'refused' };
  if (r.ok !== true) return { column, value, outcome: 'dropped' };
  const stored = storedStrings(r.mapped);
  if (stored.includes(value) || stored.includes(value.trim())) return { column, value, outcome: 'verbatim' };
  // a value the column never stores (dates, numbers read into integers, flags) is 'dropped'
  const unchanged = mapper(row, 2);
  const base = unchanged.ok === true ? storedStrings(unchanged.mapped) : [];
  const changed = stored.filter((s) => !base.includes(s));
  if (changed.length === 0 && !base.includes(before)) return { column, value, outcome: 'dropped' };
  return { column, value, outcome: changed.length ? 'altered' : 'dropped', stored: changed };
}

const profiles = new Map<string, ImporterProfile>();

export function profileOf(sample: ImporterSample): ImporterProfile {
  const hit = profiles.get(sample.id);
  if (hit) return hit;
  const mapper = mapperFor(sample, sample.header);
  if (!mapper) throw new Error(`${sample.id}: the fixture header does not fit the importer`);
  let idColumn = -1;
  const first = mapper(sample.rows[0], 2);
  if (first.ok !== true) throw new Error(`${sample.id}: the fixture's first row does not map: ${JSON.stringify(first)}`);
  if (first.mapped.kind === 'incident') {
    const ext = first.mapped.record.externalId;
    idColumn = sample.rows[0].findIndex((c) => c.trim() === ext);
  }
  const findings: ColumnFinding[] = [];
  for (let col = 0; col < sample.header.length; col++) {
    for (const value of FORMULA_SQL) findings.push(findingFor(mapper, sample, sample.rows[0], col, value));
  }
  const p: ImporterProfile = { sample, idColumn, findings };
  profiles.set(sample.id, p);
  return p;
}

export function allProfiles(): ImporterProfile[] {
  return importerSamples().map(profileOf);
}

/** Per column, a one-line summary: "project_id: verbatim 19", "model: altered 3 (…), verbatim 16". */
export function describeProfile(p: ImporterProfile): string[] {
  const byCol = new Map<string, ColumnFinding[]>();
  for (const f of p.findings) byCol.set(f.column, [...(byCol.get(f.column) ?? []), f]);
  const lines: string[] = [];
  for (const [col, fs] of byCol) {
    const counts = new Map<string, number>();
    for (const f of fs) counts.set(f.outcome, (counts.get(f.outcome) ?? 0) + 1);
    const altered = fs.filter((f) => f.outcome === 'altered').slice(0, 2).map((f) => `${JSON.stringify(f.value)} → ${JSON.stringify(f.stored)}`);
    lines.push(`${col}: ${[...counts].map(([k, n]) => `${k} ${n}`).join(', ')}${altered.length ? ` (e.g. ${altered.join('; ')})` : ''}`);
  }
  return lines;
}
