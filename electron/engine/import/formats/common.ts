/**
 * Helpers shared by the format mappers: header lookup by name (case-insensitive, aliases),
 * null cells, amounts through parseMicros (never parseFloat), integers, token counts with a unit
 * scale, dates, tags, and the first-error-wins row reader that turns problems into RowErrors.
 */
import type { ChargeCategory, UsageRecord } from '../../../../shared/domain';
import { parseDecimal, rescaleHalfEven, formatScaled } from '../../../../shared/money';
import type { FormatInfo, ImportKind, MappedRecord, ParsedRow, RowError } from '../types';
import { parseInstant, isDateOnly, type DateFormat } from '../parse-dates';

export type MapResult = ParsedRow['result'];
/** Maps one data row (cells in header order) to a record, an error or a skip. Never throws on bad data. */
export type RowMapper = (cells: string[], line: number) => MapResult;

export interface MapperOptions {
  decimalSeparator?: '.' | ',';
  dateFormat?: DateFormat;
}

export interface FormatDef {
  info: FormatInfo;
  /** header names (any alias) the mapper cannot work without; checked before the first row */
  required: string[][];
  prepare(headers: string[], opts?: MapperOptions): RowMapper;
}

/** Header name → lookup key: BOM, surrounding space and a leading `*` (Xero templates) removed, lower case. */
export function normalizeHeader(h: string): string {
  return h.replace(/^\uFEFF/, '').trim().replace(/^\*/, '').trim().toLowerCase();
}

export class Columns {
  private readonly map = new Map<string, number>();
  constructor(readonly headers: string[]) {
    headers.forEach((h, i) => {
      const k = normalizeHeader(h);
      if (!this.map.has(k)) this.map.set(k, i);
    });
  }
  /** index of the first alias present, -1 if none */
  idx(...names: string[]): number {
    for (const n of names) {
      const i = this.map.get(normalizeHeader(n));
      if (i !== undefined) return i;
    }
    return -1;
  }
  has(...names: string[]): boolean {
    return this.idx(...names) >= 0;
  }
  /** indexes of the headers matching a pattern on the normalised name */
  matching(re: RegExp): number[] {
    const out: number[] = [];
    this.headers.forEach((h, i) => {
      if (re.test(normalizeHeader(h))) out.push(i);
    });
    return out;
  }
  name(i: number): string {
    return i >= 0 ? this.headers[i] : '';
  }
}

/** Empty, blank and literal NULL cells are null. */
export function nullable(v: string | undefined): string | null {
  if (v === undefined || v === '') return null;
  if (v === 'NULL' || v === 'null' || v === 'Null') return null;
  const c = v.charCodeAt(0);
  if ((c === 32 || c === 9 || c === 160) && v.trim() === '') return null;
  return v;
}

const SYMBOLS = /[$€£¥\u00a0\s]/g;

/**
 * An amount cell as a plain decimal text ("$10,000.00 " → "10000.00", "(1.50)" → "-1.50",
 * "1.234,5" with a decimal comma → "1234.5"), or null when it is not a number. The digits are
 * kept exactly as written.
 */
export function cleanAmount(text: string, sep: '.' | ',' = '.'): string | null {
  let s = text.trim();
  if (s === '') return null;
  if (sep === '.' && /^-?\d+(\.\d+)?$/.test(s)) return s;
  let neg = false;
  if (s.startsWith('(') && s.endsWith(')')) {
    neg = true;
    s = s.slice(1, -1);
  }
  if (/[$€£¥\s\u00a0]/.test(s)) s = s.replace(SYMBOLS, '');
  if (sep === ',') s = s.replace(/\.(?=\d{3}(\D|$))/g, '').replace(',', '.');
  else if (s.includes(',')) s = s.replace(/(\d),(?=\d{3}(\D|$))/g, '$1');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?$/.test(s)) return null;
  if (s.startsWith('+')) s = s.slice(1);
  if (neg) s = s.startsWith('-') ? s.slice(1) : `-${s}`;
  return s;
}

/** "123", "10.0", "-7.000" → the whole number; undefined when the text is anything else (slow path). */
function fastWhole(v: string): number | undefined {
  const n = v.length;
  if (n === 0 || n > 16) return undefined;
  let k = 0;
  let neg = false;
  if (v.charCodeAt(0) === 45) {
    neg = true;
    k = 1;
  }
  let x = 0;
  const start = k;
  for (; k < n; k++) {
    const c = v.charCodeAt(k);
    if (c < 48 || c > 57) break;
    x = x * 10 + (c - 48);
  }
  if (k === start) return undefined;
  if (k < n) {
    if (v.charCodeAt(k) !== 46) return undefined;
    for (k++; k < n; k++) if (v.charCodeAt(k) !== 48) return undefined;
  }
  return neg ? -x : x;
}

/** "12.345" → 12345000 when the text is a plain decimal with ≤ 9 integer and ≤ 6 fraction digits; else undefined. */
function fastMicros(v: string): number | undefined {
  const n = v.length;
  if (n === 0 || n > 17) return undefined;
  let k = 0;
  let neg = false;
  if (v.charCodeAt(0) === 45) {
    neg = true;
    k = 1;
  }
  let int = 0;
  const start = k;
  for (; k < n; k++) {
    const c = v.charCodeAt(k);
    if (c < 48 || c > 57) break;
    int = int * 10 + (c - 48);
  }
  const intDigits = k - start;
  if (intDigits === 0 || intDigits > 9) return undefined;
  let frac = 0;
  let fracDigits = 0;
  if (k < n) {
    if (v.charCodeAt(k) !== 46) return undefined;
    for (k++; k < n; k++) {
      const c = v.charCodeAt(k);
      if (c < 48 || c > 57 || ++fracDigits > 6) return undefined;
      frac = frac * 10 + (c - 48);
    }
  }
  let scale = 1;
  for (let i = fracDigits; i < 6; i++) scale *= 10;
  const micros = int * 1_000_000 + frac * scale;
  return neg ? -micros : micros;
}

/** Decimal text × 10^shift → micros, half-even; null when out of range. */
export function textToMicros(clean: string, divideByPow10 = 0): number | null {
  if (divideByPow10 === 0) {
    const fast = fastMicros(clean);
    if (fast !== undefined) return fast === 0 ? 0 : fast;
  }
  const d = parseDecimal(clean);
  if (!d) return null;
  const v = rescaleHalfEven(d.units, d.scale + divideByPow10, 6);
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(v);
}

/** Exact decimal text of an integer amount in minor units: ("1234", 2) → "12.34". */
export function minorToText(clean: string, exponent: number): string | null {
  const d = parseDecimal(clean);
  if (!d) return null;
  return formatScaled(d.units, d.scale + exponent);
}

/** Multiplier of a unit like "1K", "1K Tokens", "1M", "1,000 tokens", "Tokens" (1). */
export function unitScale(unit: string | null): number {
  if (!unit) return 1;
  const u = unit.trim().toLowerCase();
  const m = /^(\d[\d,]*)?\s*(k|m|thousand|million)?\b/.exec(u);
  if (!m || (!m[1] && !m[2])) return 1;
  let n = m[1] ? Number(m[1].replace(/,/g, '')) : 1;
  if (m[2] === 'k' || m[2] === 'thousand') n *= 1000;
  else if (m[2] === 'm' || m[2] === 'million') n *= 1_000_000;
  return n || 1;
}

/** Which kind of token a meter / usage type / SKU text counts, if any. */
export function tokenKind(text: string | null): 'input' | 'output' | 'cacheRead' | 'cacheWrite' | null {
  if (!text) return null;
  const t = text.toLowerCase();
  if (/storage|per[\s_-]?hour/.test(t)) return null;
  if (/cache[\s_-]?read|cached[\s_-]?(inp|input)|cchd|cache[\s_-]?hit|cached/.test(t)) return 'cacheRead';
  if (/cache[\s_-]?write|cache[\s_-]?creation|caching/.test(t)) return 'cacheWrite';
  if (/input|(^|[^a-z])inpt?([^a-z]|$)|prompt/.test(t)) return 'input';
  if (/output|(^|[^a-z])outpt?([^a-z]|$)|(^|[^a-z])opt([^a-z]|$)|completion|generated/.test(t)) return 'output';
  return null;
}

const CATEGORIES: Record<string, ChargeCategory> = {
  usage: 'usage',
  purchase: 'purchase',
  tax: 'tax',
  credit: 'credit',
  adjustment: 'adjustment',
  refund: 'credit',
};

/** FOCUS ChargeCategory text (any case) → ChargeCategory, or null. */
export function chargeCategory(text: string): ChargeCategory | null {
  return CATEGORIES[text.trim().toLowerCase()] ?? null;
}

/** Tags cell → record. Accepts JSON objects, Azure's object without its braces, JSON whose quotes were doubled, and GCP's [{key,value}] arrays. */
export function parseTags(text: string): Record<string, string> | null | undefined {
  const t = text.trim();
  if (t === '' || t === 'NULL' || t === 'null' || t === '{}' || t === '[]') return t === '{}' || t === '[]' ? {} : null;
  const attempts = [t];
  if (!t.startsWith('{') && !t.startsWith('[')) attempts.push(`{${t}}`);
  if (t.includes('""')) for (const a of [...attempts]) attempts.push(a.replace(/""/g, '"'));
  for (const a of attempts) {
    let v: unknown;
    try {
      v = JSON.parse(a);
    } catch {
      continue;
    }
    const out: Record<string, string> = {};
    if (Array.isArray(v)) {
      for (const item of v) {
        if (item && typeof item === 'object' && 'key' in item) {
          const o = item as { key: unknown; value?: unknown };
          out[String(o.key)] = tagValue(o.value);
        } else if (typeof item === 'string') out[item] = '';
        else return undefined;
      }
      return out;
    }
    if (v && typeof v === 'object') {
      for (const [k, val] of Object.entries(v as Record<string, unknown>)) out[k] = tagValue(val);
      return out;
    }
  }
  return undefined;
}

function tagValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** Upper-cased ISO currency code, or the text as given for a virtual unit (Token, Credits). */
export function currencyCode(text: string): string {
  const t = text.trim();
  return /^[A-Za-z]{3}$/.test(t) ? t.toUpperCase() : t;
}

export function skip(reason: string): MapResult {
  return { ok: 'skip', reason };
}

export function ok(mapped: MappedRecord): MapResult {
  return { ok: true, mapped };
}

export function usageRecord(line: number, provider: string, periodStart: string, currency: string): UsageRecord {
  return {
    line,
    provider,
    billingAccountId: null,
    billingAccountName: null,
    subAccountId: null,
    subAccountName: null,
    apiKey: null,
    userId: null,
    chargeCategory: 'usage',
    chargeClass: null,
    periodStart,
    periodEnd: null,
    serviceName: null,
    modelRaw: null,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    requests: null,
    billedCostMicros: null,
    billedCostText: null,
    effectiveCostMicros: null,
    listCostMicros: null,
    currency,
    pricingCurrency: null,
    pricingCurrencyEffectiveCostMicros: null,
    pricingQuantityText: null,
    pricingUnit: null,
    tags: null,
    sku: null,
    region: null,
    resourceId: null,
    description: null,
  };
}

/**
 * Reads one row's cells by column index, collecting the first problem as a RowError (the
 * message names the column and says what was expected). Reused across rows.
 */
export class RowReader {
  cells: string[] = [];
  line = 0;
  error: RowError | null = null;
  readonly sep: '.' | ',';
  readonly dateFormat: DateFormat;

  constructor(
    readonly cols: Columns,
    opts: MapperOptions = {},
  ) {
    this.sep = opts.decimalSeparator ?? '.';
    this.dateFormat = opts.dateFormat ?? 'auto';
  }

  reset(cells: string[], line: number): this {
    this.cells = cells;
    this.line = line;
    this.error = null;
    return this;
  }

  fail(i: number, message: string): null {
    if (!this.error) this.error = { line: this.line, column: i >= 0 ? this.cols.name(i) : null, message };
    return null;
  }

  failRow(message: string): null {
    if (!this.error) this.error = { line: this.line, column: null, message };
    return null;
  }

  /** the cell, null when missing/empty/NULL; kept verbatim otherwise */
  s(i: number): string | null {
    return i < 0 ? null : nullable(this.cells[i]);
  }

  /** the first non-null of several columns */
  first(...idx: number[]): string | null {
    for (const i of idx) {
      const v = this.s(i);
      if (v !== null) return v;
    }
    return null;
  }

  /** trimmed cell or null */
  t(i: number): string | null {
    const v = this.s(i);
    if (v === null) return null;
    const t = v.trim();
    return t === '' ? null : t;
  }

  need(i: number, what: string): string | null {
    const v = this.t(i);
    if (v === null) return this.fail(i, `${this.cols.name(i) || what}: expected ${what}, found an empty cell`);
    return v;
  }

  /** an amount: { micros, text } with the cleaned source text, or null (empty); a bad value is an error */
  amount(i: number, required = false, divideByPow10 = 0): { micros: number; text: string } | null {
    const v = this.t(i);
    if (v === null) {
      if (required) this.fail(i, `${this.cols.name(i)}: expected an amount, found an empty cell`);
      return null;
    }
    const clean = cleanAmount(v, this.sep);
    if (clean === null) return this.fail(i, `${this.cols.name(i)}: expected a decimal amount like 12.34, found "${short(v)}"`);
    const micros = textToMicros(clean, divideByPow10);
    if (micros === null) return this.fail(i, `${this.cols.name(i)}: the amount "${short(v)}" is out of range`);
    return { micros, text: divideByPow10 ? (minorToText(clean, divideByPow10) ?? clean) : clean };
  }

  micros(i: number, required = false): number | null {
    return this.amount(i, required)?.micros ?? null;
  }

  /** a whole count (accepts "10.0"); empty → fallback */
  int(i: number, fallback = 0): number {
    const v = this.t(i);
    if (v === null) return fallback;
    const r = this.scaledInt(v, 1);
    if (r === null) {
      this.fail(i, `${this.cols.name(i)}: expected a whole number, found "${short(v)}"`);
      return fallback;
    }
    return r;
  }

  intOrNull(i: number): number | null {
    if (this.t(i) === null) return null;
    return this.int(i, 0);
  }

  /** a token quantity × unit scale, rounded half-even to a whole count */
  tokens(i: number, scale = 1): number {
    const v = this.t(i);
    if (v === null) return 0;
    const r = this.scaledInt(v, scale, true);
    if (r === null) {
      this.fail(i, `${this.cols.name(i)}: expected a token count, found "${short(v)}"`);
      return 0;
    }
    return r;
  }

  private scaledInt(v: string, scale: number, round = false): number | null {
    const fast = this.sep === '.' ? fastWhole(v) : undefined;
    if (fast !== undefined) {
      const x = fast * scale;
      if (Number.isSafeInteger(x)) return x;
    }
    const clean = cleanAmount(v, this.sep);
    if (clean === null) return null;
    const d = parseDecimal(clean);
    if (!d) return null;
    const units = d.units * BigInt(scale);
    const div = 10n ** BigInt(d.scale);
    if (!round && units % div !== 0n) return null;
    const whole = rescaleHalfEven(units, d.scale, 0);
    if (whole > BigInt(Number.MAX_SAFE_INTEGER) || whole < -BigInt(Number.MAX_SAFE_INTEGER)) return null;
    return Number(whole);
  }

  instant(i: number, required = false, format: DateFormat = this.dateFormat): string | null {
    const v = this.t(i);
    if (v === null) {
      if (required) this.fail(i, `${this.cols.name(i) || 'date'}: expected a date/time, found an empty cell`);
      return null;
    }
    const r = parseInstant(v, format);
    if (r === null) return this.fail(i, `${this.cols.name(i)}: expected a date/time (ISO 8601, YYYY-MM-DD HH:mm:ss, M/D/YY or epoch), found "${short(v)}"`);
    return r;
  }

  day(i: number, required = false, format: DateFormat = this.dateFormat): string | null {
    return this.instant(i, required, format)?.slice(0, 10) ?? null;
  }

  dateOnly(i: number): boolean {
    return isDateOnly(this.s(i));
  }

  tags(i: number): Record<string, string> | null {
    const v = this.s(i);
    if (v === null) return null;
    const r = parseTags(v);
    if (r === undefined) return this.fail(i, `${this.cols.name(i)}: expected tags as a JSON object like {"team":"ml"}, found "${short(v)}"`);
    return r;
  }

  currency(i: number, fallback: string | null): string | null {
    const v = this.t(i);
    if (v !== null) return currencyCode(v);
    if (fallback) return fallback;
    return this.fail(i, `${this.cols.name(i) || 'currency'}: expected a currency code like USD, found an empty cell`);
  }

  result(mapped: () => MappedRecord): MapResult {
    if (this.error) return { ok: false, error: this.error };
    return { ok: true, mapped: mapped() };
  }
}

export function short(v: string): string {
  const flat = v.replace(/[\r\n\t]+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 57)}…` : flat;
}

export function info(id: string, label: string, kind: ImportKind): FormatInfo {
  return { id, label, kind };
}

/** Splits a list cell ("a; b", "a,b", "a|b", JSON array) into trimmed values. */
export function listCell(v: string | null): string[] {
  if (v === null) return [];
  const t = v.trim();
  if (t.startsWith('[')) {
    try {
      const arr = JSON.parse(t) as unknown;
      if (Array.isArray(arr)) return arr.map((x) => String(x).trim()).filter(Boolean);
    } catch {
      /* not JSON: split below */
    }
  }
  return t
    .split(/[;,|\n]+/)
    .map((x) => x.trim())
    .filter(Boolean);
}
