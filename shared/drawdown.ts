/**
 * The drawdown engine: applies usage cost day by day to credit blocks and keeps a ledger per
 * block, per allocation and per workload. Pure (no node:, no DOM), integer micro-units only,
 * and deterministic: the same rows in any order give a deep-equal result.
 *
 * Semantics (the kernel in drawdown-kernel.ts, the thresholds and the UI all rely on these):
 *
 * - Draw order for a workload on a day, among the blocks of the row's account and unit that
 *   are usable that day (purchasedOn <= day < expiresOn):
 *     1. its own allocations (earmarked shares), blocks in the order below;
 *     2. then the pooled remainder of every block, in the order below:
 *        priority (lower first), soonest expiry (none last), promotional before purchased,
 *        oldest purchase, lowest id.
 *   Other workloads only ever see a block's pool (remaining minus all unused allocations).
 * - Within a day: expiry first (a block expiring on day D is unusable on D and its remaining
 *   balance, allocated or not, becomes waste on D), then positive usage, then negative usage.
 *   Rows are summed per (day, account, unit, workload) and processed in the order account,
 *   unit, workload id (unattributed = null first), so row order never matters.
 * - Usage beyond all usable credit is overage, booked per day, account, unit and workload.
 * - Negative usage (credit, refund, correction) of workload W: first cancels the account+unit's
 *   overage, W's own most recent first, then anyone's most recent first; then reverses draws
 *   of that account+unit the same way (W's own first, most recent first), never into a block
 *   that has expired by that day; restoring a draw that came from an allocation restores the
 *   allocation. Anything left is unapplied credit. Every reversal is booked to W, so for each
 *   workload: consumed + overage + unapplied credit = the net sum of its usage rows.
 * - A block is depletedOn the day a draw brought its remaining to zero; a refund that gives
 *   balance back clears it. Expiry is not depletion.
 * - Allocations larger than what is left of the block are cut, lowest workload id served first;
 *   duplicate (block, workload) pairs are summed; negative amounts count as zero.
 * - `from` only trims the reported days: the engine always simulates from the earliest purchase
 *   or usage so balances at `from` are right. Usage on or after `to` is ignored (and counted
 *   in `ignoredUsage`): `to` is an as-of cut.
 */
import { dayMs, isoDay } from './dates';

const DAY_MS = 86_400_000;
/** A default range never runs more than this past the last purchase or usage. */
export const DEFAULT_TAIL_CAP_DAYS = 366;
/** A guard against a mistyped range (e.g. year 9999) turning into millions of simulated days. */
export const MAX_SIMULATED_DAYS = 20 * 366;

export type DrawdownBlockKind = 'purchased' | 'promotional';

export interface DrawdownBlock {
  id: number;
  accountId: number;
  unit: string;
  kind: DrawdownBlockKind;
  amountMicros: number;
  purchasedOn: string;
  expiresOn: string | null;
  priority: number;
}

/** The caller turns a percent allocation into an amount. */
export interface DrawdownAllocation {
  blockId: number;
  workloadId: number;
  amountMicros: number;
}

/** May be unsorted; several per day; negative for credits, refunds and corrections. */
export interface DrawdownUsage {
  day: string;
  accountId: number;
  unit: string;
  workloadId: number | null;
  amountMicros: number;
}

export interface DrawdownInput {
  blocks: DrawdownBlock[];
  allocations: DrawdownAllocation[];
  usage: DrawdownUsage[];
  from?: string;
  /** exclusive; default: the day after the last usage or the last expiry, whichever is later,
   * but at most DEFAULT_TAIL_CAP_DAYS after the last purchase or usage */
  to?: string;
}

export interface BlockLedger {
  blockId: number;
  purchasedMicros: number;
  consumedMicros: number;
  remainingMicros: number;
  expiredMicros: number;
  depletedOn: string | null;
  expiredOn: string | null;
}

export interface WorkloadLedger {
  workloadId: number | null;
  consumedMicros: number;
  overageMicros: number;
  allocatedMicros: number;
  allocationLeftMicros: number;
}

/** Which part of a block an amount came from (or, for a negative draw, went back to). */
export type DrawSource = 'allocation' | 'pool';

export interface Draw {
  day: string;
  blockId: number;
  workloadId: number | null;
  /** negative when a credit gave balance back */
  amountMicros: number;
  source: DrawSource;
}

export interface OverageEntry {
  accountId: number;
  unit: string;
  day: string;
  /** net change that day: positive for new overage, negative when a credit cancelled some */
  amountMicros: number;
  workloadId: number | null;
}

export interface AllocationLedger {
  blockId: number;
  workloadId: number;
  /** what the caller asked for (duplicates summed) */
  requestedMicros: number;
  /** what the block could hold after allocations of lower workload ids */
  allocatedMicros: number;
  /** unused at the end; zero once the block expired */
  leftMicros: number;
}

export interface UnappliedCredit {
  day: string;
  accountId: number;
  unit: string;
  workloadId: number | null;
  amountMicros: number;
}

export interface DrawdownResult {
  /** every day from..to-1 */
  days: string[];
  /** one per input block, same order */
  blocks: BlockLedger[];
  /** blockId -> end-of-day remaining per day in `days`: 0 before purchase and after expiry */
  balances: Record<number, number[]>;
  /** sorted by workload id, unattributed (null) first */
  workloads: WorkloadLedger[];
  overage: OverageEntry[];
  /** in the order they happened */
  draws: Draw[];
  unappliedCreditMicros: number;
  unappliedCredits: UnappliedCredit[];
  allocations: AllocationLedger[];
  /** `${blockId}:${workloadId}` -> end-of-day unused allocation per day in `days` */
  allocationLeft: Record<string, number[]>;
  ignoredUsage: { rows: number; amountMicros: number };
}

// ---------------------------------------------------------------------------------------------
// Shared helpers (the kernel uses the same order and allocation rules, so they live here)

/** Day number since the epoch; integers make day arithmetic cheap and exact. */
export function dayNumber(day: string): number {
  let n = DAY_NUMBERS.get(day);
  if (n === undefined) {
    n = Math.round(dayMs(day) / DAY_MS);
    remember(DAY_NUMBERS, day, n);
  }
  return n;
}

export function dayString(n: number): string {
  let s = DAY_STRINGS.get(n);
  if (s === undefined) {
    s = isoDay(n * DAY_MS);
    remember(DAY_STRINGS, n, s);
  }
  return s;
}

/**
 * A ledger turns the same few hundred days between text and numbers hundreds of thousands of
 * times (every usage group and every draw); parsing and formatting dates was a fifth of a
 * 5-million-row dashboard. Both caches are bounded: cleared when they reach DAY_CACHE_MAX.
 */
const DAY_CACHE_MAX = 100_000;
const DAY_NUMBERS = new Map<string, number>();
const DAY_STRINGS = new Map<number, string>();
function remember<K, V>(cache: Map<K, V>, k: K, v: V): void {
  if (cache.size >= DAY_CACHE_MAX) cache.clear();
  cache.set(k, v);
}

/** The glossary's drawdown order: priority, soonest expiry (none last), promotional, oldest, id. */
export function compareBlocks(a: DrawdownBlock, b: DrawdownBlock): number {
  if (a.priority !== b.priority) return a.priority < b.priority ? -1 : 1;
  if (a.expiresOn !== b.expiresOn) {
    if (a.expiresOn === null) return 1;
    if (b.expiresOn === null) return -1;
    return a.expiresOn < b.expiresOn ? -1 : 1;
  }
  if (a.kind !== b.kind) return a.kind === 'promotional' ? -1 : 1;
  if (a.purchasedOn !== b.purchasedOn) return a.purchasedOn < b.purchasedOn ? -1 : 1;
  return a.id - b.id;
}

/** A block expiring on or before its purchase day is never usable: it expires when bought. */
export function effectiveExpiryDay(block: DrawdownBlock): number {
  if (block.expiresOn === null) return Number.POSITIVE_INFINITY;
  return Math.max(dayNumber(block.expiresOn), dayNumber(block.purchasedOn));
}

export function groupKey(accountId: number, unit: string): string {
  return `${accountId}\u0001${unit}`;
}

export interface NormalisedAllocation {
  blockId: number;
  workloadId: number;
  requestedMicros: number;
  amountMicros: number;
}

/**
 * Merges duplicate (block, workload) pairs, drops allocations on unknown blocks and cuts
 * over-allocation so the allocations of a block never exceed its amount (lowest workload id
 * served first: a stable rule the UI can explain). Sorted by block id, then workload id.
 */
export function normaliseAllocations(blocks: DrawdownBlock[], allocations: DrawdownAllocation[]): NormalisedAllocation[] {
  const amountOf = new Map(blocks.map((b) => [b.id, b.amountMicros]));
  const merged = new Map<string, NormalisedAllocation>();
  for (const a of allocations) {
    assertMicros(a.amountMicros, `allocation of block ${a.blockId}`);
    if (!amountOf.has(a.blockId)) continue;
    const key = `${a.blockId}:${a.workloadId}`;
    const prev = merged.get(key);
    const add = Math.max(0, a.amountMicros);
    if (prev) prev.requestedMicros += add;
    else merged.set(key, { blockId: a.blockId, workloadId: a.workloadId, requestedMicros: add, amountMicros: 0 });
  }
  const list = [...merged.values()].sort((x, y) => x.blockId - y.blockId || x.workloadId - y.workloadId);
  const used = new Map<number, number>();
  for (const a of list) {
    const room = (amountOf.get(a.blockId) ?? 0) - (used.get(a.blockId) ?? 0);
    a.amountMicros = Math.min(a.requestedMicros, Math.max(0, room));
    used.set(a.blockId, (used.get(a.blockId) ?? 0) + a.amountMicros);
  }
  return list;
}

export interface DrawStep {
  /** index into the blocks array */
  block: number;
  fromAllocation: boolean;
}

/**
 * A workload's draw order within one account+unit: its allocations first, then every pool.
 * `ordered` holds the group's block indexes already sorted with compareBlocks.
 */
export function drawSteps(ordered: readonly number[], hasAllocation: (blockIndex: number) => boolean): DrawStep[] {
  const steps: DrawStep[] = [];
  for (const b of ordered) if (hasAllocation(b)) steps.push({ block: b, fromAllocation: true });
  for (const b of ordered) steps.push({ block: b, fromAllocation: false });
  return steps;
}

/** Block indexes per account+unit, each list in drawdown order. */
export function groupBlocks(blocks: DrawdownBlock[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  blocks.forEach((b, i) => {
    const key = groupKey(b.accountId, b.unit);
    const list = groups.get(key);
    if (list) list.push(i);
    else groups.set(key, [i]);
  });
  for (const list of groups.values()) list.sort((x, y) => compareBlocks(blocks[x], blocks[y]));
  return groups;
}

export function assertMicros(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what}: amounts must be whole micro-units, got ${n}`);
}

/** Null (unattributed) first, then ascending ids: the processing order within an account+unit. */
export function compareWorkloadIds(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a - b;
}

function validateBlocks(blocks: DrawdownBlock[]): void {
  const seen = new Set<number>();
  for (const b of blocks) {
    if (seen.has(b.id)) throw new RangeError(`block ${b.id} appears twice`);
    seen.add(b.id);
    assertMicros(b.amountMicros, `block ${b.id}`);
    if (b.amountMicros < 0) throw new RangeError(`block ${b.id}: a block amount cannot be negative`);
    dayNumber(b.purchasedOn);
    if (b.expiresOn !== null) dayNumber(b.expiresOn);
  }
}

// ---------------------------------------------------------------------------------------------
// Range

interface Range {
  simStart: number;
  from: number;
  to: number;
}

/** Works out the simulated and reported day range; null when there is nothing to show. */
function resolveRange(input: DrawdownInput): Range | null {
  const usageDays = input.usage.map((u) => dayNumber(u.day));
  const purchases = input.blocks.map((b) => dayNumber(b.purchasedOn));
  const firstEvent = minOf([...usageDays, ...purchases]);
  const from = input.from !== undefined ? dayNumber(input.from) : firstEvent;
  if (from === null) return null;
  let to = input.to !== undefined ? dayNumber(input.to) : defaultTo(input.blocks, usageDays, purchases);
  if (to === null || to < from) to = from;
  const simStart = Math.min(from, firstEvent ?? from);
  if (to - simStart > MAX_SIMULATED_DAYS) {
    throw new RangeError(`the drawdown range ${dayString(simStart)}..${dayString(to)} is longer than ${MAX_SIMULATED_DAYS} days; pass a shorter from/to`);
  }
  return { simStart, from, to };
}

/** The day after the last usage or the last expiry, whichever is later, capped past the last event. */
function defaultTo(blocks: DrawdownBlock[], usageDays: number[], purchases: number[]): number | null {
  const lastUsage = maxOf(usageDays);
  const anchor = maxOf([...usageDays, ...purchases]);
  if (anchor === null) return null;
  const expiries = blocks.map(effectiveExpiryDay).filter((d) => Number.isFinite(d));
  const lastExpiry = maxOf(expiries);
  const end = Math.max(lastUsage === null ? anchor + 1 : lastUsage + 1, lastExpiry === null ? 0 : lastExpiry + 1);
  return Math.min(end, anchor + 1 + DEFAULT_TAIL_CAP_DAYS);
}

function minOf(xs: number[]): number | null {
  let m: number | null = null;
  for (const x of xs) if (m === null || x < m) m = x;
  return m;
}

function maxOf(xs: number[]): number | null {
  let m: number | null = null;
  for (const x of xs) if (m === null || x > m) m = x;
  return m;
}

// ---------------------------------------------------------------------------------------------
// Usage, summed per day and key

interface DayUsage {
  accountId: number;
  unit: string;
  workloadId: number | null;
  /** sum of the positive rows */
  cost: number;
  /** sum of the negative rows, as a positive number */
  credit: number;
}

/** Sums rows per (day, account, unit, workload) in a canonical order, so row order never matters. */
function aggregateUsage(usage: DrawdownUsage[], to: number, ignored: { rows: number; amountMicros: number }): Map<number, DayUsage[]> {
  return aggregateSorted(usage, to, ignored) ?? aggregateAny(usage, to, ignored);
}

/** The row's day number, or null when it falls at or after `to` (then counted as ignored). */
function dayBefore(u: DrawdownUsage, to: number, ignored: { rows: number; amountMicros: number }): number | null {
  assertMicros(u.amountMicros, `usage on ${u.day}`);
  const day = dayNumber(u.day);
  if (day < to) return day;
  ignored.rows += 1;
  ignored.amountMicros += u.amountMicros;
  return null;
}

function add(agg: DayUsage, micros: number): void {
  if (micros >= 0) agg.cost += micros;
  else agg.credit -= micros;
}

/**
 * The common case in one pass without keys: usage already in canonical order (the ledger's SQL
 * reads usage_daily in its primary-key order). Equal neighbours are summed. Returns null as soon
 * as a row is out of order, and the caller starts over with aggregateAny; both give the same map.
 */
function aggregateSorted(usage: DrawdownUsage[], to: number, ignored: { rows: number; amountMicros: number }): Map<number, DayUsage[]> | null {
  const byDay = new Map<number, DayUsage[]>();
  const skipped = { rows: 0, amountMicros: 0 };
  let prev: (DayUsage & { day: number }) | null = null;
  let list: DayUsage[] = [];
  for (const u of usage) {
    const day = dayBefore(u, to, skipped);
    if (day === null) continue;
    const next = { day, accountId: u.accountId, unit: u.unit, workloadId: u.workloadId, cost: 0, credit: 0 };
    const order = prev === null ? 1 : day !== prev.day ? day - prev.day : compareDayUsage(next, prev);
    if (order < 0) return null;
    if (order === 0) {
      add(prev!, u.amountMicros);
      continue;
    }
    if (prev === null || day !== prev.day) byDay.set(day, (list = []));
    add(next, u.amountMicros);
    list.push(next);
    prev = next;
  }
  ignored.rows += skipped.rows;
  ignored.amountMicros += skipped.amountMicros;
  return byDay;
}

function aggregateAny(usage: DrawdownUsage[], to: number, ignored: { rows: number; amountMicros: number }): Map<number, DayUsage[]> {
  const byKey = new Map<string, DayUsage & { day: number }>();
  for (const u of usage) {
    const day = dayBefore(u, to, ignored);
    if (day === null) continue;
    const key = `${day}\u0001${u.accountId}\u0001${u.unit}\u0001${u.workloadId}`;
    let agg = byKey.get(key);
    if (!agg) {
      agg = { day, accountId: u.accountId, unit: u.unit, workloadId: u.workloadId, cost: 0, credit: 0 };
      byKey.set(key, agg);
    }
    add(agg, u.amountMicros);
  }
  const byDay = new Map<number, DayUsage[]>();
  for (const agg of byKey.values()) {
    const list = byDay.get(agg.day);
    if (list) list.push(agg);
    else byDay.set(agg.day, [agg]);
  }
  for (const list of byDay.values()) list.sort(compareDayUsage);
  return byDay;
}

function compareDayUsage(a: DayUsage, b: DayUsage): number {
  if (a.accountId !== b.accountId) return a.accountId - b.accountId;
  if (a.unit !== b.unit) return a.unit < b.unit ? -1 : 1;
  return compareWorkloadIds(a.workloadId, b.workloadId);
}

// ---------------------------------------------------------------------------------------------
// Last-in-first-out memory of draws and overage, so credits can be given back in reverse order

interface Reversible {
  owner: number | null;
  left: number;
}

interface DrawMemory extends Reversible {
  block: number;
  source: DrawSource;
}

/** Entries of one account+unit, kept both in one list and per owner (for "own first"). */
class Lifo<T extends Reversible> {
  private all: T[] = [];
  private byOwner = new Map<number | null, T[]>();

  push(e: T): void {
    this.all.push(e);
    const own = this.byOwner.get(e.owner);
    if (own) own.push(e);
    else this.byOwner.set(e.owner, [e]);
  }

  /** Takes up to `amount`: the owner's entries first, then anyone's, most recent first. */
  take(owner: number | null, amount: number, canTake: (e: T) => boolean, apply: (e: T, x: number) => void): number {
    let left = amount;
    const own = this.byOwner.get(owner);
    if (own) left = takeFrom(own, left, canTake, apply);
    left = takeFrom(this.all, left, canTake, apply);
    if (own) trimSpent(own);
    trimSpent(this.all);
    return left;
  }
}

function takeFrom<T extends Reversible>(list: T[], amount: number, canTake: (e: T) => boolean, apply: (e: T, x: number) => void): number {
  let left = amount;
  for (let i = list.length - 1; i >= 0 && left > 0; i--) {
    const e = list[i];
    if (e.left <= 0 || !canTake(e)) continue;
    const x = Math.min(e.left, left);
    e.left -= x;
    left -= x;
    apply(e, x);
  }
  return left;
}

/** Spent entries at the tail are never useful again; dropping them keeps refunds cheap. */
function trimSpent<T extends Reversible>(list: T[]): void {
  while (list.length > 0 && list[list.length - 1].left <= 0) list.pop();
}

// ---------------------------------------------------------------------------------------------
// The run

interface WorkloadTotals {
  consumed: number;
  overage: number;
}

class DrawdownRun {
  private readonly n: number;
  private readonly purchaseDay: number[];
  private readonly expiryDay: number[];
  private readonly expiringOn = new Map<number, number[]>();
  readonly remaining: number[];
  readonly consumed: number[];
  readonly expired: number[];
  readonly depletedOn: (string | null)[];
  readonly expiredOn: (string | null)[];
  /** per block: workload -> unused allocation */
  readonly allocLeft: Map<number, number>[];
  private readonly allocSum: number[];
  private readonly groups: Map<string, number[]>;
  private readonly steps = new Map<string, DrawStep[]>();
  private readonly drawLifo = new Map<string, Lifo<DrawMemory>>();
  private readonly overLifo = new Map<string, Lifo<Reversible>>();
  readonly workloads = new Map<number | null, WorkloadTotals>();
  readonly draws: Draw[] = [];
  readonly overage: OverageEntry[] = [];
  private overageToday = new Map<string, OverageEntry>();
  readonly unapplied: UnappliedCredit[] = [];

  constructor(
    private readonly blocks: DrawdownBlock[],
    allocations: NormalisedAllocation[],
  ) {
    this.n = blocks.length;
    this.purchaseDay = blocks.map((b) => dayNumber(b.purchasedOn));
    this.expiryDay = blocks.map(effectiveExpiryDay);
    this.expiryDay.forEach((d, i) => {
      if (!Number.isFinite(d)) return;
      const list = this.expiringOn.get(d);
      if (list) list.push(i);
      else this.expiringOn.set(d, [i]);
    });
    this.remaining = blocks.map((b) => b.amountMicros);
    this.consumed = blocks.map(() => 0);
    this.expired = blocks.map(() => 0);
    this.depletedOn = blocks.map(() => null);
    this.expiredOn = blocks.map(() => null);
    this.allocLeft = blocks.map(() => new Map<number, number>());
    this.allocSum = blocks.map(() => 0);
    const index = new Map(blocks.map((b, i) => [b.id, i]));
    for (const a of allocations) {
      const i = index.get(a.blockId)!;
      this.allocLeft[i].set(a.workloadId, a.amountMicros);
      this.allocSum[i] += a.amountMicros;
    }
    this.groups = groupBlocks(blocks);
  }

  private usable(i: number, day: number): boolean {
    return this.purchaseDay[i] <= day && day < this.expiryDay[i];
  }

  private pool(i: number): number {
    return this.remaining[i] - this.allocSum[i];
  }

  private totals(w: number | null): WorkloadTotals {
    let t = this.workloads.get(w);
    if (!t) {
      t = { consumed: 0, overage: 0 };
      this.workloads.set(w, t);
    }
    return t;
  }

  private stepsFor(accountId: number, unit: string, w: number | null): DrawStep[] {
    const key = `${groupKey(accountId, unit)}\u0001${w}`;
    let s = this.steps.get(key);
    if (!s) {
      const ordered = this.groups.get(groupKey(accountId, unit)) ?? [];
      s = drawSteps(ordered, (i) => w !== null && this.allocLeft[i].has(w));
      this.steps.set(key, s);
    }
    return s;
  }

  private lifo<T extends Reversible>(map: Map<string, Lifo<T>>, accountId: number, unit: string): Lifo<T> {
    const key = groupKey(accountId, unit);
    let l = map.get(key);
    if (!l) {
      l = new Lifo<T>();
      map.set(key, l);
    }
    return l;
  }

  /** Start of the day: blocks reaching their expiry lose what is left, allocated or not. */
  expire(day: number): void {
    for (const i of this.expiringOn.get(day) ?? []) {
      this.expired[i] += this.remaining[i];
      this.remaining[i] = 0;
      for (const w of this.allocLeft[i].keys()) this.allocLeft[i].set(w, 0);
      this.allocSum[i] = 0;
      this.expiredOn[i] = dayString(day);
    }
  }

  /** Positive usage: walk the workload's draw steps; what no block covers is overage. */
  draw(day: number, u: DayUsage): void {
    this.totals(u.workloadId);
    let need = u.cost;
    for (const step of this.stepsFor(u.accountId, u.unit, u.workloadId)) {
      if (need === 0) break;
      if (!this.usable(step.block, day)) continue;
      const avail = step.fromAllocation ? this.allocLeft[step.block].get(u.workloadId!)! : this.pool(step.block);
      if (avail <= 0) continue;
      const take = Math.min(avail, need);
      this.take(day, u, step, take);
      need -= take;
    }
    if (need > 0) {
      this.bookOverage(day, u, need);
      this.lifo(this.overLifo, u.accountId, u.unit).push({ owner: u.workloadId, left: need });
    }
  }

  private take(day: number, u: DayUsage, step: DrawStep, x: number): void {
    const i = step.block;
    this.remaining[i] -= x;
    this.consumed[i] += x;
    if (step.fromAllocation) {
      const w = u.workloadId!;
      this.allocLeft[i].set(w, this.allocLeft[i].get(w)! - x);
      this.allocSum[i] -= x;
    }
    if (this.remaining[i] === 0 && this.depletedOn[i] === null) this.depletedOn[i] = dayString(day);
    const source: DrawSource = step.fromAllocation ? 'allocation' : 'pool';
    this.draws.push({ day: dayString(day), blockId: this.blocks[i].id, workloadId: u.workloadId, amountMicros: x, source });
    this.lifo(this.drawLifo, u.accountId, u.unit).push({ owner: u.workloadId, left: x, block: i, source });
    this.totals(u.workloadId).consumed += x;
  }

  private bookOverage(day: number, u: DayUsage, x: number): void {
    const key = `${u.accountId}\u0001${u.unit}\u0001${u.workloadId}`;
    let e = this.overageToday.get(key);
    if (!e) {
      e = { accountId: u.accountId, unit: u.unit, day: dayString(day), amountMicros: 0, workloadId: u.workloadId };
      this.overageToday.set(key, e);
    }
    e.amountMicros += x;
    this.totals(u.workloadId).overage += x;
  }

  /** Negative usage: cancel overage, then give balance back in reverse draw order, then record the rest. */
  credit(day: number, u: DayUsage): void {
    this.totals(u.workloadId);
    let left = this.lifo(this.overLifo, u.accountId, u.unit).take(
      u.workloadId,
      u.credit,
      () => true,
      (_e, x) => this.bookOverage(day, u, -x),
    );
    left = this.giveBack(day, u, left);
    if (left > 0) {
      this.unapplied.push({ day: dayString(day), accountId: u.accountId, unit: u.unit, workloadId: u.workloadId, amountMicros: left });
    }
  }

  private giveBack(day: number, u: DayUsage, amount: number): number {
    if (amount <= 0) return amount;
    const back = new Map<string, Draw>();
    const left = this.lifo(this.drawLifo, u.accountId, u.unit).take(
      u.workloadId,
      amount,
      (e) => day < this.expiryDay[e.block],
      (e, x) => {
        this.restore(e, x);
        const key = `${e.block}:${e.source}`;
        const d = back.get(key);
        if (d) d.amountMicros -= x;
        else back.set(key, { day: dayString(day), blockId: this.blocks[e.block].id, workloadId: u.workloadId, amountMicros: -x, source: e.source });
      },
    );
    for (const d of back.values()) this.draws.push(d);
    this.totals(u.workloadId).consumed -= amount - left;
    return left;
  }

  /** Undoes (part of) a draw; an allocation draw gives the share back to the allocation's owner. */
  private restore(e: DrawMemory, x: number): void {
    const i = e.block;
    this.remaining[i] += x;
    this.consumed[i] -= x;
    if (e.source === 'allocation' && e.owner !== null) {
      this.allocLeft[i].set(e.owner, (this.allocLeft[i].get(e.owner) ?? 0) + x);
      this.allocSum[i] += x;
    }
    if (this.remaining[i] > 0) this.depletedOn[i] = null;
  }

  /** End of the day: overage changes, net per key, in a canonical order. */
  flushOverage(): void {
    const entries = [...this.overageToday.values()].filter((e) => e.amountMicros !== 0);
    entries.sort((a, b) => a.accountId - b.accountId || (a.unit < b.unit ? -1 : a.unit > b.unit ? 1 : 0) || compareWorkloadIds(a.workloadId, b.workloadId));
    this.overage.push(...entries);
    this.overageToday = new Map();
  }

  /** End-of-day balance as the UI shows it: nothing before the purchase. */
  balance(i: number, day: number): number {
    return day < this.purchaseDay[i] ? 0 : this.remaining[i];
  }

  purchasedBy(i: number, day: number): boolean {
    return day >= this.purchaseDay[i];
  }

  get blockCount(): number {
    return this.n;
  }
}

// ---------------------------------------------------------------------------------------------
// Entry point

export function runDrawdown(input: DrawdownInput): DrawdownResult {
  validateBlocks(input.blocks);
  const allocations = normaliseAllocations(input.blocks, input.allocations);
  const range = resolveRange(input);
  const ignored = { rows: 0, amountMicros: 0 };
  if (!range) return emptyResult(input.blocks, allocations, ignored);
  const usage = aggregateUsage(input.usage, range.to, ignored);
  const run = new DrawdownRun(input.blocks, allocations);
  const days: string[] = [];
  const balances = input.blocks.map(() => [] as number[]);
  const allocIndex = new Map(input.blocks.map((b, i) => [b.id, i]));
  const allocSeries = allocations.map(() => [] as number[]);

  for (let day = range.simStart; day < range.to; day++) {
    run.expire(day);
    const today = usage.get(day) ?? [];
    for (const u of today) if (u.cost > 0 || u.credit === 0) run.draw(day, u);
    for (const u of today) if (u.credit > 0) run.credit(day, u);
    run.flushOverage();
    if (day < range.from) continue;
    days.push(dayString(day));
    for (let i = 0; i < run.blockCount; i++) balances[i].push(run.balance(i, day));
    allocations.forEach((a, k) => {
      const i = allocIndex.get(a.blockId)!;
      allocSeries[k].push(run.purchasedBy(i, day) ? run.allocLeft[i].get(a.workloadId)! : 0);
    });
  }
  return assemble(input.blocks, allocations, run, days, balances, allocSeries, ignored);
}

function assemble(
  blocks: DrawdownBlock[],
  allocations: NormalisedAllocation[],
  run: DrawdownRun,
  days: string[],
  balances: number[][],
  allocSeries: number[][],
  ignoredUsage: { rows: number; amountMicros: number },
): DrawdownResult {
  const index = new Map(blocks.map((b, i) => [b.id, i]));
  const allocLedger = allocations.map((a) => ({
    blockId: a.blockId,
    workloadId: a.workloadId,
    requestedMicros: a.requestedMicros,
    allocatedMicros: a.amountMicros,
    leftMicros: run.allocLeft[index.get(a.blockId)!].get(a.workloadId)!,
  }));
  const balanceRecord: Record<number, number[]> = {};
  blocks.forEach((b, i) => (balanceRecord[b.id] = balances[i]));
  const allocationLeft: Record<string, number[]> = {};
  allocations.forEach((a, k) => (allocationLeft[`${a.blockId}:${a.workloadId}`] = allocSeries[k]));
  return {
    days,
    blocks: blocks.map((b, i) => ({
      blockId: b.id,
      purchasedMicros: b.amountMicros,
      consumedMicros: run.consumed[i],
      remainingMicros: run.remaining[i],
      expiredMicros: run.expired[i],
      depletedOn: run.depletedOn[i],
      expiredOn: run.expiredOn[i],
    })),
    balances: balanceRecord,
    workloads: workloadLedgers(run.workloads, allocLedger),
    overage: run.overage,
    draws: run.draws,
    unappliedCreditMicros: run.unapplied.reduce((s, u) => s + u.amountMicros, 0),
    unappliedCredits: run.unapplied,
    allocations: allocLedger,
    allocationLeft,
    ignoredUsage,
  };
}

/** One ledger per workload that had usage in range or holds an allocation, null first. */
function workloadLedgers(totals: Map<number | null, WorkloadTotals>, allocations: AllocationLedger[]): WorkloadLedger[] {
  const byId = new Map<number | null, WorkloadLedger>();
  const get = (w: number | null): WorkloadLedger => {
    let l = byId.get(w);
    if (!l) {
      l = { workloadId: w, consumedMicros: 0, overageMicros: 0, allocatedMicros: 0, allocationLeftMicros: 0 };
      byId.set(w, l);
    }
    return l;
  };
  for (const [w, t] of totals) {
    const l = get(w);
    l.consumedMicros = t.consumed;
    l.overageMicros = t.overage;
  }
  for (const a of allocations) {
    const l = get(a.workloadId);
    l.allocatedMicros += a.allocatedMicros;
    l.allocationLeftMicros += a.leftMicros;
  }
  return [...byId.values()].sort((a, b) => compareWorkloadIds(a.workloadId, b.workloadId));
}

function emptyResult(blocks: DrawdownBlock[], allocations: NormalisedAllocation[], ignoredUsage: { rows: number; amountMicros: number }): DrawdownResult {
  const run = new DrawdownRun(blocks, allocations);
  return assemble(blocks, allocations, run, [], blocks.map(() => []), allocations.map(() => []), ignoredUsage);
}
