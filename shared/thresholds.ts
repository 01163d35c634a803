/**
 * Threshold evaluation over a drawdown ledger: walks the ledger's days and says when each
 * rule would have fired, once per threshold and period. Pure (no node:, no DOM).
 *
 * Kinds and their `value` (as stored in the thresholds table):
 * - 'percent-consumed': value = percent (1..100); 0 or less means the default levels
 *   50/75/90/100, each firing once. One-shot per block: period = the block id ("12"), or
 *   "12@75" when the rule has several levels. Block scope: that block. Account scope: every
 *   block of the account. Workload scope: the share of each of its allocations used; a
 *   workload without allocations is measured on the blocks it drew from (its pool).
 * - 'runway-days': value = days. Runway = usable balance / burnPerDay(scope, day) (a forecast
 *   given by the caller). Recurring: period = YYYY-MM. Account and workload scopes use one
 *   unit (the threshold's `unit`, else the scope's main unit); a workload's balance is its
 *   unused allocations plus the pools it can draw from.
 * - 'expiring': value = days. A block (or a workload's allocation) expiring within that many
 *   days with more than minUnusedMicros unused. One-shot per block: period = the block id.
 * - 'burn-spike': value = ratio x 100 (300 = 3x). Fires when a day's spend (draws plus
 *   overage) is above ratio x baselinePerDay(scope, day); without a baseline function, the
 *   mean of the previous 28 days (at least 7) is the baseline. Recurring: period = YYYY-MM.
 *
 * safetyMarginDays makes a rule fire that many days earlier, because providers enforce late:
 * runway and expiring compare against value + margin; percent-consumed looks at the
 * consumption projected `margin` days ahead at the forecast burn. Burn spikes ignore it.
 */
import type { DrawdownBlock, DrawdownResult } from './drawdown';
import { daysBetween, monthOf } from './dates';
import { displayMoney } from './money';

export type ScopeKind = 'block' | 'workload' | 'account';
export type ThresholdKind = 'percent-consumed' | 'runway-days' | 'expiring' | 'burn-spike';
export type ThresholdAction = 'alert' | 'throttle' | 'stop';
export type Severity = 'info' | 'warning' | 'critical';

export interface ThresholdDef {
  id: number;
  scopeKind: ScopeKind;
  scopeId: number;
  kind: ThresholdKind;
  value: number;
  minUnusedMicros?: number | null;
  action: ThresholdAction;
  safetyMarginDays: number;
  /** account and workload scopes of runway and spike rules: which unit to add up */
  unit?: string | null;
}

export interface FiredAlert {
  thresholdId: number;
  scopeKind: string;
  scopeId: number;
  kind: string;
  period: string;
  firedOn: string;
  severity: Severity;
  message: string;
  action: ThresholdAction;
  /** the block the alert is about, when it is about one */
  blockId: number | null;
}

export type ScopeDayFn = (scopeKind: ScopeKind, scopeId: number, day: string) => number;
export type NameFn = (scopeKind: ScopeKind, scopeId: number) => string;

export interface ThresholdInput {
  thresholds: ThresholdDef[];
  ledger: DrawdownResult;
  blocks: DrawdownBlock[];
  /** forecast spend per day (micros) as of that day; may be asked for any scope kind */
  burnPerDay: ScopeDayFn;
  /** normal spend per day for spike rules; default: trailing mean of the ledger's spend */
  baselinePerDay?: ScopeDayFn;
  names?: NameFn;
  /** last day to evaluate (inclusive); default the ledger's last day */
  asOf?: string;
}

export const DEFAULT_PERCENT_LEVELS: readonly number[] = [50, 75, 90, 100];
export const BASELINE_WINDOW_DAYS = 28;
export const BASELINE_MIN_DAYS = 7;

// ---------------------------------------------------------------------------------------------
// A read-only view of the ledger with the per-day series the rules need

/** Per-day series over the evaluated days, derived once from the ledger. */
class LedgerView {
  readonly days: string[];
  readonly blockById: Map<number, DrawdownBlock>;
  private readonly dayIndex: Map<string, number>;
  /** blockId -> cumulative consumption at the end of each day (includes draws before `from`) */
  private readonly consumedSeries = new Map<number, number[]>();
  private readonly blockSpend = new Map<number, number[]>();
  /** `${workloadId}|${accountId}|${unit}` -> spend per day */
  private readonly workloadSpend = new Map<string, number[]>();
  /** `${accountId}|${unit}` -> spend per day */
  private readonly accountSpend = new Map<string, number[]>();
  /** workload -> activity per account+unit, to pick the workload's main account and unit */
  private readonly workloadActivity = new Map<number | null, Map<string, number>>();

  constructor(
    readonly ledger: DrawdownResult,
    blocks: DrawdownBlock[],
    asOf: string | undefined,
  ) {
    const last = asOf === undefined ? ledger.days.length : ledger.days.filter((d) => d <= asOf).length;
    this.days = ledger.days.slice(0, last);
    this.dayIndex = new Map(this.days.map((d, i) => [d, i]));
    this.blockById = new Map(blocks.map((b) => [b.id, b]));
    this.indexDraws();
    this.indexOverage();
  }

  private series(map: Map<string | number, number[]>, key: string | number): number[] {
    let s = map.get(key);
    if (!s) {
      s = new Array<number>(this.days.length).fill(0);
      map.set(key, s);
    }
    return s;
  }

  private noteActivity(w: number | null, accountId: number, unit: string, amount: number): void {
    const m = this.workloadActivity.get(w) ?? new Map<string, number>();
    m.set(`${accountId}|${unit}`, (m.get(`${accountId}|${unit}`) ?? 0) + Math.abs(amount));
    this.workloadActivity.set(w, m);
  }

  /** Spend per day per block, workload and account, and cumulative consumption per block. */
  private indexDraws(): void {
    const before = new Map<number, number>();
    const first = this.days[0];
    for (const d of this.ledger.draws) {
      const b = this.blockById.get(d.blockId);
      if (!b) continue;
      this.noteActivity(d.workloadId, b.accountId, b.unit, d.amountMicros);
      const i = this.dayIndex.get(d.day);
      if (i === undefined) {
        if (first !== undefined && d.day < first) before.set(d.blockId, (before.get(d.blockId) ?? 0) + d.amountMicros);
        continue;
      }
      this.series(this.blockSpend, d.blockId)[i] += d.amountMicros;
      this.series(this.workloadSpend, `${d.workloadId}|${b.accountId}|${b.unit}`)[i] += d.amountMicros;
      this.series(this.accountSpend, `${b.accountId}|${b.unit}`)[i] += d.amountMicros;
    }
    for (const b of this.blockById.values()) {
      const spend = this.series(this.blockSpend, b.id);
      let run = before.get(b.id) ?? 0;
      this.consumedSeries.set(
        b.id,
        spend.map((x) => (run += x)),
      );
    }
  }

  /** Overage is spend too: a spike that overflows the credit is still a spike. */
  private indexOverage(): void {
    for (const o of this.ledger.overage) {
      this.noteActivity(o.workloadId ?? null, o.accountId, o.unit, o.amountMicros);
      const i = this.dayIndex.get(o.day);
      if (i === undefined) continue;
      this.series(this.workloadSpend, `${o.workloadId ?? null}|${o.accountId}|${o.unit}`)[i] += o.amountMicros;
      this.series(this.accountSpend, `${o.accountId}|${o.unit}`)[i] += o.amountMicros;
    }
  }

  usable(b: DrawdownBlock, i: number): boolean {
    const day = this.days[i];
    return day >= b.purchasedOn && (b.expiresOn === null || day < b.expiresOn);
  }

  balance(blockId: number, i: number): number {
    return this.ledger.balances[blockId]?.[i] ?? 0;
  }

  consumed(blockId: number, i: number): number {
    return this.consumedSeries.get(blockId)?.[i] ?? 0;
  }

  allocationLeft(blockId: number, workloadId: number, i: number): number {
    return this.ledger.allocationLeft?.[`${blockId}:${workloadId}`]?.[i] ?? 0;
  }

  allocationsOf(workloadId: number) {
    return (this.ledger.allocations ?? []).filter((a) => a.workloadId === workloadId && a.allocatedMicros > 0);
  }

  /** What a workload can still draw from a block: its unused allocation plus the pool. */
  availableTo(b: DrawdownBlock, workloadId: number, i: number): number {
    let allocated = 0;
    for (const a of this.ledger.allocations ?? []) if (a.blockId === b.id) allocated += this.allocationLeft(b.id, a.workloadId, i);
    return this.balance(b.id, i) - allocated + this.allocationLeft(b.id, workloadId, i);
  }

  blocksOfAccount(accountId: number, unit?: string): DrawdownBlock[] {
    return [...this.blockById.values()].filter((b) => b.accountId === accountId && (unit === undefined || b.unit === unit));
  }

  /** Blocks a workload drew from at any time: where a workload without allocations lives. */
  blocksDrawnBy(workloadId: number): DrawdownBlock[] {
    const ids = new Set(this.ledger.draws.filter((d) => d.workloadId === workloadId).map((d) => d.blockId));
    return [...ids].sort((a, b) => a - b).flatMap((id) => this.blockById.get(id) ?? []);
  }

  /** An account's main unit: the one with the most credit bought; ties alphabetical. */
  accountUnit(accountId: number, unit?: string | null): string | null {
    if (unit) return unit;
    const totals = new Map<string, number>();
    for (const b of this.blocksOfAccount(accountId)) totals.set(b.unit, (totals.get(b.unit) ?? 0) + b.amountMicros);
    for (const o of this.ledger.overage) if (o.accountId === accountId && !totals.has(o.unit)) totals.set(o.unit, 0);
    return pickLargest(totals);
  }

  /** A workload's main account and unit: where most of its drawing and overage happened. */
  workloadHome(workloadId: number, unit?: string | null): { accountId: number; unit: string } | null {
    const activity = new Map(this.workloadActivity.get(workloadId) ?? []);
    for (const a of this.allocationsOf(workloadId)) {
      const b = this.blockById.get(a.blockId);
      if (b) activity.set(`${b.accountId}|${b.unit}`, (activity.get(`${b.accountId}|${b.unit}`) ?? 0) + 0);
    }
    if (unit) for (const k of [...activity.keys()]) if (!k.endsWith(`|${unit}`)) activity.delete(k);
    const key = pickLargest(activity);
    if (key === null) return null;
    const sep = key.indexOf('|');
    return { accountId: Number(key.slice(0, sep)), unit: key.slice(sep + 1) };
  }

  spend(scopeKind: ScopeKind, scopeId: number, unit: string | null, accountId: number | null): number[] | null {
    if (scopeKind === 'block') return this.blockSpend.get(scopeId) ?? null;
    if (scopeKind === 'account') return this.accountSpend.get(`${scopeId}|${unit}`) ?? null;
    return this.workloadSpend.get(`${scopeId}|${accountId}|${unit}`) ?? null;
  }
}

function pickLargest(m: Map<string, number>): string | null {
  let best: string | null = null;
  let bestV = -1;
  for (const k of [...m.keys()].sort()) {
    const v = m.get(k)!;
    if (v > bestV) {
      best = k;
      bestV = v;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Severity and wording

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

function maxSeverity(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

/** A rule that throttles or stops a workload matters more than the reading alone says. */
function actionSeverity(action: ThresholdAction): Severity {
  return action === 'stop' ? 'critical' : action === 'throttle' ? 'warning' : 'info';
}

function defaultName(scopeKind: ScopeKind, scopeId: number): string {
  return `${scopeKind} #${scopeId}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function fmtDays(x: number): string {
  const r = Math.round(x * 10) / 10;
  return `${r} day${r === 1 ? '' : 's'}`;
}

function actionSentence(def: ThresholdDef, who: string): string {
  if (def.action === 'stop') return ` Rule action: stop ${who}.`;
  if (def.action === 'throttle') return ` Rule action: throttle ${who}.`;
  return '';
}

export function percentLevels(def: ThresholdDef): number[] {
  return def.value > 0 ? [def.value] : [...DEFAULT_PERCENT_LEVELS];
}

// ---------------------------------------------------------------------------------------------
// Evaluation

interface Ctx {
  view: LedgerView;
  input: ThresholdInput;
  name: NameFn;
  fired: Set<string>;
  out: FiredAlert[];
}

/** Adds an alert unless this threshold already fired in this period. */
function fire(ctx: Ctx, def: ThresholdDef, period: string, i: number, severity: Severity, message: string, blockId: number | null): void {
  const key = `${def.id}\u0001${def.scopeKind}\u0001${def.scopeId}\u0001${period}`;
  if (ctx.fired.has(key)) return;
  ctx.fired.add(key);
  ctx.out.push({
    thresholdId: def.id,
    scopeKind: def.scopeKind,
    scopeId: def.scopeId,
    kind: def.kind,
    period,
    firedOn: ctx.view.days[i],
    severity: maxSeverity(severity, actionSeverity(def.action)),
    message,
    action: def.action,
    blockId,
  });
}

/** What a one-shot rule watches: a whole block, or one workload's allocation on a block. */
interface Target {
  block: DrawdownBlock;
  allocationOf: number | null;
}

function targetsOf(view: LedgerView, def: ThresholdDef): Target[] {
  if (def.scopeKind === 'block') {
    const b = view.blockById.get(def.scopeId);
    return b ? [{ block: b, allocationOf: null }] : [];
  }
  if (def.scopeKind === 'account') return view.blocksOfAccount(def.scopeId).map((b) => ({ block: b, allocationOf: null }));
  const allocs = view.allocationsOf(def.scopeId);
  if (allocs.length > 0) return allocs.flatMap((a) => (view.blockById.has(a.blockId) ? [{ block: view.blockById.get(a.blockId)!, allocationOf: def.scopeId }] : []));
  return view.blocksDrawnBy(def.scopeId).map((b) => ({ block: b, allocationOf: null }));
}

/** Used and total of a target at the end of day i. */
function usage(view: LedgerView, t: Target, i: number): { used: number; total: number } {
  if (t.allocationOf === null) return { used: view.consumed(t.block.id, i), total: t.block.amountMicros };
  const a = view.allocationsOf(t.allocationOf).find((x) => x.blockId === t.block.id)!;
  return { used: a.allocatedMicros - view.allocationLeft(t.block.id, t.allocationOf, i), total: a.allocatedMicros };
}

function evalPercent(ctx: Ctx, def: ThresholdDef, targets: Target[], i: number): void {
  const { view, input } = ctx;
  const levels = percentLevels(def);
  for (const t of targets) {
    if (!view.usable(t.block, i)) continue;
    const { used, total } = usage(view, t, i);
    if (total <= 0) continue;
    const burn = def.safetyMarginDays > 0 ? input.burnPerDay(t.allocationOf === null ? 'block' : 'workload', t.allocationOf ?? t.block.id, view.days[i]) : 0;
    const projected = used + Math.max(0, burn) * def.safetyMarginDays;
    for (const level of levels) {
      if (projected * 100 < level * total) continue;
      const period = levels.length > 1 ? `${t.block.id}@${level}` : `${t.block.id}`;
      const severity: Severity = level >= 100 ? 'critical' : level >= 75 ? 'warning' : 'info';
      fire(ctx, def, period, i, severity, percentMessage(ctx, def, t, used, total, level), t.block.id);
    }
  }
}

function percentMessage(ctx: Ctx, def: ThresholdDef, t: Target, used: number, total: number, level: number): string {
  const unit = t.block.unit;
  const blockName = ctx.name('block', t.block.id);
  const pct = Math.floor((used * 100) / total);
  const amounts = `${displayMoney(used, unit)} of ${displayMoney(total, unit)}`;
  const margin = pct < level ? ` and will pass ${level}% within the ${plural(def.safetyMarginDays, 'day')} safety margin` : '';
  const who = t.allocationOf === null ? (def.scopeKind === 'workload' ? ctx.name('workload', def.scopeId) : `the workloads drawing on ${blockName}`) : ctx.name('workload', t.allocationOf);
  const subject = t.allocationOf === null ? `${blockName} is ${pct}% consumed (${amounts} used)` : `${ctx.name('workload', t.allocationOf)} has used ${pct}% of its allocation on ${blockName} (${amounts})`;
  return `${subject}${margin}; threshold ${level}%.${actionSentence(def, who)}`;
}

/** Usable balance of a scope at the end of day i, and whether it had any credit bought by then. */
function scopeBalance(view: LedgerView, def: ThresholdDef, i: number): { remaining: number; unit: string; bought: boolean } | null {
  if (def.scopeKind === 'block') {
    const b = view.blockById.get(def.scopeId);
    if (!b || !view.usable(b, i)) return null;
    return { remaining: view.balance(b.id, i), unit: b.unit, bought: true };
  }
  const home = def.scopeKind === 'account' ? accountHome(view, def) : view.workloadHome(def.scopeId, def.unit);
  if (!home) return null;
  const blocks = view.blocksOfAccount(home.accountId, home.unit);
  let remaining = 0;
  for (const b of blocks) {
    if (!view.usable(b, i)) continue;
    remaining += def.scopeKind === 'account' ? view.balance(b.id, i) : view.availableTo(b, def.scopeId, i);
  }
  return { remaining, unit: home.unit, bought: blocks.some((b) => b.purchasedOn <= view.days[i]) };
}

function accountHome(view: LedgerView, def: ThresholdDef): { accountId: number; unit: string } | null {
  const unit = view.accountUnit(def.scopeId, def.unit);
  return unit === null ? null : { accountId: def.scopeId, unit };
}

function evalRunway(ctx: Ctx, def: ThresholdDef, i: number): void {
  const { view, input } = ctx;
  const bal = scopeBalance(view, def, i);
  if (!bal || !bal.bought) return;
  const burn = input.burnPerDay(def.scopeKind, def.scopeId, view.days[i]);
  if (!(burn > 0)) return;
  const runway = bal.remaining / burn;
  const trigger = def.value + def.safetyMarginDays;
  if (runway > trigger) return;
  const severity: Severity = runway <= Math.max(1, def.safetyMarginDays) ? 'critical' : 'warning';
  const who = ctx.name(def.scopeKind, def.scopeId);
  const margin = def.safetyMarginDays > 0 ? ` (${plural(def.value, 'day')} + ${plural(def.safetyMarginDays, 'day')} safety margin)` : '';
  const message =
    `${who} has ${fmtDays(runway)} of runway left (${displayMoney(bal.remaining, bal.unit)} at ${displayMoney(burn, bal.unit)}/day), ` +
    `at or below the ${plural(trigger, 'day')} threshold${margin}.${actionSentence(def, who)}`;
  fire(ctx, def, monthOf(view.days[i]), i, severity, message, def.scopeKind === 'block' ? def.scopeId : null);
}

function evalExpiring(ctx: Ctx, def: ThresholdDef, targets: Target[], i: number): void {
  const { view } = ctx;
  const window = def.value + def.safetyMarginDays;
  const minUnused = def.minUnusedMicros ?? 0;
  for (const t of targets) {
    const b = t.block;
    if (b.expiresOn === null || !view.usable(b, i)) continue;
    const left = daysBetween(view.days[i], b.expiresOn);
    if (left > window) continue;
    const unused = t.allocationOf === null ? view.balance(b.id, i) : view.allocationLeft(b.id, t.allocationOf, i);
    if (unused <= minUnused) continue;
    const blockName = ctx.name('block', b.id);
    const subject = t.allocationOf === null ? blockName : `${ctx.name('workload', t.allocationOf)}'s allocation on ${blockName}`;
    const message = `${subject} expires on ${b.expiresOn} (in ${plural(left, 'day')}) with ${displayMoney(unused, b.unit)} unused; it cannot be extended, so use or move it before then.`;
    fire(ctx, def, `${b.id}`, i, left <= 7 ? 'critical' : 'warning', message, b.id);
  }
}

/** The spend series of a spike rule's scope, and its unit. */
function spikeSeries(view: LedgerView, def: ThresholdDef): { spend: number[]; unit: string } | null {
  if (def.scopeKind === 'block') {
    const b = view.blockById.get(def.scopeId);
    const s = view.spend('block', def.scopeId, null, null);
    return b && s ? { spend: s, unit: b.unit } : null;
  }
  const home = def.scopeKind === 'account' ? accountHome(view, def) : view.workloadHome(def.scopeId, def.unit);
  if (!home) return null;
  const s = view.spend(def.scopeKind, def.scopeId, home.unit, home.accountId);
  return s ? { spend: s, unit: home.unit } : null;
}

/** Mean spend of the previous BASELINE_WINDOW_DAYS days; null with less than BASELINE_MIN_DAYS of history. */
function trailingBaseline(spend: number[], i: number): number | null {
  const from = Math.max(0, i - BASELINE_WINDOW_DAYS);
  if (i - from < BASELINE_MIN_DAYS) return null;
  let sum = 0;
  for (let k = from; k < i; k++) sum += spend[k];
  return sum / (i - from);
}

function evalSpike(ctx: Ctx, def: ThresholdDef, series: { spend: number[]; unit: string } | null, i: number): void {
  if (!series) return;
  const { view, input } = ctx;
  const spend = series.spend[i];
  const baseline = input.baselinePerDay ? input.baselinePerDay(def.scopeKind, def.scopeId, view.days[i]) : trailingBaseline(series.spend, i);
  if (baseline === null || !(baseline > 0) || !(spend > 0)) return;
  const ratio = def.value / 100;
  if (spend <= ratio * baseline) return;
  const who = ctx.name(def.scopeKind, def.scopeId);
  const times = Math.round((spend / baseline) * 10) / 10;
  const message =
    `${who} spent ${displayMoney(spend, series.unit)} on ${view.days[i]}, ${times}x its baseline of ${displayMoney(baseline, series.unit)}/day ` +
    `(threshold ${ratio}x).${actionSentence(def, who)}`;
  fire(ctx, def, monthOf(view.days[i]), i, spend >= 2 * ratio * baseline ? 'critical' : 'warning', message, def.scopeKind === 'block' ? def.scopeId : null);
}

/**
 * Walks the days up to asOf and returns every alert the thresholds would have raised, in the
 * order they fired (then threshold id, then period). Each fires once per threshold and period.
 */
export function evaluateThresholds(input: ThresholdInput): FiredAlert[] {
  const view = new LedgerView(input.ledger, input.blocks, input.asOf);
  const ctx: Ctx = { view, input, name: input.names ?? defaultName, fired: new Set(), out: [] };
  for (const def of input.thresholds) {
    const targets = def.kind === 'percent-consumed' || def.kind === 'expiring' ? targetsOf(view, def) : [];
    const series = def.kind === 'burn-spike' ? spikeSeries(view, def) : null;
    for (let i = 0; i < view.days.length; i++) {
      if (def.kind === 'percent-consumed') evalPercent(ctx, def, targets, i);
      else if (def.kind === 'expiring') evalExpiring(ctx, def, targets, i);
      else if (def.kind === 'runway-days') evalRunway(ctx, def, i);
      else evalSpike(ctx, def, series, i);
    }
  }
  return ctx.out.sort((a, b) => (a.firedOn < b.firedOn ? -1 : a.firedOn > b.firedOn ? 1 : a.thresholdId - b.thresholdId || (a.period < b.period ? -1 : a.period > b.period ? 1 : 0)));
}

// ---------------------------------------------------------------------------------------------
// Depletion rules: did the stop/throttle rule fire early enough?

export type DepletionRuleStatus = 'in-time' | 'late' | 'missed' | 'no-depletion' | 'quiet';

export interface DepletionRuleRow {
  thresholdId: number;
  action: 'throttle' | 'stop';
  scopeKind: ScopeKind;
  scopeId: number;
  kind: ThresholdKind;
  /** the block the row is about; null when it is about all the credit of an account or workload */
  blockId: number | null;
  /** first day the rule fired (for several percent levels: the first level reached) */
  firedOn: string | null;
  /** first day the credit ran dry (balance to zero while usable, after having had some) */
  ranDryOn: string | null;
  /** ranDryOn - firedOn; negative when the rule fired after the credit ran dry */
  daysBeforeDry: number | null;
  safetyMarginDays: number;
  status: DepletionRuleStatus;
  message: string;
}

/**
 * For every throttle or stop rule of a depletion kind (percent-consumed, runway-days): the
 * day it would have fired and how many days before the credit ran dry, with a plain-English
 * verdict against its safety margin ("in-time" needs at least safetyMarginDays, and at least
 * one day). Percent rules get a row per block they watch that fired or ran dry.
 */
export function depletionRuleReport(input: ThresholdInput): DepletionRuleRow[] {
  const view = new LedgerView(input.ledger, input.blocks, input.asOf);
  const name = input.names ?? defaultName;
  const rows: DepletionRuleRow[] = [];
  for (const def of input.thresholds) {
    if (def.action === 'alert' || (def.kind !== 'percent-consumed' && def.kind !== 'runway-days')) continue;
    const alerts = evaluateThresholds({ ...input, thresholds: [def] });
    if (def.kind === 'runway-days') rows.push(runwayRow(view, def, alerts, name));
    else rows.push(...percentRows(view, def, alerts, name));
  }
  return rows;
}

function runwayRow(view: LedgerView, def: ThresholdDef, alerts: FiredAlert[], name: NameFn): DepletionRuleRow {
  const series = view.days.map((_, i) => scopeBalance(view, def, i));
  const dry = firstDry(series.map((s) => (s ? s.remaining : null)));
  const blockId = def.scopeKind === 'block' ? def.scopeId : null;
  return buildRow(view, def, blockId, alerts[0]?.firedOn ?? null, dry, name);
}

function percentRows(view: LedgerView, def: ThresholdDef, alerts: FiredAlert[], name: NameFn): DepletionRuleRow[] {
  const rows: DepletionRuleRow[] = [];
  for (const t of targetsOf(view, def)) {
    const fired = alerts.find((a) => a.blockId === t.block.id)?.firedOn ?? null;
    const dry = firstDry(view.days.map((_, i) => (view.usable(t.block, i) ? view.balance(t.block.id, i) : null)));
    if (fired === null && dry === null) continue;
    rows.push(buildRow(view, def, t.block.id, fired, dry, name));
  }
  if (rows.length === 0) rows.push(buildRow(view, def, def.scopeKind === 'block' ? def.scopeId : null, null, null, name));
  return rows;
}

/** First day a balance is zero after having been positive; null days are "not usable". */
function firstDry(series: (number | null)[]): number | null {
  let had = false;
  for (let i = 0; i < series.length; i++) {
    const v = series[i];
    if (v === null) continue;
    if (v > 0) had = true;
    else if (had) return i;
  }
  return null;
}

function buildRow(view: LedgerView, def: ThresholdDef, blockId: number | null, firedOn: string | null, dryIndex: number | null, name: NameFn): DepletionRuleRow {
  const ranDryOn = dryIndex === null ? null : view.days[dryIndex];
  const daysBeforeDry = firedOn !== null && ranDryOn !== null ? daysBetween(firedOn, ranDryOn) : null;
  const status: DepletionRuleStatus =
    firedOn === null ? (ranDryOn === null ? 'quiet' : 'missed') : ranDryOn === null ? 'no-depletion' : daysBeforeDry! >= Math.max(1, def.safetyMarginDays) ? 'in-time' : 'late';
  const action = def.action as 'throttle' | 'stop';
  const base = { thresholdId: def.id, action, scopeKind: def.scopeKind, scopeId: def.scopeId, kind: def.kind, blockId, firedOn, ranDryOn, daysBeforeDry, safetyMarginDays: def.safetyMarginDays, status };
  return { ...base, message: depletionMessage(view, def, base, name) };
}

function depletionMessage(
  view: LedgerView,
  def: ThresholdDef,
  r: Omit<DepletionRuleRow, 'message'>,
  name: NameFn,
): string {
  const who = name(def.scopeKind, def.scopeId);
  const credit = r.blockId !== null ? name('block', r.blockId) : def.scopeKind === 'account' ? `the credit of ${who}` : `the credit available to ${who}`;
  const did = r.action === 'stop' ? `cut ${who} off` : `throttled ${who}`;
  const rule = `The ${r.action} rule`;
  const end = view.days[view.days.length - 1] ?? 'the end of the ledger';
  switch (r.status) {
    case 'in-time':
      return `${rule} would have ${did} on ${r.firedOn}, ${plural(r.daysBeforeDry!, 'day')} before ${credit} ran dry on ${r.ranDryOn}.`;
    case 'late': {
      const when = r.daysBeforeDry! > 0 ? `only ${plural(r.daysBeforeDry!, 'day')} before` : r.daysBeforeDry === 0 ? 'the same day' : `${plural(-r.daysBeforeDry!, 'day')} after`;
      const margin = def.safetyMarginDays > 0 ? `, inside its ${plural(def.safetyMarginDays, 'day')} safety margin` : '';
      return `${rule} would have ${did} on ${r.firedOn}, ${when} ${credit} ran dry on ${r.ranDryOn}${margin}: too late, because providers enforce with a delay.`;
    }
    case 'missed':
      return `${rule} on ${who} would not have fired, yet ${credit} ran dry on ${r.ranDryOn}.`;
    case 'no-depletion':
      return `${rule} would have ${did} on ${r.firedOn}; ${credit} had not run dry by ${end}.`;
    default:
      return `${rule} on ${who} would not have fired, and ${credit} did not run dry up to ${end}.`;
  }
}
