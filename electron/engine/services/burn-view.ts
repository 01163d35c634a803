import type { EngineContext } from '../context';
import type { BurnView, DepletionAction } from '../../../shared/api/ledger-types';
import { computeLedger, type LedgerSnapshot } from './ledger';
import { forecastPath, BURN_WINDOW_DAYS } from './block-forecast';
import { createBlocksRepo } from '../repos/blocks';
import { createAlertsRepo, type StoredThreshold } from '../repos/alerts';
import { NotFoundError } from '../errors';
import { addDays } from '../../../shared/dates';
import { percentLevels } from '../../../shared/thresholds';

/**
 * The burn-down the Credits screen draws for one block or one account: the recorded balance,
 * then the forecast at the current burn (so an expiry after the last usage day is on the chart
 * with the credit it will waste), threshold lines and expiry markers.
 */

/** A block's chart starts a little before its purchase, not at the first purchase of the ledger. */
const LEAD_DAYS = 14;
const MAX_FORECAST_DAYS = 366;
const ACCOUNT_FORECAST_DAYS = 180;

type BlockRow = LedgerSnapshot['blockRows'][number];

export function burnView(ctx: EngineContext, args: { blockId?: number; accountId?: number; at?: string }): BurnView {
  const snap = computeLedger(ctx.db, args.at);
  const thresholds = createAlertsRepo(ctx.db).thresholds().filter((t) => t.enabled === 1);
  const path = forecastPath(snap);
  const history = (id: number) => snap.result.balances[id] ?? snap.result.days.map(() => 0);
  const future = (id: number) => path.balances.get(id) ?? path.days.map(() => 0);
  if (args.blockId !== undefined) {
    const b = snap.blockRows.find((r) => r.id === args.blockId);
    if (!b) throw new NotFoundError(`Credit block ${args.blockId}`);
    const from = Math.max(0, snap.result.days.findIndex((d) => d >= addDays(b.purchasedOn, -LEAD_DAYS)));
    const until = forecastLength(path.days, b.expiresOn ? [b.expiresOn] : [], MAX_FORECAST_DAYS);
    const days = snap.result.days.slice(from);
    const forecastDays = path.days.slice(0, until);
    return {
      scope: 'block',
      id: b.id,
      name: b.name,
      unit: b.unit,
      days,
      forecastDays,
      lines: [{ id: b.id, name: b.name, balanceMicros: history(b.id).slice(from), forecastMicros: future(b.id).slice(0, until) }],
      thresholds: blockLines(b, thresholds),
      expiries: markers([b], days, forecastDays),
    };
  }
  const account = createBlocksRepo(ctx.db).account(args.accountId!);
  if (!account) throw new NotFoundError(`Credit account ${args.accountId}`);
  const own = snap.blockRows.filter((r) => r.accountId === account.id);
  const unit = mainUnit(own) ?? account.currency;
  const inUnit = own.filter((r) => r.unit === unit);
  const until = forecastLength(path.days, [], ACCOUNT_FORECAST_DAYS);
  const forecastDays = path.days.slice(0, until);
  const sum = (n: number, series: (id: number) => number[]) => Array.from({ length: n }, (_, i) => inUnit.reduce((s, r) => s + (series(r.id)[i] ?? 0), 0));
  return {
    scope: 'account',
    id: account.id,
    name: account.name,
    unit,
    days: snap.result.days,
    forecastDays,
    lines: [
      { id: 0, name: `${account.name} — total`, balanceMicros: sum(snap.result.days.length, history), forecastMicros: sum(until, future) },
      ...inUnit.map((r) => ({ id: r.id, name: r.name, balanceMicros: history(r.id), forecastMicros: future(r.id).slice(0, until) })),
    ],
    thresholds: accountLines(snap, inUnit, thresholds, account.id),
    expiries: markers(inUnit, snap.result.days, forecastDays),
  };
}

/** Days of forecast to show: through the last expiry asked for (plus a week), at most `cap`. */
function forecastLength(days: string[], expiries: string[], cap: number): number {
  const last = expiries.sort().pop();
  const through = last ? days.findIndex((d) => d > addDays(last, 7)) : -1;
  return Math.min(cap, days.length, through === -1 ? (last ? days.length : cap) : through);
}

function markers(rows: BlockRow[], days: string[], forecastDays: string[]): BurnView['expiries'] {
  const first = days[0];
  const last = forecastDays[forecastDays.length - 1] ?? days[days.length - 1];
  if (!first || !last) return [];
  return rows.filter((r) => r.expiresOn && r.expiresOn >= first && r.expiresOn <= last).map((r) => ({ day: r.expiresOn!, label: `${r.name} expires` }));
}

/** The balances at which the percent-consumed thresholds watching the block fire. */
function blockLines(b: BlockRow, thresholds: StoredThreshold[]): BurnView['thresholds'] {
  const levels = new Map<number, DepletionAction>();
  for (const t of thresholds) {
    const watches = (t.scopeKind === 'block' && t.scopeId === b.id) || (t.scopeKind === 'account' && t.scopeId === b.accountId);
    if (watches && t.kind === 'percent-consumed') for (const p of percentLevels(t)) if (p < 100) levels.set(p, t.action);
  }
  return [...levels].sort(([x], [y]) => x - y).map(([p, action]) => ({ label: `${p}% consumed`, balanceMicros: Math.round((b.amountMicros * (100 - p)) / 100), action }));
}

/**
 * An account has no single size, so its lines are: the percent levels of the credit usable on
 * the as-of day, and the balance at which each runway threshold fires at the current burn.
 */
function accountLines(snap: LedgerSnapshot, inUnit: BlockRow[], thresholds: StoredThreshold[], accountId: number): BurnView['thresholds'] {
  const asOf = snap.asOf;
  if (!asOf) return [];
  const usable = inUnit.filter((r) => r.purchasedOn <= asOf && (r.expiresOn === null || r.expiresOn > asOf));
  const current = usable.reduce((s, r) => s + r.amountMicros, 0);
  const ids = new Set(inUnit.map((r) => r.id));
  const levels = new Set<number>();
  for (const t of thresholds) {
    const watches = t.scopeKind === 'account' ? t.scopeId === accountId : t.scopeKind === 'block' && ids.has(t.scopeId);
    if (watches && t.kind === 'percent-consumed') for (const p of percentLevels(t)) if (p < 100) levels.add(p);
  }
  const lines: BurnView['thresholds'] = [...levels].sort((a, b) => a - b).map((p) => ({ label: `${p}% of current credit`, balanceMicros: Math.round((current * (100 - p)) / 100), action: 'alert' }));
  const from = addDays(asOf, -(BURN_WINDOW_DAYS - 1));
  const burn = snap.result.draws.filter((d) => ids.has(d.blockId) && d.day >= from).reduce((s, d) => s + d.amountMicros, 0) / BURN_WINDOW_DAYS;
  for (const t of thresholds) {
    if (t.kind !== 'runway-days' || t.scopeKind !== 'account' || t.scopeId !== accountId || !(burn > 0)) continue;
    lines.push({ label: `${t.value + t.safetyMarginDays} days of runway`, balanceMicros: Math.round(burn * (t.value + t.safetyMarginDays)), action: t.action });
  }
  return lines;
}

function mainUnit(rows: { unit: string; amountMicros: number }[]): string | null {
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.unit, (totals.get(r.unit) ?? 0) + r.amountMicros);
  return [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
}
