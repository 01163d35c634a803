import { displayMoney } from '../../../../shared/money';

/** Display helpers of the Scenarios screen: money stays micro-units until it is shown. */

export function money(micros: number | null | undefined, unit = 'USD'): string {
  return micros == null ? '—' : displayMoney(Math.round(micros), unit);
}

/** A signed amount for a delta: "+$1,200.00", "−$300.00", "±$0.00". */
export function signedMoney(micros: number, unit = 'USD'): string {
  const r = Math.round(micros);
  if (Math.abs(r) < 500_000) return `±${displayMoney(0, unit)}`;
  return `${r > 0 ? '+' : '−'}${displayMoney(Math.abs(r), unit)}`;
}

export function pct(x: number | null | undefined): string {
  return x == null ? '—' : `${(x * 100).toFixed(0)}%`;
}

/** A change of a probability in percentage points. */
export function signedPoints(x: number): string {
  const p = Math.round(x * 100);
  return p === 0 ? '±0 pp' : `${p > 0 ? '+' : '−'}${Math.abs(p)} pp`;
}

/** A shift of a date in days: "8 days earlier", "3 days later", "no change", "—". */
export function shiftText(days: number | null): string {
  if (days === null) return '—';
  if (days === 0) return 'no change';
  const n = Math.abs(days);
  return `${n} day${n === 1 ? '' : 's'} ${days < 0 ? 'earlier' : 'later'}`;
}

export function date(d: string | null, beyond = 'beyond horizon'): string {
  return d ?? beyond;
}

/** Dollars typed in a form → micro-units; NaN stays NaN so the form can say so. */
export const toMicros = (usd: number) => Math.round(usd * 1_000_000);
export const toUsd = (micros: number | undefined) => (micros === undefined ? '' : String(micros / 1_000_000));
