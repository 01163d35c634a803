/**
 * Reconciliation per period (YYYY-MM) and credit account: credits bought vs blocks
 * recorded, consumed (usage billed) vs invoiced, billed vs the price catalog; and business
 * value per workload. Input is plain arrays (the caller queries the database), output is
 * tables for a report. Money is integer micro-units.
 *
 * Every variance is split into causes so that Σ causes + unexplained = variance exactly:
 * each row is attributed to one cause only, the first that applies in a fixed order.
 */
import type { ChargeCategory } from './domain';
import { catalogCostMicros, findPrice, type PriceCatalog, type PriceEntry } from './catalog';
import { addDays, addMonths, monthOf } from './dates';
import { normalizeModel } from './models';

export interface ReconUsageRow {
  accountId: string;
  /** UsageRecord.periodStart: a day or an instant */
  periodStart: string;
  /** Drawdown provider id (openai, anthropic, aws, azure, gcp…), to pick the catalog entry */
  provider?: string | null;
  /** the model as exported (UsageRecord.modelRaw); normalised before the catalog lookup */
  model: string | null;
  chargeCategory: ChargeCategory;
  currency: string;
  billedCostMicros: number | null;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export interface ReconInvoiceLine {
  accountId: string;
  invoiceNumber: string;
  category: ChargeCategory;
  currency: string;
  amountMicros: number;
  /** lines without a period are placed in the month they were issued */
  periodStart: string | null;
  /** inclusive; null means to the end of periodStart's month */
  periodEnd: string | null;
  issuedOn: string | null;
}

/** A credit block; blocks in a virtual unit (Token, Credit) are passed at their value in the account currency. */
export interface ReconBlock {
  accountId: string;
  blockId: string | number;
  purchasedOn: string;
  amountMicros: number;
  currency: string;
}

export interface Tolerance {
  absMicros: number;
  relative: number;
}

/** An amount small enough to pass as no difference: within the absolute tolerance, or the relative one of what was expected. */
export function withinTolerance(amountMicros: number, expectedMicros: number, tol: Tolerance): boolean {
  return Math.abs(amountMicros) <= Math.max(tol.absMicros, tol.relative * Math.abs(expectedMicros));
}

export type Comparison = 'credits' | 'invoice' | 'catalog';
export type VarianceCause =
  | 'currency' | 'credits-or-refunds' | 'unknown-model' | 'cached-token-pricing' | 'price-change'
  | 'usage-without-invoice' | 'invoice-without-usage' | 'purchase-without-block' | 'block-without-purchase';

export interface CauseAmount {
  cause: VarianceCause;
  /** signed contribution to the variance */
  amountMicros: number;
  rows: number;
  explanation: string;
}

export interface VarianceRow {
  period: string;
  accountId: string;
  comparison: Comparison;
  expectedLabel: string;
  actualLabel: string;
  expectedMicros: number;
  actualMicros: number;
  /** actual − expected */
  varianceMicros: number;
  withinTolerance: boolean;
  causes: CauseAmount[];
  unexplainedMicros: number;
}

export interface ReconcileSummaryRow {
  period: string;
  accountId: string;
  /** the group's main currency, by absolute amount; other currencies are a variance cause */
  currency: string;
  currencies: string[];
  creditsBoughtInvoiceMicros: number;
  creditsBoughtFocusMicros: number;
  creditsBoughtMicros: number;
  blocksRecordedMicros: number;
  /** usage, credit and adjustment rows of the usage exports */
  consumedMicros: number;
  invoicedMicros: number;
  /** usage rows only, and the catalog's price for them */
  usageBilledMicros: number;
  catalogCostMicros: number;
  unpricedRows: number;
}

export interface ReconcileReport {
  summary: ReconcileSummaryRow[];
  variances: VarianceRow[];
  /** the causes flattened, one row each, for a report table */
  causes: (CauseAmount & { period: string; accountId: string; comparison: Comparison })[];
}

interface Group {
  period: string;
  accountId: string;
  usage: ReconUsageRow[];
  invoices: ReconInvoiceLine[];
  blocks: ReconBlock[];
}

/** Charge categories that make up consumption on both the usage and the invoice side. */
const CONSUMPTION: ChargeCategory[] = ['usage', 'credit', 'adjustment'];
const day = (s: string): string => s.slice(0, 10);
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const cur = (c: string): string => c.trim().toUpperCase();
const invoicePeriod = (l: ReconInvoiceLine): string => (l.periodStart ?? l.issuedOn ?? 'unknown').slice(0, 7);

export function reconcile(
  input: { usage: ReconUsageRow[]; invoices: ReconInvoiceLine[]; blocks: ReconBlock[]; catalog: PriceCatalog | PriceEntry[] },
  opts: { tolerance?: Partial<Tolerance> } = {},
): ReconcileReport {
  const tol: Tolerance = { absMicros: opts.tolerance?.absMicros ?? 10_000, relative: opts.tolerance?.relative ?? 0.001 };
  const catalog = Array.isArray(input.catalog) ? input.catalog : input.catalog.models;
  const report: ReconcileReport = { summary: [], variances: [], causes: [] };
  for (const g of groupRows(input)) {
    const currency = mainCurrency(g);
    const priced: Priced[] = g.usage
      .filter((r) => r.chargeCategory === 'usage' && r.billedCostMicros !== null)
      .map((r) => ({ r, price: priceOn(catalog, r, day(r.periodStart)) }));
    const catalogCost = sum(priced.map(({ r, price }) => (price ? rowCost(r, price) : 0)));
    const purchases = g.invoices.filter((l) => l.category === 'purchase');
    const focusPurchases = g.usage.filter((r) => r.chargeCategory === 'purchase');
    const consumed = g.usage.filter((r) => CONSUMPTION.includes(r.chargeCategory) && r.billedCostMicros !== null);
    const invoiced = g.invoices.filter((l) => CONSUMPTION.includes(l.category));
    report.summary.push(summaryRow(g, currency, { priced, catalogCost, purchases, focusPurchases, consumed, invoiced }));
    const rows = [
      creditsVariance(g, currency, purchases, focusPurchases),
      invoiceVariance(g, currency, consumed, invoiced),
      catalogVariance(g, priced, catalog),
    ].filter((v): v is VarianceRow => v !== null);
    for (const v of rows) {
      v.withinTolerance = withinTolerance(v.varianceMicros, v.expectedMicros, tol);
      report.variances.push(v);
      for (const c of v.causes) report.causes.push({ period: v.period, accountId: v.accountId, comparison: v.comparison, ...c });
    }
  }
  return report;
}

function summaryRow(
  g: Group,
  currency: string,
  p: { priced: Priced[]; catalogCost: number; purchases: ReconInvoiceLine[]; focusPurchases: ReconUsageRow[]; consumed: ReconUsageRow[]; invoiced: ReconInvoiceLine[] },
): ReconcileSummaryRow {
  const boughtInvoice = sum(p.purchases.map((l) => l.amountMicros));
  const boughtFocus = sum(p.focusPurchases.map((r) => r.billedCostMicros ?? 0));
  return {
    period: g.period,
    accountId: g.accountId,
    currency,
    currencies: [...new Set([...g.usage.map((r) => cur(r.currency)), ...g.invoices.map((l) => cur(l.currency)), ...g.blocks.map((b) => cur(b.currency))])].sort(),
    creditsBoughtInvoiceMicros: boughtInvoice,
    creditsBoughtFocusMicros: boughtFocus,
    creditsBoughtMicros: boughtInvoice + boughtFocus,
    blocksRecordedMicros: sum(g.blocks.map((b) => b.amountMicros)),
    consumedMicros: sum(p.consumed.map((r) => r.billedCostMicros ?? 0)),
    invoicedMicros: sum(p.invoiced.map((l) => l.amountMicros)),
    usageBilledMicros: sum(p.priced.map(({ r }) => r.billedCostMicros ?? 0)),
    catalogCostMicros: p.catalogCost,
    unpricedRows: p.priced.filter((x) => !x.price).length,
  };
}

function groupRows(input: { usage: ReconUsageRow[]; invoices: ReconInvoiceLine[]; blocks: ReconBlock[] }): Group[] {
  const groups = new Map<string, Group>();
  const get = (period: string, accountId: string): Group => {
    const k = `${period}\u0000${accountId}`;
    const g = groups.get(k) ?? { period, accountId, usage: [], invoices: [], blocks: [] };
    groups.set(k, g);
    return g;
  };
  input.usage.forEach((r) => get(monthOf(r.periodStart), r.accountId).usage.push(r));
  input.invoices.forEach((l) => get(invoicePeriod(l), l.accountId).invoices.push(l));
  input.blocks.forEach((b) => get(monthOf(b.purchasedOn), b.accountId).blocks.push(b));
  return [...groups.values()].sort((a, b) => a.period.localeCompare(b.period) || a.accountId.localeCompare(b.accountId));
}

/** The currency carrying the most money in the group; ties go to the alphabetically first. */
function mainCurrency(g: Group): string {
  const totals = new Map<string, number>();
  const add = (c: string, m: number | null) => totals.set(cur(c), (totals.get(cur(c)) ?? 0) + Math.abs(m ?? 0));
  g.usage.forEach((r) => add(r.currency, r.billedCostMicros));
  g.invoices.forEach((l) => add(l.currency, l.amountMicros));
  g.blocks.forEach((b) => add(b.currency, b.amountMicros));
  return [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? 'USD';
}

type Priced = { r: ReconUsageRow; price: PriceEntry | null };

/** The catalog entry for a row's model on a day (catalog prices are USD); null when unknown. */
function priceOn(catalog: PriceEntry[], r: Pick<ReconUsageRow, 'model' | 'provider'>, d: string): PriceEntry | null {
  const id = r.model ? normalizeModel(r.model, r.provider ?? undefined).modelId : null;
  return id ? findPrice(catalog, id, d, r.provider ?? undefined) : null;
}

const rowCost = (r: ReconUsageRow, p: PriceEntry): number =>
  catalogCostMicros(p, { input: r.inputTokens, output: r.outputTokens, cacheRead: r.cacheReadTokens, cacheWrite: r.cacheWriteTokens });

/** Whether the model's catalog price changes inside the month: another entry applies by its end, or it starts mid-month. */
function priceChanged(catalog: PriceEntry[], r: ReconUsageRow, period: string): boolean {
  const first = `${period}-01`;
  const last = addDays(addMonths(first, 1), -1);
  const [a, b] = [priceOn(catalog, r, first), priceOn(catalog, r, last)];
  return a !== b || (b !== null && b.effectiveFrom > first && b.effectiveFrom <= last);
}

type Tally = Map<VarianceCause, { amount: number; rows: number; notes: Set<string> }>;

function tally(t: Tally, cause: VarianceCause, amount: number, note?: string): void {
  const e = t.get(cause) ?? { amount: 0, rows: 0, notes: new Set<string>() };
  e.amount += amount;
  e.rows += 1;
  if (note) e.notes.add(note);
  t.set(cause, e);
}

function variance(g: Group, comparison: Comparison, labels: [string, string], expected: number, actual: number, t: Tally): VarianceRow {
  const causes = [...t]
    .filter(([, e]) => e.amount !== 0)
    .map(([cause, e]) => ({ cause, amountMicros: e.amount, rows: e.rows, explanation: explain(cause, e.rows, [...e.notes]) }));
  return {
    period: g.period, accountId: g.accountId, comparison, expectedLabel: labels[0], actualLabel: labels[1],
    expectedMicros: expected, actualMicros: actual, varianceMicros: actual - expected, withinTolerance: true,
    causes, unexplainedMicros: actual - expected - sum(causes.map((c) => c.amountMicros)),
  };
}

const EXPLAIN: Record<VarianceCause, string> = {
  currency: 'rows in another currency than the account’s main one cannot be compared',
  'credits-or-refunds': 'credits, refunds or corrections (negative amounts) on one side only',
  'unknown-model': 'models missing from the price catalog, so their billed cost has no catalog counterpart',
  'cached-token-pricing': 'rows with cached tokens priced differently by the provider than by the catalog',
  'price-change': 'a catalog price of the model changed during the period',
  'usage-without-invoice': 'usage on days no invoice line covers',
  'invoice-without-usage': 'invoice lines covering days without any usage rows',
  'purchase-without-block': 'credit purchases with no credit block recorded for the same amount',
  'block-without-purchase': 'credit blocks recorded without a purchase of the same amount',
};

function explain(cause: VarianceCause, rows: number, notes: string[]): string {
  const shown = notes.slice(0, 5).join(', ') + (notes.length > 5 ? ', …' : '');
  return `${rows} row(s): ${EXPLAIN[cause]}${shown ? ` (${shown})` : ''}.`;
}

/** Blocks recorded vs credits bought; purchases and blocks are paired by exact amount. */
function creditsVariance(g: Group, currency: string, purchases: ReconInvoiceLine[], focus: ReconUsageRow[]): VarianceRow | null {
  const bought = [
    ...purchases.map((l) => ({ amount: l.amountMicros, currency: cur(l.currency), ref: `invoice ${l.invoiceNumber}` })),
    ...focus.map((r) => ({ amount: r.billedCostMicros ?? 0, currency: cur(r.currency), ref: 'FOCUS purchase' })),
  ];
  if (bought.length === 0 && g.blocks.length === 0) return null;
  const t: Tally = new Map();
  const open = new Map<number, number>();
  for (const b of g.blocks) {
    if (cur(b.currency) !== currency) tally(t, 'currency', b.amountMicros, cur(b.currency));
    else open.set(b.amountMicros, (open.get(b.amountMicros) ?? 0) + 1);
  }
  for (const p of bought) {
    if (p.currency !== currency) tally(t, 'currency', -p.amount, p.currency);
    else if (p.amount < 0) tally(t, 'credits-or-refunds', -p.amount, p.ref);
    else if (open.get(p.amount)) open.set(p.amount, (open.get(p.amount) ?? 0) - 1);
    else tally(t, 'purchase-without-block', -p.amount, p.ref);
  }
  for (const b of g.blocks.filter((x) => cur(x.currency) === currency)) {
    if (!open.get(b.amountMicros)) continue;
    open.set(b.amountMicros, (open.get(b.amountMicros) ?? 0) - 1);
    tally(t, 'block-without-purchase', b.amountMicros, `block ${b.blockId}`);
  }
  return variance(g, 'credits', ['credits bought', 'blocks recorded'], sum(bought.map((p) => p.amount)), sum(g.blocks.map((b) => b.amountMicros)), t);
}

/** Invoiced vs consumed: unmatched rows on either side are found through the invoice lines' periods. */
function invoiceVariance(g: Group, currency: string, consumed: ReconUsageRow[], invoiced: ReconInvoiceLine[]): VarianceRow | null {
  if (consumed.length === 0 && invoiced.length === 0) return null;
  // Only charges invoice usage: a credit line spanning the month says nothing about what was billed.
  const lines = invoiced.filter((l) => cur(l.currency) === currency && l.amountMicros > 0);
  const rows = consumed.filter((r) => cur(r.currency) === currency && (r.billedCostMicros ?? 0) > 0);
  const covers = (l: ReconInvoiceLine, d: string): boolean => {
    const from = day(l.periodStart ?? `${g.period}-01`);
    const to = l.periodEnd ? day(l.periodEnd) : addMonths(`${from.slice(0, 7)}-01`, 1);
    return d >= from && (l.periodEnd ? d <= to : d < to);
  };
  const t: Tally = new Map();
  for (const r of consumed) {
    const amount = r.billedCostMicros ?? 0;
    if (cur(r.currency) !== currency) tally(t, 'currency', -amount, cur(r.currency));
    else if (amount < 0) tally(t, 'credits-or-refunds', -amount, `usage ${r.chargeCategory}`);
    else if (!lines.some((l) => covers(l, day(r.periodStart)))) tally(t, 'usage-without-invoice', -amount, day(r.periodStart));
  }
  for (const l of invoiced) {
    if (cur(l.currency) !== currency) tally(t, 'currency', l.amountMicros, cur(l.currency));
    else if (l.amountMicros < 0) tally(t, 'credits-or-refunds', l.amountMicros, `invoice ${l.invoiceNumber}`);
    else if (!rows.some((r) => covers(l, day(r.periodStart)))) tally(t, 'invoice-without-usage', l.amountMicros, `invoice ${l.invoiceNumber}`);
  }
  const expected = sum(consumed.map((r) => r.billedCostMicros ?? 0));
  return variance(g, 'invoice', ['consumed (usage billed)', 'invoiced'], expected, sum(invoiced.map((l) => l.amountMicros)), t);
}

/** Billed vs catalog cost, row by row. */
function catalogVariance(g: Group, priced: Priced[], catalog: PriceEntry[]): VarianceRow | null {
  if (priced.length === 0) return null;
  const t: Tally = new Map();
  let expected = 0;
  for (const { r, price } of priced) {
    const billed = r.billedCostMicros ?? 0;
    const cost = price ? rowCost(r, price) : 0;
    const diff = billed - cost;
    expected += cost;
    if (cur(r.currency) !== 'USD') tally(t, 'currency', diff, cur(r.currency));
    else if (billed < 0) tally(t, 'credits-or-refunds', diff, r.model ?? 'no model');
    else if (!price) tally(t, 'unknown-model', diff, r.model ?? '(no model)');
    else if (diff !== 0 && r.cacheReadTokens + r.cacheWriteTokens !== 0) tally(t, 'cached-token-pricing', diff, price.modelId);
    else if (diff !== 0 && priceChanged(catalog, r, g.period)) tally(t, 'price-change', diff, price.modelId);
  }
  return variance(g, 'catalog', ['catalog cost', 'billed'], expected, sum(priced.map(({ r }) => r.billedCostMicros ?? 0)), t);
}

// ---------------------------------------------------------------------------------------
// Business value per workload

export interface ValueMetric {
  workloadId: string;
  period: string;
  metric: string;
  units: number;
  valuePerUnitMicros: number;
}

export interface WorkloadCost {
  workloadId: string;
  period: string;
  costMicros: number;
}

export interface ValueRow {
  workloadId: string;
  period: string;
  metric: string;
  units: number;
  costMicros: number;
  valueMicros: number;
  /** cost ÷ units, half-even; null without units */
  costPerUnitMicros: number | null;
  /** value ÷ cost; null without cost */
  valueToCost: number | null;
}

export interface ValueTrend {
  workloadId: string;
  metric: string;
  periods: string[];
  costPerUnitMicros: (number | null)[];
  /** compound growth per month between the first and last period, e.g. 0.1 = +10 %/month */
  costGrowth: number | null;
  valueGrowth: number | null;
  costPerUnitGrowth: number | null;
  costOutgrowsValue: boolean;
  explanation: string;
}

/** Integer division rounded half-even, exact for integers (bigint), so micros stay micros. */
export function divHalfEven(n: number, d: number): number {
  if (!Number.isInteger(n) || !Number.isInteger(d)) return Math.round(n / d);
  const [a, b] = [BigInt(Math.abs(n)), BigInt(Math.abs(d))];
  let q = a / b;
  const r2 = (a % b) * 2n;
  if (r2 > b || (r2 === b && q % 2n === 1n)) q += 1n;
  return n < 0 !== d < 0 ? -Number(q) : Number(q);
}

const monthIndex = (p: string): number => Number(p.slice(0, 4)) * 12 + Number(p.slice(5, 7));

/** Compound monthly growth from the first to the last positive point; null with fewer than two. */
function growth(periods: string[], values: number[]): number | null {
  const pts = periods.map((p, i) => ({ m: monthIndex(p), v: values[i] })).filter((x) => x.v > 0);
  if (pts.length < 2) return null;
  const [first, last] = [pts[0], pts[pts.length - 1]];
  return last.m === first.m ? null : (last.v / first.v) ** (1 / (last.m - first.m)) - 1;
}

/**
 * Cost per unit of value per workload, metric and period, its trend, and the workloads
 * whose cost grows faster than their value (by more than `growthMargin` per month,
 * default 2 points): spend that scales without the value it is meant to buy.
 */
export function valueReport(costs: WorkloadCost[], metrics: ValueMetric[], opts: { growthMargin?: number } = {}): { rows: ValueRow[]; trends: ValueTrend[]; outgrowing: ValueTrend[] } {
  const margin = opts.growthMargin ?? 0.02;
  const cost = new Map<string, number>();
  costs.forEach((c) => cost.set(`${c.workloadId}\u0000${c.period}`, (cost.get(`${c.workloadId}\u0000${c.period}`) ?? 0) + c.costMicros));
  const agg = new Map<string, ValueRow>();
  for (const m of metrics) {
    const k = `${m.workloadId}\u0000${m.metric}\u0000${m.period}`;
    const row = agg.get(k) ?? { workloadId: m.workloadId, period: m.period, metric: m.metric, units: 0, costMicros: cost.get(`${m.workloadId}\u0000${m.period}`) ?? 0, valueMicros: 0, costPerUnitMicros: null, valueToCost: null };
    row.units += m.units;
    row.valueMicros += Math.round(m.units * m.valuePerUnitMicros);
    agg.set(k, row);
  }
  const rows = [...agg.values()]
    .map((r) => ({ ...r, costPerUnitMicros: r.units ? divHalfEven(r.costMicros, r.units) : null, valueToCost: r.costMicros ? r.valueMicros / r.costMicros : null }))
    .sort((a, b) => a.workloadId.localeCompare(b.workloadId) || a.metric.localeCompare(b.metric) || a.period.localeCompare(b.period));
  const series = new Map<string, ValueRow[]>();
  rows.forEach((r) => series.set(`${r.workloadId}\u0000${r.metric}`, [...(series.get(`${r.workloadId}\u0000${r.metric}`) ?? []), r]));
  const trends = [...series.values()].map((rs) => trend(rs, margin));
  return { rows, trends, outgrowing: trends.filter((t) => t.costOutgrowsValue) };
}

function trend(rs: ValueRow[], margin: number): ValueTrend {
  const periods = rs.map((r) => r.period);
  const costGrowth = growth(periods, rs.map((r) => r.costMicros));
  const valueGrowth = growth(periods, rs.map((r) => r.valueMicros));
  const out = costGrowth !== null && valueGrowth !== null && costGrowth - valueGrowth > margin;
  const pct = (g: number | null) => (g === null ? 'n/a' : `${(g * 100).toFixed(1)} %/month`);
  return {
    workloadId: rs[0].workloadId,
    metric: rs[0].metric,
    periods,
    costPerUnitMicros: rs.map((r) => r.costPerUnitMicros),
    costGrowth,
    valueGrowth,
    costPerUnitGrowth: growth(periods, rs.map((r) => r.costPerUnitMicros ?? 0)),
    costOutgrowsValue: out,
    explanation: `${rs[0].workloadId} (${rs[0].metric}): cost ${pct(costGrowth)}, value ${pct(valueGrowth)}${out ? ' — cost grows faster than value' : ''}.`,
  };
}
