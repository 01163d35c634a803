/**
 * The bundled price catalog (resources/prices/catalog.json, built by scripts/build-catalog.mjs
 * from models.dev) and pure lookups over it. Prices are integer micro-USD per million tokens.
 * Pure: no node imports.
 */
import { rescaleHalfEven } from './money';
import { normalizeModel } from './models';

export interface PriceEntry {
  /** the catalog's provider: anthropic, openai, google, google-vertex, amazon-bedrock, azure, … */
  provider: string;
  /** the model id as the source spells it */
  modelId: string;
  displayName: string | null;
  family: string | null;
  inputPerMTokMicros: number;
  outputPerMTokMicros: number;
  /** null: no cache price published (cached tokens are then priced as input) */
  cacheReadPerMTokMicros: number | null;
  cacheWritePerMTokMicros: number | null;
  /** YYYY-MM-DD */
  effectiveFrom: string;
}

export interface PriceCatalog {
  source: string;
  sourceCommit: string;
  /** date of the source data, YYYY-MM-DD */
  date: string;
  licence: string;
  models: PriceEntry[];
}

export interface TokenCounts {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/**
 * Cost of a row's tokens at a catalog price, in micro-units of USD: the exact sum of
 * tokens × price over the four token kinds, rounded half-even once (tokenCostMicros per kind
 * would round four times). Cache tokens without a published cache price are priced as input.
 */
export function catalogCostMicros(entry: PriceEntry, tokens: Partial<TokenCounts>): number {
  const parts: [number | undefined, number][] = [
    [tokens.input, entry.inputPerMTokMicros],
    [tokens.output, entry.outputPerMTokMicros],
    [tokens.cacheRead, entry.cacheReadPerMTokMicros ?? entry.inputPerMTokMicros],
    [tokens.cacheWrite, entry.cacheWritePerMTokMicros ?? entry.inputPerMTokMicros],
  ];
  let sum = 0n;
  for (const [n, price] of parts) if (n) sum += BigInt(n) * BigInt(price);
  return Number(rescaleHalfEven(sum, 6, 0));
}

/** Catalog providers to prefer for usage billed by a Drawdown provider id. */
const PREFERRED: Record<string, string[]> = {
  aws: ['amazon-bedrock'],
  azure: ['azure'],
  gcp: ['google-vertex', 'google-vertex-anthropic', 'google'],
  openai: ['openai'],
  anthropic: ['anthropic'],
  google: ['google'],
};
const FIRST_PARTY = ['anthropic', 'openai', 'google'];

interface Index {
  byId: Map<string, PriceEntry[]>;
}
const indexes = new WeakMap<object, Index>();

function indexOf(models: PriceEntry[]): Index {
  let ix = indexes.get(models);
  if (ix) return ix;
  const byId = new Map<string, PriceEntry[]>();
  const add = (key: string, e: PriceEntry) => {
    const list = byId.get(key);
    if (list) {
      if (!list.includes(e)) list.push(e);
    } else byId.set(key, [e]);
  };
  for (const e of models) {
    add(e.modelId.toLowerCase(), e);
    const n = normalizeModel(e.modelId, e.provider).modelId;
    if (n) add(n, e);
  }
  ix = { byId };
  indexes.set(models, ix);
  return ix;
}

function rank(e: PriceEntry, modelId: string, prefer: string[]): number {
  let r = 0;
  const p = prefer.indexOf(e.provider);
  r += p >= 0 ? p : prefer.length + (FIRST_PARTY.includes(e.provider) ? FIRST_PARTY.indexOf(e.provider) : FIRST_PARTY.length);
  r *= 2;
  if (e.modelId.toLowerCase() !== modelId) r += 1; // an exact id beats a dated snapshot
  return r;
}

/**
 * The price of a canonical model id (see normalizeModel) on a day: entries of the provider that
 * billed the usage first (aws → amazon-bedrock, azure → azure, gcp → google-vertex), then the
 * first-party providers; an entry spelled exactly as the id before dated snapshots; among those
 * the latest effectiveFrom on or before the day (the earliest when the day is before all).
 * Unknown model → null.
 */
export function findPrice(catalog: PriceCatalog | PriceEntry[], modelId: string, day: string, provider?: string): PriceEntry | null {
  const models = Array.isArray(catalog) ? catalog : catalog.models;
  const ix = indexOf(models);
  const want = modelId.trim().toLowerCase();
  const keys = [want];
  const canonical = normalizeModel(want, provider).modelId;
  if (canonical && canonical !== want) keys.push(canonical);
  for (const k of [...keys]) {
    if (k.endsWith('-preview')) keys.push(k.slice(0, -'-preview'.length));
    if (k.endsWith('-latest')) keys.push(k.slice(0, -'-latest'.length));
  }
  const prefer = (provider && PREFERRED[provider]) || [];
  for (const key of keys) {
    const list = ix.byId.get(key);
    if (!list || list.length === 0) continue;
    let best: PriceEntry | null = null;
    let bestRank = Infinity;
    let bestEligible = false;
    for (const e of list) {
      const r = rank(e, key, prefer);
      const eligible = e.effectiveFrom <= day;
      if (best === null) {
        best = e;
        bestRank = r;
        bestEligible = eligible;
        continue;
      }
      if (r !== bestRank) {
        if (r < bestRank) {
          best = e;
          bestRank = r;
          bestEligible = eligible;
        }
        continue;
      }
      // same rank: latest eligible effectiveFrom, else the earliest
      if (eligible && (!bestEligible || e.effectiveFrom > best.effectiveFrom)) {
        best = e;
        bestEligible = true;
      } else if (!eligible && !bestEligible && e.effectiveFrom < best.effectiveFrom) best = e;
    }
    if (best) return best;
  }
  return null;
}

/** Convenience: the catalog cost of a row, or null when the model is not in the catalog. */
export function priceRow(
  catalog: PriceCatalog | PriceEntry[],
  modelRaw: string | null,
  day: string,
  tokens: Partial<TokenCounts>,
  provider?: string,
): { modelId: string | null; entry: PriceEntry | null; costMicros: number | null } {
  if (!modelRaw) return { modelId: null, entry: null, costMicros: null };
  const modelId = normalizeModel(modelRaw, provider).modelId;
  if (!modelId) return { modelId: null, entry: null, costMicros: null };
  const entry = findPrice(catalog, modelId, day, provider);
  return { modelId, entry, costMicros: entry ? catalogCostMicros(entry, tokens) : null };
}
