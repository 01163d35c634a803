/**
 * Turns parsed rows into what the writer binds, without touching the database: model ids
 * (normalizeModel), the catalog cost beside the billed cost, the workload the attribution rules
 * give, tags as JSON. Usage rows are laid out column by column in one Float64Array (USAGE_STRIDE
 * cells per row, in the INSERT's column order): numbers as themselves, strings as an index into
 * the batch's table of distinct strings. A batch so crosses a thread boundary as one transferred
 * buffer and a short array of strings (exports repeat the same provider, model, key, user and
 * period on many rows), and the writer binds a row without allocating.
 */
import type { ParsedRow, RowError, ImportKind } from './types';
import type { InvoiceLineRecord, IncidentRecord, UsageRecord } from '../../../shared/domain';
import type { AttributionRuleDef } from '../../../shared/attribution';
import { normalizeModel } from '../../../shared/models';
import { findPrice, catalogCostMicros, type PriceEntry } from '../../../shared/catalog';
import { createAttributor } from '../repos/attribution';
import { usageKeyParts } from './store-keys';

/** Column order of the usage INSERT (import_id is a literal in the SQL). */
export const USAGE_COLUMNS = [
  'line', 'row_key', 'provider', 'account_id', 'billing_account_id', 'sub_account_id', 'sub_account_name', 'api_key', 'user_id',
  'workload_id', 'charge_category', 'charge_class', 'period_start', 'period_end', 'day', 'service_name', 'model_raw', 'model_id',
  'model_known', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'requests', 'billed_cost_micros',
  'billed_cost_text', 'effective_cost_micros', 'list_cost_micros', 'catalog_cost_micros', 'currency', 'pricing_currency',
  'pricing_currency_cost_micros', 'pricing_quantity_text', 'pricing_unit', 'tags_json', 'sku', 'region', 'resource_id', 'description',
  'row_check',
] as const;

/** Offsets in a usage row: the bound columns, then two values the writer needs but does not bind. */
export const U = {
  line: 0, rowKey: 1, provider: 2, accountId: 3, billingAccountId: 4, subAccountId: 5, subAccountName: 6, apiKey: 7, userId: 8,
  workloadId: 9, chargeCategory: 10, chargeClass: 11, periodStart: 12, periodEnd: 13, day: 14, serviceName: 15, modelRaw: 16,
  modelId: 17, modelKnown: 18, inputTokens: 19, outputTokens: 20, cacheReadTokens: 21, cacheWriteTokens: 22, requests: 23,
  billedCostMicros: 24, billedCostText: 25, effectiveCostMicros: 26, listCostMicros: 27, catalogCostMicros: 28, currency: 29,
  pricingCurrency: 30, pricingCurrencyCostMicros: 31, pricingQuantityText: 32, pricingUnit: 33, tagsJson: 34, sku: 35, region: 36,
  resourceId: 37, description: 38, rowCheck: 39,
  /** not bound: the row's key for occurrence 1 and its alternative (usageKeyParts; row_key is chosen by the writer) */
  keyBase: 40,
  keyAltBase: 41,
  /** not bound: the billing account's name, for creating its credit account */
  billingAccountName: 42,
} as const;
export const USAGE_BOUND = USAGE_COLUMNS.length;
export const USAGE_STRIDE = USAGE_BOUND + 3;

export type FlatValue = string | number | null;

/** Which cells of a usage row are strings (an index into UsageBlock.strings, -1 for null); the others are numbers (NaN for null). */
export const USAGE_IS_STRING: readonly boolean[] = Array.from({ length: USAGE_STRIDE }, (_, i) =>
  ![U.line, U.rowKey, U.accountId, U.workloadId, U.modelKnown, U.inputTokens, U.outputTokens, U.cacheReadTokens, U.cacheWriteTokens, U.requests,
    U.billedCostMicros, U.effectiveCostMicros, U.listCostMicros, U.catalogCostMicros, U.pricingCurrencyCostMicros, U.rowCheck, U.keyBase,
    U.keyAltBase].includes(i as never),
);

/** The usage rows of a batch. */
export interface UsageBlock {
  rows: number;
  /** rows × USAGE_STRIDE cells: a number (NaN: null), or for a string column the index in strings (-1: null) */
  cells: Float64Array;
  strings: string[];
  /** per bound column (describeColumns): -1 no row has a value, -2 values differ or it is a number column with a value, ≥ 0 a string column with this same string in every row */
  columns: Int32Array;
}

/** Which bound columns of a block hold values, and which string columns hold one value in every row (the writer binds the rest). */
export function describeColumns(cells: Float64Array, rows: number): Int32Array {
  const out = new Int32Array(USAGE_BOUND);
  if (rows === 0) return out.fill(-1);
  for (let c = 0; c < USAGE_BOUND; c++) {
    const v = cells[c];
    out[c] = USAGE_IS_STRING[c] ? (v >= 0 ? v : -1) : v === v ? -2 : -1;
  }
  // a column is settled once its values differ (-2); the others are compared row by row
  const open: number[] = [];
  for (let c = 0; c < USAGE_BOUND; c++) if (out[c] !== -2) open.push(c);
  for (let o = USAGE_STRIDE, end = rows * USAGE_STRIDE; o < end && open.length; o += USAGE_STRIDE) {
    for (let k = 0; k < open.length; k++) {
      const c = open[k];
      const v = cells[o + c];
      if (USAGE_IS_STRING[c] ? v !== out[c] && !(v < 0 && out[c] === -1) : v === v) {
        out[c] = -2;
        open[k] = open[open.length - 1];
        open.pop();
        k--;
      }
    }
  }
  return out;
}

/** A usage row's cell as the value to bind. */
export function usageValue(b: UsageBlock, row: number, col: number): FlatValue {
  const v = b.cells[row * USAGE_STRIDE + col];
  if (USAGE_IS_STRING[col]) return v < 0 ? null : b.strings[v];
  return v !== v ? null : v;
}

/** A usage row as values in USAGE_COLUMNS order (then the two unbound values); for the rare paths (purchases, preview). */
export function usageRow(b: UsageBlock, row: number): FlatValue[] {
  const out: FlatValue[] = new Array(USAGE_STRIDE);
  for (let c = 0; c < USAGE_STRIDE; c++) out[c] = usageValue(b, row, c);
  return out;
}

/** Builds a UsageBlock row by row; repeated strings are stored once. */
class UsageBuilder {
  private cells = new Float64Array(256 * USAGE_STRIDE);
  private strings: string[] = [];
  private ids = new Map<string, number>();
  /** per column, the last string and its index: a column often repeats its value on the next row (period, provider, currency) */
  private lastString: (string | null)[] = new Array<string | null>(USAGE_STRIDE).fill(null);
  private lastIndex = new Int32Array(USAGE_STRIDE);
  private n = 0;
  private base = 0;

  get rows(): number {
    return this.n;
  }

  /** starts a row: every cell null */
  row(): void {
    if ((this.n + 1) * USAGE_STRIDE > this.cells.length) {
      const grown = new Float64Array(this.cells.length * 2);
      grown.set(this.cells);
      this.cells = grown;
    }
    this.base = this.n * USAGE_STRIDE;
    this.n++;
  }
  num(col: number, v: number | null): void {
    this.cells[this.base + col] = v === null ? NaN : v;
  }
  str(col: number, v: string | null): void {
    if (v === null) {
      this.cells[this.base + col] = -1;
      return;
    }
    if (v === this.lastString[col]) {
      this.cells[this.base + col] = this.lastIndex[col];
      return;
    }
    let i = this.ids.get(v);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(v);
      this.ids.set(v, i);
    }
    this.cells[this.base + col] = i;
    this.lastString[col] = v;
    this.lastIndex[col] = i;
  }
  finish(): UsageBlock {
    const cells = this.cells.slice(0, this.n * USAGE_STRIDE);
    // worked out here, on the parsing side, so the writer does not scan the block for it
    return { rows: this.n, cells, strings: this.strings, columns: describeColumns(cells, this.n) };
  }
}

const EMPTY_USAGE: UsageBlock = { rows: 0, cells: new Float64Array(0), strings: [], columns: describeColumns(new Float64Array(0), 0) };

export interface KeyedRecord<T> {
  line: number;
  contentHash: string;
  record: T;
}

export interface RejectedRow {
  line: number;
  error: RowError;
  /** the raw cells, kept only when the rejects are saved to a file */
  cells: string[] | null;
}

/** One chunk of a file, ready for the writer. */
export interface PreparedBatch {
  rows: number;
  usage: UsageBlock;
  invoices: KeyedRecord<InvoiceLineRecord>[];
  incidents: KeyedRecord<IncidentRecord>[];
  rejected: RejectedRow[];
  skipped: number;
  /** kind of the mapped rows (all rows of a file share their format's kind); null when none */
  kind: ImportKind | null;
}

export interface PreparerOptions {
  catalog: readonly PriceEntry[];
  rules: readonly AttributionRuleDef[];
  /** keep the raw cells of rejected rows (for the rejects file) */
  keepRejectedCells: boolean;
}

/** tokens × price per million, summed, half-even to micros; the exact integer path of catalogCostMicros. */
export function fastCatalogCost(e: PriceEntry, input: number, output: number, cacheRead: number, cacheWrite: number): number {
  const a = input * e.inputPerMTokMicros;
  const b = output * e.outputPerMTokMicros;
  const c = cacheRead * (e.cacheReadPerMTokMicros ?? e.inputPerMTokMicros);
  const d = cacheWrite * (e.cacheWritePerMTokMicros ?? e.inputPerMTokMicros);
  const sum = a + b + c + d;
  const safe = Number.MAX_SAFE_INTEGER / 4;
  if (!(Math.abs(a) <= safe && Math.abs(b) <= safe && Math.abs(c) <= safe && Math.abs(d) <= safe) || !Number.isInteger(sum)) {
    return catalogCostMicros(e, { input, output, cacheRead, cacheWrite });
  }
  const neg = sum < 0;
  const abs = neg ? -sum : sum;
  const r = abs % 1_000_000;
  let q = (abs - r) / 1_000_000;
  if (r > 500_000 || (r === 500_000 && q % 2 === 1)) q += 1;
  return neg ? (q === 0 ? 0 : -q) : q;
}

export interface ModelInfo {
  modelId: string | null;
  known: boolean;
}

/** Model normalisation and catalog lookups with memos (exports repeat a handful of models). */
export function createModelResolver(catalog: readonly PriceEntry[]) {
  // by provider, then raw model: no key string is built per row
  const models = new Map<string, Map<string, string | null>>();
  let modelCount = 0;
  // by provider and day (the last pair asked is kept: rows come day after day), then model id
  const prices = new Map<string, Map<string, PriceEntry | null>>();
  let priceCount = 0;
  let lastProvider: string | null = null;
  let lastDay: string | null = null;
  let lastPrices: Map<string, PriceEntry | null> | null = null;
  const list = catalog as PriceEntry[];
  return {
    modelId(raw: string, provider: string): string | null {
      let byRaw = models.get(provider);
      if (!byRaw) models.set(provider, (byRaw = new Map()));
      let id = byRaw.get(raw);
      if (id === undefined) {
        id = normalizeModel(raw, provider).modelId;
        if (modelCount >= 100_000) {
          for (const m of models.values()) m.clear();
          modelCount = 0;
        }
        byRaw.set(raw, id);
        modelCount++;
      }
      return id;
    },
    price(modelId: string, day: string, provider: string): PriceEntry | null {
      if (provider !== lastProvider || day !== lastDay || !lastPrices) {
        const k = `${provider}\u0000${day}`;
        lastPrices = prices.get(k) ?? null;
        if (!lastPrices) prices.set(k, (lastPrices = new Map()));
        lastProvider = provider;
        lastDay = day;
      }
      let p = lastPrices.get(modelId);
      if (p === undefined) {
        p = list.length ? findPrice(list, modelId, day, provider) : null;
        if (priceCount >= 100_000) {
          prices.clear();
          prices.set(`${provider}\u0000${day}`, lastPrices);
          lastPrices.clear();
          priceCount = 0;
        }
        lastPrices.set(modelId, p);
        priceCount++;
      }
      return p;
    },
  };
}

export function createPreparer(opts: PreparerOptions) {
  const resolver = createModelResolver(opts.catalog);
  const attribute = createAttributor(opts.rules);
  // rows of one period follow each other (the parser returns the same instant string for the same cell): their day is cut once
  let lastStart = '';
  let lastDay = '';

  function pushUsage(out: UsageBuilder, r: UsageRecord, contentHash: string): void {
    if (r.periodStart !== lastStart) {
      lastStart = r.periodStart;
      lastDay = lastStart.slice(0, 10);
    }
    const day = lastDay;
    let modelId: string | null = null;
    let known = 0;
    let catalogCost: number | null = null;
    if (r.modelRaw !== null) {
      modelId = resolver.modelId(r.modelRaw, r.provider);
      if (modelId !== null) {
        const entry = resolver.price(modelId, day, r.provider);
        if (entry) {
          known = 1;
          if (r.inputTokens || r.outputTokens || r.cacheReadTokens || r.cacheWriteTokens) {
            catalogCost = fastCatalogCost(entry, r.inputTokens, r.outputTokens, r.cacheReadTokens, r.cacheWriteTokens);
          }
        }
      }
    }
    const tagsJson = r.tags === null ? null : JSON.stringify(r.tags);
    const workload = attribute(
      { provider: r.provider, billingAccountId: r.billingAccountId, subAccountId: r.subAccountId, apiKey: r.apiKey, modelId, modelRaw: r.modelRaw, tags: r.tags },
      tagsJson,
    );
    out.row();
    out.num(U.line, r.line);
    out.str(U.provider, r.provider);
    out.str(U.billingAccountId, r.billingAccountId);
    out.str(U.subAccountId, r.subAccountId);
    out.str(U.subAccountName, r.subAccountName);
    out.str(U.apiKey, r.apiKey);
    out.str(U.userId, r.userId);
    out.num(U.workloadId, workload);
    out.str(U.chargeCategory, r.chargeCategory);
    out.str(U.chargeClass, r.chargeClass);
    out.str(U.periodStart, r.periodStart);
    out.str(U.periodEnd, r.periodEnd);
    out.str(U.day, day);
    out.str(U.serviceName, r.serviceName);
    out.str(U.modelRaw, r.modelRaw);
    out.str(U.modelId, modelId);
    out.num(U.modelKnown, known);
    out.num(U.inputTokens, r.inputTokens);
    out.num(U.outputTokens, r.outputTokens);
    out.num(U.cacheReadTokens, r.cacheReadTokens);
    out.num(U.cacheWriteTokens, r.cacheWriteTokens);
    out.num(U.requests, r.requests);
    out.num(U.billedCostMicros, r.billedCostMicros);
    out.str(U.billedCostText, r.billedCostText);
    out.num(U.effectiveCostMicros, r.effectiveCostMicros);
    out.num(U.listCostMicros, r.listCostMicros);
    out.num(U.catalogCostMicros, catalogCost);
    out.str(U.currency, r.currency);
    out.str(U.pricingCurrency, r.pricingCurrency);
    out.num(U.pricingCurrencyCostMicros, r.pricingCurrencyEffectiveCostMicros);
    out.str(U.pricingQuantityText, r.pricingQuantityText);
    out.str(U.pricingUnit, r.pricingUnit);
    out.str(U.tagsJson, tagsJson);
    out.str(U.sku, r.sku);
    out.str(U.region, r.region);
    out.str(U.resourceId, r.resourceId);
    out.str(U.description, r.description);
    const key = usageKeyParts(day, contentHash);
    out.num(U.rowCheck, key.check);
    out.num(U.keyBase, key.base);
    out.num(U.keyAltBase, key.altBase);
    out.str(U.billingAccountName, r.billingAccountName);
  }

  return {
    /** What the preview shows for a usage row: the model id, whether the catalog knows it, its catalog cost and workload. */
    describeUsage(r: UsageRecord): { modelId: string | null; modelKnown: boolean; catalogCostMicros: number | null; workloadId: number | null } {
      const one = new UsageBuilder();
      pushUsage(one, r, '');
      const flat = usageRow(one.finish(), 0);
      return {
        modelId: flat[U.modelId] as string | null,
        modelKnown: flat[U.modelKnown] === 1,
        catalogCostMicros: flat[U.catalogCostMicros] as number | null,
        workloadId: flat[U.workloadId] as number | null,
      };
    },

    prepare(rows: readonly ParsedRow[]): PreparedBatch {
      const batch: PreparedBatch = { rows: rows.length, usage: EMPTY_USAGE, invoices: [], incidents: [], rejected: [], skipped: 0, kind: null };
      let usage: UsageBuilder | null = null;
      for (const row of rows) {
        const res = row.result;
        if (res.ok === true) {
          const m = res.mapped;
          batch.kind = m.kind;
          if (m.kind === 'usage') pushUsage((usage ??= new UsageBuilder()), m.record, row.contentHash);
          else if (m.kind === 'invoice') batch.invoices.push({ line: row.line, contentHash: row.contentHash, record: m.record });
          else batch.incidents.push({ line: row.line, contentHash: row.contentHash, record: m.record });
        } else if (res.ok === false) {
          batch.rejected.push({ line: row.line, error: res.error, cells: opts.keepRejectedCells ? row.cells : null });
        } else batch.skipped++;
      }
      if (usage) batch.usage = usage.finish();
      return batch;
    },
  };
}
export type Preparer = ReturnType<typeof createPreparer>;
