/**
 * FOCUS 1.0–1.3 cost and usage rows, and Azure's FOCUS export (x_SkuMeterName / SkuMeter).
 * Columns by name, any case; NULL and empty are null; amounts keep their source text.
 */
import type { ChargeCategory } from '../../../../shared/domain';
import {
  Columns,
  RowReader,
  chargeCategory,
  currencyCode,
  info,
  short,
  tokenKind,
  unitScale,
  usageRecord,
  type FormatDef,
  type MapperOptions,
  type RowMapper,
} from './common';

const CATEGORY_HINT = 'a ChargeCategory (Usage, Purchase, Tax, Credit or Adjustment)';

function prepareFocus(headers: string[], opts: MapperOptions | undefined, azure: boolean): RowMapper {
  const c = new Columns(headers);
  const ix = {
    billed: c.idx('BilledCost'),
    effective: c.idx('EffectiveCost'),
    list: c.idx('ListCost'),
    currency: c.idx('BillingCurrency'),
    category: c.idx('ChargeCategory'),
    cls: c.idx('ChargeClass'),
    start: c.idx('ChargePeriodStart'),
    end: c.idx('ChargePeriodEnd'),
    serviceProvider: c.idx('ServiceProviderName'),
    provider: c.idx('ProviderName'),
    issuer: c.idx('InvoiceIssuerName'),
    publisher: c.idx('PublisherName'),
    billingAccountId: c.idx('BillingAccountId'),
    billingAccountName: c.idx('BillingAccountName'),
    subAccountId: c.idx('SubAccountId'),
    subAccountName: c.idx('SubAccountName'),
    service: c.idx('ServiceName'),
    serviceCategory: c.idx('ServiceCategory'),
    serviceSubcategory: c.idx('ServiceSubcategory'),
    description: c.idx('ChargeDescription'),
    sku: c.idx('SkuId'),
    skuPrice: c.idx('SkuPriceId', 'SkuPriceid'),
    meter: azure ? c.idx('x_SkuMeterName', 'SkuMeter') : c.idx('SkuMeter', 'x_SkuMeterName'),
    model: c.idx('x_ModelName', 'x_ModelId', 'x_Model'),
    region: c.idx('RegionId', 'RegionName'),
    resource: c.idx('ResourceId'),
    resourceName: c.idx('ResourceName'),
    tags: c.idx('Tags'),
    pricingCurrency: c.idx('PricingCurrency'),
    pricingCurrencyEffective: c.idx('PricingCurrencyEffectiveCost'),
    pricingQuantity: c.idx('PricingQuantity'),
    pricingUnit: c.idx('PricingUnit'),
    consumedQuantity: c.idx('ConsumedQuantity'),
    consumedUnit: c.idx('ConsumedUnit'),
    azurePricingUnit: c.idx('x_PricingUnitDescription'),
  };
  const r = new RowReader(c, opts);

  return (cells, line) => {
    r.reset(cells, line);
    const catText = r.need(ix.category, CATEGORY_HINT);
    let category: ChargeCategory = 'usage';
    if (catText !== null) {
      const cat = chargeCategory(catText);
      if (cat) category = cat;
      else r.fail(ix.category, `${c.name(ix.category)}: expected Usage, Purchase, Tax, Credit or Adjustment, found "${short(catText)}"`);
    }
    const clsText = r.t(ix.cls);
    const chargeClass = clsText !== null && clsText.toLowerCase() === 'correction' ? 'correction' : null;
    const periodStart = r.instant(ix.start, true);
    const periodEnd = r.instant(ix.end);
    const billed = r.amount(ix.billed, true);
    const effective = r.micros(ix.effective);
    const list = r.micros(ix.list);
    const currency = ix.currency < 0 ? r.failRow('the file has no BillingCurrency column, so the currency of the amounts is unknown') : r.currency(ix.currency, null);
    const providerName = azure ? 'azure' : r.first(ix.serviceProvider, ix.provider, ix.issuer, ix.publisher);
    if (providerName === null) r.fail(ix.serviceProvider >= 0 ? ix.serviceProvider : ix.provider, 'ProviderName: expected the name of the provider, found an empty cell');

    let pricingCurrency: string | null = null;
    let pricingCurrencyEffectiveCostMicros: number | null = null;
    const pc = r.t(ix.pricingCurrency);
    if (pc !== null && currency !== null && currencyCode(pc) !== currency) {
      pricingCurrency = currencyCode(pc);
      pricingCurrencyEffectiveCostMicros = r.micros(ix.pricingCurrencyEffective);
    }

    const tags = r.tags(ix.tags);
    const meter = r.s(ix.meter);
    const description = r.s(ix.description);

    // Token counts when the row is metered in tokens (AI model usage).
    let inputTokens = 0;
    let outputTokens = 0;
    let cacheReadTokens = 0;
    let cacheWriteTokens = 0;
    const consumedUnit = r.t(ix.consumedUnit);
    const pricingUnit = r.t(ix.pricingUnit);
    const tokenUnit = [consumedUnit, pricingUnit, r.t(ix.azurePricingUnit), meter].some((u) => u !== null && /token/i.test(u));
    if (category === 'usage' && tokenUnit) {
      const kind = tokenKind(meter) ?? tokenKind(description) ?? tokenKind(r.s(ix.sku));
      const useConsumed = r.t(ix.consumedQuantity) !== null;
      const qtyIx = useConsumed ? ix.consumedQuantity : ix.pricingQuantity;
      let scale = unitScale(useConsumed ? consumedUnit : pricingUnit);
      if (scale === 1 && !useConsumed) scale = unitScale(r.t(ix.azurePricingUnit));
      if (kind) {
        const n = r.tokens(qtyIx, scale);
        if (kind === 'input') inputTokens = n;
        else if (kind === 'output') outputTokens = n;
        else if (kind === 'cacheRead') cacheReadTokens = n;
        else cacheWriteTokens = n;
      }
    }
    const serviceCategory = r.s(ix.serviceCategory);
    const serviceSubcategory = r.s(ix.serviceSubcategory);
    const aiService =
      (serviceCategory !== null && /ai and machine learning/i.test(serviceCategory)) ||
      (serviceSubcategory !== null && /generative ai/i.test(serviceSubcategory));
    const modelRaw =
      r.s(ix.model) ?? (category !== 'usage' ? null : aiService ? (meter ?? r.s(ix.resourceName) ?? description) : tokenUnit ? meter : null);

    return r.result(() => {
      const rec = usageRecord(line, providerName!.trim().toLowerCase(), periodStart!, currency!);
      rec.billingAccountId = r.s(ix.billingAccountId);
      rec.billingAccountName = r.s(ix.billingAccountName);
      rec.subAccountId = r.s(ix.subAccountId);
      rec.subAccountName = r.s(ix.subAccountName);
      rec.chargeCategory = category;
      rec.chargeClass = chargeClass;
      rec.periodEnd = periodEnd;
      rec.serviceName = r.s(ix.service);
      rec.modelRaw = modelRaw;
      rec.inputTokens = inputTokens;
      rec.outputTokens = outputTokens;
      rec.cacheReadTokens = cacheReadTokens;
      rec.cacheWriteTokens = cacheWriteTokens;
      rec.billedCostMicros = billed!.micros;
      rec.billedCostText = billed!.text;
      rec.effectiveCostMicros = effective;
      rec.listCostMicros = list;
      rec.pricingCurrency = pricingCurrency;
      rec.pricingCurrencyEffectiveCostMicros = pricingCurrencyEffectiveCostMicros;
      rec.pricingQuantityText = r.t(ix.pricingQuantity);
      rec.pricingUnit = pricingUnit;
      rec.tags = tags;
      rec.sku = r.s(ix.sku) ?? r.s(ix.skuPrice);
      rec.region = r.s(ix.region);
      rec.resourceId = r.s(ix.resource);
      rec.description = description;
      return { kind: 'usage', record: rec };
    });
  };
}

const REQUIRED = [['BilledCost'], ['ChargePeriodStart'], ['ChargeCategory']];

function focus(id: string, label: string, azure = false): FormatDef {
  return { info: info(id, label, 'usage'), required: REQUIRED, prepare: (h, o) => prepareFocus(h, o, azure) };
}

export const focus10 = focus('focus-1.0', 'FOCUS 1.0 cost and usage');
export const focus11 = focus('focus-1.1', 'FOCUS 1.1 cost and usage');
export const focus12 = focus('focus-1.2', 'FOCUS 1.2 cost and usage');
export const focus13 = focus('focus-1.3', 'FOCUS 1.3 cost and usage');
export const azureFocus = focus('azure-focus', 'Azure cost export (FOCUS)', true);
