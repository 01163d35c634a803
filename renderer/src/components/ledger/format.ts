import { displayMoney, formatMicros, parseMicros } from '../../../../shared/money';

/** Display helpers of the ledger screens: money stays integer micro-units until it is shown. */

export function money(micros: number | null | undefined, unit = 'USD'): string {
  return micros == null ? '—' : displayMoney(micros, unit);
}

/** A form's amount text ("1,250.50" or "1250.5") to micro-units, or null when it is not a number. */
export function parseAmount(text: string): number | null {
  const clean = text.trim().replace(/[\s,_]/g, '').replace(/^\$/, '');
  if (clean === '') return null;
  return parseMicros(clean);
}

/** Micro-units back into an editable amount text, without trailing zeros. */
export function amountText(micros: number | null | undefined): string {
  return micros == null ? '' : formatMicros(micros, { trim: true }).replace(/\.00$/, '');
}

export function days(n: number | null | undefined): string {
  return n == null ? '—' : `${n} d`;
}

export function percent(bp: number): string {
  return `${(bp / 100).toLocaleString('en-US', { maximumFractionDigits: 2 })}%`;
}

export function when(instant: string | null | undefined): string {
  return instant ? instant.replace('T', ' ').replace(/:\d\dZ$/, ' UTC') : '—';
}
