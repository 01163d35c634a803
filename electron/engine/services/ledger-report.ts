import type { EngineContext } from '../context';
import type { LedgerBlock, LedgerReport, BurnView } from '../../../shared/api/ledger-types';
import { computeLedger, type LedgerSnapshot } from './ledger';
import { forecastBlocks } from './block-forecast';
import { createBlocksRepo } from '../repos/blocks';
import { createWorkloadsRepo } from '../repos/workloads';
import { createAlertsRepo, type StoredThreshold } from '../repos/alerts';
import { NotFoundError } from '../errors';
import { percentLevels } from '../../../shared/thresholds';

/** Ledger figures per block, account and workload, and the burn-down views the Credits screen draws. */

export function workloadPath(w: { department: string; application: string; agent: string | null; environment: string }): string {
  const path = [w.department, w.application, w.agent].filter((p): p is string => !!p).join(' › ');
  return w.environment === 'production' ? path : `${path} (${w.environment})`;
}

/** Display names for thresholds and alerts: blocks and accounts by name, workloads by path. */
export function scopeNames(ctx: EngineContext): (kind: 'block' | 'workload' | 'account', id: number) => string {
  const blocks = new Map(ctx.db.prepare<[], { id: number; name: string }>('SELECT id, name FROM credit_blocks').all().map((b) => [b.id, b.name]));
  const accounts = new Map(createBlocksRepo(ctx.db).accounts().map((a) => [a.id, a.name]));
  const workloads = new Map(createWorkloadsRepo(ctx.db).list().map((w) => [w.id, workloadPath(w)]));
  return (kind, id) => (kind === 'block' ? blocks.get(id) : kind === 'account' ? accounts.get(id) : workloads.get(id)) ?? `${kind} #${id}`;
}

export function ledgerBlocks(ctx: EngineContext, at?: string, snap: LedgerSnapshot = computeLedger(ctx.db, at)): LedgerBlock[] {
  const forecast = forecastBlocks(snap);
  const allocated = new Map<number, number>();
  for (const a of snap.result.allocations) allocated.set(a.blockId, (allocated.get(a.blockId) ?? 0) + a.allocatedMicros);
  const stored = createBlocksRepo(ctx.db);
  return snap.blockRows.map((b, i) => {
    const l = snap.result.blocks[i];
    const f = forecast.get(b.id)!;
    const s = stored.block(b.id)!;
    return {
      blockId: b.id,
      name: b.name,
      accountId: b.accountId,
      accountName: b.accountName,
      provider: b.provider,
      kind: b.kind,
      unit: b.unit,
      purchasedOn: b.purchasedOn,
      expiresOn: b.expiresOn,
      purchasedMicros: l.purchasedMicros,
      consumedMicros: l.consumedMicros,
      remainingMicros: l.remainingMicros,
      expiredMicros: l.expiredMicros,
      burnPerDayMicros: f.burnPerDayMicros,
      runwayDays: f.runwayDays,
      depletedOn: l.depletedOn,
      unitPriceMicros: b.unitPriceMicros,
      costBasisMicros: b.costBasisMicros,
      priority: b.priority,
      source: s.source,
      sourceRef: s.sourceRef,
      allocatedMicros: allocated.get(b.id) ?? 0,
      wasteForecastMicros: f.wasteForecastMicros,
      forecastDryOn: f.forecastDryOn,
    };
  });
}

export function ledgerReport(ctx: EngineContext, at?: string): LedgerReport {
  const snap = computeLedger(ctx.db, at);
  const blocks = ledgerBlocks(ctx, at, snap);
  const accounts = new Map<string, LedgerReport['accounts'][number]>();
  const accountRow = (accountId: number, name: string, unit: string) => {
    const key = `${accountId}|${unit}`;
    let a = accounts.get(key);
    if (!a) accounts.set(key, (a = { accountId, name, unit, purchasedMicros: 0, consumedMicros: 0, remainingMicros: 0, expiredMicros: 0, overageMicros: 0 }));
    return a;
  };
  for (const b of blocks) {
    const a = accountRow(b.accountId, b.accountName, b.unit);
    a.purchasedMicros += b.purchasedMicros;
    a.consumedMicros += b.consumedMicros;
    a.remainingMicros += b.remainingMicros;
    a.expiredMicros += b.expiredMicros;
  }
  const accountNames = new Map(createBlocksRepo(ctx.db).accounts().map((a) => [a.id, a.name]));
  for (const o of snap.result.overage) accountRow(o.accountId, accountNames.get(o.accountId) ?? `account #${o.accountId}`, o.unit).overageMicros += o.amountMicros;
  const paths = new Map(createWorkloadsRepo(ctx.db).list().map((w) => [w.id, workloadPath(w)]));
  return {
    asOf: snap.asOf,
    blocks: blocks.map((b) => ({
      blockId: b.blockId,
      name: b.name,
      accountName: b.accountName,
      unit: b.unit,
      kind: b.kind,
      purchasedOn: b.purchasedOn,
      expiresOn: b.expiresOn,
      purchasedMicros: b.purchasedMicros,
      consumedMicros: b.consumedMicros,
      remainingMicros: b.remainingMicros,
      expiredMicros: b.expiredMicros,
      runwayDays: b.runwayDays,
    })),
    accounts: [...accounts.values()].sort((x, y) => x.accountId - y.accountId || x.unit.localeCompare(y.unit)),
    workloads: snap.result.workloads.map((w) => ({
      workloadId: w.workloadId,
      path: w.workloadId === null ? 'unattributed' : paths.get(w.workloadId) ?? `workload #${w.workloadId}`,
      consumedMicros: w.consumedMicros,
      overageMicros: w.overageMicros,
      allocatedMicros: w.allocatedMicros,
      allocationLeftMicros: w.allocationLeftMicros,
    })),
  };
}

/**
 * The burn-down of one block, or of one account (its total, then each block). Threshold lines
 * are the balances at which the percent-consumed thresholds watching it fire.
 */
export function burnView(ctx: EngineContext, args: { blockId?: number; accountId?: number; at?: string }): BurnView {
  const snap = computeLedger(ctx.db, args.at);
  const thresholds = createAlertsRepo(ctx.db).thresholds().filter((t) => t.enabled && t.kind === 'percent-consumed');
  const days = snap.result.days;
  const series = (id: number) => snap.result.balances[id] ?? days.map(() => 0);
  if (args.blockId !== undefined) {
    const b = snap.blockRows.find((r) => r.id === args.blockId);
    if (!b) throw new NotFoundError(`Credit block ${args.blockId}`);
    const levels = new Map<number, 'alert' | 'throttle' | 'stop'>();
    for (const t of thresholds) {
      const watches = (t.scopeKind === 'block' && t.scopeId === b.id) || (t.scopeKind === 'account' && t.scopeId === b.accountId);
      if (watches) for (const p of percentLevels(t)) if (p < 100) levels.set(p, t.action);
    }
    return {
      scope: 'block',
      id: b.id,
      name: b.name,
      unit: b.unit,
      days,
      lines: [{ id: b.id, name: b.name, balanceMicros: series(b.id) }],
      thresholds: [...levels].sort(([x], [y]) => x - y).map(([p, action]) => ({ label: `${p}% consumed`, balanceMicros: Math.round((b.amountMicros * (100 - p)) / 100), action })),
      expiries: b.expiresOn && days.length > 0 && b.expiresOn <= days[days.length - 1] ? [{ day: b.expiresOn, label: `${b.name} expires` }] : [],
    };
  }
  const own = snap.blockRows.filter((r) => r.accountId === args.accountId);
  const account = createBlocksRepo(ctx.db).account(args.accountId!);
  if (!account) throw new NotFoundError(`Credit account ${args.accountId}`);
  const unit = mainUnit(own) ?? account.currency;
  const inUnit = own.filter((r) => r.unit === unit);
  const total = days.map((_, i) => inUnit.reduce((s, r) => s + (series(r.id)[i] ?? 0), 0));
  return {
    scope: 'account',
    id: account.id,
    name: account.name,
    unit,
    days,
    lines: [{ id: 0, name: `${account.name} — total`, balanceMicros: total }, ...inUnit.map((r) => ({ id: r.id, name: r.name, balanceMicros: series(r.id) }))],
    thresholds: accountLines(snap, inUnit, thresholds, createAlertsRepo(ctx.db).thresholds(), account.id),
    expiries: inUnit
      .filter((r) => r.expiresOn && days.length > 0 && r.expiresOn >= days[0] && r.expiresOn <= days[days.length - 1])
      .map((r) => ({ day: r.expiresOn!, label: `${r.name} expires` })),
  };
}

/**
 * An account has no single size, so its lines are: the percent levels of the credit usable on
 * the as-of day, and the balance at which each runway threshold fires at the current burn.
 */
function accountLines(snap: LedgerSnapshot, inUnit: LedgerSnapshot['blockRows'], percent: StoredThreshold[], all: StoredThreshold[], accountId: number): BurnView['thresholds'] {
  const asOf = snap.asOf;
  if (!asOf) return [];
  const usable = inUnit.filter((r) => r.purchasedOn <= asOf && (r.expiresOn === null || r.expiresOn > asOf));
  const current = usable.reduce((s, r) => s + r.amountMicros, 0);
  const ids = new Set(inUnit.map((r) => r.id));
  const levels = new Set<number>();
  for (const t of percent) if (t.scopeKind === 'account' ? t.scopeId === accountId : t.scopeKind === 'block' && ids.has(t.scopeId)) for (const p of percentLevels(t)) if (p < 100) levels.add(p);
  const lines: BurnView['thresholds'] = [...levels].sort((a, b) => a - b).map((p) => ({ label: `${p}% of current credit`, balanceMicros: Math.round((current * (100 - p)) / 100), action: 'alert' }));
  const from = snap.result.days[Math.max(0, snap.result.days.length - 30)] ?? asOf;
  const burn = snap.result.draws.filter((d) => ids.has(d.blockId) && d.day >= from).reduce((s, d) => s + d.amountMicros, 0) / 30;
  for (const t of all) {
    if (!t.enabled || t.kind !== 'runway-days' || t.scopeKind !== 'account' || t.scopeId !== accountId || !(burn > 0)) continue;
    lines.push({ label: `${t.value + t.safetyMarginDays} days of runway`, balanceMicros: Math.round(burn * (t.value + t.safetyMarginDays)), action: t.action });
  }
  return lines;
}

function mainUnit(rows: { unit: string; amountMicros: number }[]): string | null {
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(r.unit, (totals.get(r.unit) ?? 0) + r.amountMicros);
  return [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
}
