import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { addDays } from '../../shared/dates';
import {
  compareBlocks,
  dayNumber,
  effectiveExpiryDay,
  runDrawdown,
  type DrawdownAllocation,
  type DrawdownBlock,
  type DrawdownInput,
  type DrawdownResult,
  type DrawdownUsage,
} from '../../shared/drawdown';
import { compileDrawdown, makeKernelOut, runKernel } from '../../shared/drawdown-kernel';

const START = '2026-01-01';
const UNITS = ['USD', 'Token'] as const;

/** Small amounts and few blocks so that depletion, expiry and overage all happen often. */
function inputArb(opts: { negative: boolean; purchaseFrom?: number }) {
  const blockArb = (id: number) =>
    fc.record({
      id: fc.constant(id),
      accountId: fc.integer({ min: 1, max: 2 }),
      unit: fc.constantFrom(...UNITS),
      kind: fc.constantFrom('purchased' as const, 'promotional' as const),
      amountMicros: fc.integer({ min: 0, max: 1000 }),
      purchasedOn: fc.integer({ min: opts.purchaseFrom ?? 0, max: 20 }).map((d) => addDays(START, d)),
      expiresOn: fc.option(
        fc.integer({ min: 0, max: 45 }).map((d) => addDays(START, d)),
        { nil: null },
      ),
      priority: fc.integer({ min: 0, max: 2 }),
    });
  const blocksArb = fc.integer({ min: 0, max: 6 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => blockArb(n * 3 - i * 2))));
  return blocksArb.chain((blocks) => {
    const ids = blocks.map((b) => b.id);
    const allocArb: fc.Arbitrary<DrawdownAllocation[]> =
      ids.length === 0
        ? fc.constant([])
        : fc.array(fc.record({ blockId: fc.constantFrom(...ids), workloadId: fc.integer({ min: 1, max: 4 }), amountMicros: fc.integer({ min: 0, max: 600 }) }), { maxLength: 5 });
    const usageArb = fc.array(
      fc.record({
        day: fc.integer({ min: 0, max: 40 }).map((d) => addDays(START, d)),
        accountId: fc.integer({ min: 1, max: 2 }),
        unit: fc.constantFrom(...UNITS),
        workloadId: fc.option(fc.integer({ min: 1, max: 4 }), { nil: null }),
        amountMicros: fc.integer({ min: opts.negative ? -300 : 0, max: 400 }),
      }),
      { maxLength: 40 },
    );
    return fc.record({ blocks: fc.constant(blocks as DrawdownBlock[]), allocations: allocArb, usage: usageArb });
  });
}

function sum(xs: number[]): number {
  return xs.reduce((s, x) => s + x, 0);
}

describe('drawdown properties', () => {
  it('conserves every block: consumed + remaining + expired = purchased, and books every row', () => {
    fc.assert(
      fc.property(inputArb({ negative: true }), (input) => {
        const r = runDrawdown(input);
        input.blocks.forEach((b, i) => {
          const l = r.blocks[i];
          expect(l.blockId).toBe(b.id);
          expect(l.consumedMicros + l.remainingMicros + l.expiredMicros).toBe(b.amountMicros);
          expect(l.consumedMicros).toBeGreaterThanOrEqual(0);
          expect(l.remainingMicros).toBeGreaterThanOrEqual(0);
          expect(l.expiredMicros).toBeGreaterThanOrEqual(0);
          expect(sum(r.draws.filter((d) => d.blockId === b.id).map((d) => d.amountMicros))).toBe(l.consumedMicros);
          for (const v of r.balances[b.id]) expect(v).toBeGreaterThanOrEqual(0);
        });
        // every workload: what it drew + its overage + its unapplied credit = the net sum of its rows
        for (const w of r.workloads) {
          const rows = sum(input.usage.filter((u) => u.workloadId === w.workloadId).map((u) => u.amountMicros));
          const unapplied = sum(r.unappliedCredits.filter((u) => u.workloadId === w.workloadId).map((u) => u.amountMicros));
          expect(w.consumedMicros + w.overageMicros - unapplied).toBe(rows);
        }
        expect(sum(r.workloads.map((w) => w.consumedMicros))).toBe(sum(r.blocks.map((b) => b.consumedMicros)));
        expect(sum(r.workloads.map((w) => w.overageMicros))).toBe(sum(r.overage.map((o) => o.amountMicros)));
        // overage, per account and unit, never goes below zero at the end of a day
        const running = new Map<string, number>();
        r.overage.forEach((o, i) => {
          const k = `${o.accountId}|${o.unit}`;
          running.set(k, (running.get(k) ?? 0) + o.amountMicros);
          if (r.overage[i + 1]?.day !== o.day) for (const v of running.values()) expect(v).toBeGreaterThanOrEqual(0);
        });
      }),
      { numRuns: 400 },
    );
  });

  it('never draws from a later block while an earlier one (or its own allocation) had balance', () => {
    fc.assert(
      fc.property(inputArb({ negative: false }), (input) => {
        replayAndCheckOrder(input, runDrawdown(input));
      }),
      { numRuns: 400 },
    );
  });

  it('is deterministic: the same rows in any order give a deep-equal result', () => {
    fc.assert(
      fc.property(inputArb({ negative: true }), fc.array(fc.nat(), { minLength: 40, maxLength: 40 }), (input, keys) => {
        const shuffled = input.usage.map((u, i) => ({ u, k: keys[i] })).sort((a, b) => a.k - b.k).map((x) => x.u);
        const allocs = [...input.allocations].reverse();
        expect(runDrawdown({ ...input, usage: shuffled, allocations: allocs })).toEqual(runDrawdown(input));
      }),
      { numRuns: 300 },
    );
  });

  it('kernel equals runDrawdown on non-negative usage', () => {
    fc.assert(
      fc.property(inputArb({ negative: false, purchaseFrom: -15 }), fc.boolean(), (input, splitRows) => {
        checkKernelMatches(input, splitRows);
      }),
      { numRuns: 400 },
    );
  });
});

/**
 * Replays the draws in the order they happened and checks, at each one, that nothing the
 * workload should have used first still had balance; and that overage only happens once
 * everything the workload could use is empty.
 */
function replayAndCheckOrder(input: DrawdownInput, r: DrawdownResult): void {
  const blocks = input.blocks;
  const byId = new Map(blocks.map((b) => [b.id, b]));
  const remaining = new Map(blocks.map((b) => [b.id, b.amountMicros]));
  const alloc = new Map(r.allocations.map((a) => [`${a.blockId}:${a.workloadId}`, a.allocatedMicros]));
  const allocOf = (b: number, w: number | null) => (w === null ? 0 : (alloc.get(`${b}:${w}`) ?? 0));
  const allocSum = (b: number) => sum(r.allocations.filter((a) => a.blockId === b).map((a) => alloc.get(`${a.blockId}:${a.workloadId}`)!));
  const pool = (b: number) => remaining.get(b)! - allocSum(b);
  const usable = (b: DrawdownBlock, day: number) => dayNumber(b.purchasedOn) <= day && day < effectiveExpiryDay(b);
  const expireUpTo = (day: number) => {
    for (const b of blocks) {
      if (effectiveExpiryDay(b) > day) continue;
      remaining.set(b.id, 0);
      for (const a of r.allocations) if (a.blockId === b.id) alloc.set(`${a.blockId}:${a.workloadId}`, 0);
    }
  };
  const sameGroup = (a: DrawdownBlock, b: { accountId: number; unit: string }) => a.accountId === b.accountId && a.unit === b.unit;
  const days = [...new Set([...r.draws.map((d) => d.day), ...r.overage.map((o) => o.day)])].sort();
  for (const dayStr of days) {
    const day = dayNumber(dayStr);
    expireUpTo(day);
    for (const d of r.draws.filter((x) => x.day === dayStr)) {
      const B = byId.get(d.blockId)!;
      expect(usable(B, day)).toBe(true);
      for (const A of blocks) {
        if (A.id === B.id || !sameGroup(A, B) || !usable(A, day)) continue;
        const earlier = compareBlocks(A, B) < 0;
        if (d.source === 'allocation') {
          if (earlier) expect(allocOf(A.id, d.workloadId)).toBe(0);
        } else {
          expect(allocOf(A.id, d.workloadId)).toBe(0);
          if (earlier) expect(pool(A.id)).toBe(0);
        }
      }
      if (d.source === 'allocation') {
        expect(d.amountMicros).toBeLessThanOrEqual(allocOf(B.id, d.workloadId));
        alloc.set(`${B.id}:${d.workloadId}`, allocOf(B.id, d.workloadId) - d.amountMicros);
      } else {
        expect(allocOf(B.id, d.workloadId)).toBe(0);
        expect(d.amountMicros).toBeLessThanOrEqual(pool(B.id));
      }
      remaining.set(B.id, remaining.get(B.id)! - d.amountMicros);
    }
    for (const o of r.overage.filter((x) => x.day === dayStr)) {
      for (const A of blocks) {
        if (!sameGroup(A, o) || !usable(A, day)) continue;
        expect(pool(A.id) + allocOf(A.id, o.workloadId)).toBe(0);
      }
    }
  }
}

/** Runs the same input through both engines over a fixed window and compares everything. */
function checkKernelMatches(input: DrawdownInput, splitRows: boolean): void {
  const horizon = 45;
  const to = addDays(START, horizon);
  const keys = new Map<string, { accountId: number; unit: string; workloadId: number | null }>();
  for (const u of input.usage) keys.set(`${u.accountId}|${u.unit}|${u.workloadId}`, u);
  const workloads = [...keys.values()];
  const index = new Map([...keys.keys()].map((k, i) => [k, i]));
  const nW = workloads.length;
  const cost = new Float64Array(horizon * nW);
  for (const u of input.usage) cost[(dayNumber(u.day) - dayNumber(START)) * nW + index.get(`${u.accountId}|${u.unit}|${u.workloadId}`)!] += u.amountMicros;
  // runDrawdown sees either the raw rows or one row per day and workload: the result must not change
  const usage: DrawdownUsage[] = splitRows
    ? input.usage
    : workloads.flatMap((w, i) =>
        Array.from({ length: horizon }, (_, t) => ({ ...w, day: addDays(START, t), amountMicros: cost[t * nW + i] })).filter((u) => u.amountMicros > 0),
      );
  const r = runDrawdown({ ...input, usage, from: START, to });
  const c = compileDrawdown(
    input.blocks,
    input.allocations,
    workloads.map((w) => w.workloadId),
    workloads.map((w) => ({ accountId: w.accountId, unit: w.unit })),
    START,
    horizon,
  );
  const out = makeKernelOut(c, true);
  runKernel(c, cost, out);
  expect([...out.remaining]).toEqual(r.blocks.map((b) => b.remainingMicros));
  expect([...out.expired]).toEqual(r.blocks.map((b) => b.expiredMicros));
  expect([...out.depletionDay]).toEqual(r.blocks.map((b) => (b.depletedOn === null ? -1 : r.days.indexOf(b.depletedOn))));
  const overage = workloads.map((w) =>
    sum(r.overage.filter((o) => o.accountId === w.accountId && o.unit === w.unit && o.workloadId === w.workloadId).map((o) => o.amountMicros)),
  );
  expect([...out.overage]).toEqual(overage);
  input.blocks.forEach((b, i) => {
    expect(Array.from({ length: horizon }, (_, t) => out.balanceByDay![t * input.blocks.length + i])).toEqual(r.balances[b.id]);
  });
  // the same costs laid out workload by workload, as the simulation hands them over
  const byWorkload = new Float64Array(horizon * nW);
  for (let t = 0; t < horizon; t++) for (let w = 0; w < nW; w++) byWorkload[w * horizon + t] = cost[t * nW + w];
  const out2 = makeKernelOut(c, false);
  runKernel(c, byWorkload, out2, 'workload-major');
  expect([out2.remaining, out2.expired, out2.depletionDay, out2.overage]).toEqual([out.remaining, out.expired, out.depletionDay, out.overage]);
}
