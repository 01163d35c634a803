/**
 * Turns a scenario into what the simulation runs: a multiplier and an additive term per
 * workload per day (model swaps, price changes, surges, new workloads), changed blocks and
 * allocations (top-ups, reallocations) and the balance-driven rules (throttle, stop) that the
 * simulation applies per path. Pure; every lever that cannot act says why in `warnings`.
 */
import { addMonths, daysBetween } from '../dates';
import type { DrawdownAllocation, DrawdownBlock } from '../drawdown';
import { mixCost, type Lever, type LeverOf, type ModelPrice, type Scenario, type Target, type TokenMix, type Trigger } from './scenario';

export interface ScenarioWorkload {
  id: number | null;
  accountId: number;
  unit: string;
  department?: string | null;
}

export interface ScenarioContext {
  startDay: string;
  horizonDays: number;
  workloads: readonly ScenarioWorkload[];
  blocks: readonly DrawdownBlock[];
  allocations: readonly DrawdownAllocation[];
  initialRemaining?: Map<number, number>;
  initialAllocationLeft?: Map<string, number>;
  /** per workload id, per model: the workload's own tokens (any period; only proportions matter) */
  tokenMix?: Readonly<Record<number, Readonly<Record<string, TokenMix>>>>;
  /** per model: price per million tokens in micros */
  prices?: Readonly<Record<string, ModelPrice>>;
  /** department name → workload ids; default: the workloads' department field */
  departments?: Readonly<Record<string, readonly number[]>>;
}

export interface CompiledWorkload extends ScenarioWorkload {
  /** added by a new-workload lever */
  isNew: boolean;
  name?: string;
  /** log-scale noise of a new workload */
  volatility?: number;
}

export interface DynamicRule {
  label: string;
  /** indexes into CompiledScenario.workloads */
  workloads: number[];
  /** day offset from which the rule is armed */
  fromDay: number;
  trigger: Trigger;
  /** cost multiplier once triggered: 0 for stop */
  factor: number;
}

export interface CompiledScenario {
  /** the input workloads in order, then the new ones */
  workloads: CompiledWorkload[];
  /** [day * workloads.length + w]: multiplies the workload's forecast cost */
  multiplier: Float64Array;
  /** [day * workloads.length + w]: micros per day added to the forecast (median) */
  additive: Float64Array;
  blocks: DrawdownBlock[];
  allocations: DrawdownAllocation[];
  initialRemaining?: Map<number, number>;
  initialAllocationLeft?: Map<string, number>;
  rules: DynamicRule[];
  warnings: string[];
}

/** Applies a scenario (or none: the baseline) to the context. */
export function compileScenario(scenario: Scenario | undefined, ctx: ScenarioContext): CompiledScenario {
  const levers = scenario?.levers ?? [];
  const H = ctx.horizonDays;
  const warnings: string[] = [];
  const workloads: CompiledWorkload[] = ctx.workloads.map((w) => ({ ...w, isNew: false }));
  const newLevers = levers.filter((l): l is LeverOf<'new-workload'> => l.kind === 'new-workload');
  newLevers.forEach((l, i) => workloads.push(newWorkload(l, i, ctx, warnings)));
  const nW = workloads.length;
  const out: CompiledScenario = {
    workloads,
    multiplier: new Float64Array(H * nW).fill(1),
    additive: new Float64Array(H * nW),
    blocks: [...ctx.blocks],
    allocations: [...ctx.allocations],
    initialRemaining: ctx.initialRemaining,
    initialAllocationLeft: ctx.initialAllocationLeft,
    rules: [],
    warnings,
  };
  const dayOf = (day: string | undefined) => (day === undefined ? 0 : Math.max(0, Math.min(H, daysBetween(ctx.startDay, day))));
  const resolve = (t: Target, label: string) => resolveTarget(t, workloads, ctx, warnings, label);

  applyModelCosts(levers, ctx, out, dayOf, resolve);
  const priceLevers = levers.filter((l): l is LeverOf<'price-change'> => l.kind === 'price-change');
  newLevers.forEach((l, i) => applyNewWorkloadCost(l, ctx.workloads.length + i, ctx, out, (model, d) => priceFactorOn(priceLevers, model, d, dayOf)));
  // top-up k (in lever order, counting any that fail) becomes block -(k + 1), below any id in use
  const idBase = Math.min(0, ...ctx.blocks.map((b) => b.id));
  let topUps = 0;
  levers.forEach((l, li) => {
    const label = `lever ${li + 1} (${l.kind})`;
    switch (l.kind) {
      case 'surge':
        applySurge(l, resolve(l.target, label), out, dayOf);
        break;
      case 'top-up':
        applyTopUp(l, idBase - ++topUps, out, label);
        break;
      case 'reallocate':
        applyReallocate(l, out, label);
        break;
      case 'split-pool':
        applySplit(l, out, label);
        break;
      case 'throttle':
      case 'stop':
        out.rules.push({
          label,
          workloads: resolve(l.target, label),
          fromDay: dayOf(l.from),
          trigger: l.trigger,
          factor: l.kind === 'stop' ? 0 : l.factor,
        });
        break;
      default:
        break; // model-swap, price-change and new-workload are handled above
    }
  });
  return out;
}

function resolveTarget(t: Target, workloads: CompiledWorkload[], ctx: ScenarioContext, warnings: string[], label: string): number[] {
  let idx: number[] = [];
  if (t.kind === 'workload') idx = workloads.flatMap((w, i) => (w.id === t.workloadId ? [i] : []));
  else if (t.kind === 'account') idx = workloads.flatMap((w, i) => (w.accountId === t.accountId ? [i] : []));
  else {
    const ids = ctx.departments?.[t.department];
    idx = workloads.flatMap((w, i) => ((ids ? w.id !== null && ids.includes(w.id) : w.department === t.department) ? [i] : []));
  }
  if (idx.length === 0) warnings.push(`${label}: no workload matches ${JSON.stringify(t)}`);
  return idx;
}

function newWorkload(l: LeverOf<'new-workload'>, i: number, ctx: ScenarioContext, warnings: string[]): CompiledWorkload {
  const unit = l.unit ?? ctx.blocks.find((b) => b.accountId === l.accountId)?.unit;
  if (unit === undefined) warnings.push(`new workload "${l.name}": account ${l.accountId} has no blocks; its cost is all overage`);
  return {
    id: l.workloadId ?? -(i + 1),
    accountId: l.accountId,
    unit: unit ?? 'USD',
    department: l.department ?? null,
    isNew: true,
    name: l.name,
    volatility: l.volatility,
  };
}

// ---------------------------------------------------------------------------------------
// Model swaps and price changes, on each workload's own token mix

interface Slice {
  origin: string;
  model: string;
  weight: number;
}

type ModelEvent = { day: number; order: number; lever: LeverOf<'model-swap'> | LeverOf<'price-change'>; targets?: Set<number> };

function applyModelCosts(
  levers: readonly Lever[],
  ctx: ScenarioContext,
  out: CompiledScenario,
  dayOf: (d: string | undefined) => number,
  resolve: (t: Target, label: string) => number[],
): void {
  const events: ModelEvent[] = [];
  levers.forEach((l, order) => {
    if (l.kind === 'model-swap') events.push({ day: dayOf(l.from), order, lever: l, targets: new Set(resolve(l.target, `lever ${order + 1} (model-swap)`)) });
    else if (l.kind === 'price-change') events.push({ day: dayOf(l.from), order, lever: l });
  });
  if (events.length === 0) return;
  events.sort((a, b) => a.day - b.day || a.order - b.order);
  const nW = out.workloads.length;
  const touched = new Set<number>();
  for (let w = 0; w < ctx.workloads.length; w++) {
    const id = ctx.workloads[w].id;
    const relevant = events.filter((e) => e.lever.kind === 'price-change' || e.targets!.has(w));
    if (relevant.length === 0) continue;
    const mults = workloadModelMultipliers(id === null ? undefined : ctx.tokenMix?.[id], relevant, ctx, out.warnings, `workload ${id}`);
    if (!mults) continue;
    for (const e of relevant) if (e.lever.kind === 'price-change') touched.add(e.order);
    for (let d = 0; d < ctx.horizonDays; d++) out.multiplier[d * nW + w] *= mults[d];
  }
  for (const e of events) {
    if (e.lever.kind === 'price-change' && !touched.has(e.order) && !out.workloads.some((w) => w.isNew)) {
      out.warnings.push(`lever ${e.order + 1} (price-change): no workload has a known token mix on ${e.lever.model}`);
    }
  }
}

/** Cost multiplier per day for one workload, or null (with a warning) when its mix cannot be priced. */
function workloadModelMultipliers(
  mixes: Readonly<Record<string, TokenMix>> | undefined,
  events: ModelEvent[],
  ctx: ScenarioContext,
  warnings: string[],
  who: string,
): Float64Array | null {
  const swaps = events.filter((e) => e.lever.kind === 'model-swap');
  if (!mixes || Object.keys(mixes).length === 0) {
    if (swaps.length > 0) warnings.push(`${who}: no token mix known, model swap skipped`);
    return null;
  }
  const prices = ctx.prices ?? {};
  const unpriced = Object.keys(mixes).filter((m) => !prices[m]);
  if (unpriced.length > 0) {
    if (swaps.length > 0) warnings.push(`${who}: no price for ${unpriced.join(', ')}, model swap skipped`);
    return null;
  }
  const baseline = Object.entries(mixes).reduce((s, [m, mix]) => s + mixCost(mix, prices[m]), 0);
  if (!(baseline > 0)) return null;
  let slices: Slice[] = Object.keys(mixes).map((m) => ({ origin: m, model: m, weight: 1 }));
  const factor = new Map<string, number>();
  const value = () => slices.reduce((s, sl) => s + sl.weight * mixCost(mixes[sl.origin], prices[sl.model]) * (factor.get(sl.model) ?? 1), 0) / baseline;
  const mult = new Float64Array(ctx.horizonDays).fill(1);
  for (let k = 0; k < events.length; k++) {
    const l = events[k].lever;
    if (l.kind === 'price-change') factor.set(l.model, (factor.get(l.model) ?? 1) * l.factor);
    else if (!prices[l.toModel]) warnings.push(`${who}: no price for ${l.toModel}, model swap skipped`);
    else if (!slices.some((s) => s.model === l.fromModel)) warnings.push(`${who}: does not use ${l.fromModel}, model swap skipped`);
    else slices = slices.flatMap((s) => (s.model === l.fromModel ? [{ ...s, weight: s.weight * (1 - l.share) }, { ...s, model: l.toModel, weight: s.weight * l.share }] : [s]));
    const next = k + 1 < events.length ? events[k + 1].day : ctx.horizonDays;
    mult.fill(value(), events[k].day, next);
  }
  return mult;
}

function applyNewWorkloadCost(
  l: LeverOf<'new-workload'>,
  w: number,
  ctx: ScenarioContext,
  out: CompiledScenario,
  priceFactor: (model: string, d: number) => number,
): void {
  const nW = out.workloads.length;
  const from = Math.max(0, Math.min(ctx.horizonDays, l.from === undefined ? 0 : daysBetween(ctx.startDay, l.from)));
  let daily = l.dailyCostMicros ?? 0;
  let model: string | undefined;
  if (l.dailyCostMicros === undefined && l.dailyTokens && l.model) {
    const price = ctx.prices?.[l.model];
    if (!price) out.warnings.push(`new workload "${l.name}": no price for ${l.model}; it costs nothing`);
    daily = price ? mixCost(l.dailyTokens, price) : 0;
    model = l.model;
  }
  for (let d = 0; d < ctx.horizonDays; d++) {
    out.multiplier[d * nW + w] = 1;
    out.additive[d * nW + w] = d < from ? 0 : daily * (model ? priceFactor(model, d) : 1);
  }
}

/** Product of the price-change factors of a model in force on day d. */
function priceFactorOn(levers: LeverOf<'price-change'>[], model: string, d: number, dayOf: (day: string | undefined) => number): number {
  return levers.filter((p) => p.model === model && dayOf(p.from) <= d).reduce((f, p) => f * p.factor, 1);
}

// ---------------------------------------------------------------------------------------
// Surges, top-ups, reallocations

function applySurge(l: LeverOf<'surge'>, targets: number[], out: CompiledScenario, dayOf: (d: string | undefined) => number): void {
  const nW = out.workloads.length;
  const from = dayOf(l.from);
  const until = l.until === undefined ? out.multiplier.length / Math.max(1, nW) : dayOf(l.until);
  const extra = (l.extraCallsPerDay ?? 0) * (l.costPerCallMicros ?? 0);
  for (let d = from; d < until; d++) {
    const r = surgeRamp(d - from, l.rampDays);
    for (const w of targets) {
      if (l.factor !== undefined) out.multiplier[d * nW + w] *= 1 + (l.factor - 1) * r;
      out.additive[d * nW + w] += extra * r;
    }
  }
}

/** Share of the full surge reached `daysIn` days after it starts (0-based): 1/ramp, 2/ramp, … 1. */
export function surgeRamp(daysIn: number, rampDays: number): number {
  if (daysIn < 0) return 0;
  if (rampDays <= 0) return 1;
  return Math.min(1, (daysIn + 1) / rampDays);
}

function applyTopUp(l: LeverOf<'top-up'>, id: number, out: CompiledScenario, label: string): void {
  const like = l.blockId !== undefined ? out.blocks.find((b) => b.id === l.blockId) : undefined;
  if (l.blockId !== undefined && !like) {
    out.warnings.push(`${label}: block ${l.blockId} not found`);
    return;
  }
  const accountId = like?.accountId ?? l.accountId!;
  const peers = out.blocks.filter((b) => b.accountId === accountId);
  const unit = like?.unit ?? peers[0]?.unit;
  if (unit === undefined) {
    out.warnings.push(`${label}: account ${accountId} has no blocks to take a unit from`);
    return;
  }
  const expires = l.expiresOn !== undefined ? l.expiresOn : like && like.expiresOn === null ? null : addMonths(l.day, 12);
  out.blocks.push({
    id,
    accountId,
    unit,
    kind: like?.kind ?? 'purchased',
    amountMicros: l.amountMicros,
    purchasedOn: l.day,
    expiresOn: expires,
    priority: l.priority ?? like?.priority ?? Math.max(0, ...peers.map((b) => b.priority)),
  });
}

function applyReallocate(l: LeverOf<'reallocate'>, out: CompiledScenario, label: string): void {
  const key = (w: number) => `${l.blockId}:${w}`;
  const fromAmount = out.allocations.filter((a) => a.blockId === l.blockId && a.workloadId === l.fromWorkload).reduce((s, a) => s + a.amountMicros, 0);
  const left = out.initialAllocationLeft?.get(key(l.fromWorkload)) ?? fromAmount;
  const move = Math.min(l.amountMicros, left, fromAmount);
  if (move < l.amountMicros) out.warnings.push(`${label}: workload ${l.fromWorkload} holds only ${move} micros of block ${l.blockId}`);
  if (move <= 0) return;
  out.allocations = [
    ...out.allocations.filter((a) => !(a.blockId === l.blockId && a.workloadId === l.fromWorkload)),
    { blockId: l.blockId, workloadId: l.fromWorkload, amountMicros: fromAmount - move },
    { blockId: l.blockId, workloadId: l.toWorkload, amountMicros: move },
  ];
  if (out.initialAllocationLeft) {
    const m = new Map(out.initialAllocationLeft);
    m.set(key(l.fromWorkload), left - move);
    if (m.has(key(l.toWorkload))) m.set(key(l.toWorkload), m.get(key(l.toWorkload))! + move);
    else {
      const toAmount = out.allocations.filter((a) => a.blockId === l.blockId && a.workloadId === l.toWorkload).reduce((s, a) => s + a.amountMicros, 0);
      m.set(key(l.toWorkload), toAmount);
    }
    out.initialAllocationLeft = m;
  }
}

function applySplit(l: LeverOf<'split-pool'>, out: CompiledScenario, label: string): void {
  const block = out.blocks.find((b) => b.id === l.blockId);
  if (!block) {
    out.warnings.push(`${label}: block ${l.blockId} not found`);
    return;
  }
  const rest = out.initialRemaining?.get(block.id) ?? block.amountMicros;
  const parts = l.split.map((s) => ({ blockId: block.id, workloadId: s.workloadId, amountMicros: s.amountMicros ?? Math.round(((s.percent ?? 0) / 100) * rest) }));
  const total = parts.reduce((s, p) => s + p.amountMicros, 0);
  if (total > rest) out.warnings.push(`${label}: the split (${total} micros) is more than block ${block.id} holds (${rest}); the engine cuts it`);
  out.allocations = [...out.allocations.filter((a) => a.blockId !== block.id), ...parts];
  if (out.initialAllocationLeft) {
    const m = new Map([...out.initialAllocationLeft].filter(([k]) => !k.startsWith(`${block.id}:`)));
    for (const p of parts) m.set(`${block.id}:${p.workloadId}`, p.amountMicros);
    out.initialAllocationLeft = m;
  }
}
