/**
 * The `custom` format: a user's column mapping (from the mapping editor) for a file no built-in
 * format recognises — generic usage, invoice-line or incident CSVs, any delimiter, decimal
 * comma, day-first dates, amounts in cents.
 */
import type { ChargeCategory } from '../../../../shared/domain';
import type { ImportKind } from '../types';
import { DATE_FORMATS, type DateFormat } from '../parse-dates';
import { Columns, RowReader, chargeCategory, info, listCell, short, usageRecord, type FormatDef, type RowMapper } from './common';

export interface CustomMapping {
  kind: ImportKind;
  /** canonical field (see CANONICAL_FIELDS) → the file's header name */
  columns: Record<string, string>;
  /** how dates are written; 'dmy' reads dd/MM/yyyy. Default 'auto' (ISO, M/D/Y, epoch). */
  dateFormat?: DateFormat;
  decimalSeparator?: '.' | ',';
  /** currency of the amounts when no currency column is mapped */
  currency?: string;
  /** amounts are in currency units ('major', default) or in cents ('minor') */
  unit?: 'major' | 'minor';
  /** provider id for usage rows when no provider column is mapped (default 'custom') */
  provider?: string;
  /** a name for the mapping, shown as the format label */
  name?: string;
}

export interface CanonicalField {
  field: string;
  label: string;
  required: boolean;
}

const f = (field: string, label: string, required = false): CanonicalField => ({ field, label, required });

/** The fields a mapping can fill, per kind (for the mapping editor). */
export const CANONICAL_FIELDS: Record<ImportKind, CanonicalField[]> = {
  usage: [
    f('periodStart', 'Date / period start', true),
    f('periodEnd', 'Period end'),
    f('provider', 'Provider'),
    f('billingAccountId', 'Billing account id'),
    f('billingAccountName', 'Billing account name'),
    f('subAccountId', 'Project / workspace id'),
    f('subAccountName', 'Project / workspace name'),
    f('apiKey', 'API key'),
    f('userId', 'User'),
    f('chargeCategory', 'Charge category'),
    f('serviceName', 'Service'),
    f('model', 'Model'),
    f('inputTokens', 'Input tokens'),
    f('outputTokens', 'Output tokens'),
    f('cacheReadTokens', 'Cache-read tokens'),
    f('cacheWriteTokens', 'Cache-write tokens'),
    f('requests', 'Requests'),
    f('billedCost', 'Cost (billed)'),
    f('effectiveCost', 'Effective cost'),
    f('listCost', 'List cost'),
    f('currency', 'Currency'),
    f('tags', 'Tags (JSON)'),
    f('sku', 'SKU'),
    f('region', 'Region'),
    f('resourceId', 'Resource id'),
    f('description', 'Description'),
  ],
  invoice: [
    f('invoiceNumber', 'Invoice number', true),
    f('amount', 'Amount', true),
    f('currency', 'Currency'),
    f('issuer', 'Issuer'),
    f('billingAccountId', 'Billing account id'),
    f('issuedOn', 'Issue date'),
    f('periodStart', 'Period start'),
    f('periodEnd', 'Period end'),
    f('dueOn', 'Due date'),
    f('status', 'Status'),
    f('description', 'Description'),
    f('category', 'Category'),
    f('quantity', 'Quantity'),
  ],
  incident: [
    f('externalId', 'Incident id', true),
    f('title', 'Title', true),
    f('detectedAt', 'Detected at', true),
    f('startedAt', 'Started at'),
    f('resolvedAt', 'Resolved at'),
    f('type', 'Type'),
    f('severity', 'Severity'),
    f('status', 'Status'),
    f('source', 'Source'),
    f('apiKeys', 'Affected API keys'),
    f('workloads', 'Affected workloads'),
    f('accounts', 'Affected accounts'),
  ],
};

/** Problems that make a mapping unusable for these headers (empty when it is fine). */
export function validateMapping(mapping: CustomMapping, headers: string[]): string[] {
  const problems: string[] = [];
  const fields = CANONICAL_FIELDS[mapping.kind];
  if (!fields) return [`unknown kind "${String(mapping.kind)}": expected usage, invoice or incident`];
  const known = new Set(fields.map((x) => x.field));
  const cols = new Columns(headers);
  for (const [field, header] of Object.entries(mapping.columns ?? {})) {
    if (!header) continue;
    if (!known.has(field)) problems.push(`"${field}" is not a ${mapping.kind} field (expected one of ${[...known].join(', ')})`);
    else if (!cols.has(header)) problems.push(`column "${header}" (mapped to ${field}) is not in the file; its headers are: ${headers.join(', ')}`);
  }
  for (const x of fields) if (x.required && !mapping.columns?.[x.field]) problems.push(`${x.label} (${x.field}) must be mapped to a column`);
  if (mapping.kind === 'usage') {
    const m = mapping.columns ?? {};
    if (!m.billedCost && !m.inputTokens && !m.outputTokens) problems.push('map a cost column (billedCost) or token columns (inputTokens / outputTokens)');
    if ((m.billedCost || m.effectiveCost || m.listCost) && !m.currency && !mapping.currency) problems.push('the amounts need a currency: map a currency column or set the mapping currency');
  }
  if (mapping.kind === 'invoice' && !mapping.columns?.currency && !mapping.currency) problems.push('the amounts need a currency: map a currency column or set the mapping currency');
  if (mapping.dateFormat && !DATE_FORMATS.includes(mapping.dateFormat)) problems.push(`unknown date format "${mapping.dateFormat}" (expected ${DATE_FORMATS.join(', ')})`);
  if (mapping.decimalSeparator && mapping.decimalSeparator !== '.' && mapping.decimalSeparator !== ',') problems.push('the decimal separator must be "." or ","');
  return problems;
}

function prepareCustom(mapping: CustomMapping, headers: string[]): RowMapper {
  const problems = validateMapping(mapping, headers);
  if (problems.length) throw new Error(`The column mapping does not fit this file: ${problems.join('; ')}.`);
  const c = new Columns(headers);
  const col = (field: string) => {
    const h = mapping.columns[field];
    return h ? c.idx(h) : -1;
  };
  const r = new RowReader(c, { decimalSeparator: mapping.decimalSeparator ?? '.', dateFormat: mapping.dateFormat ?? 'auto' });
  const minor = mapping.unit === 'minor' ? 2 : 0;
  const defaultCurrency = mapping.currency ? mapping.currency.trim().toUpperCase() : null;

  const category = (i: number, fallback: ChargeCategory): ChargeCategory => {
    const t = r.t(i);
    if (t === null) return fallback;
    const cat = chargeCategory(t);
    if (!cat) {
      r.fail(i, `${c.name(i)}: expected Usage, Purchase, Tax, Credit or Adjustment, found "${short(t)}"`);
      return fallback;
    }
    return cat;
  };

  if (mapping.kind === 'usage') {
    const ix = Object.fromEntries(CANONICAL_FIELDS.usage.map((x) => [x.field, col(x.field)])) as Record<string, number>;
    return (cells, line) => {
      r.reset(cells, line);
      const periodStart = r.instant(ix.periodStart, true);
      const periodEnd = r.instant(ix.periodEnd);
      const billed = r.amount(ix.billedCost, false, minor);
      const effective = r.amount(ix.effectiveCost, false, minor);
      const list = r.amount(ix.listCost, false, minor);
      const currency = r.currency(ix.currency, defaultCurrency ?? (billed || effective || list ? null : 'USD'));
      const cat = category(ix.chargeCategory, 'usage');
      const input = r.int(ix.inputTokens);
      const output = r.int(ix.outputTokens);
      const cacheRead = r.int(ix.cacheReadTokens);
      const cacheWrite = r.int(ix.cacheWriteTokens);
      const requests = r.intOrNull(ix.requests);
      const tags = r.tags(ix.tags);
      return r.result(() => {
        const provider = (r.t(ix.provider) ?? mapping.provider ?? 'custom').toLowerCase();
        const rec = usageRecord(line, provider, periodStart!, currency!);
        rec.periodEnd = periodEnd;
        rec.billingAccountId = r.s(ix.billingAccountId);
        rec.billingAccountName = r.s(ix.billingAccountName);
        rec.subAccountId = r.s(ix.subAccountId);
        rec.subAccountName = r.s(ix.subAccountName);
        rec.apiKey = r.s(ix.apiKey);
        rec.userId = r.s(ix.userId);
        rec.chargeCategory = cat;
        rec.serviceName = r.s(ix.serviceName);
        rec.modelRaw = r.s(ix.model);
        rec.inputTokens = input;
        rec.outputTokens = output;
        rec.cacheReadTokens = cacheRead;
        rec.cacheWriteTokens = cacheWrite;
        rec.requests = requests;
        rec.billedCostMicros = billed?.micros ?? null;
        rec.billedCostText = billed?.text ?? null;
        rec.effectiveCostMicros = effective?.micros ?? null;
        rec.listCostMicros = list?.micros ?? null;
        rec.tags = tags;
        rec.sku = r.s(ix.sku);
        rec.region = r.s(ix.region);
        rec.resourceId = r.s(ix.resourceId);
        rec.description = r.s(ix.description);
        return { kind: 'usage', record: rec };
      });
    };
  }

  if (mapping.kind === 'invoice') {
    const ix = Object.fromEntries(CANONICAL_FIELDS.invoice.map((x) => [x.field, col(x.field)])) as Record<string, number>;
    return (cells, line) => {
      r.reset(cells, line);
      const number = r.need(ix.invoiceNumber, 'an invoice number');
      const amount = r.amount(ix.amount, true, minor);
      const currency = r.currency(ix.currency, defaultCurrency);
      const cat = category(ix.category, 'purchase');
      const issuedOn = r.day(ix.issuedOn);
      const periodStart = r.day(ix.periodStart);
      const periodEnd = r.day(ix.periodEnd);
      const dueOn = r.day(ix.dueOn);
      return r.result(() => ({
        kind: 'invoice',
        record: {
          line,
          invoiceNumber: number!,
          issuer: r.s(ix.issuer),
          billingAccountId: r.s(ix.billingAccountId),
          currency: currency!,
          issuedOn,
          periodStart,
          periodEnd,
          dueOn,
          status: r.s(ix.status),
          description: r.s(ix.description),
          category: cat,
          amountMicros: amount!.micros,
          amountText: amount!.text,
          quantityText: r.t(ix.quantity),
        },
      }));
    };
  }

  const ix = Object.fromEntries(CANONICAL_FIELDS.incident.map((x) => [x.field, col(x.field)])) as Record<string, number>;
  return (cells, line) => {
    r.reset(cells, line);
    const id = r.need(ix.externalId, 'an incident id');
    const title = r.need(ix.title, 'a title');
    const startedAt = r.instant(ix.startedAt);
    const detectedAt = r.instant(ix.detectedAt, true);
    const resolvedAt = r.instant(ix.resolvedAt);
    return r.result(() => ({
      kind: 'incident',
      record: {
        line,
        source: r.t(ix.source) ?? 'custom',
        externalId: id!,
        title: title!,
        type: r.t(ix.type),
        severity: r.t(ix.severity),
        status: r.t(ix.status),
        startedAt,
        detectedAt: detectedAt!,
        resolvedAt,
        apiKeys: listCell(r.s(ix.apiKeys)),
        workloads: listCell(r.s(ix.workloads)),
        accounts: listCell(r.s(ix.accounts)),
      },
    }));
  };
}

/** A FormatDef for a mapping; prepare() throws a clear Error when the mapping does not fit the headers. */
export function customFormat(mapping: CustomMapping): FormatDef {
  return {
    info: info('custom', mapping.name ? `Custom mapping: ${mapping.name}` : 'Custom mapping', mapping.kind),
    required: [],
    prepare: (headers) => prepareCustom(mapping, headers),
  };
}
