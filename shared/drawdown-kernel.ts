/**
 * A fast drawdown kernel for Monte Carlo forecasts: the same rules as runDrawdown
 * (drawdown.ts) for non-negative usage, compiled once into typed arrays and then run for
 * many simulated paths without allocating. Money is float64 here: with whole micro-units
 * (below 2^53) every operation is exact, so on integer input the kernel equals runDrawdown.
 *
 * Kernel-specific decisions:
 * - Days are offsets from startDay, 0..horizonDays-1. A block that expired before startDay
 *   expires at the start of day 0 (its balance counts as expired), as runDrawdown would have.
 * - Negative or NaN daily cost counts as zero: the kernel never gives credit back.
 * - depletionDay is the first day a draw emptied the block during the horizon, -1 otherwise
 *   (also for a block that was already empty at startDay: read `remaining`).
 * - Workloads are processed in runDrawdown's order: account, unit, workload id (null first).
 * - With fractional costs, summing a lane's day before subtracting (see runKernel) may differ
 *   from one-by-one subtraction in the last bits; with whole micro-units both are exact.
 */
import {
  compareWorkloadIds,
  dayNumber,
  drawSteps,
  effectiveExpiryDay,
  groupBlocks,
  groupKey,
  normaliseAllocations,
  type DrawdownAllocation,
  type DrawdownBlock,
} from './drawdown';

/**
 * Compiled arrays; treat as opaque outside this file. A block's balance is split in "parts":
 * part b (< nBlocks) is block b's pool, part nBlocks + s is allocation slot s. One array for
 * both keeps the inner loop free of branches on the kind of part.
 */
interface KernelPlan {
  purchaseDay: Int32Array;
  /** effective expiry offset, clamped to >= 0; NEVER when the block does not expire in range */
  expiryDay: Int32Array;
  /** blocks expiring within the horizon, by expiry day */
  expiryOrder: Int32Array;
  /** starting value of every part */
  initPart: Float64Array;
  /** number of non-empty parts per block at the start: the block is dry when it reaches 0 */
  initLive: Int32Array;
  /** allocation parts of block b: nBlocks + slotStart[b] .. nBlocks + slotStart[b+1] - 1 */
  slotStart: Int32Array;
  partBlock: Int32Array;
  /**
   * Lanes: runs of workloads, consecutive in processing order, with the same draw steps (all
   * the workloads of an account+unit without an allocation, typically). Lane l's members are
   * laneMember[laneStart[l]..laneStart[l+1]-1]; its steps stepPart[laneStep[l]..laneStep[l+1]-1].
   */
  laneStart: Int32Array;
  laneMember: Int32Array;
  laneStep: Int32Array;
  stepPart: Int32Array;
  /** the step's block is usable on days stepFrom..stepTo-1 (copied here to save an indirection) */
  stepFrom: Int32Array;
  stepTo: Int32Array;
  // scratch, reused by every run
  part: Float64Array;
  live: Int32Array;
  /** per lane: steps before it are empty or expired for good */
  cursor: Int32Array;
  /**
   * per lane, the fast path's cache: until day laneUntil[l] (exclusive), the lane's first usable
   * step is laneAct[l] whenever its part holds anything (the steps before it are empty, expired,
   * or not bought before that day); laneAct[l] = -1: no step is usable until then (overage)
   */
  laneAct: Int32Array;
  laneUntil: Int32Array;
  /** scratch: the lanes drawing one part; per lane leading such a set, how far its part was read and what was left */
  laneShare: Int32Array;
  shareEnd: Int32Array;
  shareLeft: Float64Array;
  /** scratch: the cost row of each of those lanes */
  shareRow: Int32Array;
  /**
   * Components: an account+unit's lanes and blocks, which no other lane draws (so each runs its
   * days on its own). Component i: lanes compLane[2i]..compLane[2i+1]-1, blocks
   * compBlock[compBlockStart[i]..compBlockStart[i+1]-1], the expiring ones by expiry day
   * compExpiry[compExpiryStart[i]..compExpiryStart[i+1]-1].
   */
  compLane: Int32Array;
  compBlockStart: Int32Array;
  compBlock: Int32Array;
  compExpiryStart: Int32Array;
  compExpiry: Int32Array;
}

export interface CompiledDrawdown {
  readonly startDay: string;
  readonly horizonDays: number;
  readonly nBlocks: number;
  readonly nWorkloads: number;
  /** block ids by block index (the input order) */
  readonly blockIds: readonly number[];
  readonly workloadIds: readonly (number | null)[];
  /** @internal */
  readonly plan: KernelPlan;
}

export interface KernelOut {
  /** per block index: day offset when a draw emptied it, -1 if never within the horizon */
  depletionDay: Int32Array;
  expired: Float64Array;
  remaining: Float64Array;
  /** per workload index */
  overage: Float64Array;
  /** [day * nBlocks + b] end-of-day balance (0 before purchase), when requested */
  balanceByDay?: Float64Array;
}

const NEVER = 0x7fffffff;

export function compileDrawdown(
  blocks: DrawdownBlock[],
  allocations: DrawdownAllocation[],
  workloadIds: (number | null)[],
  workloadAccount: { accountId: number; unit: string }[],
  startDay: string,
  horizonDays: number,
  initialRemaining?: Map<number, number>,
  initialAllocationLeft?: Map<string, number>,
): CompiledDrawdown {
  if (workloadIds.length !== workloadAccount.length) throw new RangeError('workloadIds and workloadAccount must have the same length');
  if (!Number.isInteger(horizonDays) || horizonDays < 0) throw new RangeError(`horizonDays must be a whole number >= 0, got ${horizonDays}`);
  const start = dayNumber(startDay);
  const nB = blocks.length;
  const days = compileDays(blocks, start, horizonDays);
  const slots = compileSlots(blocks, allocations, initialRemaining, initialAllocationLeft);
  const lanes = compileLanes(blocks, workloadIds, workloadAccount, slots.partOf, days, horizonDays);
  const comps = compileComponents(blocks, workloadAccount, lanes, days.expiryOrder);
  return {
    startDay,
    horizonDays,
    nBlocks: nB,
    nWorkloads: workloadIds.length,
    blockIds: blocks.map((b) => b.id),
    workloadIds: [...workloadIds],
    plan: {
      ...days,
      ...slots.arrays,
      ...lanes,
      ...comps,
      part: new Float64Array(slots.arrays.initPart.length),
      live: new Int32Array(nB),
      cursor: new Int32Array(lanes.laneStart.length - 1),
      laneAct: new Int32Array(lanes.laneStart.length - 1),
      laneUntil: new Int32Array(lanes.laneStart.length - 1),
      laneShare: new Int32Array(lanes.laneStart.length - 1),
      shareEnd: new Int32Array(lanes.laneStart.length - 1),
      shareLeft: new Float64Array(lanes.laneStart.length - 1),
      shareRow: new Int32Array(lanes.laneStart.length - 1),
    },
  };
}

/** Purchase and expiry as day offsets; the expiry list lets the day loop expire in O(1). */
function compileDays(blocks: DrawdownBlock[], start: number, horizon: number) {
  const nB = blocks.length;
  const purchaseDay = new Int32Array(nB);
  const expiryDay = new Int32Array(nB);
  const expiring: number[] = [];
  blocks.forEach((b, i) => {
    purchaseDay[i] = clampOffset(dayNumber(b.purchasedOn) - start);
    const exp = effectiveExpiryDay(b) - start;
    expiryDay[i] = exp >= horizon ? NEVER : Math.max(0, exp);
    if (exp < horizon) expiring.push(i);
  });
  expiring.sort((a, b) => expiryDay[a] - expiryDay[b] || a - b);
  return { purchaseDay, expiryDay, expiryOrder: Int32Array.from(expiring) };
}

function clampOffset(n: number): number {
  return Math.max(-NEVER, Math.min(NEVER, n));
}

/**
 * Allocation slots grouped per block, with starting balances: the block's remaining at
 * startDay (default: its amount) and each allocation's unused share (default: its amount),
 * cut so allocations never exceed what the block still holds.
 */
function compileSlots(
  blocks: DrawdownBlock[],
  allocations: DrawdownAllocation[],
  initialRemaining?: Map<number, number>,
  initialAllocationLeft?: Map<string, number>,
) {
  const nB = blocks.length;
  const normalised = normaliseAllocations(blocks, allocations);
  const byBlock = new Map<number, typeof normalised>();
  for (const a of normalised) {
    const list = byBlock.get(a.blockId) ?? [];
    list.push(a);
    byBlock.set(a.blockId, list);
  }
  const slotStart = new Int32Array(nB + 1);
  const initLive = new Int32Array(nB);
  const pools: number[] = [];
  const slotValues: number[] = [];
  const slotBlock: number[] = [];
  const partOf = new Map<string, number>();
  blocks.forEach((b, i) => {
    slotStart[i] = slotValues.length;
    const rem = Math.max(0, initialRemaining?.get(b.id) ?? b.amountMicros);
    let room = rem;
    for (const a of byBlock.get(b.id) ?? []) {
      const want = Math.max(0, initialAllocationLeft?.get(`${b.id}:${a.workloadId}`) ?? a.amountMicros);
      const left = Math.min(want, room);
      room -= left;
      partOf.set(`${i}:${a.workloadId}`, nB + slotValues.length);
      slotValues.push(left);
      slotBlock.push(i);
      if (left > 0) initLive[i]++;
    }
    pools.push(room);
    if (room > 0) initLive[i]++;
  });
  slotStart[nB] = slotValues.length;
  const partBlock = Int32Array.from([...blocks.map((_, i) => i), ...slotBlock]);
  return { partOf, arrays: { slotStart, initLive, partBlock, initPart: Float64Array.from([...pools, ...slotValues]) } };
}

/**
 * Each workload's draw steps (allocations first, then pools, in drawdown order), grouped in
 * lanes of consecutive workloads (processing order) with identical steps. Blocks never usable
 * within the horizon are left out so the hot loop never sees them.
 */
function compileLanes(
  blocks: DrawdownBlock[],
  workloadIds: (number | null)[],
  workloadAccount: { accountId: number; unit: string }[],
  partOf: Map<string, number>,
  days: { purchaseDay: Int32Array; expiryDay: Int32Array },
  horizon: number,
) {
  const groups = groupBlocks(blocks);
  const stepsOf = (wi: number): { part: number; block: number }[] => {
    const w = workloadIds[wi];
    const acct = workloadAccount[wi];
    const ordered = (groups.get(groupKey(acct.accountId, acct.unit)) ?? []).filter(
      (b) => days.expiryDay[b] > 0 && days.purchaseDay[b] < horizon && days.purchaseDay[b] < days.expiryDay[b],
    );
    return drawSteps(ordered, (b) => w !== null && partOf.has(`${b}:${w}`)).map((st) => ({
      part: st.fromAllocation ? partOf.get(`${st.block}:${w}`)! : st.block,
      block: st.block,
    }));
  };
  const laneStart: number[] = [];
  const laneStep: number[] = [];
  const steps: { part: number; block: number }[] = [];
  let lastKey: string | null = null;
  const members = processingOrder(workloadIds, workloadAccount);
  members.forEach((wi, m) => {
    const own = stepsOf(wi);
    const key = own.map((x) => x.part).join(',');
    if (key === lastKey) return;
    lastKey = key;
    laneStart.push(m);
    laneStep.push(steps.length);
    steps.push(...own);
  });
  laneStart.push(members.length);
  laneStep.push(steps.length);
  return {
    laneStart: Int32Array.from(laneStart),
    laneMember: members,
    laneStep: Int32Array.from(laneStep),
    stepPart: Int32Array.from(steps, (x) => x.part),
    stepFrom: Int32Array.from(steps, (x) => days.purchaseDay[x.block]),
    stepTo: Int32Array.from(steps, (x) => days.expiryDay[x.block]),
  };
}

/** Lanes and blocks per account+unit (see KernelPlan's components). */
function compileComponents(
  blocks: DrawdownBlock[],
  workloadAccount: { accountId: number; unit: string }[],
  lanes: { laneStart: Int32Array; laneMember: Int32Array },
  expiryOrder: Int32Array,
) {
  const index = new Map<string, number>();
  const lane: number[] = [];
  const comp = (key: string) => {
    let i = index.get(key);
    if (i === undefined) {
      i = index.size;
      index.set(key, i);
      lane.push(0, 0);
    }
    return i;
  };
  const nL = lanes.laneStart.length - 1;
  for (let l = 0; l < nL; l++) {
    const a = workloadAccount[lanes.laneMember[lanes.laneStart[l]]];
    const i = comp(groupKey(a.accountId, a.unit));
    // processing order keeps an account+unit's lanes together
    if (lane[2 * i + 1] === 0) lane[2 * i] = l;
    lane[2 * i + 1] = l + 1;
  }
  const blockComp = blocks.map((b) => comp(groupKey(b.accountId, b.unit)));
  const n = index.size;
  const byComp = (list: ArrayLike<number>) => {
    const start = new Int32Array(n + 1);
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      start[i] = out.length;
      for (let j = 0; j < list.length; j++) if (blockComp[list[j]] === i) out.push(list[j]);
    }
    start[n] = out.length;
    return { start, list: Int32Array.from(out) };
  };
  const all = byComp(blocks.map((_, b) => b));
  const expiring = byComp(expiryOrder);
  return { compLane: Int32Array.from(lane), compBlockStart: all.start, compBlock: all.list, compExpiryStart: expiring.start, compExpiry: expiring.list };
}

/** runDrawdown's processing order, so pools shared within a day are split the same way. */
function processingOrder(workloadIds: (number | null)[], workloadAccount: { accountId: number; unit: string }[]): Int32Array {
  const idx = workloadIds.map((_, i) => i);
  idx.sort((a, b) => {
    const x = workloadAccount[a];
    const y = workloadAccount[b];
    if (x.accountId !== y.accountId) return x.accountId - y.accountId;
    if (x.unit !== y.unit) return x.unit < y.unit ? -1 : 1;
    return compareWorkloadIds(workloadIds[a], workloadIds[b]) || a - b;
  });
  return Int32Array.from(idx);
}

export function makeKernelOut(c: CompiledDrawdown, withBalances: boolean): KernelOut {
  const out: KernelOut = {
    depletionDay: new Int32Array(c.nBlocks),
    expired: new Float64Array(c.nBlocks),
    remaining: new Float64Array(c.nBlocks),
    overage: new Float64Array(c.nWorkloads),
    // always the same object shape, so runKernel stays monomorphic (V8 de-optimised it otherwise)
    balanceByDay: withBalances ? new Float64Array(c.horizonDays * c.nBlocks) : undefined,
  };
  return out;
}

/** Restores the starting state into `out` and the scratch arrays; loops only, no allocation. */
function resetRun(p: KernelPlan, out: KernelOut): void {
  out.expired.fill(0);
  out.overage.fill(0);
  out.depletionDay.fill(-1);
  p.part.set(p.initPart);
  p.live.set(p.initLive);
  for (let l = 0; l < p.cursor.length; l++) p.cursor[l] = p.laneStep[l];
  p.laneUntil.fill(-1);
}

/** A block's balance is the sum of its parts (pool and allocation slots). */
function blockBalance(p: KernelPlan, nB: number, b: number): number {
  let sum = p.part[b];
  for (let k = nB + p.slotStart[b]; k < nB + p.slotStart[b + 1]; k++) sum += p.part[k];
  return sum;
}

/** Start of day t: whatever is left of a block on its expiry day is waste. Expires order[ep..] up to day t; returns the next pointer. */
function expireBlocks(p: KernelPlan, nB: number, t: number, order: Int32Array, ep: number, epEnd: number, expired: Float64Array): number {
  const { expiryDay, slotStart, part, live } = p;
  while (ep < epEnd && expiryDay[order[ep]] <= t) {
    const b = order[ep++];
    expired[b] += blockBalance(p, nB, b);
    part[b] = 0;
    for (let k = nB + slotStart[b]; k < nB + slotStart[b + 1]; k++) part[k] = 0;
    live[b] = 0;
  }
  return ep;
}

/**
 * Serves `need` from steps e..end-1 in order; returns what no step could cover (overage).
 * A part drawn to empty is set to exactly zero, so "the block ran dry" is exact.
 */
function drain(p: KernelPlan, e: number, end: number, need: number, t: number, depletionDay: Int32Array): number {
  const { stepPart, stepFrom, stepTo, part, partBlock, live } = p;
  for (; e < end; e++) {
    const k = stepPart[e];
    const avail = part[k];
    if (avail <= 0 || stepFrom[e] > t || stepTo[e] <= t) continue;
    if (need < avail) {
      part[k] = avail - need;
      return 0;
    }
    part[k] = 0;
    need -= avail;
    const b = partBlock[k];
    if (--live[b] === 0 && depletionDay[b] < 0) depletionDay[b] = t;
    if (need <= 0) return 0;
  }
  return need;
}

/** How runKernel's dailyCost is laid out: [day * nWorkloads + w], or [w * horizonDays + day]. */
export type CostLayout = 'day-major' | 'workload-major';

/**
 * Runs one path. dailyCost holds horizonDays days of every workload's cost (see CostLayout).
 * Resets `out` first, allocates nothing, and mutates only `out` and the compiled scratch arrays
 * (so one CompiledDrawdown must not run two paths at the same time). The hot loop touches only
 * the parts; block balances are summed when needed (expiry, balanceByDay, the end).
 *
 * Speed: drawing workload after workload from the same balance is a serial chain through
 * memory. A lane's day is summed and taken at once from its first usable part when it fits
 * there, which is what drawing its members one by one gives; which part that is stays cached
 * per lane until a day on which it can change (an expiry, a purchase; a part drawn to zero
 * fails the fit). Otherwise (a part runs out, or nothing is left) each member is drawn in turn.
 */
export function runKernel(c: CompiledDrawdown, dailyCost: Float64Array, out: KernelOut, layout: CostLayout = 'day-major'): void {
  const p = c.plan;
  const nB = c.nBlocks;
  const nW = c.nWorkloads;
  const H = c.horizonDays;
  if (dailyCost.length < H * nW) throw new RangeError(`dailyCost needs ${H * nW} values, got ${dailyCost.length}`);
  resetRun(p, out);
  const ws = layout === 'day-major' ? 1 : H;
  const ts = layout === 'day-major' ? nW : 1;
  for (let i = 0; i < p.compBlockStart.length - 1; i++) runComponent(p, i, nB, H, dailyCost, ws, ts, out);
  remainingAtEnd(p, nB, out.remaining);
}

/** Every day of component i (an account+unit's lanes and blocks). */
function runComponent(p: KernelPlan, i: number, nB: number, H: number, dailyCost: Float64Array, ws: number, ts: number, out: KernelOut): void {
  const { purchaseDay, expiryDay, compLane, compBlock, compExpiry } = p;
  const l0 = compLane[2 * i];
  const l1 = compLane[2 * i + 1];
  const b0 = p.compBlockStart[i];
  const b1 = p.compBlockStart[i + 1];
  let ep = p.compExpiryStart[i];
  const epEnd = p.compExpiryStart[i + 1];
  const bal = out.balanceByDay;
  let nextExpiry = ep < epEnd ? expiryDay[compExpiry[ep]] : NEVER;
  let t = 0;
  while (t < H) {
    if (t >= nextExpiry) {
      ep = expireBlocks(p, nB, t, compExpiry, ep, epEnd, out.expired);
      nextExpiry = ep < epEnd ? expiryDay[compExpiry[ep]] : NEVER;
    }
    runDay(p, l0, l1, t, dailyCost, ws, t * ts, out);
    if (bal !== undefined) {
      for (let j = b0; j < b1; j++) {
        const b = compBlock[j];
        bal[t * nB + b] = purchaseDay[b] > t ? 0 : blockBalance(p, nB, b);
      }
    }
    t++;
    // without daily balances to record, the days up to the next expiry, purchase or run-out go in bulk
    if (bal === undefined && t < H) {
      const end = Math.min(H, nextExpiry, refreshLaneCache(p, l0, l1, t));
      if (end - t > 1) t = runStretch(p, l0, l1, t, end, dailyCost, ws, ts, out.overage);
    }
  }
}

/** One day of every lane, lane by lane (see runKernel). */
function runDay(p: KernelPlan, l0: number, l1: number, t: number, dailyCost: Float64Array, ws: number, day: number, out: KernelOut): void {
  const { laneStart, laneMember, laneAct, laneUntil, stepPart, part } = p;
  const overage = out.overage;
  for (let l = l0; l < l1; l++) {
    const m0 = laneStart[l];
    const m1 = laneStart[l + 1];
    let total = 0;
    for (let m = m0; m < m1; m++) {
      const x = dailyCost[laneMember[m] * ws + day];
      if (x > 0) total += x;
    }
    if (total === 0) continue;
    if (t < laneUntil[l]) {
      const e = laneAct[l];
      if (e < 0) {
        // no usable step today: all of it is overage
        for (let m = m0; m < m1; m++) {
          const x = dailyCost[laneMember[m] * ws + day];
          if (x > 0) overage[laneMember[m]] += x;
        }
        continue;
      }
      const k = stepPart[e];
      const avail = part[k];
      if (total < avail) {
        part[k] = avail - total;
        continue;
      }
    }
    drawLane(p, l, t, dailyCost, ws, day, out);
  }
}

/**
 * Lane l's day t the long way: each member drawn in turn from the first usable step on, what no
 * step covers booked as overage; then the lane's cache (laneAct, laneUntil) for the days after.
 */
function drawLane(p: KernelPlan, l: number, t: number, dailyCost: Float64Array, ws: number, day: number, out: KernelOut): void {
  const { laneStart, laneMember, laneStep, stepPart, stepTo, part, cursor } = p;
  const end = laneStep[l + 1];
  // steps that are empty or expired never give again (no refunds here): skip them for good
  let e = cursor[l];
  while (e < end && (part[stepPart[e]] <= 0 || stepTo[e] <= t)) e++;
  cursor[l] = e;
  for (let m = laneStart[l]; m < laneStart[l + 1]; m++) {
    const w = laneMember[m];
    const need = dailyCost[w * ws + day];
    if (!(need > 0)) continue;
    const unmet = e < end ? drain(p, e, end, need, t, out.depletionDay) : need;
    if (unmet > 0) out.overage[w] += unmet;
  }
  cacheLane(p, l, t + 1);
}

/** Lane l's cache from day `next` on: its first step usable then, valid until that step expires or an earlier one is bought. */
function cacheLane(p: KernelPlan, l: number, next: number): void {
  const { laneStep, stepPart, stepFrom, stepTo, part, cursor } = p;
  let until = NEVER;
  let act = -1;
  for (let f = cursor[l]; f < laneStep[l + 1]; f++) {
    if (part[stepPart[f]] <= 0 || stepTo[f] <= next) continue;
    if (stepFrom[f] > next) {
      until = Math.min(until, stepFrom[f]);
      continue;
    }
    act = f;
    until = Math.min(until, stepTo[f]);
    break;
  }
  p.laneAct[l] = act;
  p.laneUntil[l] = until;
}

/** Brings every lane's cache up to day t (lanes with nothing to draw lately have none); returns the first day one runs out. */
function refreshLaneCache(p: KernelPlan, l0: number, l1: number, t: number): number {
  const until = p.laneUntil;
  let first = NEVER;
  for (let l = l0; l < l1; l++) {
    if (until[l] <= t) cacheLane(p, l, t);
    first = Math.min(first, until[l]);
  }
  return first;
}

/**
 * Days t0..end-1, over which no lane's cache runs out and nothing expires, in bulk: each part is
 * drawn by the lanes whose first usable step it is, in lane order, for as long as every lane's
 * day fits in what the part still holds (exactly what runDay does day by day). Returns the first
 * day on which one does not fit (or `end`): that day goes through runDay. Two passes: find that
 * day (reading only), then take the days before it.
 */
function runStretch(p: KernelPlan, l0: number, l1: number, t0: number, end: number, dailyCost: Float64Array, ws: number, ts: number, overage: Float64Array): number {
  const { laneStart, laneMember, laneAct, laneShare, shareEnd, shareLeft, stepPart, part } = p;
  let stop = end;
  for (let l = l0; l < l1 && stop > t0; l++) {
    shareEnd[l] = -1;
    const n = partSharers(p, l0, l1, l, laneShare);
    if (n > 0) stop = shareEnd[l] = drawPart(p, laneShare, n, t0, stop, dailyCost, ws, ts);
  }
  if (stop === t0) return t0;
  for (let l = l0; l < l1; l++) {
    if (laneAct[l] < 0) {
      for (let m = laneStart[l]; m < laneStart[l + 1]; m++) {
        const w = laneMember[m];
        let sum = 0;
        for (let d = t0; d < stop; d++) {
          const x = dailyCost[w * ws + d * ts];
          if (x > 0) sum += x;
        }
        overage[w] += sum;
      }
      continue;
    }
    const n = partSharers(p, l0, l1, l, laneShare);
    if (n === 0) continue;
    // a part read past the stop (a later part stopped sooner) is read again up to it
    if (shareEnd[l] !== stop) drawPart(p, laneShare, n, t0, stop, dailyCost, ws, ts);
    part[stepPart[laneAct[l]]] = shareLeft[l];
  }
  return stop;
}

/**
 * The lanes drawing the part of lane l's first usable step, in lane order, into `into`; 0 when
 * lane l has none or an earlier lane draws the same part (it was taken with that lane).
 */
function partSharers(p: KernelPlan, l0: number, l1: number, l: number, into: Int32Array): number {
  const { laneAct, stepPart } = p;
  if (laneAct[l] < 0) return 0;
  const k = stepPart[laneAct[l]];
  for (let j = l0; j < l; j++) if (laneAct[j] >= 0 && stepPart[laneAct[j]] === k) return 0;
  let n = 0;
  for (let j = l; j < l1; j++) if (laneAct[j] >= 0 && stepPart[laneAct[j]] === k) into[n++] = j;
  return n;
}

/** Every lane of lanes[0..n) has one workload. */
function allAlone(laneStart: Int32Array, lanes: Int32Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (laneStart[lanes[i] + 1] - laneStart[lanes[i]] !== 1) return false;
  return true;
}

/**
 * Reads one part's draws by the lanes lanes[0..n) over days t0..stop-1 while each lane's day
 * fits; returns the first day one does not (or stop), what the part then holds in
 * shareLeft[lanes[0]].
 */
function drawPart(p: KernelPlan, lanes: Int32Array, n: number, t0: number, stop: number, dailyCost: Float64Array, ws: number, ts: number): number {
  const { laneStart, laneMember, laneAct, stepPart, part } = p;
  const lead = lanes[0];
  let rem = part[stepPart[laneAct[lead]]];
  let d = t0;
  const leadAlone = laneStart[lead + 1] - laneStart[lead] === 1;
  if (n === 1 && leadAlone) {
    // one lane of one workload, the usual case: a run down one row of costs
    const row = laneMember[laneStart[lead]] * ws;
    for (; d < stop; d++) {
      const x = dailyCost[row + d * ts];
      if (!(x > 0)) continue;
      if (!(x < rem)) break;
      rem -= x;
    }
  } else if (allAlone(laneStart, lanes, n)) {
    // several lanes of one workload each (workloads with allocations of their own drawing the
    // pool after them, and the pool's lane): their rows of costs, read in lane order each day
    const rows = p.shareRow;
    for (let i = 0; i < n; i++) rows[i] = laneMember[laneStart[lanes[i]]] * ws;
    days: for (; d < stop; d++) {
      let left = rem;
      for (let i = 0; i < n; i++) {
        const x = dailyCost[rows[i] + d * ts];
        if (!(x > 0)) continue;
        if (!(x < left)) break days;
        left -= x;
      }
      rem = left;
    }
  } else {
    days: for (; d < stop; d++) {
      let left = rem;
      for (let i = 0; i < n; i++) {
        let total = 0;
        for (let m = laneStart[lanes[i]]; m < laneStart[lanes[i] + 1]; m++) {
          const x = dailyCost[laneMember[m] * ws + d * ts];
          if (x > 0) total += x;
        }
        if (total === 0) continue;
        if (!(total < left)) break days;
        left -= total;
      }
      rem = left;
    }
  }
  p.shareLeft[lead] = rem;
  return d;
}

/**
 * Every block's balance after the last day. A function of its own: as the tail of runKernel's
 * compilation (made on-stack, inside the day loop, before the tail ever ran) it lacked type
 * feedback and deoptimised runKernel again and again.
 */
function remainingAtEnd(p: KernelPlan, nB: number, remaining: Float64Array): void {
  for (let b = 0; b < nB; b++) remaining[b] = blockBalance(p, nB, b);
}
