/**
 * Azure native cost export (actual or amortised cost, ~50 columns). Azure OpenAI meters are
 * named inconsistently ("gpt 4o 0513 Input global Tokens", "gpt-4o-mini-0718-Inp-glbl Tokens",
 * "gpt 4o 1120 cached Inp glbl Tokens", "GPT 5 Inpt Glbl"): the token kind is matched by
 * pattern and Quantity is scaled by UnitOfMeasure (1K or 1M). Tags come without outer braces.
 */
import type { ChargeCategory } from '../../../../shared/domain';
import { Columns, RowReader, info, tokenKind, unitScale, usageRecord, type FormatDef } from './common';

export function azureCategory(chargeType: string | null): ChargeCategory {
  if (chargeType === null) return 'usage';
  const t = chargeType.trim().toLowerCase();
  if (t === 'usage' || t === 'unusedreservation' || t === 'unusedsavingsplan') return 'usage';
  if (t === 'purchase') return 'purchase';
  if (t === 'refund') return 'credit';
  if (t === 'tax') return 'tax';
  return 'adjustment';
}

const OPENAI_METER = /\b(gpt|o[1-9]|text[\s-]?embedding|dall[\s-]?e|whisper|tts|davinci|babbage|codex|sora)/i;

export const azureNative: FormatDef = {
  info: info('azure-native', 'Azure cost export', 'usage'),
  required: [['MeterName'], ['MeterCategory'], ['Cost', 'CostInBillingCurrency', 'PreTaxCost']],
  prepare(headers, opts) {
    const c = new Columns(headers);
    const ix = {
      billingAccount: c.idx('BillingAccountId'),
      billingAccountName: c.idx('BillingAccountName'),
      subscription: c.idx('SubscriptionId', 'SubscriptionGuid'),
      subscriptionName: c.idx('SubscriptionName'),
      date: c.idx('Date', 'UsageDateTime', 'UsageDate'),
      product: c.idx('Product', 'ProductName'),
      meterId: c.idx('MeterId'),
      meterCategory: c.idx('MeterCategory'),
      meterSubCategory: c.idx('MeterSubCategory', 'MeterSubcategory'),
      meterName: c.idx('MeterName'),
      quantity: c.idx('Quantity', 'UsageQuantity'),
      cost: c.idx('Cost', 'CostInBillingCurrency', 'PreTaxCost'),
      currency: c.idx('BillingCurrency', 'BillingCurrencyCode', 'Currency'),
      resourceId: c.idx('ResourceId', 'InstanceId', 'InstanceName'),
      resourceGroup: c.idx('ResourceGroup', 'ResourceGroupName'),
      location: c.idx('ResourceLocation', 'Location', 'MeterRegion'),
      tags: c.idx('Tags'),
      unit: c.idx('UnitOfMeasure'),
      chargeType: c.idx('ChargeType'),
      service: c.idx('ConsumedService'),
    };
    const r = new RowReader(c, opts);
    return (cells, line) => {
      r.reset(cells, line);
      const periodStart = r.instant(ix.date, true);
      const cost = r.amount(ix.cost, true);
      const currency = r.currency(ix.currency, null);
      const category = azureCategory(r.t(ix.chargeType));
      const meterName = r.s(ix.meterName);
      const meterCategory = r.s(ix.meterCategory);
      const meterSub = r.s(ix.meterSubCategory);
      const tags = r.tags(ix.tags);
      const openai =
        (meterCategory !== null && /openai|cognitive services|foundry/i.test(meterCategory) && meterName !== null && OPENAI_METER.test(meterName)) ||
        (meterSub !== null && /openai/i.test(meterSub)) ||
        (meterName !== null && OPENAI_METER.test(meterName) && /token|inp|outp|opt/i.test(meterName));
      let input = 0;
      let output = 0;
      let cacheRead = 0;
      let cacheWrite = 0;
      if (openai && category === 'usage') {
        const kind = tokenKind(meterName);
        if (kind) {
          const n = r.tokens(ix.quantity, unitScale(r.t(ix.unit)));
          if (kind === 'input') input = n;
          else if (kind === 'output') output = n;
          else if (kind === 'cacheRead') cacheRead = n;
          else cacheWrite = n;
        }
      }
      return r.result(() => {
        const rec = usageRecord(line, 'azure', periodStart!, currency!);
        rec.billingAccountId = r.s(ix.billingAccount);
        rec.billingAccountName = r.s(ix.billingAccountName);
        rec.subAccountId = r.s(ix.subscription);
        rec.subAccountName = r.s(ix.subscriptionName);
        rec.chargeCategory = category;
        rec.serviceName = meterCategory ?? r.s(ix.service);
        rec.modelRaw = openai ? meterName : null;
        rec.inputTokens = input;
        rec.outputTokens = output;
        rec.cacheReadTokens = cacheRead;
        rec.cacheWriteTokens = cacheWrite;
        rec.billedCostMicros = cost!.micros;
        rec.billedCostText = cost!.text;
        rec.tags = tags;
        rec.sku = r.s(ix.meterId);
        rec.region = r.s(ix.location);
        rec.resourceId = r.s(ix.resourceId);
        rec.description = meterName ?? r.s(ix.product);
        rec.pricingQuantityText = r.t(ix.quantity);
        rec.pricingUnit = r.t(ix.unit);
        return { kind: 'usage', record: rec };
      });
    };
  },
};
