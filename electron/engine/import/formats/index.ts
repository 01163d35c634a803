/**
 * Registry of the import formats: id → FormatDef (label, kind, required columns, row mapper).
 */
import type { FormatInfo } from '../types';
import { focus10, focus11, focus12, focus13, azureFocus } from './focus';
import { openaiUsage, openaiCost } from './openai';
import { anthropicUsage, anthropicCost } from './anthropic';
import { openrouter } from './openrouter';
import { awsCur2, awsCurLegacy } from './aws';
import { azureNative } from './azure';
import { gcpBilling } from './gcp';
import { litellm } from './litellm';
import { invoiceFocus, invoiceStripe, invoiceXero } from './invoices';
import { incidentGithub, incidentGitguardian, incidentPagerduty, incidentGuardduty, incidentGeneric } from './incidents';
import { customFormat, type CustomMapping } from './custom';
import { Columns, type FormatDef, type MapResult, type MapperOptions } from './common';

export type { FormatDef, MapResult, MapperOptions, RowMapper } from './common';
export { normalizeHeader, parseTags, cleanAmount, tokenKind, unitScale } from './common';
export { customFormat, validateMapping, CANONICAL_FIELDS, type CustomMapping, type CanonicalField } from './custom';

export const FORMATS: readonly FormatDef[] = [
  focus10,
  focus11,
  focus12,
  focus13,
  azureFocus,
  openaiUsage,
  openaiCost,
  anthropicUsage,
  anthropicCost,
  openrouter,
  awsCur2,
  awsCurLegacy,
  azureNative,
  gcpBilling,
  litellm,
  invoiceFocus,
  invoiceStripe,
  invoiceXero,
  incidentGithub,
  incidentGitguardian,
  incidentPagerduty,
  incidentGuardduty,
  incidentGeneric,
];

const BY_ID = new Map(FORMATS.map((f) => [f.info.id, f]));

export const FORMAT_IDS: readonly string[] = [...FORMATS.map((f) => f.info.id), 'custom'];

export function getFormat(id: string): FormatDef | undefined {
  return BY_ID.get(id);
}

export function listFormats(): FormatInfo[] {
  return FORMATS.map((f) => ({ ...f.info }));
}

/**
 * The format to use: a mapping wins (custom), else the id. Throws a clear Error for an unknown
 * id, and when the headers lack a column the format cannot do without.
 */
export function resolveFormat(headers: string[], format?: string, mapping?: CustomMapping): FormatDef {
  if (mapping) return customFormat(mapping);
  if (!format || format === 'custom') throw new Error('No format given: choose one, or map the columns in the mapping editor.');
  const def = getFormat(format);
  if (!def) throw new Error(`Unknown import format "${format}". Known formats: ${FORMAT_IDS.join(', ')}.`);
  const cols = new Columns(headers);
  const missing = def.required.filter((alts) => !cols.has(...alts)).map((alts) => alts.join(' or '));
  if (missing.length)
    throw new Error(`The file does not look like ${def.info.label}: it has no ${missing.join(', ')} column. Headers seen: ${headers.join(', ')}.`);
  return def;
}

/** Maps one row given as {header: value} (convenience for tests and previews; files use prepare()). */
export function mapRow(format: string | CustomMapping, row: Record<string, string | null>, line = 2, opts?: MapperOptions): MapResult {
  const headers = Object.keys(row);
  const def = typeof format === 'string' ? resolveFormat(headers, format) : customFormat(format);
  return def.prepare(headers, opts)(
    headers.map((h) => row[h] ?? ''),
    line,
  );
}
