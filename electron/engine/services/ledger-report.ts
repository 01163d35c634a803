import type { EngineContext } from '../context';
import type { LedgerBlock, LedgerReport } from '../../../shared/api/ledger-types';
import { computeLedger, type LedgerSnapshot } from './ledger';
import { forecastBlocks } from './block-forecast';
import { createBlocksRepo } from '../repos/blocks';
import { createWorkloadsRepo } from '../repos/workloads';

/** Ledger figures per block, account and workload. */

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
