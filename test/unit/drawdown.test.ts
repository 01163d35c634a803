import { describe, it, expect } from 'vitest';
import { runDrawdown, type DrawdownBlock, type DrawdownUsage, type DrawdownResult } from '../../shared/drawdown';
import { compileDrawdown, makeKernelOut, runKernel } from '../../shared/drawdown-kernel';

const M = 1_000_000;

function blk(id: number, patch: Partial<DrawdownBlock> = {}): DrawdownBlock {
  return { id, accountId: 1, unit: 'USD', kind: 'purchased', amountMicros: 100 * M, purchasedOn: '2026-01-01', expiresOn: null, priority: 0, ...patch };
}

function use(day: string, amount: number, workloadId: number | null = 1, patch: Partial<DrawdownUsage> = {}): DrawdownUsage {
  return { day, accountId: 1, unit: 'USD', workloadId, amountMicros: amount * M, ...patch };
}

/** Which blocks a result drew from, in order, as [blockId, amount in whole units]. */
function drawn(r: DrawdownResult): [number, number][] {
  return r.draws.map((d) => [d.blockId, d.amountMicros / M]);
}

function ledger(r: DrawdownResult, blockId: number) {
  return r.blocks.find((b) => b.blockId === blockId)!;
}

describe('drawdown order', () => {
  it('draws lower priority numbers first', () => {
    const r = runDrawdown({ blocks: [blk(1, { priority: 2 }), blk(2, { priority: 1 })], allocations: [], usage: [use('2026-01-02', 150)] });
    expect(drawn(r)).toEqual([
      [2, 100],
      [1, 50],
    ]);
  });

  it('at equal priority draws the soonest expiry first and a block without expiry last', () => {
    const blocks = [blk(1, { expiresOn: null }), blk(2, { expiresOn: '2026-06-01' }), blk(3, { expiresOn: '2026-03-01' })];
    const r = runDrawdown({ blocks, allocations: [], usage: [use('2026-01-02', 250)] });
    expect(drawn(r)).toEqual([
      [3, 100],
      [2, 100],
      [1, 50],
    ]);
  });

  it('draws promotional before purchased, then the oldest purchase, then the lowest id', () => {
    const blocks = [
      blk(5, { purchasedOn: '2026-01-01' }),
      blk(4, { purchasedOn: '2026-01-01' }),
      blk(3, { purchasedOn: '2025-12-01' }),
      blk(9, { kind: 'promotional', purchasedOn: '2026-01-01' }),
    ];
    const r = runDrawdown({ blocks, allocations: [], usage: [use('2026-01-02', 400)] });
    expect(drawn(r).map(([id]) => id)).toEqual([9, 3, 4, 5]);
  });

  it('splits nothing between equal blocks: fills the lowest id, then the next', () => {
    const blocks = [blk(3), blk(1), blk(2)];
    const r = runDrawdown({ blocks, allocations: [], usage: [use('2026-01-02', 60), use('2026-01-03', 60), use('2026-01-04', 60)] });
    expect(drawn(r)).toEqual([
      [1, 60],
      [1, 40],
      [2, 20],
      [2, 60],
    ]);
    expect(r.blocks.map((b) => b.remainingMicros / M)).toEqual([100, 0, 20]); // same order as the input
    expect(ledger(r, 1).depletedOn).toBe('2026-01-03');
  });

  it("draws a workload's allocation first, even from a block later in the order", () => {
    const blocks = [blk(1, { priority: 1 }), blk(2, { priority: 5 })];
    const r = runDrawdown({ blocks, allocations: [{ blockId: 2, workloadId: 7, amountMicros: 30 * M }], usage: [use('2026-01-02', 50, 7)] });
    expect(r.draws.map((d) => [d.blockId, d.amountMicros / M, d.source])).toEqual([
      [2, 30, 'allocation'],
      [1, 20, 'pool'],
    ]);
    expect(r.workloads).toEqual([{ workloadId: 7, consumedMicros: 50 * M, overageMicros: 0, allocatedMicros: 30 * M, allocationLeftMicros: 0 }]);
  });

  it('lets other workloads draw only the pooled rest of an allocated block', () => {
    const blocks = [blk(1)];
    const allocations = [{ blockId: 1, workloadId: 7, amountMicros: 60 * M }];
    const r = runDrawdown({ blocks, allocations, usage: [use('2026-01-02', 70, 8), use('2026-01-03', 80, 7)] });
    // workload 8 gets the 40 pooled and 30 overage; 7 gets its 60 and then nothing is pooled
    expect(r.workloads.map((w) => [w.workloadId, w.consumedMicros / M, w.overageMicros / M])).toEqual([
      [7, 60, 20],
      [8, 40, 30],
    ]);
    expect(ledger(r, 1).remainingMicros).toBe(0);
  });

  it('lets the owner continue on the pool once its share is used', () => {
    const r = runDrawdown({ blocks: [blk(1)], allocations: [{ blockId: 1, workloadId: 7, amountMicros: 10 * M }], usage: [use('2026-01-02', 25, 7)] });
    expect(r.draws.map((d) => [d.amountMicros / M, d.source])).toEqual([
      [10, 'allocation'],
      [15, 'pool'],
    ]);
  });

  it('cuts allocations that exceed the block, lowest workload id first', () => {
    const allocations = [
      { blockId: 1, workloadId: 9, amountMicros: 80 * M },
      { blockId: 1, workloadId: 3, amountMicros: 70 * M },
    ];
    const r = runDrawdown({ blocks: [blk(1)], allocations, usage: [] });
    expect(r.allocations.map((a) => [a.workloadId, a.requestedMicros / M, a.allocatedMicros / M])).toEqual([
      [3, 70, 70],
      [9, 80, 30],
    ]);
  });
});

describe('drawdown expiry', () => {
  it('expires the remaining balance on the expiry day (exclusive) as waste', () => {
    const blocks = [blk(1, { expiresOn: '2026-01-05' }), blk(2)];
    const usage = [use('2026-01-02', 30), use('2026-01-05', 10)];
    const r = runDrawdown({ blocks, allocations: [], usage, from: '2026-01-01', to: '2026-01-07' });
    expect(ledger(r, 1)).toEqual({ blockId: 1, purchasedMicros: 100 * M, consumedMicros: 30 * M, remainingMicros: 0, expiredMicros: 70 * M, depletedOn: null, expiredOn: '2026-01-05' });
    expect(ledger(r, 2).consumedMicros).toBe(10 * M); // usage on the expiry day already goes to the next block
    expect(r.balances[1].map((b) => b / M)).toEqual([100, 70, 70, 70, 0, 0]);
  });

  it('expires allocated but unused credit with the block', () => {
    const blocks = [blk(1, { expiresOn: '2026-02-01' })];
    const r = runDrawdown({ blocks, allocations: [{ blockId: 1, workloadId: 7, amountMicros: 40 * M }], usage: [use('2026-01-10', 10, 7)], to: '2026-02-02' });
    expect(ledger(r, 1).expiredMicros).toBe(90 * M);
    expect(r.allocations[0].leftMicros).toBe(0);
    expect(r.allocationLeft['1:7'].at(-1)).toBe(0);
    expect(r.allocationLeft['1:7'][r.days.indexOf('2026-01-31')]).toBe(30 * M);
  });

  it('shows no balance before the purchase and does not draw from a block not yet bought', () => {
    const blocks = [blk(1, { purchasedOn: '2026-01-03' })];
    const r = runDrawdown({ blocks, allocations: [], usage: [use('2026-01-01', 5), use('2026-01-03', 5)] });
    expect(r.days).toEqual(['2026-01-01', '2026-01-02', '2026-01-03']);
    expect(r.balances[1].map((b) => b / M)).toEqual([0, 0, 95]);
    expect(r.overage).toEqual([{ accountId: 1, unit: 'USD', day: '2026-01-01', amountMicros: 5 * M, workloadId: 1 }]);
  });

  it('by default runs to the day after the last expiry, so future waste shows', () => {
    const r = runDrawdown({ blocks: [blk(1, { expiresOn: '2026-03-01' })], allocations: [], usage: [use('2026-01-02', 1)] });
    expect(r.days[0]).toBe('2026-01-01');
    expect(r.days.at(-1)).toBe('2026-03-01');
    expect(ledger(r, 1).expiredMicros).toBe(99 * M);
  });
});

describe('drawdown overage and units', () => {
  it('books usage beyond all usable credit as overage per day, account, unit and workload', () => {
    const r = runDrawdown({ blocks: [blk(1)], allocations: [], usage: [use('2026-01-02', 80, 1), use('2026-01-02', 50, 2), use('2026-01-03', 5, 1)] });
    expect(r.overage.map((o) => [o.day, o.workloadId, o.amountMicros / M])).toEqual([
      ['2026-01-02', 2, 30],
      ['2026-01-03', 1, 5],
    ]);
    expect(r.workloads.map((w) => w.overageMicros / M)).toEqual([5, 30]);
  });

  it('never draws USD usage from a Token block, nor from another account', () => {
    const blocks = [blk(1, { unit: 'Token', amountMicros: 1_000 * M }), blk(2, { accountId: 2 }), blk(3, { amountMicros: 10 * M })];
    const r = runDrawdown({ blocks, allocations: [], usage: [use('2026-01-02', 25)] });
    expect(ledger(r, 1).consumedMicros).toBe(0);
    expect(ledger(r, 2).consumedMicros).toBe(0);
    expect(ledger(r, 3).consumedMicros).toBe(10 * M);
    expect(r.overage[0].amountMicros).toBe(15 * M);
  });

  it('draws Token usage from the Token block', () => {
    const blocks = [blk(1, { unit: 'Token', amountMicros: 1_000 * M }), blk(2)];
    const r = runDrawdown({ blocks, allocations: [], usage: [use('2026-01-02', 300, 1, { unit: 'Token' })] });
    expect(ledger(r, 1).remainingMicros).toBe(700 * M);
    expect(ledger(r, 2).remainingMicros).toBe(100 * M);
  });
});

describe('drawdown negative usage', () => {
  it('a credit first cancels overage, then gives balance back in reverse draw order', () => {
    const blocks = [blk(1, { amountMicros: 50 * M }), blk(2, { amountMicros: 50 * M })];
    const usage = [use('2026-01-02', 30), use('2026-01-03', 90), use('2026-01-04', -35, null)];
    const r = runDrawdown({ blocks, allocations: [], usage });
    // 120 used: 50 + 50 drawn, 20 overage. The credit of 35 cancels the 20, then returns 15 to block 2 (drawn last).
    expect(r.overage.map((o) => [o.day, o.workloadId, o.amountMicros / M])).toEqual([
      ['2026-01-03', 1, 20],
      ['2026-01-04', null, -20],
    ]);
    expect(ledger(r, 2).remainingMicros).toBe(15 * M);
    expect(ledger(r, 2).depletedOn).toBeNull();
    expect(ledger(r, 1).depletedOn).toBe('2026-01-03');
    expect(r.draws.at(-1)).toEqual({ day: '2026-01-04', blockId: 2, workloadId: null, amountMicros: -15 * M, source: 'pool' });
    expect(r.unappliedCreditMicros).toBe(0);
  });

  it("a refund gives back the refunding workload's own draws first", () => {
    const blocks = [blk(1, { amountMicros: 50 * M }), blk(2, { amountMicros: 50 * M })];
    const usage = [use('2026-01-02', 40, 1), use('2026-01-03', 40, 2), use('2026-01-04', -20, 1)];
    const r = runDrawdown({ blocks, allocations: [], usage });
    // workload 1 drew 40 from block 1; workload 2 drew 10 from block 1 and 30 from block 2
    expect(ledger(r, 1).remainingMicros).toBe(20 * M);
    expect(ledger(r, 2).remainingMicros).toBe(20 * M);
    expect(r.workloads.map((w) => w.consumedMicros / M)).toEqual([20, 40]);
  });

  it('a correction on the same day reverses that day draw, into the allocation it came from', () => {
    const r = runDrawdown({
      blocks: [blk(1)],
      allocations: [{ blockId: 1, workloadId: 7, amountMicros: 30 * M }],
      usage: [use('2026-01-02', 20, 7), use('2026-01-02', -20, 7)],
    });
    expect(ledger(r, 1).remainingMicros).toBe(100 * M);
    expect(r.allocations[0].leftMicros).toBe(30 * M);
    expect(r.draws.map((d) => d.amountMicros / M)).toEqual([20, -20]);
  });

  it('never gives balance back to an expired block, and records what is left as unapplied', () => {
    const blocks = [blk(1, { expiresOn: '2026-01-05' })];
    const usage = [use('2026-01-02', 60), use('2026-01-06', -25, null), use('2026-01-06', -5, 3, { accountId: 9 })];
    const r = runDrawdown({ blocks, allocations: [], usage });
    expect(ledger(r, 1)).toMatchObject({ consumedMicros: 60 * M, expiredMicros: 40 * M, remainingMicros: 0 });
    expect(r.unappliedCreditMicros).toBe(30 * M);
    expect(r.unappliedCredits.map((u) => [u.accountId, u.workloadId, u.amountMicros / M])).toEqual([
      [1, null, 25],
      [9, 3, 5],
    ]);
  });

  it('never lifts a block above its purchased amount', () => {
    const r = runDrawdown({ blocks: [blk(1)], allocations: [], usage: [use('2026-01-02', 10), use('2026-01-03', -50)] });
    expect(ledger(r, 1).remainingMicros).toBe(100 * M);
    expect(r.unappliedCreditMicros).toBe(40 * M);
  });
});

describe('drawdown range and input checks', () => {
  it('applies usage before `from` but reports only from..to-1, and ignores usage on or after `to`', () => {
    const usage = [use('2026-01-02', 10), use('2026-01-05', 10), use('2026-01-09', 10)];
    const r = runDrawdown({ blocks: [blk(1)], allocations: [], usage, from: '2026-01-04', to: '2026-01-07' });
    expect(r.days).toEqual(['2026-01-04', '2026-01-05', '2026-01-06']);
    expect(r.balances[1].map((b) => b / M)).toEqual([90, 80, 80]);
    expect(r.ignoredUsage).toEqual({ rows: 1, amountMicros: 10 * M });
  });

  it('refuses amounts that are not whole micro-units', () => {
    expect(() => runDrawdown({ blocks: [blk(1)], allocations: [], usage: [{ ...use('2026-01-02', 1), amountMicros: 0.5 }] })).toThrow(RangeError);
    expect(() => runDrawdown({ blocks: [blk(1, { amountMicros: 1.5 })], allocations: [], usage: [] })).toThrow(/whole micro-units/);
  });

  it('returns an empty ledger for empty input', () => {
    const r = runDrawdown({ blocks: [], allocations: [], usage: [] });
    expect(r.days).toEqual([]);
    expect(r.workloads).toEqual([]);
  });
});

describe('drawdown kernel', () => {
  it('gives runDrawdown results on a small case with allocations and expiry', () => {
    const blocks = [blk(1, { expiresOn: '2026-01-04', amountMicros: 50 * M }), blk(2, { priority: 3 }), blk(3, { unit: 'Token' })];
    const allocations = [{ blockId: 2, workloadId: 7, amountMicros: 40 * M }];
    const workloadIds = [7, null];
    const acct = [
      { accountId: 1, unit: 'USD' },
      { accountId: 1, unit: 'USD' },
    ];
    const c = compileDrawdown(blocks, allocations, workloadIds, acct, '2026-01-01', 5);
    const cost = new Float64Array(5 * 2);
    cost.set([10, 20, 0, 30, 25, 25, 5, 40, 10, 10].map((x) => x * M));
    const out = makeKernelOut(c, true);
    runKernel(c, cost, out);
    const usage: DrawdownUsage[] = [];
    for (let t = 0; t < 5; t++) workloadIds.forEach((w, i) => usage.push(use(`2026-01-0${t + 1}`, cost[t * 2 + i] / M, w)));
    const r = runDrawdown({ blocks, allocations, usage, from: '2026-01-01', to: '2026-01-06' });
    expect([...out.remaining]).toEqual(r.blocks.map((b) => b.remainingMicros));
    expect([...out.expired]).toEqual(r.blocks.map((b) => b.expiredMicros));
    expect([...out.overage]).toEqual(workloadIds.map((w) => r.workloads.find((l) => l.workloadId === w)!.overageMicros));
    expect([...out.depletionDay]).toEqual(r.blocks.map((b) => (b.depletedOn ? r.days.indexOf(b.depletedOn) : -1)));
    expect(out.balanceByDay![4 * 3 + 1]).toBe(r.balances[2][4]);
  });

  it('starts from given balances and allocation shares, and can be rerun without leftovers', () => {
    const blocks = [blk(1), blk(2, { priority: 1 })];
    const c = compileDrawdown(blocks, [{ blockId: 2, workloadId: 7, amountMicros: 50 * M }], [7], [{ accountId: 1, unit: 'USD' }], '2026-02-01', 3, new Map([[1, 10 * M]]), new Map([['2:7', 5 * M]]));
    const out = makeKernelOut(c, false);
    const cost = new Float64Array([8 * M, 8 * M, 8 * M]);
    runKernel(c, cost, out);
    runKernel(c, cost, out);
    // 7 takes its 5 allocated on block 2, then block 1's 10, then block 2's pool (95)
    expect([...out.remaining]).toEqual([0, 100 * M - 5 * M - 9 * M]);
    expect([...out.depletionDay]).toEqual([1, -1]);
    expect(out.balanceByDay).toBeUndefined();
  });
});
