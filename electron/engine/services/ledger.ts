import type { Db } from '../db/open';
import { createLedgerRepo, type BlockRow } from '../repos/ledger';
import { runDrawdown, type DrawdownResult, type DrawdownBlock, type DrawdownAllocation } from '../../../shared/drawdown';
import { addDays } from '../../../shared/dates';

export interface LedgerSnapshot {
  asOf: string | null;
  blockRows: BlockRow[];
  blocks: DrawdownBlock[];
  allocations: DrawdownAllocation[];
  result: DrawdownResult;
}

/** Runs the pure drawdown engine over the database's blocks and usage up to and including asOf. */
export function computeLedger(db: Db, asOf?: string): LedgerSnapshot {
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
  const usage = repo.dailyCost().filter((u) => last == null || u.day <= last);
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
