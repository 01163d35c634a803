/**
 * Monte Carlo burn simulation through the real drawdown engine (drawdown-kernel.ts).
 *
 * Per path: sample every workload's daily cost from its fitted model (AR(1) log noise, level
 * and trend uncertainty, spikes), apply the scenario, run the kernel, and apply balance-driven
 * rules (throttle, stop) by re-running from the day they fire. Aggregated per block, account
 * and workload. Deterministic for a seed; the inner loop works on typed arrays allocated once.
 */
import { addDays, daysBetween } from '../dates';
import { compileDrawdown, type CompiledDrawdown } from '../drawdown-kernel';
import type { DrawdownAllocation, DrawdownBlock } from '../drawdown';
import { effectiveExpiryDay, dayNumber, groupKey } from '../drawdown';
import { fitModel, planPath, type ModelOptions, type WorkloadModel } from './model';
import { Rng } from './rng';
import type { ModelPrice, Scenario, TokenMix } from './scenario';
import { compileScenario, type CompiledScenario } from './scenario-compile';
import { MAX_SIMULATION_DAYS, PathRunner, type AccountRule, type Grouping, type PathBatch, type PathShape, type Sampler, type SimulationProfile } from './simulate-path';
import { depletionStats, fanQuantiles, spread, type BlockFacts, type DepletionStats, type Fan } from './simulate-stats';


/** Paths whose daily balances are kept for the fan charts when the input does not say. */
export const DEFAULT_FAN_PATHS = 500;
export { tableExp, type PathBatch, type SimulationProfile } from './simulate-path';

export interface SimWorkload {
  /** null: the unattributed share of an account's usage */
  id: number | null;
  accountId: number;
  unit: string;
  /** usage cost in micros per day (not top-ups), aligned with historyDays */
  history: ArrayLike<number>;
  historyDays: readonly string[];
  /** days left out of the fit, e.g. incident windows */
  excludedDays?: readonly string[];
  department?: string | null;
  /** a model fitted earlier; skips fitting */
  model?: WorkloadModel;
}

export interface SimulationInput {
  blocks: DrawdownBlock[];
  allocations: DrawdownAllocation[];
  workloads: SimWorkload[];
  startDay: string;
  horizonDays: number;
  paths: number;
  seed: number | string;
  scenario?: Scenario;
  /** what model-swap, price-change and department targets need */
  tokenMix?: Readonly<Record<number, Readonly<Record<string, TokenMix>>>>;
  prices?: Readonly<Record<string, ModelPrice>>;
  departments?: Readonly<Record<string, readonly number[]>>;
  initialRemaining?: Map<number, number>;
  initialAllocationLeft?: Map<string, number>;
  renewals?: { accountId: number; day: string }[];
  onProgress?: (done: number, total: number) => void;
  /** checked with each progress report; true stops the run with a SimulationCancelled error */
  shouldCancel?: () => boolean;
  /** filled with where the time went (benchmarks); `now` is the clock, e.g. performance.now */
  profile?: { into: SimulationProfile; now: () => number };
  /** paths whose daily balances feed the fan charts (default 500) */
  fanPaths?: number;
  /** sample spikes at the rate the history shows (default true) */
  spikes?: boolean;
  /** the median path only: no noise, no parameter error, no spikes, and a single path */
  deterministic?: boolean;
  /**
   * run every workload through the kernel on its own (default false: pooled workloads of an
   * account are summed first, which changes nothing but how a pool's overage splits between
   * its workloads — apportioned by spend — and makes the kernel several times faster)
   */
  exactWorkloadOverage?: boolean;
  modelOptions?: ModelOptions;
}

export interface BlockForecast extends DepletionStats {
  blockId: number;
  accountId: number;
  expiresOn: string | null;
  /** added by a top-up lever */
  isTopUp: boolean;
  /** end-of-day balance per day, over the fan paths */
  fan: Fan;
}

export interface AccountForecast extends DepletionStats {
  accountId: number;
  blockIds: number[];
  expectedOverageMicros: number;
  p90OverageMicros: number;
  probOverage: number;
  fan: Fan;
}

export interface WorkloadForecast {
  workloadId: number | null;
  accountId: number;
  isNew: boolean;
  name?: string;
  /** spend over the horizon */
  expectedSpendMicros: number;
  p10SpendMicros: number;
  p50SpendMicros: number;
  p90SpendMicros: number;
  expectedOverageMicros: number;
  probOverage: number;
  model: WorkloadModel | null;
}

export interface SimulationResult {
  startDay: string;
  horizonDays: number;
  paths: number;
  seed: number | string;
  fanPaths: number;
  scenarioName: string | null;
  days: string[];
  blocks: BlockForecast[];
  accounts: AccountForecast[];
  workloads: WorkloadForecast[];
  warnings: string[];
}

export class SimulationCancelled extends Error {
  constructor(done: number) {
    super(`simulation cancelled after ${done} paths`);
    this.name = 'SimulationCancelled';
  }
}

export function simulate(input: SimulationInput): SimulationResult {
  const prep = prepareSimulation(input);
  const batch = runSimulationPaths(prep, 0, prep.input.paths);
  return assembleSimulation(prep, [batch]);
}

/** A run's fitted models, compiled scenario and kernel, and the sampler: what every batch of its paths shares. */
export interface PreparedSimulation {
  input: SimulationInput;
  models: WorkloadModel[];
  sc: CompiledScenario;
  shape: PathShape;
  sampler: Sampler;
  grouping: Grouping;
  compiled: CompiledDrawdown;
  startedAt: number;
}

export function prepareSimulation(input: SimulationInput): PreparedSimulation {
  validate(input);
  if (input.deterministic) input = { ...input, paths: 1, fanPaths: 1 };
  const startedAt = input.profile?.now() ?? 0;
  const H = input.horizonDays;
  const models = input.workloads.map((w) => w.model ?? fitModel(w.history, w.historyDays, w.excludedDays, input.modelOptions));
  const sc = compileScenario(input.scenario, {
    startDay: input.startDay,
    horizonDays: H,
    workloads: input.workloads,
    blocks: input.blocks,
    allocations: input.allocations,
    initialRemaining: input.initialRemaining,
    initialAllocationLeft: input.initialAllocationLeft,
    tokenMix: input.tokenMix,
    prices: input.prices,
    departments: input.departments,
  });
  const sampler = buildSampler(models, sc, input.startDay, H, input.spikes ?? true);
  if (input.deterministic) silence(sampler);
  const grouping = groupWorkloads(sc, input.exactWorkloadOverage ?? false);
  const compiled = compileDrawdown(
    sc.blocks,
    sc.allocations,
    grouping.members.map((m) => (m.length === 1 ? sc.workloads[m[0]].id : null)),
    grouping.members.map((m) => ({ accountId: sc.workloads[m[0]].accountId, unit: sc.workloads[m[0]].unit })),
    input.startDay,
    H,
    sc.initialRemaining,
    sc.initialAllocationLeft,
  );
  return { input, models, sc, shape: pathShape(input, sc), sampler, grouping, compiled, startedAt };
}

/**
 * Paths from..to-1 of a run. Path p draws from stream p of the seed (Rng.reseed), so any split
 * of the paths into batches, on any threads, gives the same numbers as one batch of all of them.
 * Progress counts this batch's paths.
 */
export function simulatePaths(input: SimulationInput, from: number, to: number): PathBatch {
  return runSimulationPaths(prepareSimulation(input), from, to);
}

/** simulatePaths on a run already prepared (progress and cancel hooks of prep.input). */
export function runSimulationPaths(prep: PreparedSimulation, from: number, to: number): PathBatch {
  const { input, shape, sampler, grouping, compiled } = prep;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > input.paths || from >= to) throw new RangeError(`paths ${from}..${to} are not within 0..${input.paths}`);
  const prof = input.profile;
  const run = new PathRunner(shape, sampler, grouping, compiled, from, to);
  const rng = new Rng(input.seed);
  const n = to - from;
  const step = Math.max(1, Math.floor(n / 100));
  if (prof) Object.assign(prof.into, { sampleMs: 0, kernelMs: 0, bookMs: 0, setupMs: prof.now() - prep.startedAt, aggregateMs: 0, kernelGroups: grouping.nG });
  for (let p = from; p < to; p++) {
    rng.reseed(input.seed, p);
    if (prof) run.profiledPath(p, rng, prof.into, prof.now);
    else run.path(p, rng);
    const done = p + 1 - from;
    if (done % step === 0 || done === n) {
      input.onProgress?.(done, n);
      if (input.shouldCancel?.() && done < n) throw new SimulationCancelled(done);
    }
  }
  return run.batch;
}

/** The result from batches that together hold every path of the run, in any order. */
export function assembleSimulation(prep: PreparedSimulation, batches: PathBatch[]): SimulationResult {
  const prof = prep.input.profile;
  const tAggregate = prof?.now() ?? 0;
  const result = assemble(prep, mergeBatches(prep, batches));
  if (prof) prof.into.aggregateMs = prof.now() - tAggregate;
  return result;
}

/** One batch of paths 0..P-1 from batches covering them. */
function mergeBatches(prep: PreparedSimulation, batches: PathBatch[]): PathBatch {
  const P = prep.input.paths;
  const sorted = [...batches].sort((a, b) => a.from - b.from);
  let next = 0;
  for (const b of sorted) {
    if (b.from !== next) throw new RangeError(`the batches do not cover paths ${next}..${b.from - 1}`);
    next = b.to;
  }
  if (next !== P) throw new RangeError(`the batches stop at path ${next} of ${P}`);
  if (sorted.length === 1) return sorted[0];
  const H = prep.input.horizonDays;
  const joined = <T extends Int32Array | Float64Array>(pick: (b: PathBatch) => T, make: (n: number) => T): T => {
    const out = make(sorted.reduce((n, b) => n + pick(b).length, 0));
    let at = 0;
    for (const b of sorted) {
      out.set(pick(b), at);
      at += pick(b).length;
    }
    return out;
  };
  const f64 = (n: number) => new Float64Array(n);
  const fanPaths = sorted.reduce((n, b) => n + b.fanPaths, 0);
  // fan samples are [(series * H + d) * fanPaths + path]: interleave the batches' runs per series and day
  const fan = (pick: (b: PathBatch) => Float32Array, series: number) => {
    const out = new Float32Array(series * H * fanPaths);
    let offset = 0;
    for (const b of sorted) {
      const src = pick(b);
      for (let r = 0; r < series * H; r++) for (let j = 0; j < b.fanPaths; j++) out[r * fanPaths + offset + j] = src[r * b.fanPaths + j];
      offset += b.fanPaths;
    }
    return out;
  };
  const nB = prep.sc.blocks.length;
  const nA = prep.shape.accountBlocks.length;
  return {
    from: 0,
    to: P,
    fanPaths,
    blockDry: joined((b) => b.blockDry, (n) => new Int32Array(n)),
    blockWaste: joined((b) => b.blockWaste, f64),
    blockRemaining: joined((b) => b.blockRemaining, f64),
    accountDry: joined((b) => b.accountDry, (n) => new Int32Array(n)),
    accountWaste: joined((b) => b.accountWaste, f64),
    accountOverage: joined((b) => b.accountOverage, f64),
    accountRemaining: joined((b) => b.accountRemaining, f64),
    workloadSpend: joined((b) => b.workloadSpend, f64),
    workloadOverage: joined((b) => b.workloadOverage, f64),
    fanBlocks: fan((b) => b.fanBlocks, nB),
    fanAccounts: fan((b) => b.fanAccounts, nA),
  };
}

function validate(input: SimulationInput): void {
  if (!Number.isInteger(input.paths) || input.paths < 1) throw new RangeError(`paths must be a whole number >= 1, got ${input.paths}`);
  if (!Number.isInteger(input.horizonDays) || input.horizonDays < 1 || input.horizonDays > MAX_SIMULATION_DAYS) {
    throw new RangeError(`horizonDays must be a whole number from 1 to ${MAX_SIMULATION_DAYS}, got ${input.horizonDays}`);
  }
  dayNumber(input.startDay);
}

function buildSampler(models: WorkloadModel[], sc: CompiledScenario, startDay: string, H: number, spikes: boolean): Sampler {
  const nW = sc.workloads.length;
  const s: Sampler = {
    nW,
    median: new Float64Array(H * nW),
    trendDamping: new Float64Array(nW),
    dampedBefore: new Float64Array(nW),
    sigma: new Float64Array(nW),
    phi: new Float64Array(nW),
    innovation: new Float64Array(nW).fill(1),
    startNoise: new Float64Array(nW),
    startNoiseSd: new Float64Array(nW),
    levelSe: new Float64Array(nW),
    trendSe: new Float64Array(nW),
    trendCentre: new Float64Array(nW),
    spikeRate: new Float64Array(nW),
    spikeInvLog: new Float64Array(nW),
    spikeSize: new Float64Array(nW).fill(1),
  };
  for (let w = 0; w < nW; w++) {
    const model = w < models.length ? models[w] : null;
    if (model === null) {
      s.sigma[w] = sc.workloads[w].volatility ?? 0.25;
      for (let d = 0; d < H; d++) s.median[w * H + d] = sc.additive[d * nW + w];
      continue;
    }
    const plan = planPath(model, startDay, H);
    for (let d = 0; d < H; d++) {
      const k = d * nW + w;
      s.median[w * H + d] = plan.base[d] * sc.multiplier[k] + sc.additive[k];
    }
    s.trendDamping[w] = plan.trendDamping;
    s.dampedBefore[w] = plan.dampedBefore;
    s.sigma[w] = plan.sigma;
    s.phi[w] = plan.phi;
    s.innovation[w] = plan.innovation;
    s.startNoise[w] = plan.startNoise;
    s.startNoiseSd[w] = plan.startNoiseSd;
    s.levelSe[w] = plan.levelSe;
    s.trendSe[w] = plan.trendSe;
    s.trendCentre[w] = plan.trendCentre;
    if (spikes) {
      s.spikeRate[w] = plan.spikeRate;
      s.spikeInvLog[w] = plan.spikeRate > 0 ? 1 / Math.log1p(-Math.min(plan.spikeRate, 1 - 1e-12)) : -0;
      s.spikeSize[w] = plan.spikeSize;
    }
  }
  return s;
}

/**
 * Kernel groups: a workload with an allocation of its own runs alone; the others are summed
 * per account and unit (they draw the same pools in the same order, so the sum is exact).
 */
function groupWorkloads(sc: CompiledScenario, exact: boolean): Grouping {
  const allocated = new Set(sc.allocations.filter((a) => a.amountMicros > 0).map((a) => a.workloadId));
  const keyIndex = new Map<string, number>();
  const members: number[][] = [];
  const groupOf = new Int32Array(sc.workloads.length);
  sc.workloads.forEach((w, i) => {
    const alone = exact || (w.id !== null && allocated.has(w.id));
    const key = alone ? `w${i}` : groupKey(w.accountId, w.unit);
    let g = keyIndex.get(key);
    if (g === undefined) {
      g = members.length;
      keyIndex.set(key, g);
      members.push([]);
    }
    members[g].push(i);
    groupOf[i] = g;
  });
  return { nG: members.length, groupOf, members: members.map((m) => Int32Array.from(m)) };
}

function pathShape(input: SimulationInput, sc: CompiledScenario): PathShape {
  const H = input.horizonDays;
  const accountIds = accountsOf(sc);
  const accIndex = new Map(accountIds.map((a, i) => [a, i]));
  const workloadAccount = Int32Array.from(sc.workloads.map((w) => accIndex.get(w.accountId)!));
  const rules: AccountRule[] = sc.rules.flatMap((r) =>
    [...new Set(r.workloads.map((w) => workloadAccount[w]))].map((account) => ({ ...r, account, workloads: r.workloads.filter((w) => workloadAccount[w] === account) })),
  );
  const nB = sc.blocks.length;
  const nA = accountIds.length;
  return {
    horizon: H,
    paths: input.paths,
    // at most ~10M fan samples, so a long horizon with many blocks stays within memory
    fanPaths: Math.max(0, Math.min(input.paths, input.fanPaths ?? DEFAULT_FAN_PATHS, Math.floor(10_000_000 / Math.max(1, H * (nB + nA))))),
    facts: blockFacts(sc, input.startDay, H),
    accountBlocks: accountIds.map((a) => Int32Array.from(sc.blocks.flatMap((b, i) => (b.accountId === a ? [i] : [])))),
    workloadAccount,
    rules,
  };
}

function accountsOf(sc: CompiledScenario): number[] {
  return [...new Set([...sc.blocks.map((b) => b.accountId), ...sc.workloads.map((w) => w.accountId)])].sort((a, b) => a - b);
}

function assemble(prep: PreparedSimulation, run: PathBatch): SimulationResult {
  const { input, sc, shape, models } = prep;
  const H = input.horizonDays;
  const nB = sc.blocks.length;
  const nA = shape.accountBlocks.length;
  const nW = sc.workloads.length;
  const P = input.paths;
  const scratchF = new Float64Array(P);
  const renewalOf = (accountId: number) => nextRenewal(input.renewals ?? [], accountId, input.startDay);
  const inputIds = new Set(input.blocks.map((b) => b.id));
  // summed in path order, so the mean is the same however the paths were split
  const total = (values: Float64Array, n: number, i: number) => {
    let sum = 0;
    for (let p = 0; p < P; p++) sum += values[p * n + i];
    return sum;
  };
  const stats = (dry: Int32Array, n: number, i: number, expiry: number, accountId: number, waste: Float64Array, remaining: Float64Array) =>
    depletionStats(input.startDay, H, dry, n, i, P, expiry, renewalOf(accountId), waste, total(remaining, n, i), scratchF);
  const blocks: BlockForecast[] = sc.blocks.map((b, i) => ({
    blockId: b.id,
    accountId: b.accountId,
    expiresOn: b.expiresOn,
    isTopUp: !inputIds.has(b.id),
    ...stats(run.blockDry, nB, i, shape.facts.expiry[i], b.accountId, run.blockWaste, run.blockRemaining),
    fan: fanQuantiles(run.fanBlocks, i, H, shape.fanPaths),
  }));
  const accounts: AccountForecast[] = accountsOf(sc).map((accountId, a) => {
    const ids = Array.from(shape.accountBlocks[a]);
    // the credit held at the start runs until the last of those blocks expires
    const held = ids.filter((b) => shape.facts.purchase[b] <= 0).reduce((m, b) => Math.max(m, shape.facts.expiry[b]), -1);
    const overage = spread(run.accountOverage, nA, a, P, scratchF);
    return {
      accountId,
      blockIds: ids.map((b) => sc.blocks[b].id),
      ...stats(run.accountDry, nA, a, held < 0 ? H : held, accountId, run.accountWaste, run.accountRemaining),
      expectedOverageMicros: overage.mean,
      p90OverageMicros: overage.p90,
      probOverage: overage.probPositive,
      fan: fanQuantiles(run.fanAccounts, a, H, shape.fanPaths),
    };
  });
  const workloads: WorkloadForecast[] = sc.workloads.map((w, i) => {
    const spend = spread(run.workloadSpend, nW, i, P, scratchF);
    const over = spread(run.workloadOverage, nW, i, P, scratchF);
    return {
      workloadId: w.id,
      accountId: w.accountId,
      isNew: w.isNew,
      ...(w.name !== undefined ? { name: w.name } : {}),
      expectedSpendMicros: spend.mean,
      p10SpendMicros: spend.p10,
      p50SpendMicros: spend.p50,
      p90SpendMicros: spend.p90,
      expectedOverageMicros: over.mean,
      probOverage: over.probPositive,
      model: i < models.length ? models[i] : null,
    };
  });
  return {
    startDay: input.startDay,
    horizonDays: H,
    paths: P,
    seed: input.seed,
    fanPaths: shape.fanPaths,
    scenarioName: input.scenario?.name ?? null,
    days: Array.from({ length: H }, (_, d) => addDays(input.startDay, d)),
    blocks,
    accounts,
    workloads,
    warnings: sc.warnings,
  };
}

/** No randomness left: every path is the median path. */
function silence(s: Sampler): void {
  for (const a of [s.sigma, s.startNoise, s.startNoiseSd, s.levelSe, s.trendSe, s.spikeRate, s.spikeInvLog]) a.fill(0);
}

function blockFacts(sc: CompiledScenario, startDay: string, H: number): BlockFacts {
  const n = sc.blocks.length;
  const f: BlockFacts = { purchase: new Int32Array(n), expiry: new Int32Array(n), emptyAtStart: new Uint8Array(n), initial: new Float64Array(n) };
  const start = dayNumber(startDay);
  sc.blocks.forEach((b, i) => {
    f.purchase[i] = Math.max(-1, Math.min(H, dayNumber(b.purchasedOn) - start));
    const exp = effectiveExpiryDay(b) - start;
    f.expiry[i] = exp >= H ? 0x7fffffff : Math.max(0, exp);
    const init = Math.max(0, sc.initialRemaining?.get(b.id) ?? b.amountMicros);
    f.initial[i] = init;
    f.emptyAtStart[i] = init <= 0 ? 1 : 0;
  });
  return f;
}

/** Day offset of the account's next renewal on or after the start, or null. */
function nextRenewal(renewals: { accountId: number; day: string }[], accountId: number, startDay: string): number | null {
  let best: number | null = null;
  for (const r of renewals) {
    if (r.accountId !== accountId) continue;
    const d = daysBetween(startDay, r.day);
    if (d >= 0 && (best === null || d < best)) best = d;
  }
  return best;
}
