/**
 * AWS Cost and Usage Report, CUR 2.0 (snake case) and legacy CUR (`lineItem/UsageType`).
 * Bedrock token usage is recognised by usage type: `*-input-tokens`, `*-output-tokens`,
 * `*-cache-read-input-token-count`, `*-cache-write-input-token-count`, and Marketplace models
 * (`USE1-MP:USE1_InputTokenCount-Units`, product "Claude Sonnet 4.5 (Amazon Bedrock Edition)").
 */
import type { ChargeCategory } from '../../../../shared/domain';
import { Columns, RowReader, info, tokenKind, unitScale, usageRecord, type FormatDef, type MapperOptions, type RowMapper } from './common';

interface AwsNames {
  payer: string[];
  account: string[];
  accountName: string[];
  type: string[];
  start: string[];
  end: string[];
  productCode: string[];
  usageType: string[];
  operation: string[];
  resource: string[];
  amount: string[];
  currency: string[];
  cost: string[];
  netCost: string[];
  publicCost: string[];
  description: string[];
  region: string[];
  productName: string[];
  pricingUnit: string[];
  tags: string[];
  tagColumns: RegExp;
}

const CUR2: AwsNames = {
  payer: ['bill_payer_account_id'],
  account: ['line_item_usage_account_id'],
  accountName: ['line_item_usage_account_name'],
  type: ['line_item_line_item_type'],
  start: ['line_item_usage_start_date'],
  end: ['line_item_usage_end_date'],
  productCode: ['line_item_product_code'],
  usageType: ['line_item_usage_type'],
  operation: ['line_item_operation'],
  resource: ['line_item_resource_id'],
  amount: ['line_item_usage_amount'],
  currency: ['line_item_currency_code'],
  cost: ['line_item_unblended_cost'],
  netCost: ['line_item_net_unblended_cost'],
  publicCost: ['pricing_public_on_demand_cost'],
  description: ['line_item_line_item_description'],
  region: ['product_region_code', 'product_region'],
  productName: ['product_product_name', 'product_name', 'product_productname'],
  pricingUnit: ['pricing_unit'],
  tags: ['resource_tags'],
  tagColumns: /^resource_tags_./,
};

const LEGACY: AwsNames = {
  payer: ['bill/PayerAccountId'],
  account: ['lineItem/UsageAccountId'],
  accountName: ['lineItem/UsageAccountName'],
  type: ['lineItem/LineItemType'],
  start: ['lineItem/UsageStartDate'],
  end: ['lineItem/UsageEndDate'],
  productCode: ['lineItem/ProductCode'],
  usageType: ['lineItem/UsageType'],
  operation: ['lineItem/Operation'],
  resource: ['lineItem/ResourceId'],
  amount: ['lineItem/UsageAmount'],
  currency: ['lineItem/CurrencyCode'],
  cost: ['lineItem/UnblendedCost'],
  netCost: ['lineItem/NetUnblendedCost'],
  publicCost: ['pricing/publicOnDemandCost'],
  description: ['lineItem/LineItemDescription'],
  region: ['product/regionCode', 'product/region'],
  productName: ['product/ProductName', 'product/productName'],
  pricingUnit: ['pricing/unit'],
  tags: [],
  tagColumns: /^resourcetags\/./,
};

/** CUR line item type → charge category. */
export function awsCategory(type: string | null): ChargeCategory {
  const t = (type ?? 'Usage').trim().toLowerCase();
  if (t === 'usage' || t === 'discountedusage' || t === 'savingsplancoveredusage') return 'usage';
  if (t === 'tax') return 'tax';
  if (t === 'credit' || t === 'refund') return 'credit';
  if (t === 'fee' || t === 'rifee' || t.startsWith('savingsplanupfront') || t.startsWith('savingsplanrecurring')) return 'purchase';
  return 'adjustment';
}

/** The model named in a Bedrock usage type: "USE1-Claude3.5Sonnet-input-tokens" → "Claude3.5Sonnet". */
function modelFromUsageType(usageType: string): string | null {
  if (/(^|-)MP:/i.test(usageType)) return null;
  const m = /^(?:[A-Z]{2,4}\d?-)?(.+?)-(?:cache-read-|cache-write-)?(?:input|output)-token/i.exec(usageType);
  return m ? m[1] : null;
}

function prepareAws(headers: string[], opts: MapperOptions | undefined, names: AwsNames): RowMapper {
  const c = new Columns(headers);
  const ix = {
    payer: c.idx(...names.payer),
    account: c.idx(...names.account),
    accountName: c.idx(...names.accountName),
    type: c.idx(...names.type),
    start: c.idx(...names.start),
    end: c.idx(...names.end),
    productCode: c.idx(...names.productCode),
    usageType: c.idx(...names.usageType),
    operation: c.idx(...names.operation),
    resource: c.idx(...names.resource),
    amount: c.idx(...names.amount),
    currency: c.idx(...names.currency),
    cost: c.idx(...names.cost),
    netCost: c.idx(...names.netCost),
    publicCost: c.idx(...names.publicCost),
    description: c.idx(...names.description),
    region: c.idx(...names.region),
    productName: c.idx(...names.productName),
    pricingUnit: c.idx(...names.pricingUnit),
    tags: names.tags.length ? c.idx(...names.tags) : -1,
  };
  const tagCols = c.matching(names.tagColumns).map((i) => ({ i, key: headers[i].trim().replace(/^resourceTags\/|^resource_tags_/i, '') }));
  const r = new RowReader(c, opts);

  return (cells, line) => {
    r.reset(cells, line);
    const periodStart = r.instant(ix.start, true);
    const periodEnd = r.instant(ix.end);
    const cost = r.amount(ix.cost, true);
    const net = r.micros(ix.netCost);
    const list = r.micros(ix.publicCost);
    const currency = r.currency(ix.currency, 'USD');
    const category = awsCategory(r.t(ix.type));
    const usageType = r.t(ix.usageType);
    const productCode = r.t(ix.productCode);
    const productName = r.t(ix.productName);
    const resource = r.s(ix.resource);
    let tags = r.tags(ix.tags);
    for (const { i, key } of tagCols) {
      const v = r.s(i);
      if (v !== null) (tags ??= {})[key] = v;
    }

    const bedrock =
      (productCode !== null && /bedrock/i.test(productCode)) ||
      (productName !== null && /bedrock/i.test(productName)) ||
      (usageType !== null && /token/i.test(usageType));
    let input = 0;
    let output = 0;
    let cacheRead = 0;
    let cacheWrite = 0;
    let modelRaw: string | null = null;
    if (bedrock && usageType !== null) {
      const kind = /token/i.test(usageType) ? tokenKind(usageType) : null;
      if (kind && category === 'usage') {
        const n = r.tokens(ix.amount, unitScale(r.t(ix.pricingUnit)));
        if (kind === 'input') input = n;
        else if (kind === 'output') output = n;
        else if (kind === 'cacheRead') cacheRead = n;
        else cacheWrite = n;
      }
      const arn = resource !== null && /(foundation-model|inference-profile)\//.test(resource) ? resource : null;
      modelRaw = arn ?? (productName !== null && /edition|claude|llama|mistral|titan|nova|cohere/i.test(productName) ? productName : null) ?? modelFromUsageType(usageType) ?? productName;
    }

    return r.result(() => {
      const rec = usageRecord(line, 'aws', periodStart!, currency!);
      rec.periodEnd = periodEnd;
      rec.billingAccountId = r.s(ix.payer);
      rec.subAccountId = r.s(ix.account);
      rec.subAccountName = r.s(ix.accountName);
      rec.chargeCategory = category;
      rec.serviceName = productName ?? productCode;
      rec.modelRaw = modelRaw;
      rec.inputTokens = input;
      rec.outputTokens = output;
      rec.cacheReadTokens = cacheRead;
      rec.cacheWriteTokens = cacheWrite;
      rec.billedCostMicros = cost!.micros;
      rec.billedCostText = cost!.text;
      rec.effectiveCostMicros = net;
      rec.listCostMicros = list;
      rec.tags = tags;
      rec.sku = usageType;
      rec.region = r.s(ix.region);
      rec.resourceId = resource;
      rec.description = r.s(ix.description);
      rec.pricingUnit = r.t(ix.pricingUnit);
      return { kind: 'usage', record: rec };
    });
  };
}

export const awsCur2: FormatDef = {
  info: info('aws-cur2', 'AWS Cost and Usage Report 2.0', 'usage'),
  required: [['line_item_usage_type'], ['line_item_unblended_cost'], ['line_item_usage_start_date']],
  prepare: (h, o) => prepareAws(h, o, CUR2),
};

export const awsCurLegacy: FormatDef = {
  info: info('aws-cur-legacy', 'AWS Cost and Usage Report (legacy)', 'usage'),
  required: [['lineItem/UsageType'], ['lineItem/UnblendedCost'], ['lineItem/UsageStartDate']],
  prepare: (h, o) => prepareAws(h, o, LEGACY),
};
