import type { DrawdownBlock, DrawdownResult } from '../../../shared/drawdown';
import type { ScopeDayFn } from '../../../shared/thresholds';
import { BASELINE_MIN_DAYS, BASELINE_WINDOW_DAYS } from '../../../shared/thresholds';

/**
 * Spend per day of every block, workload and account (draws plus overage), as prefix sums, so
 * the threshold engine can ask for a forecast burn or a baseline on any day in O(1). Pure.
 */
export class SpendSeries {
  private readonly index: Map<string, number>;
  private readonly prefix = new Map<string, Float64Array>();
  /** index of each scope's first day with spend: history before it is "not yet", not "zero" */
  private readonly first = new Map<string, number>();

  constructor(
    readonly days: string[],
    ledger: DrawdownResult,
    blocks: DrawdownBlock[],
  ) {
    this.index = new Map(days.map((d, i) => [d, i]));
    const blockOf = new Map(blocks.map((b) => [b.id, b]));
    const mainUnit = accountMainUnits(blocks);
    const raw = new Map<string, Float64Array>();
    const add = (key: string, i: number, x: number) => {
      let s = raw.get(key);
      if (!s) raw.set(key, (s = new Float64Array(days.length)));
      s[i] += x;
    };
    for (const d of ledger.draws) {
      const i = this.index.get(d.day);
      const b = blockOf.get(d.blockId);
      if (i === undefined || !b) continue;
      add(`block:${b.id}`, i, d.amountMicros);
      if (d.workloadId !== null) add(`workload:${d.workloadId}`, i, d.amountMicros);
      if ((mainUnit.get(b.accountId) ?? b.unit) === b.unit) add(`account:${b.accountId}`, i, d.amountMicros);
    }
    for (const o of ledger.overage) {
      const i = this.index.get(o.day);
      if (i === undefined) continue;
      if (o.workloadId !== null) add(`workload:${o.workloadId}`, i, o.amountMicros);
      if ((mainUnit.get(o.accountId) ?? o.unit) === o.unit) add(`account:${o.accountId}`, i, o.amountMicros);
    }
    for (const [k, s] of raw) {
      const p = new Float64Array(s.length + 1);
      for (let i = 0; i < s.length; i++) p[i + 1] = p[i] + s[i];
      this.prefix.set(k, p);
      const f = s.findIndex((x) => x !== 0);
      this.first.set(k, f === -1 ? s.length : f);
    }
  }

  /** Spend of the scope on days [from, to) by index, clamped to the ledger. */
  private sum(key: string, from: number, to: number): number {
    const p = this.prefix.get(key);
    if (!p) return 0;
    const a = Math.max(0, from);
    const b = Math.min(p.length - 1, to);
    return b > a ? p[b] - p[a] : 0;
  }

  spendOn(scopeKind: string, scopeId: number, day: string): number {
    const i = this.index.get(day);
    return i === undefined ? 0 : this.sum(`${scopeKind}:${scopeId}`, i, i + 1);
  }

  /** Forecast burn as of a day: the mean spend of the BASELINE_WINDOW_DAYS days ending that day. */
  readonly burnPerDay: ScopeDayFn = (scopeKind, scopeId, day) => {
    const i = this.index.get(day);
    const key = `${scopeKind}:${scopeId}`;
    if (i === undefined) return 0;
    const from = Math.max(this.first.get(key) ?? i, i + 1 - BASELINE_WINDOW_DAYS);
    return from > i ? 0 : this.sum(key, from, i + 1) / (i + 1 - from);
  };

  /**
   * The normal spend before a day: the mean of the previous window, counted from the scope's
   * first spend (a ledger starts at the first purchase, often before any usage), null with too
   * little history.
   */
  baselineBefore(scopeKind: string, scopeId: number, day: string): number | null {
    const i = this.index.get(day);
    const key = `${scopeKind}:${scopeId}`;
    if (i === undefined) return null;
    const from = Math.max(this.first.get(key) ?? i, i - BASELINE_WINDOW_DAYS);
    if (i - from < BASELINE_MIN_DAYS) return null;
    return this.sum(key, from, i) / (i - from);
  }

  /** The threshold engine's baseline hook: 0 (no verdict) while the scope has too little history. */
  readonly baselinePerDay: ScopeDayFn = (scopeKind, scopeId, day) => this.baselineBefore(scopeKind, scopeId, day) ?? 0;
}

/** An account's spend is counted in the unit it bought most credit in (its main unit). */
function accountMainUnits(blocks: DrawdownBlock[]): Map<number, string> {
  const totals = new Map<number, Map<string, number>>();
  for (const b of blocks) {
    const m = totals.get(b.accountId) ?? new Map<string, number>();
    m.set(b.unit, (m.get(b.unit) ?? 0) + b.amountMicros);
    totals.set(b.accountId, m);
  }
  const out = new Map<number, string>();
  for (const [a, m] of totals) out.set(a, [...m].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))[0][0]);
  return out;
}

export interface PeakHour {
  day: string;
  /** "09" for 09:00-10:00 UTC */
  hour: string;
  /** the burn rate in that hour, as spend per day */
  ratePerDayMicros: number;
  dayTotalMicros: number;
}

/**
 * The busiest hour of each day that has hourly rows. A daily total hides a burst that ran for
 * a few hours (a leaked key hammered at night), while the hour's burn rate shows it; rows that
 * cover a whole day are spread evenly over its 24 hours.
 */
export function peakHours(rows: { day: string; hour: string | null; micros: number }[]): PeakHour[] {
  const byDay = new Map<string, { daily: number; hours: Map<string, number> }>();
  for (const r of rows) {
    const d = byDay.get(r.day) ?? { daily: 0, hours: new Map<string, number>() };
    if (r.hour === null) d.daily += r.micros;
    else d.hours.set(r.hour, (d.hours.get(r.hour) ?? 0) + r.micros);
    byDay.set(r.day, d);
  }
  const out: PeakHour[] = [];
  for (const [day, d] of byDay) {
    if (d.hours.size === 0) continue;
    let best = '';
    let bestMicros = -Infinity;
    for (const [h, m] of [...d.hours].sort()) if (m > bestMicros) [best, bestMicros] = [h, m];
    const total = d.daily + [...d.hours.values()].reduce((a, b) => a + b, 0);
    out.push({ day, hour: best, ratePerDayMicros: (bestMicros + d.daily / 24) * 24, dayTotalMicros: total });
  }
  return out.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}
