/**
 * Format detection by header signature (FORMATS.md): header names compared case-insensitively,
 * trimmed, BOM stripped. Returns ranked candidates with a confidence in 0..1; none when nothing
 * matches, so the UI can open the mapping editor.
 */
import { createHash } from 'node:crypto';
import type { FormatInfo } from './types';
import { getFormat, normalizeHeader } from './formats';

export interface FormatCandidate {
  format: FormatInfo;
  /** 0..1; above 0.8 is a confident match */
  confidence: number;
  /** why it matched: the signature columns found */
  reason: string;
}

interface Signature {
  id: string;
  /** every group must be present (any alias of a group) */
  all: string[][];
  base: number;
  /** other documented columns; each one present raises the confidence a little */
  known?: string[];
}

const g = (...names: string[]) => names.map((n) => [n]);

const SIGNATURES: Signature[] = [
  {
    id: 'openai-usage',
    all: [['num_model_requests'], ['input_tokens'], ['start_time_iso', 'start_time']],
    base: 0.95,
    known: ['end_time', 'project_id', 'user_id', 'api_key_id', 'model', 'batch', 'service_tier', 'output_tokens', 'input_cached_tokens', 'input_uncached_tokens'],
  },
  {
    id: 'openai-cost',
    all: g('amount_value', 'amount_currency'),
    base: 0.9,
    known: ['start_time', 'end_time', 'line_item', 'project_id', 'organization_id', 'organization_name'],
  },
  {
    id: 'anthropic-usage',
    all: g('usage_date_utc', 'usage_input_tokens_no_cache'),
    base: 0.95,
    known: ['model_version', 'api_key', 'workspace', 'usage_input_tokens_cache_read', 'usage_output_tokens'],
  },
  {
    id: 'anthropic-cost',
    all: g('usage_date_utc', 'token_type', 'cost_usd'),
    base: 0.95,
    known: ['model', 'workspace', 'api_key', 'list_price_usd', 'cost_type'],
  },
  {
    id: 'openrouter',
    all: g('generation_id', 'model_permaslug'),
    base: 0.95,
    known: ['created_at', 'cost_total', 'tokens_prompt', 'tokens_completion', 'provider_name', 'api_key_name'],
  },
  {
    id: 'aws-cur2',
    all: g('line_item_usage_type', 'line_item_unblended_cost'),
    base: 0.95,
    known: ['line_item_usage_start_date', 'line_item_product_code', 'line_item_usage_amount', 'bill_payer_account_id', 'line_item_usage_account_id'],
  },
  {
    id: 'aws-cur-legacy',
    all: g('lineItem/UsageType', 'lineItem/UnblendedCost'),
    base: 0.95,
    known: ['lineItem/UsageStartDate', 'lineItem/ProductCode', 'lineItem/UsageAmount', 'bill/PayerAccountId', 'product/ProductName'],
  },
  {
    id: 'azure-native',
    all: [['MeterName'], ['MeterCategory'], ['Cost', 'CostInBillingCurrency', 'PreTaxCost']],
    base: 0.9,
    known: ['SubscriptionId', 'Date', 'Quantity', 'UnitOfMeasure', 'ChargeType', 'BillingCurrency', 'ResourceId', 'Tags'],
  },
  {
    id: 'gcp-billing',
    all: [['service.description', 'service_description'], ['sku.description', 'sku_description'], ['cost']],
    base: 0.9,
    known: ['billing_account_id', 'usage_start_time', 'project.id', 'currency', 'usage.amount', 'credits', 'cost_type'],
  },
  {
    id: 'litellm',
    all: g('request_id', 'spend', 'prompt_tokens', 'completion_tokens'),
    base: 0.9,
    known: ['startTime', 'model', 'api_key', 'team_id', 'request_tags', 'custom_llm_provider'],
  },
  {
    id: 'invoice-focus',
    all: g('InvoiceDetailId', 'InvoiceId', 'BilledCost'),
    base: 0.96,
    known: ['InvoiceIssueDate', 'InvoiceIssuerName', 'PaymentDueDate', 'BillingCurrency'],
  },
  {
    id: 'invoice-stripe',
    all: [['id'], ['number'], ['amount_paid'], ['period_start']],
    base: 0.88,
    known: ['created', 'currency', 'subtotal', 'tax', 'total', 'status', 'period_end'],
  },
  {
    id: 'invoice-xero',
    all: g('ContactName', 'InvoiceNumber', 'UnitAmount'),
    base: 0.9,
    known: ['InvoiceDate', 'DueDate', 'Description', 'Quantity', 'Currency'],
  },
  {
    id: 'incident-github',
    all: g('number', 'secret_type', 'resolution'),
    base: 0.92,
    known: ['created_at', 'state', 'resolved_at', 'secret_type_display_name', 'validity', 'publicly_leaked', 'html_url'],
  },
  {
    id: 'incident-gitguardian',
    all: [['detector.name', 'detector.display_name', 'detector_name', 'detector'], ['triggered_at']],
    base: 0.92,
    known: ['id', 'date', 'status', 'resolved_at', 'secret_revoked', 'validity', 'severity'],
  },
  {
    id: 'incident-pagerduty',
    all: [['incident_number'], ['urgency'], ['service.summary', 'service_summary']],
    base: 0.92,
    known: ['id', 'title', 'status', 'created_at', 'resolved_at'],
  },
  {
    id: 'incident-guardduty',
    all: g('type', 'severity', 'createdAt', 'accountId'),
    base: 0.88,
    known: ['id', 'updatedAt', 'region', 'title', 'description'],
  },
  {
    id: 'incident-generic',
    all: [['id'], ['title'], ['detected_at', 'started_at']],
    base: 0.6,
    known: ['type', 'severity', 'status', 'resolved_at', 'api_keys', 'workloads', 'accounts'],
  },
];

const FOCUS_13 = ['serviceprovidername', 'hostprovidername', 'contractapplied', 'allocatedmethodid', 'allocatedmethoddetails', 'allocatedresourceid', 'allocatedresourcename', 'allocatedtags'];
const FOCUS_12 = ['pricingcurrency', 'invoiceid', 'billingaccounttype', 'subaccounttype', 'pricingcurrencycontractedunitprice', 'pricingcurrencyeffectivecost', 'pricingcurrencylistunitprice'];
const FOCUS_11 = ['servicesubcategory', 'skumeter', 'skupricedetails', 'capacityreservationid', 'capacityreservationstatus', 'commitmentdiscountquantity', 'commitmentdiscountunit'];
const FOCUS_KNOWN = ['billingaccountid', 'billingcurrency', 'billingperiodstart', 'chargeclass', 'chargedescription', 'chargeperiodend', 'effectivecost', 'listcost', 'providername', 'servicename', 'pricingquantity', 'pricingunit'];
/** Azure-only x_ columns of its FOCUS export */
const AZURE_X = /^x_(skumetername|skumetercategory|skumetersubcategory|skumeterid|skuregion|resourcegroupname|billingaccountid|billingprofileid|pricingunitdescription|invoicesectionid|skuorderid|skudescription)$/;

/** FOCUS version of a cost file by its columns: 1.3 (ServiceProviderName…), 1.2 (PricingCurrency, InvoiceId…), 1.1 (ServiceSubcategory, SkuMeter…), else 1.0. */
export function focusVersion(headers: string[]): '1.0' | '1.1' | '1.2' | '1.3' {
  const set = new Set(headers.map(normalizeHeader));
  if (FOCUS_13.some((h) => set.has(h))) return '1.3';
  if (FOCUS_12.some((h) => set.has(h))) return '1.2';
  if (FOCUS_11.some((h) => set.has(h))) return '1.1';
  return '1.0';
}

function candidate(id: string, confidence: number, reason: string): FormatCandidate {
  const def = getFormat(id);
  if (!def) throw new Error(`detect: unknown format ${id}`);
  return { format: { ...def.info }, confidence: Math.round(Math.min(0.99, confidence) * 100) / 100, reason };
}

/** Ranked candidate formats for a header row (best first); empty when none matches. */
export function detectFormat(headers: string[]): FormatCandidate[] {
  const set = new Set(headers.map(normalizeHeader).filter(Boolean));
  const has = (n: string) => set.has(normalizeHeader(n));
  const out: FormatCandidate[] = [];

  if (has('BilledCost') && has('ChargePeriodStart') && has('ChargeCategory')) {
    const v = focusVersion(headers);
    const known = FOCUS_KNOWN.filter((h) => set.has(h)).length / FOCUS_KNOWN.length;
    const azureX = [...set].some((h) => AZURE_X.test(h));
    const base = 0.9 + 0.08 * known;
    out.push(candidate(`focus-${v}`, base, `FOCUS ${v}: BilledCost + ChargePeriodStart + ChargeCategory${v === '1.0' ? '' : ' and version-specific columns'}`));
    if (azureX) out.push(candidate('azure-focus', base + 0.01, 'FOCUS columns with Azure x_SkuMeterName / x_ columns'));
    else if (set.has('skumeter')) out.push(candidate('azure-focus', 0.55, 'FOCUS columns with SkuMeter (Azure FOCUS exports carry it too)'));
  }

  for (const sig of SIGNATURES) {
    if (!sig.all.every((alts) => alts.some(has))) continue;
    const known = sig.known?.length ? sig.known.filter(has).length / sig.known.length : 0;
    const names = sig.all.map((alts) => alts.find(has)!).join(' + ');
    out.push(candidate(sig.id, sig.base + 0.03 * known, `header has ${names}`));
  }

  return out.sort((a, b) => b.confidence - a.confidence);
}

/** The best candidate, or null (unknown: show the mapping editor). */
export function bestFormat(headers: string[]): FormatCandidate | null {
  return detectFormat(headers)[0] ?? null;
}

/** Key of a header row for remembering a custom mapping: sha256 of the sorted, normalised names joined by newlines. */
export function headerSignature(headers: string[]): string {
  const text = headers
    .map(normalizeHeader)
    .filter(Boolean)
    .sort()
    .join('\n');
  return createHash('sha256').update(text).digest('hex');
}
