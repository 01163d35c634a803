import { describe, it, expect } from 'vitest';
import type { PriceEntry } from '../../shared/catalog';
import {
  reconcile, valueReport, divHalfEven,
  type ReconUsageRow, type ReconInvoiceLine, type ReconBlock, type VarianceRow, type Comparison,
} from '../../shared/reconcile';

const entry = (provider: string, modelId: string, inP: number, outP: number, cr: number | null, cw: number | null, effectiveFrom: string): PriceEntry => ({
  provider, modelId, displayName: null, family: null, inputPerMTokMicros: inP, outputPerMTokMicros: outP,
  cacheReadPerMTokMicros: cr, cacheWritePerMTokMicros: cw, effectiveFrom,
});
const catalog: PriceEntry[] = [
  entry('openai', 'gpt-4o', 2_500_000, 10_000_000, 1_250_000, null, '2024-05-13'),
  entry('anthropic', 'claude-sonnet-4-5', 3_000_000, 15_000_000, 300_000, 3_750_000, '2025-01-01'),
  entry('anthropic', 'claude-sonnet-4-5', 2_000_000, 10_000_000, 200_000, 2_500_000, '2025-03-15'), // a price cut mid-March
];

function usage(day: string, model: string | null, billed: number, tokens: Partial<Pick<ReconUsageRow, 'inputTokens' | 'outputTokens' | 'cacheReadTokens'>> = {}, more: Partial<ReconUsageRow> = {}): ReconUsageRow {
  return {
    accountId: 'acct-1', periodStart: `${day}T00:00:00Z`, provider: model?.startsWith('claude') ? 'anthropic' : 'openai', model,
    chargeCategory: 'usage', currency: 'USD', billedCostMicros: billed,
    inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, ...tokens, ...more,
  };
}
function line(invoiceNumber: string, category: ReconInvoiceLine['category'], amountMicros: number, periodStart: string | null, periodEnd: string | null, more: Partial<ReconInvoiceLine> = {}): ReconInvoiceLine {
  return { accountId: 'acct-1', invoiceNumber, category, currency: 'USD', amountMicros, periodStart, periodEnd, issuedOn: '2025-04-02', ...more };
}
const block = (blockId: string, amountMicros: number, purchasedOn = '2025-03-01'): ReconBlock => ({ accountId: 'acct-1', blockId, purchasedOn, amountMicros, currency: 'USD' });

/** A March that reconciles exactly: usage at catalog prices, one invoice line, a purchase and its block. */
function clean() {
  return {
    usage: [
      usage('2025-03-03', 'gpt-4o', 3_500_000, { inputTokens: 1_000_000, outputTokens: 100_000 }),
      usage('2025-03-10', 'gpt-4o-2024-08-06', 5_000_000, { inputTokens: 2_000_000 }),
    ],
    invoices: [line('INV-0', 'purchase', 100_000_000, '2025-03-01', null), line('INV-1', 'usage', 8_500_000, '2025-03-01', '2025-03-31')],
    blocks: [block('B1', 100_000_000)],
    catalog,
  };
}

const find = (vs: VarianceRow[], comparison: Comparison, accountId = 'acct-1') => {
  const v = vs.find((x) => x.comparison === comparison && x.accountId === accountId);
  if (!v) throw new Error(`no ${comparison} variance for ${accountId}`);
  return v;
};
const causes = (v: VarianceRow) => Object.fromEntries(v.causes.map((c) => [c.cause, c.amountMicros]));

describe('reconcile', () => {
  it('finds nothing to explain when everything adds up', () => {
    const r = reconcile(clean());
    expect(r.variances.map((v) => [v.comparison, v.varianceMicros, v.withinTolerance, v.causes.length])).toEqual([
      ['credits', 0, true, 0], ['invoice', 0, true, 0], ['catalog', 0, true, 0],
    ]);
    expect(r.summary[0]).toMatchObject({ period: '2025-03', currency: 'USD', creditsBoughtMicros: 100_000_000, blocksRecordedMicros: 100_000_000, consumedMicros: 8_500_000, invoicedMicros: 8_500_000, catalogCostMicros: 8_500_000, unpricedRows: 0 });
  });

  it('cached-token-pricing: cache reads billed above the catalog cache price', () => {
    const d = clean();
    d.usage.push(usage('2025-03-12', 'gpt-4o', 6_000_000, { cacheReadTokens: 4_000_000 })); // catalog: 4M × 1.25 = 5.00
    d.invoices[1].amountMicros += 6_000_000;
    const v = find(reconcile(d).variances, 'catalog');
    expect([v.varianceMicros, causes(v), v.unexplainedMicros]).toEqual([1_000_000, { 'cached-token-pricing': 1_000_000 }, 0]);
    expect(find(reconcile(d).variances, 'invoice').varianceMicros).toBe(0);
  });

  it('unknown-model: usage of a model the catalog does not price', () => {
    const d = clean();
    d.usage.push(usage('2025-03-08', 'mystery-model-9', 2_000_000, { inputTokens: 1_000 }));
    d.invoices[1].amountMicros += 2_000_000;
    const r = reconcile(d);
    const v = find(r.variances, 'catalog');
    expect([v.varianceMicros, causes(v)]).toEqual([2_000_000, { 'unknown-model': 2_000_000 }]);
    expect(v.causes[0].explanation).toContain('mystery-model-9');
    expect(r.summary[0].unpricedRows).toBe(1);
  });

  it('price-change: billed at the old price after the catalog price changed mid-period', () => {
    const d = clean();
    d.usage.push(usage('2025-03-05', 'claude-sonnet-4-5', 4_500_000, { inputTokens: 1_000_000, outputTokens: 100_000 })); // old price, as billed
    d.usage.push(usage('2025-03-20', 'claude-sonnet-4-5', 4_500_000, { inputTokens: 1_000_000, outputTokens: 100_000 })); // new catalog: 3.00
    d.invoices[1].amountMicros += 9_000_000;
    const v = find(reconcile(d).variances, 'catalog');
    expect([v.varianceMicros, causes(v)]).toEqual([1_500_000, { 'price-change': 1_500_000 }]);
  });

  it('usage-without-invoice: usage on days no invoice line covers, or no invoice at all', () => {
    const d = clean();
    d.invoices[1] = line('INV-1', 'usage', 3_500_000, '2025-03-01', '2025-03-05');
    const v = find(reconcile(d).variances, 'invoice');
    expect([v.expectedMicros, v.actualMicros, v.varianceMicros, causes(v), v.withinTolerance]).toEqual([8_500_000, 3_500_000, -5_000_000, { 'usage-without-invoice': -5_000_000 }, false]);
    const none = find(reconcile({ ...clean(), invoices: [] }).variances, 'invoice');
    expect([none.varianceMicros, causes(none)]).toEqual([-8_500_000, { 'usage-without-invoice': -8_500_000 }]);
  });

  it('invoice-without-usage: an account invoiced with no usage imported', () => {
    const d = clean();
    d.invoices.push(line('INV-7', 'usage', 7_000_000, '2025-03-01', '2025-03-31', { accountId: 'acct-2' }));
    const r = reconcile(d);
    const v = find(r.variances, 'invoice', 'acct-2');
    expect([v.varianceMicros, causes(v)]).toEqual([7_000_000, { 'invoice-without-usage': 7_000_000 }]);
    expect(r.variances.filter((x) => x.accountId === 'acct-2').map((x) => x.comparison)).toEqual(['invoice']);
  });

  it('credits-or-refunds: a credit on the invoice only, a refund row in the usage only', () => {
    const d = clean();
    d.invoices.push(line('INV-1', 'credit', -1_000_000, '2025-03-01', null));
    let v = find(reconcile(d).variances, 'invoice');
    expect([v.varianceMicros, causes(v)]).toEqual([-1_000_000, { 'credits-or-refunds': -1_000_000 }]);
    d.usage.push(usage('2025-03-14', 'gpt-4o', -500_000));
    const r = reconcile(d);
    v = find(r.variances, 'invoice');
    expect([v.varianceMicros, causes(v)]).toEqual([-500_000, { 'credits-or-refunds': -500_000 }]);
    const c = find(r.variances, 'catalog');
    expect([c.varianceMicros, causes(c)]).toEqual([-500_000, { 'credits-or-refunds': -500_000 }]);
  });

  it('currency: rows in another currency than the account’s', () => {
    const d = clean();
    d.usage.push(usage('2025-03-11', 'gpt-4o', 4_000_000, { inputTokens: 1_000_000 }, { currency: 'eur' }));
    const r = reconcile(d);
    expect(r.summary[0].currencies).toEqual(['EUR', 'USD']);
    const c = find(r.variances, 'catalog');
    expect([c.varianceMicros, causes(c)]).toEqual([1_500_000, { currency: 1_500_000 }]);
    const i = find(r.variances, 'invoice');
    expect([i.varianceMicros, causes(i)]).toEqual([-4_000_000, { currency: -4_000_000 }]);
  });

  it('credits bought vs blocks recorded: purchases without a block and blocks without a purchase', () => {
    const d = clean();
    d.usage.push(usage('2025-03-02', null, 50_000_000, {}, { chargeCategory: 'purchase' })); // a FOCUS Purchase row
    d.blocks.push(block('B2', 20_000_000));
    const r = reconcile(d);
    const v = find(r.variances, 'credits');
    expect([v.expectedMicros, v.actualMicros, v.varianceMicros, causes(v), v.unexplainedMicros]).toEqual([
      150_000_000, 120_000_000, -30_000_000, { 'purchase-without-block': -50_000_000, 'block-without-purchase': 20_000_000 }, 0,
    ]);
    expect(r.summary[0]).toMatchObject({ creditsBoughtInvoiceMicros: 100_000_000, creditsBoughtFocusMicros: 50_000_000 });
  });

  it('keeps a few micro-units of rounding within tolerance', () => {
    const d = clean();
    d.invoices[1].amountMicros += 3;
    const v = find(reconcile(d).variances, 'invoice');
    expect([v.varianceMicros, v.unexplainedMicros, v.withinTolerance]).toEqual([3, 3, true]);
  });

  it('combined: every cause at once, totals checked to the micro-unit', () => {
    const d = clean();
    d.usage.push(
      usage('2025-03-12', 'gpt-4o', 6_000_000, { cacheReadTokens: 4_000_000 }), // cached: +1.0 vs catalog 5.0
      usage('2025-03-08', 'mystery-model-9', 2_000_000, { inputTokens: 1_000 }), // unknown: +2.0
      usage('2025-03-20', 'claude-sonnet-4-5', 4_500_000, { inputTokens: 1_000_000, outputTokens: 100_000 }), // price change: +1.5, not invoiced
      usage('2025-03-11', 'gpt-4o', 4_000_000, { inputTokens: 1_000_000 }, { currency: 'EUR' }), // currency: +1.5 vs catalog 2.5
      usage('2025-03-14', 'gpt-4o', -500_000), // refund row
      usage('2025-03-02', null, 50_000_000, {}, { chargeCategory: 'purchase' }),
    );
    d.invoices[1] = line('INV-1', 'usage', 16_500_003, '2025-03-01', '2025-03-15'); // U1..U4 + 3 µ of rounding
    d.invoices.push(line('INV-1', 'credit', -1_000_000, '2025-03-01', null), line('INV-7', 'usage', 7_000_000, '2025-03-01', null, { accountId: 'acct-2' }));
    d.blocks.push(block('B2', 20_000_000));
    const r = reconcile(d);

    const cat = find(r.variances, 'catalog');
    expect([cat.expectedMicros, cat.actualMicros, cat.varianceMicros, cat.unexplainedMicros]).toEqual([19_000_000, 24_500_000, 5_500_000, 0]);
    expect(causes(cat)).toEqual({ currency: 1_500_000, 'credits-or-refunds': -500_000, 'unknown-model': 2_000_000, 'cached-token-pricing': 1_000_000, 'price-change': 1_500_000 });

    const inv = find(r.variances, 'invoice');
    expect([inv.expectedMicros, inv.actualMicros, inv.varianceMicros, inv.unexplainedMicros]).toEqual([24_500_000, 15_500_003, -8_999_997, 3]);
    expect(causes(inv)).toEqual({ currency: -4_000_000, 'credits-or-refunds': -500_000, 'usage-without-invoice': -4_500_000 });

    const cr = find(r.variances, 'credits');
    expect([cr.varianceMicros, causes(cr)]).toEqual([-30_000_000, { 'purchase-without-block': -50_000_000, 'block-without-purchase': 20_000_000 }]);
    expect(causes(find(r.variances, 'invoice', 'acct-2'))).toEqual({ 'invoice-without-usage': 7_000_000 });

    for (const v of r.variances) {
      expect(v.varianceMicros).toBe(v.actualMicros - v.expectedMicros);
      expect(v.causes.reduce((a, c) => a + c.amountMicros, 0) + v.unexplainedMicros).toBe(v.varianceMicros);
    }
    expect(r.causes).toHaveLength(11);
    expect(r.causes.every((c) => c.explanation.length > 0 && c.rows > 0)).toBe(true);
  });
});

describe('valueReport', () => {
  const costs = [
    { workloadId: 'support-bot', period: '2025-01', costMicros: 1_000_000_000 },
    { workloadId: 'support-bot', period: '2025-02', costMicros: 1_100_000_000 },
    { workloadId: 'support-bot', period: '2025-03', costMicros: 1_210_000_000 },
    { workloadId: 'summarizer', period: '2025-01', costMicros: 400_000_000 },
    { workloadId: 'summarizer', period: '2025-03', costMicros: 441_000_000 },
  ];
  const metrics = [
    ...[['2025-01', 1_000], ['2025-02', 1_020], ['2025-03', 1_040]].map(([period, units]) => ({ workloadId: 'support-bot', period: String(period), metric: 'tickets resolved', units: Number(units), valuePerUnitMicros: 2_000_000 })),
    { workloadId: 'summarizer', period: '2025-01', metric: 'reports', units: 100, valuePerUnitMicros: 5_000_000 },
    { workloadId: 'summarizer', period: '2025-03', metric: 'reports', units: 121, valuePerUnitMicros: 5_000_000 },
  ];
  const r = valueReport(costs, metrics);

  it('computes cost per unit of value per period, half-even', () => {
    const bot = r.rows.filter((x) => x.workloadId === 'support-bot');
    expect(bot.map((x) => x.costPerUnitMicros)).toEqual([1_000_000, 1_078_431, 1_163_462]);
    expect(bot[0]).toMatchObject({ valueMicros: 2_000_000_000, valueToCost: 2 });
  });

  it('flags workloads whose cost grows faster than their value, per month', () => {
    const bot = r.trends.find((t) => t.workloadId === 'support-bot');
    expect(bot?.costGrowth).toBeCloseTo(0.1, 10);
    expect(bot?.valueGrowth).toBeCloseTo(0.0198, 3);
    const sum = r.trends.find((t) => t.workloadId === 'summarizer');
    expect(sum?.costGrowth).toBeCloseTo(0.05, 10); // two months apart: (441/400)^(1/2) − 1
    expect(sum?.valueGrowth).toBeCloseTo(0.1, 10);
    expect(r.outgrowing.map((t) => t.workloadId)).toEqual(['support-bot']);
    expect(bot?.explanation).toMatch(/cost grows faster than value/);
  });

  it('divides integers half-even', () => {
    expect([divHalfEven(5, 2), divHalfEven(7, 2), divHalfEven(-5, 2), divHalfEven(1, 3), divHalfEven(2, 3)]).toEqual([2, 4, -2, 0, 1]);
  });
});
