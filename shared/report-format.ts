/**
 * How reports print numbers. Money is rounded to the cent once, half-even, on the integer
 * micro-units (never through a float), so the PDF, the screen and a test that formats the
 * engine's micros the same way agree to the cent. Pure: used by the renderer and the engine.
 */
import { displayMoney, formatMicros } from './money';
import { divHalfEven } from './reconcile';

/** Micro-units rounded half-even to whole cents (still micro-units). */
export function toCents(micros: number): number {
  // `|| 0` turns -0 (a negative amount below half a cent) into 0, which prints without a minus sign.
  return divHalfEven(micros, 10_000) * 10_000 || 0;
}

/** "$1,234.56", "-€12.00", "1,000 Token": the report's one money format. */
export function money(micros: number | null | undefined, unit = 'USD'): string {
  if (micros === null || micros === undefined) return '—';
  return displayMoney(toCents(micros), unit);
}

/** Signed money for variances: "+$12.30" / "-$4.00" / "$0.00". */
export function signedMoney(micros: number, unit = 'USD'): string {
  const cents = toCents(micros);
  return cents > 0 ? `+${displayMoney(cents, unit)}` : displayMoney(cents, unit);
}

/** Exact decimal text of micros for CSV and JSON consumers ("12.345678"). */
export function decimal(micros: number | null): string | null {
  return micros === null ? null : formatMicros(micros);
}

/** Money as a CSV number: the exact decimal value of the micros (a double prints it exactly below 2^53). */
export function csvMoney(micros: number | null): number | null {
  return micros === null ? null : micros / 1_000_000;
}

export function hours(h: number | null): string {
  if (h === null) return '—';
  return `${h.toFixed(h % 1 === 0 ? 0 : 1)} h`;
}

export function percent(x: number | null, digits = 1): string {
  return x === null || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(digits)} %`;
}

/** "2026-09-24T02:00:00Z" → "2026-09-24 02:00 UTC"; days stay days. */
export function instant(iso: string | null): string {
  if (!iso) return '—';
  return iso.length <= 10 ? iso : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

export const REPORT_TITLES = {
  reconciliation: 'Reconciliation',
  incidents: 'Incident correlation',
  forecast: 'Burn forecast',
  summary: 'Executive summary',
} as const;
