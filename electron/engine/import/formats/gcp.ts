/**
 * Google Cloud Billing export, flattened to CSV (BigQuery column names with dots). Vertex AI /
 * Gemini token SKUs ("Gemini 2.5 Flash GA Text Input - Predictions") give token counts; the
 * `credits` column (a number, or the JSON array of {name, amount, type}) is netted into
 * effectiveCost exactly.
 */
import type { ChargeCategory } from '../../../../shared/domain';
import { parseDecimal, rescaleHalfEven } from '../../../../shared/money';
import { Columns, RowReader, cleanAmount, info, short, tokenKind, unitScale, usageRecord, type FormatDef } from './common';

function gcpCategory(costType: string | null): ChargeCategory {
  const t = (costType ?? 'regular').trim().toLowerCase();
  if (t === 'tax') return 'tax';
  if (t === 'adjustment' || t.startsWith('rounding')) return 'adjustment';
  return 'usage';
}

/** Sum of the credit amounts in a credits cell, as micros (exact), or undefined when unreadable. */
function creditsMicros(text: string): number | undefined {
  const t = text.trim();
  if (t === '' || t === '[]') return 0;
  const amounts: string[] = [];
  if (t.startsWith('[') || t.startsWith('{')) {
    const re = /"amount"\s*:\s*"?(-?[\d.]+(?:[eE][+-]?\d+)?)"?/g;
    for (let m = re.exec(t); m; m = re.exec(t)) amounts.push(m[1]);
  } else {
    const c = cleanAmount(t);
    if (c === null) return undefined;
    amounts.push(c);
  }
  let units = 0n;
  let scale = 0;
  for (const a of amounts) {
    const d = parseDecimal(a);
    if (!d) return undefined;
    if (d.scale > scale) {
      units *= 10n ** BigInt(d.scale - scale);
      scale = d.scale;
    }
    units += d.units * 10n ** BigInt(scale - d.scale);
  }
  const micros = rescaleHalfEven(units, scale, 6);
  // out of the range an integer column holds exactly: a bad cell, not a database error
  if (micros > BigInt(Number.MAX_SAFE_INTEGER) || micros < -BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return Number(micros);
}

export const gcpBilling: FormatDef = {
  info: info('gcp-billing', 'Google Cloud Billing export', 'usage'),
  required: [['service.description', 'service_description'], ['sku.description', 'sku_description'], ['cost']],
  prepare(headers, opts) {
    const c = new Columns(headers);
    const ix = {
      billingAccount: c.idx('billing_account_id'),
      service: c.idx('service.description', 'service_description'),
      sku: c.idx('sku.description', 'sku_description'),
      skuId: c.idx('sku.id', 'sku_id'),
      start: c.idx('usage_start_time'),
      end: c.idx('usage_end_time'),
      project: c.idx('project.id', 'project_id'),
      projectName: c.idx('project.name', 'project_name'),
      labels: c.idx('labels', 'project.labels'),
      cost: c.idx('cost'),
      currency: c.idx('currency'),
      amount: c.idx('usage.amount', 'usage_amount'),
      unit: c.idx('usage.unit', 'usage_unit'),
      credits: c.idx('credits', 'credits.amount', 'credits_amount'),
      costType: c.idx('cost_type'),
      region: c.idx('location.region', 'location.location', 'region', 'location'),
      invoiceMonth: c.idx('invoice.month', 'invoice_month'),
    };
    const r = new RowReader(c, opts);
    return (cells, line) => {
      r.reset(cells, line);
      const periodStart = r.instant(ix.start, true);
      const periodEnd = r.instant(ix.end);
      const cost = r.amount(ix.cost, true);
      const currency = r.currency(ix.currency, null);
      const creditsText = r.s(ix.credits);
      let credits = 0;
      if (creditsText !== null) {
        const v = creditsMicros(creditsText);
        if (v === undefined) r.fail(ix.credits, `${c.name(ix.credits)}: expected a credit amount or a JSON list of credits, found "${short(creditsText)}"`);
        else credits = v;
      }
      const service = r.s(ix.service);
      const sku = r.s(ix.sku);
      const unit = r.t(ix.unit);
      const ai = service !== null && /vertex ai|gemini|generative language/i.test(service);
      let input = 0;
      let output = 0;
      let cacheRead = 0;
      let cacheWrite = 0;
      const category = gcpCategory(r.t(ix.costType));
      if (ai && category === 'usage' && (unit === null || !/second|byte|char|image|hour|page/i.test(unit))) {
        const kind = tokenKind(sku);
        if (kind) {
          const n = r.tokens(ix.amount, unitScale(unit));
          if (kind === 'input') input = n;
          else if (kind === 'output') output = n;
          else if (kind === 'cacheRead') cacheRead = n;
          else cacheWrite = n;
        }
      }
      const tags = r.tags(ix.labels);
      return r.result(() => {
        const rec = usageRecord(line, 'gcp', periodStart!, currency!);
        rec.periodEnd = periodEnd;
        rec.billingAccountId = r.s(ix.billingAccount);
        rec.subAccountId = r.s(ix.project);
        rec.subAccountName = r.s(ix.projectName);
        rec.chargeCategory = category;
        rec.serviceName = service;
        rec.modelRaw = ai ? sku : null;
        rec.inputTokens = input;
        rec.outputTokens = output;
        rec.cacheReadTokens = cacheRead;
        rec.cacheWriteTokens = cacheWrite;
        rec.billedCostMicros = cost!.micros;
        rec.billedCostText = cost!.text;
        rec.effectiveCostMicros = creditsText !== null ? cost!.micros + credits : null;
        rec.tags = tags;
        rec.sku = r.s(ix.skuId) ?? sku;
        rec.region = r.s(ix.region);
        rec.description = sku;
        rec.pricingQuantityText = r.t(ix.amount);
        rec.pricingUnit = unit;
        return { kind: 'usage', record: rec };
      });
    };
  },
};
