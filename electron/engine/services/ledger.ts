import type { Db } from '../db/open';
import { createLedgerRepo, type BlockRow } from '../repos/ledger';
import { runDrawdown, type DrawdownResult, type DrawdownBlock, type DrawdownAllocation } from '../../../shared/drawdown';
import { addDays } from '../../../shared/dates';
import { untilChanged, untilUsageChanged } from './data-cache';

export interface LedgerSnapshot {
  asOf: string | null;
  blockRows: BlockRow[];
  blocks: DrawdownBlock[];
  allocations: DrawdownAllocation[];
  result: DrawdownResult;
}

/**
 * Runs the pure drawdown engine over the database's blocks and usage up to and including asOf.
 *
 * The dashboard, ledger, credits, workloads, alerts and posture screens all start here, and at
 * 5 million usage rows one run reads 150,000 daily groups and takes about half a second, so the
 * snapshot is kept until the data changes (data-cache.ts). Its arrays are frozen: callers share it.
 */
export function computeLedger(db: Db, asOf?: string): LedgerSnapshot {
  return untilChanged(db, `ledger:${asOf ?? ''}`, () => freeze(runLedger(db, asOf)));
}

/** Shallow-freezes the arrays a cached snapshot shares, so a caller that sorts or pushes in place fails loudly. */
function freeze(snap: LedgerSnapshot): LedgerSnapshot {
  const r = snap.result;
  for (const a of [snap.blockRows, snap.blocks, snap.allocations, r.days, r.draws, r.overage, r.blocks, r.allocations, r.unappliedCredits]) Object.freeze(a);
  for (const a of Object.values(r.balances)) Object.freeze(a);
  for (const a of Object.values(r.allocationLeft)) Object.freeze(a);
  return snap;
}

function runLedger(db: Db, asOf?: string): LedgerSnapshot {
  const repo = createLedgerRepo(db);
  const blockRows = repo.blocks();
  const last = asOf ?? repo.lastUsageDay();
  const blocks: DrawdownBlock[] = blockRows.map((b) => ({
    id: b.id,
    accountId: b.accountId,
    unit: b.unit,
    kind: b.kind,
    amountMicros: b.amountMicros,
    purchasedOn: b.purchasedOn,
    expiresOn: b.expiresOn,
    priority: b.priority,
  }));
  const allocations = repo.allocations();
  // usage alone: kept across changes to blocks, allocations or accounts (an edit recomputes the
  // drawdown, not the read); after an import only the days its rows fall on are read again
  const daily = untilUsageChanged(
    db,
    'ledger:daily-cost',
    () => Object.freeze(repo.dailyCost()),
    (kept, afterId) => Object.freeze(repo.dailyCostAfter(kept, afterId)),
  );
  const usage = daily.filter((u) => last == null || u.day <= last);
  const firstDay = [usage[0]?.day, ...blocks.map((b) => b.purchasedOn)].filter((d): d is string => !!d).sort()[0];
  const result = runDrawdown({
    blocks,
    allocations,
    usage,
    from: firstDay,
    to: last ? addDays(last, 1) : firstDay ? addDays(firstDay, 1) : undefined,
  });
  return { asOf: last, blockRows, blocks, allocations, result };
}
