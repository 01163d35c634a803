/**
 * Money and quantities as integers. Amounts are parsed from their source text into integer
 * micro-units (1e-6) without ever passing through a float, rounding half-to-even once.
 * Exact decimal sums (for "totals match the file") use bigint at the text's own scale.
 */

export const MICROS = 1_000_000;
const MICRO_DIGITS = 6;

export interface ParsedDecimal {
  /** value × 10^scale as a bigint, exactly */
  units: bigint;
  scale: number;
}

/** Normalises a decimal cell: trims, accepts a leading +/-, thousands separators off, a decimal comma when asked. */
export function parseDecimal(text: string, decimalSeparator: '.' | ',' = '.'): ParsedDecimal | null {
  let s = text.trim();
  if (s === '') return null;
  if (decimalSeparator === ',') s = s.replace(/[\s.\u00a0]/g, '').replace(',', '.');
  else s = s.replace(/(\d),(?=\d{3}(\D|$))/g, '$1');
  let exp = 0;
  const e = /^(.*?)[eE]([+-]?\d{1,3})$/.exec(s);
  if (e) {
    s = e[1];
    exp = Number(e[2]);
  }
  const m = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  const intPart = m[2] || '0';
  const frac = m[3] ?? '';
  let units = BigInt(intPart + frac);
  let scale = frac.length - exp;
  if (scale < 0) {
    units *= 10n ** BigInt(-scale);
    scale = 0;
  }
  if (m[1] === '-') units = -units;
  return { units, scale };
}

/** Rounds value × 10^scale to an integer at targetScale, half-to-even. */
export function rescaleHalfEven(units: bigint, scale: number, targetScale: number): bigint {
  if (scale <= targetScale) return units * 10n ** BigInt(targetScale - scale);
  const div = 10n ** BigInt(scale - targetScale);
  const neg = units < 0n;
  const abs = neg ? -units : units;
  let q = abs / div;
  const r = abs % div;
  const twice = r * 2n;
  if (twice > div || (twice === div && q % 2n === 1n)) q += 1n;
  return neg ? -q : q;
}

/** "12.3456789" → 12345679 (micro-units, half-even). null for an empty or invalid cell. */
export function parseMicros(text: string, decimalSeparator: '.' | ',' = '.'): number | null {
  const d = parseDecimal(text, decimalSeparator);
  if (!d) return null;
  const v = rescaleHalfEven(d.units, d.scale, MICRO_DIGITS);
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(v);
}

/** Integer cell, allowing a float-looking "10.0" as long as the fraction is zero. */
export function parseInteger(text: string): number | null {
  const d = parseDecimal(text);
  if (!d) return null;
  const div = 10n ** BigInt(d.scale);
  if (d.units % div !== 0n) return null;
  const v = d.units / div;
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(v);
}

/** 12345679 → "12.345679"; trailing zeros kept to 2 places at least when trim is set. */
export function formatMicros(micros: number | bigint, opts: { trim?: boolean } = {}): string {
  return formatScaled(BigInt(micros), MICRO_DIGITS, opts.trim ?? false);
}

export function formatScaled(units: bigint, scale: number, trim = false): string {
  const neg = units < 0n;
  const abs = (neg ? -units : units).toString().padStart(scale + 1, '0');
  let int = abs.slice(0, abs.length - scale);
  let frac = scale > 0 ? abs.slice(abs.length - scale) : '';
  if (trim) {
    frac = frac.replace(/0+$/, '');
    if (frac.length < 2 && scale >= 2) frac = frac.padEnd(2, '0');
  }
  int = int.replace(/^0+(?=\d)/, '');
  const body = frac ? `${int}.${frac}` : int;
  return neg && /[1-9]/.test(body) ? `-${body}` : body;
}

/** Exact running sum of decimal texts at the largest scale seen. */
export class DecimalSum {
  private units = 0n;
  private scale = 0;
  add(text: string | null | undefined, decimalSeparator: '.' | ',' = '.'): void {
    if (text == null) return;
    const d = parseDecimal(text, decimalSeparator);
    if (!d) return;
    if (d.scale > this.scale) {
      this.units *= 10n ** BigInt(d.scale - this.scale);
      this.scale = d.scale;
    }
    this.units += d.units * 10n ** BigInt(this.scale - d.scale);
  }
  toString(): string {
    return formatScaled(this.units, this.scale);
  }
  toMicros(): number {
    return Number(rescaleHalfEven(this.units, this.scale, MICRO_DIGITS));
  }
}

/** Human currency display, e.g. "$1,234.56" — for the UI only, never for storage. */
export function displayMoney(micros: number, currency = 'USD'): string {
  const value = micros / MICROS;
  if (/^[A-Z]{3}$/.test(currency)) {
    try {
      return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 2 }).format(value);
    } catch {
      /* unknown ISO code: fall through */
    }
  }
  return `${value.toLocaleString('en-US', { maximumFractionDigits: 2 })} ${currency}`;
}

/** tokens × (price per million tokens in micros) → micros, half-even. */
export function tokenCostMicros(tokens: number, pricePerMTokMicros: number): number {
  return Number(rescaleHalfEven(BigInt(tokens) * BigInt(pricePerMTokMicros), 6, 0));
}
