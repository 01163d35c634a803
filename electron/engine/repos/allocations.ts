import type { Db } from '../db/open';

/** SQL for allocations: a share of a credit block (amount or basis points) earmarked for a workload. */

export interface StoredAllocation {
  id: number;
  blockId: number;
  blockName: string;
  blockAmountMicros: number;
  unit: string;
  workloadId: number;
  amountMicros: number | null;
  percentBp: number | null;
}

const SELECT = `
  SELECT al.id, al.block_id AS blockId, b.name AS blockName, b.amount_micros AS blockAmountMicros, b.unit, al.workload_id AS workloadId,
         al.amount_micros AS amountMicros, al.percent_bp AS percentBp
  FROM allocations al JOIN credit_blocks b ON b.id = al.block_id`;

export function createAllocationsRepo(db: Db) {
  const all = db.prepare<[], StoredAllocation>(`${SELECT} WHERE b.retired_at IS NULL ORDER BY al.block_id, al.workload_id`);
  const one = db.prepare<[number], StoredAllocation>(`${SELECT} WHERE al.id = ?`);
  const byPair = db.prepare<[number, number], StoredAllocation>(`${SELECT} WHERE al.block_id = ? AND al.workload_id = ?`);
  const upsert = db.prepare(`
    INSERT INTO allocations (block_id, workload_id, amount_micros, percent_bp, created_at) VALUES (@blockId, @workloadId, @amountMicros, @percentBp, @at)
    ON CONFLICT(block_id, workload_id) DO UPDATE SET amount_micros = excluded.amount_micros, percent_bp = excluded.percent_bp`);
  const del = db.prepare('DELETE FROM allocations WHERE id = ?');
  return {
    list: () => all.all(),
    get: (id: number) => one.get(id),
    byPair: (blockId: number, workloadId: number) => byPair.get(blockId, workloadId),
    set(a: { blockId: number; workloadId: number; amountMicros: number | null; percentBp: number | null }, at: string): void {
      upsert.run({ ...a, at });
    },
    delete: (id: number) => del.run(id).changes > 0,
  };
}
export type AllocationsRepo = ReturnType<typeof createAllocationsRepo>;

/** A percent allocation as an amount: rounded down, so allocations never exceed the block. */
export function effectiveAllocation(a: { amountMicros: number | null; percentBp: number | null; blockAmountMicros: number }): number {
  return a.amountMicros ?? Math.floor((a.blockAmountMicros * (a.percentBp ?? 0)) / 10_000);
}
