/**
 * Date and time cells → ISO instants in UTC (`YYYY-MM-DDTHH:MM:SSZ`).
 *
 * auto (the default) accepts: ISO 8601 with `Z`, an offset or no zone (no zone means UTC), with
 * `T` or a space, optional fractions (dropped); `YYYY-MM-DD`; `YYYYMMDD`; `M/D/YY` and `M/D/YYYY`
 * with an optional time and AM/PM; Unix epoch seconds (9–11 digits, fractions allowed) and
 * milliseconds (12–14 digits). `dmy` reads `dd/MM/yyyy` (also `dd.MM.yyyy`, `dd-MM-yyyy`) and is
 * used only when a mapping says so. Two-digit years are 20YY. Anything else → null.
 */
import { isoInstant } from '../../../shared/dates';

export type DateFormat = 'auto' | 'iso' | 'mdy' | 'dmy' | 'epoch-s' | 'epoch-ms';

export const DATE_FORMATS: readonly DateFormat[] = ['auto', 'iso', 'mdy', 'dmy', 'epoch-s', 'epoch-ms'];

const ISO_RE =
  /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/;
const COMPACT_RE = /^(\d{4})(\d{2})(\d{2})$/;
const SLASH_RE =
  /^(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})(?:[T ,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*([AaPp][Mm])?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/;
const EPOCH_RE = /^(\d+)(?:\.(\d+))?$/;

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function offsetMinutes(zone: string | undefined): number | null {
  if (!zone || zone === 'Z' || zone === 'z' || zone === 'UTC' || zone === 'GMT') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return null;
  const h = Number(m[2]);
  const mi = Number(m[3] ?? '0');
  if (h > 23 || mi > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (h * 60 + mi);
}

function build(y: number, mo: number, d: number, h: number, mi: number, s: number, offMin: number): string | null {
  if (y < 1000 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  if (h > 23 || mi > 59 || s > 59) return null;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s) - offMin * 60_000;
  return isoInstant(ms);
}

function fromEpoch(text: string, unit: 's' | 'ms' | 'auto'): string | null {
  const m = EPOCH_RE.exec(text);
  if (!m) return null;
  const digits = m[1].replace(/^0+(?=\d)/, '').length;
  let u = unit;
  if (u === 'auto') {
    if (digits >= 9 && digits <= 11) u = 's';
    else if (digits >= 12 && digits <= 14 && m[2] === undefined) u = 'ms';
    else return null;
  }
  const whole = Number(m[1]);
  if (!Number.isSafeInteger(whole)) return null;
  const ms = u === 's' ? whole * 1000 : whole;
  if (ms > 253402300799000) return null;
  return isoInstant(ms);
}

function parseIso(t: string): string | null {
  let m = ISO_RE.exec(t);
  if (m) {
    const off = offsetMinutes(m[7]);
    if (off === null) return null;
    return build(+m[1], +m[2], +m[3], m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0, off);
  }
  m = COMPACT_RE.exec(t);
  if (m) return build(+m[1], +m[2], +m[3], 0, 0, 0, 0);
  return null;
}

function parseSlash(t: string, order: 'mdy' | 'dmy'): string | null {
  const m = SLASH_RE.exec(t);
  if (!m) return null;
  if (order === 'mdy' && m[2] !== '/') return null;
  const a = +m[1];
  const b = +m[3];
  let y = +m[4];
  if (m[4].length === 2) y += 2000;
  const [mo, d] = order === 'mdy' ? [a, b] : [b, a];
  let h = m[5] ? +m[5] : 0;
  const ampm = m[8]?.toLowerCase();
  if (ampm) {
    if (h < 1 || h > 12) return null;
    if (ampm === 'am' && h === 12) h = 0;
    else if (ampm === 'pm' && h !== 12) h += 12;
  }
  const off = offsetMinutes(m[9]);
  if (off === null) return null;
  return build(y, mo, d, h, m[6] ? +m[6] : 0, m[7] ? +m[7] : 0, off);
}

function parseUncached(t: string, format: DateFormat): string | null {
  switch (format) {
    case 'epoch-s':
      return fromEpoch(t, 's');
    case 'epoch-ms':
      return fromEpoch(t, 'ms');
    case 'iso':
      return parseIso(t);
    case 'mdy':
      return parseIso(t) ?? parseSlash(t, 'mdy');
    case 'dmy':
      return parseIso(t) ?? parseSlash(t, 'dmy');
    default: {
      const c = t.charCodeAt(0);
      if (c >= 48 && c <= 57) {
        const r = parseIso(t) ?? parseSlash(t, 'mdy') ?? fromEpoch(t, 'auto');
        if (r) return r;
      }
      // Last resort: a textual date that names its zone ("Tue, 01 Oct 2024 10:00:00 GMT").
      if (/[A-Za-z]{3}/.test(t) && /(GMT|UTC|Z|[+-]\d{4})$/.test(t)) {
        const ms = Date.parse(t);
        if (!Number.isNaN(ms)) return isoInstant(ms);
      }
      return null;
    }
  }
}

const caches = new Map<DateFormat, Map<string, string | null>>();
const CACHE_MAX = 4096;

/** A date/time cell → `YYYY-MM-DDTHH:MM:SSZ`, or null when it is empty or not a date. */
export function parseInstant(text: string | null | undefined, format: DateFormat = 'auto'): string | null {
  if (text == null) return null;
  const t = text.trim();
  if (t === '') return null;
  let cache = caches.get(format);
  if (!cache) caches.set(format, (cache = new Map()));
  const hit = cache.get(t);
  if (hit !== undefined) return hit;
  const r = parseUncached(t, format);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(t, r);
  return r;
}

/** A date cell → `YYYY-MM-DD` (the UTC day of the instant). */
export function parseDay(text: string | null | undefined, format: DateFormat = 'auto'): string | null {
  const i = parseInstant(text, format);
  return i === null ? null : i.slice(0, 10);
}

/** True when the cell holds a date without a time of day (`2025-04-01`, `4/1/25`). */
export function isDateOnly(text: string | null | undefined): boolean {
  if (text == null) return false;
  const t = text.trim();
  return /^\d{4}-\d{1,2}-\d{1,2}$/.test(t) || /^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}$/.test(t) || /^\d{8}$/.test(t);
}
