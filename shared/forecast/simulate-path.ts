/**
 * The Monte Carlo inner loop: sample one path of daily cost per workload, run it through the
 * drawdown kernel, apply throttle/stop rules, book the outcome. Every buffer is allocated once
 * in the constructor; a path allocates nothing.
 *
 * Pooled workloads are summed before the kernel: workloads of one account and unit without
 * allocations of their own all draw the same pools in the same block order, so the kernel's
 * block balances, depletion days, waste and the account's overage are exactly those of running
 * them one by one. Only the split of a pooled group's overage between its workloads is lost;
 * it is apportioned by spend (SimulationInput.exactWorkloadOverage runs them one by one).
 */
import { runKernel, type CompiledDrawdown, type KernelOut } from '../drawdown-kernel';
import { makeKernelOut } from '../drawdown-kernel';
import { NOISE_TABLE, NOISE_TABLE_BITS, NOISE_TABLE_SIZE, Rng } from './rng';
import type { DynamicRule } from './scenario-compile';
import { accountDryDay, type BlockFacts } from './simulate-stats';

/**
 * exp(x) on [-EXP_MAX, EXP_MAX] from a table at 1/EXP_STEPS steps, read at the nearest step:
 * relative error below 1/(2·EXP_STEPS) ≈ 4.9e-4, unbiased on average (the rounding error is
 * symmetric), exact at 0 (so a path with no noise is the median path to the last bit).
 */
export const EXP_STEPS = 1024;
export const EXP_MAX = 20;
const EXP_OFFSET = EXP_MAX * EXP_STEPS;
const EXP_TABLE = new Float64Array(2 * EXP_OFFSET + 1);
for (let i = 0; i < EXP_TABLE.length; i++) EXP_TABLE[i] = Math.exp((i - EXP_OFFSET) / EXP_STEPS);

/** The simulation's exp (see EXP_TABLE), clamped to [-EXP_MAX, EXP_MAX]. */
export function tableExp(x: number): number {
  const f = Math.max(-EXP_MAX, Math.min(EXP_MAX, x)) * EXP_STEPS;
  return EXP_TABLE[(f + (EXP_OFFSET + 0.5)) | 0];
}

/** The longest horizon the simulation takes (20 years): a row fits ROW_Z and ROW_SUM. */
export const MAX_SIMULATION_DAYS = 7_320;
/**
 * What costRow works on: the median costs (and, for rowExact alone, ROW_Z: a row's daily normals
 * drawn in first).
 * Module constants rather than arguments: V8 then knows them when it compiles costRow and checks
 * nothing about them per day (an argument array is checked again after every store the loop
 * makes). MEDIANS holds the whole run's medians when they fit (copied in when a runner starts
 * sampling; MEDIANS_OWNER says whose they are), otherwise one row at a time. One simulation at a
 * time per thread samples, and only within sample().
 */
const ROW_Z = new Float64Array(MAX_SIMULATION_DAYS);
const MEDIANS = new Float64Array(1 << 18);
let MEDIANS_OWNER = 0;
let nextRunnerId = 1;
/** what costRow adds the row's costs into: a kernel group's sum, or one workload's row */
const ROW_SUM = new Float64Array(MAX_SIMULATION_DAYS);
/**
 * costRow's numbers (φ, a, damping, k, u, q) in, and the row's total out ([6]). Plain doubles here:
 * as arguments, one that happens to be a whole number arrives as a small integer, and the loop
 * then checks which of the two every argument is on every day; a returned number is boxed.
 */
const ROW_PARAMS = new Float64Array(7);
/** costRow's costs of the row's days, for row() to add the spike days' extra */
const ROW_COST = new Float64Array(MAX_SIMULATION_DAYS);

/** Per-workload sampling parameters, one typed array per parameter. */
export interface Sampler {
  nW: number;
  /** median cost per [w * horizon + day] after the scenario */
  median: Float64Array;
  /** the trend shock runs s = damping·(slope + s) from s = slope·D(day before start) */
  trendDamping: Float64Array;
  dampedBefore: Float64Array;
  sigma: Float64Array;
  phi: Float64Array;
  innovation: Float64Array;
  startNoise: Float64Array;
  startNoiseSd: Float64Array;
  levelSe: Float64Array;
  trendSe: Float64Array;
  trendCentre: Float64Array;
  spikeRate: Float64Array;
  /** 1 / log(1 − spikeRate): −0 when there are no spikes */
  spikeInvLog: Float64Array;
  spikeSize: Float64Array;
}

/** Workloads as the kernel sees them: pooled ones summed per account and unit. */
export interface Grouping {
  nG: number;
  groupOf: Int32Array;
  members: Int32Array[];
}

/** Where a run's time went, for benchmarks: sampling (normals included), the kernel (rules included), booking. */
export interface SimulationProfile {
  sampleMs: number;
  kernelMs: number;
  bookMs: number;
  /** fitting, compiling, and aggregating the paths into the result */
  setupMs: number;
  aggregateMs: number;
  /** kernel groups after summing pooled workloads */
  kernelGroups: number;
}

/** A rule restricted to one account (its balance is that account's). */
export interface AccountRule extends DynamicRule {
  account: number;
}

export interface PathShape {
  horizon: number;
  paths: number;
  fanPaths: number;
  facts: BlockFacts;
  accountBlocks: Int32Array[];
  workloadAccount: Int32Array;
  rules: AccountRule[];
}

/**
 * The hot loop of the simulation: one workload's days of one path. A function of its own with
 * plain arguments (no `this`, no cold code), so V8 compiles it once and alone, whatever else
 * happens to PathRunner's shape. In units of the exp table's steps, with u = σ·e (the AR(1) log
 * noise) and q = level shock + trend shock (the damped trend D(h) = φ(1 + D(h−1)) folded with
 * the level into q = damping·q + k): cost = median · exp(u + q), added into ROW_SUM[0..days) and
 * kept in ROW_COST, the row's total into ROW_PARAMS[6]. The medians are MEDIANS[from..from + days),
 * the other numbers ROW_PARAMS's. Spikes are not here: row() adds a spike day's extra, cost · (size − 1),
 * afterwards (a spike day ended a run of days without a test per day, and every one cost a few
 * mispredicted branches; the bench's rows have 13 on average).
 *
 * The day's normal is drawn here, from the generator state `s` (held in locals, written back at
 * the end): exactly what Rng.fillTableNormal over the row's days gives (a draw's top bits for day
 * d, its bottom bits for day d + 1; a last odd day from a draw's top bits), without a buffer in
 * between. No clamp: an exponent beyond the table reads undefined, the total turns NaN and
 * sample() redoes the rows.
 */
function costRow(s: Int32Array, from: number, days: number): void {
  const ph = ROW_PARAMS[0];
  const a = ROW_PARAMS[1];
  const damp = ROW_PARAMS[2];
  const k = ROW_PARAMS[3];
  let u = ROW_PARAMS[4];
  let q = ROW_PARAMS[5];
  const table = EXP_TABLE;
  const noise = NOISE_TABLE;
  const median = MEDIANS;
  const out = ROW_SUM;
  const cost = ROW_COST;
  const rounding = EXP_OFFSET + 0.5;
  const shift = 32 - NOISE_TABLE_BITS;
  const mask = NOISE_TABLE_SIZE - 1;
  let sa = s[0];
  let sb = s[1];
  let sc = s[2];
  let sd = s[3];
  let total = 0;
  for (let d = 0; d < days; d += 2) {
    const t = (((sa + sb) | 0) + sd) | 0;
    sd = (sd + 1) | 0;
    sa = sb ^ (sb >>> 9);
    sb = (sc + (sc << 3)) | 0;
    sc = (((sc << 21) | (sc >>> 11)) + t) | 0;
    u = ph * u + a * noise[t >>> shift];
    q = damp * q + k;
    const c0 = median[from + d] * table[(u + q + rounding) | 0];
    cost[d] = c0;
    out[d] += c0;
    total += c0;
    if (d + 1 === days) break;
    u = ph * u + a * noise[t & mask];
    q = damp * q + k;
    const c1 = median[from + d + 1] * table[(u + q + rounding) | 0];
    cost[d + 1] = c1;
    out[d + 1] += c1;
    total += c1;
  }
  s[0] = sa;
  s[1] = sb;
  s[2] = sc;
  s[3] = sd;
  ROW_PARAMS[6] = total;
}

export class PathRunner {
  readonly H: number;
  readonly nW: number;
  readonly nG: number;
  readonly nB: number;
  readonly nA: number;
  /** per workload, workload-major: [w * H + d] */
  private readonly cost: Float64Array;
  /** per kernel group, group-major (the kernel reads it 'workload-major'): [g * H + d] */
  private readonly groupCost: Float64Array;
  /** per workload, its row of the sampler's medians */
  private readonly medianRows: Float64Array[];
  /** which runner's medians MEDIANS holds */
  private readonly id = nextRunnerId++;
  /** ROW_SUM's first H days */
  private readonly rowSum: Float64Array;
  /** the generator's state before the first row's normals (a redo draws them again) */
  private readonly rngAtRows = new Int32Array(4);
  private readonly spend: Float64Array;
  /** per workload: H + 1 slots of spike days ended by H */
  private readonly spikeDays: Int32Array;
  /** per workload: level shock at the origin, slope shock, starting noise */
  private readonly shock: Float64Array;
  /** a workload's three normals behind its shocks */
  private readonly shockZ = new Float64Array(3);
  /** keep every workload's row in `cost` (rules need them; otherwise only group sums are kept) */
  private readonly keepRows: boolean;
  private readonly out: KernelOut;
  private readonly outBal: KernelOut;
  private readonly ruleApplied: Uint8Array;
  private readonly needBalances: boolean;
  private readonly dryScratch: Int32Array;
  private readonly accountHasDemand: Uint8Array;
  /** the paths this runner books: from..to-1, and of them the fan paths (the first fanPaths overall) */
  readonly from: number;
  readonly batch: PathBatch;

  constructor(
    private readonly shape: PathShape,
    private readonly s: Sampler,
    private readonly g: Grouping,
    private readonly c: CompiledDrawdown,
    from = 0,
    to = shape.paths,
  ) {
    const H = (this.H = shape.horizon);
    const nW = (this.nW = s.nW);
    const nG = (this.nG = g.nG);
    const nB = (this.nB = c.nBlocks);
    const nA = (this.nA = shape.accountBlocks.length);
    this.cost = new Float64Array(H * nW);
    this.groupCost = new Float64Array(H * nG);
    if (H > MAX_SIMULATION_DAYS) throw new RangeError(`the simulation takes at most ${MAX_SIMULATION_DAYS} days, got ${H}`);
    this.medianRows = Array.from({ length: nW }, (_, w) => s.median.subarray(w * H, (w + 1) * H));
    this.rowSum = ROW_SUM.subarray(0, H);
    this.spend = new Float64Array(nW);
    this.spikeDays = new Int32Array(nW * (H + 1));
    this.shock = new Float64Array(3 * nW);
    this.keepRows = shape.rules.length > 0;
    this.outBal = makeKernelOut(c, true);
    // give the balance-less output the same shape (hidden class) as the other: runKernel sees
    // both, and two shapes make V8 deoptimise it again and again
    this.out = makeKernelOut(c, false);
    this.out.balanceByDay = undefined;
    this.ruleApplied = new Uint8Array(shape.rules.length);
    this.needBalances = shape.rules.some((r) => r.trigger.kind === 'balance-below');
    this.dryScratch = new Int32Array(2 * nB + 1);
    this.accountHasDemand = new Uint8Array(nA);
    for (const a of shape.workloadAccount) this.accountHasDemand[a] = 1;
    this.from = from;
    const n = to - from;
    const nf = Math.max(0, Math.min(to, shape.fanPaths) - from);
    this.batch = {
      from,
      to,
      fanPaths: nf,
      blockDry: new Int32Array(n * nB),
      blockWaste: new Float64Array(n * nB),
      blockRemaining: new Float64Array(n * nB),
      accountDry: new Int32Array(n * nA),
      accountWaste: new Float64Array(n * nA),
      accountOverage: new Float64Array(n * nA),
      accountRemaining: new Float64Array(n * nA),
      workloadSpend: new Float64Array(n * nW),
      workloadOverage: new Float64Array(n * nW),
      fanBlocks: new Float32Array(nf * H * nB),
      fanAccounts: new Float32Array(nf * H * nA),
    };
  }

  path(p: number, rng: Rng): void {
    this.sample(rng);
    const o = p < this.shape.fanPaths || this.needBalances ? this.outBal : this.out;
    runKernel(this.c, this.groupCost, o, 'workload-major');
    if (this.shape.rules.length > 0) this.applyRules(o);
    this.book(p, o);
  }

  /** The same as path(), timing its three phases into `profile` (milliseconds). */
  profiledPath(p: number, rng: Rng, profile: SimulationProfile, now: () => number): void {
    const t0 = now();
    this.sample(rng);
    const t1 = now();
    const o = p < this.shape.fanPaths || this.needBalances ? this.outBal : this.out;
    runKernel(this.c, this.groupCost, o, 'workload-major');
    if (this.shape.rules.length > 0) this.applyRules(o);
    const t2 = now();
    this.book(p, o);
    profile.sampleMs += t1 - t0;
    profile.kernelMs += t2 - t1;
    profile.bookMs += now() - t2;
  }

  /** Daily cost of every workload for one path, its total, and the kernel's group sums. */
  private sample(rng: Rng): void {
    const { nW, spend, shock } = this;
    const { levelSe, trendSe, trendCentre, startNoise, startNoiseSd } = this.s;
    let redo = false;
    const z = this.shockZ;
    for (let w = 0; w < nW; w++) {
      rng.normalsInto(z, 0, 3);
      const lvlAtCentre = levelSe[w] * z[0];
      const slp = trendSe[w] * z[1];
      shock[3 * w] = lvlAtCentre - slp * trendCentre[w]; // level error moved from the window centre to the origin
      shock[3 * w + 1] = slp;
      shock[3 * w + 2] = startNoise[w] + startNoiseSd[w] * z[2];
      this.drawSpikes(w, rng);
    }
    rng.saveState(this.rngAtRows);
    this.rows(rng, false);
    for (let w = 0; w < nW; w++) if (!(spend[w] < Number.POSITIVE_INFINITY)) redo = true;
    if (redo) {
      // an exponent beyond the table (practically never): the same normals again, drawn from the
      // saved state, with Math.exp and a clamp for the rows that overflowed
      rng.restoreState(this.rngAtRows);
      this.rows(rng, true);
    }
    if (this.keepRows) this.resumGroups(0);
  }

  /**
   * Every workload's row into the kernel's group sums, group by group (summed in ROW_SUM), or,
   * when rules need the rows, each into its row of `cost`. `redo`: rows that overflowed the exp
   * table go through rowExact.
   */
  private rows(rng: Rng, redo: boolean): void {
    const { nW, spend, rowSum, H } = this;
    if (this.keepRows) {
      for (let w = 0; w < nW; w++) {
        rowSum.fill(0);
        if (redo && !(spend[w] < Number.POSITIVE_INFINITY)) spend[w] = this.rowExact(w, rng);
        else this.row(w, rng);
        this.cost.set(rowSum, w * H);
      }
      return;
    }
    for (let g = 0; g < this.nG; g++) {
      rowSum.fill(0);
      const members = this.g.members[g];
      for (let m = 0; m < members.length; m++) {
        const w = members[m];
        if (redo && !(spend[w] < Number.POSITIVE_INFINITY)) spend[w] = this.rowExact(w, rng);
        else this.row(w, rng);
      }
      this.groupCost.set(rowSum, g * H);
    }
  }

  /** Where workload w's medians start in MEDIANS (copied in first when the run's do not fit). */
  private medianAt(w: number): number {
    const H = this.H;
    if (H * this.nW <= MEDIANS.length) {
      if (MEDIANS_OWNER !== this.id) {
        MEDIANS.set(this.s.median);
        MEDIANS_OWNER = this.id;
      }
      return w * H;
    }
    MEDIANS.set(this.medianRows[w]);
    MEDIANS_OWNER = 0;
    return 0;
  }

  /**
   * One workload's days of this path (see costRow), added into the group sums, or into its
   * (zeroed) row of `cost` when rules need the rows (the group sums are then summed from them);
   * the workload's total into spend[w].
   */
  private row(w: number, rng: Rng): void {
    const H = this.H;
    const sp = this.s;
    const lvl = this.shock[3 * w];
    const slp = this.shock[3 * w + 1];
    const damp = sp.trendDamping[w];
    ROW_PARAMS[0] = sp.phi[w];
    ROW_PARAMS[1] = sp.innovation[w] * sp.sigma[w] * EXP_STEPS;
    ROW_PARAMS[2] = damp;
    ROW_PARAMS[3] = (damp * slp + (1 - damp) * lvl) * EXP_STEPS;
    ROW_PARAMS[4] = sp.sigma[w] * this.shock[3 * w + 2] * EXP_STEPS;
    ROW_PARAMS[5] = (lvl + slp * sp.dampedBefore[w]) * EXP_STEPS;
    // the spike days' extra after the row: ROW_SUM's days get it as they did day by day (right
    // after the day's cost); the total adds it after all the days rather than after its own day
    costRow(rng.state, this.medianAt(w), H);
    let total = ROW_PARAMS[6];
    const extra = sp.spikeSize[w] - 1;
    const spikes = this.spikeDays;
    for (let i = w * (H + 1); spikes[i] < H; i++) {
      const x = ROW_COST[spikes[i]] * extra;
      ROW_SUM[spikes[i]] += x;
      total += x;
    }
    this.spend[w] = total;
  }

  /** The spike days of workload w on this path, ascending, ended by H (geometric gaps: no draw per day). */
  private drawSpikes(w: number, rng: Rng): void {
    const H = this.H;
    this.spikeDays[rng.eventDays(this.s.spikeInvLog[w], H, this.spikeDays, w * (H + 1))] = H;
  }

  /** Row w with Math.exp and a clamp, added into ROW_SUM; returns its total. */
  private rowExact(w: number, rng: Rng): number {
    const { H, s: sp, spikeDays } = this;
    rng.fillTableNormal(ROW_Z, 0, H);
    const from = this.medianAt(w);
    const lvl = this.shock[3 * w];
    const slp = this.shock[3 * w + 1];
    let e = this.shock[3 * w + 2];
    let s = slp * sp.dampedBefore[w];
    let total = 0;
    let si = w * (H + 1);
    for (let d = 0; d < H; d++) {
      e = sp.phi[w] * e + sp.innovation[w] * ROW_Z[d];
      s = sp.trendDamping[w] * (slp + s);
      let c = MEDIANS[from + d] * Math.exp(Math.max(-EXP_MAX, Math.min(EXP_MAX, sp.sigma[w] * e + lvl + s)));
      if (d === spikeDays[si]) {
        c *= sp.spikeSize[w];
        si++;
      }
      ROW_SUM[d] += c;
      total += c;
    }
    return total;
  }

  /** Recomputes the kernel's group sums from the workload costs, from day `from` on. */
  private resumGroups(from: number, only?: Set<number>): void {
    const { H, nG, cost, groupCost } = this;
    for (let g = 0; g < nG; g++) {
      if (only && !only.has(g)) continue;
      const members = this.g.members[g];
      groupCost.fill(0, g * H + from, (g + 1) * H);
      for (let m = 0; m < members.length; m++) {
        const row = members[m] * H;
        for (let d = from; d < H; d++) groupCost[g * H + d] += cost[row + d];
      }
    }
  }

  /**
   * Throttle and stop: fire the earliest pending rule, cut its workloads' cost from that day,
   * re-run, repeat. Days before a firing are unchanged by it, so each firing day stays right.
   */
  private applyRules(o: KernelOut): void {
    const rules = this.shape.rules;
    this.ruleApplied.fill(0);
    for (let round = 0; round < rules.length; round++) {
      let best = -1;
      let bestDay = this.H;
      for (let r = 0; r < rules.length; r++) {
        if (this.ruleApplied[r]) continue;
        const t = this.triggerDay(rules[r], o);
        if (t >= 0 && t < bestDay) {
          best = r;
          bestDay = t;
        }
      }
      if (best < 0) return;
      this.ruleApplied[best] = 1;
      this.cut(rules[best], bestDay);
      runKernel(this.c, this.groupCost, o, 'workload-major');
    }
  }

  /** Scales the rule's workloads from `from` on, keeping spend and the group sums in step. */
  private cut(rule: AccountRule, from: number): void {
    const { H, cost, spend } = this;
    const groups = new Set<number>();
    for (const w of rule.workloads) {
      groups.add(this.g.groupOf[w]);
      for (let d = from; d < H; d++) {
        const before = cost[w * H + d];
        cost[w * H + d] = before * rule.factor;
        spend[w] += cost[w * H + d] - before;
      }
    }
    // re-add rather than subtract, so a stopped group sums to exactly zero
    this.resumGroups(from, groups);
  }

  /** First day a rule acts on, or -1. */
  private triggerDay(rule: AccountRule, o: KernelOut): number {
    const { facts } = this.shape;
    const blocks = this.shape.accountBlocks[rule.account];
    if (rule.trigger.kind === 'before-depletion') {
      const dry = accountDryDay(blocks, facts, o.depletionDay, this.H, this.dryScratch);
      return dry < 0 ? -1 : Math.max(rule.fromDay, dry - rule.trigger.marginDays);
    }
    const bal = o.balanceByDay!;
    for (let t = rule.fromDay; t < this.H; t++) {
      // the balance at the start of day t: the end of day t-1, or what is usable at the start
      let sum = 0;
      if (t === 0) {
        for (const b of blocks) if (facts.purchase[b] <= 0 && facts.expiry[b] > 0) sum += facts.initial[b];
      } else for (const b of blocks) sum += bal[(t - 1) * this.nB + b];
      if (sum < rule.trigger.micros) return t;
    }
    return -1;
  }

  /** Records one path's outcome. */
  private book(p: number, o: KernelOut): void {
    const { nB, nA, nW, H, batch } = this;
    const { facts, accountBlocks, workloadAccount } = this.shape;
    const i = p - this.from;
    for (let b = 0; b < nB; b++) {
      batch.blockDry[i * nB + b] = o.depletionDay[b];
      batch.blockWaste[i * nB + b] = o.expired[b];
      batch.blockRemaining[i * nB + b] = o.remaining[b];
    }
    for (let a = 0; a < nA; a++) {
      const blocks = accountBlocks[a];
      // an account nothing draws on never runs dry, however its blocks expire
      batch.accountDry[i * nA + a] = this.accountHasDemand[a] ? accountDryDay(blocks, facts, o.depletionDay, H, this.dryScratch) : -1;
      let waste = 0;
      let remaining = 0;
      for (let k = 0; k < blocks.length; k++) {
        const b = blocks[k];
        waste += o.expired[b];
        remaining += o.remaining[b];
      }
      batch.accountWaste[i * nA + a] = waste;
      batch.accountRemaining[i * nA + a] = remaining;
    }
    for (let g = 0; g < this.nG; g++) {
      const over = o.overage[g];
      const members = this.g.members[g];
      let groupSpend = 0;
      for (let m = 0; m < members.length; m++) groupSpend += this.spend[members[m]];
      for (let m = 0; m < members.length; m++) {
        const w = members[m];
        // exact for a workload in a group of its own; a pooled group's overage is split by spend
        const share = members.length === 1 ? over : groupSpend > 0 ? (over * this.spend[w]) / groupSpend : over / members.length;
        batch.workloadOverage[i * nW + w] = share;
        batch.accountOverage[i * nA + workloadAccount[w]] += share;
      }
    }
    for (let w = 0; w < nW; w++) batch.workloadSpend[i * nW + w] = this.spend[w];
    if (p < this.shape.fanPaths) this.bookFan(i, o.balanceByDay!);
  }

  private bookFan(i: number, bal: Float64Array): void {
    const { nB, nA, H } = this;
    const { accountBlocks } = this.shape;
    const { fanPaths: nf, fanBlocks, fanAccounts } = this.batch;
    for (let d = 0; d < H; d++) {
      for (let b = 0; b < nB; b++) fanBlocks[(b * H + d) * nf + i] = bal[d * nB + b];
      for (let a = 0; a < nA; a++) {
        let sum = 0;
        const blocks = accountBlocks[a];
        for (let k = 0; k < blocks.length; k++) sum += bal[d * nB + blocks[k]];
        fanAccounts[(a * H + d) * nf + i] = sum;
      }
    }
  }
}

/**
 * What a run of paths from..to-1 leaves for the aggregation: per path [(path − from) * n + i]
 * (blocks, accounts, workloads), and the fan samples of its fanPaths fan paths,
 * [(series * H + d) * fanPaths + path − from]. Typed arrays only, so a worker thread can hand
 * one over without copying.
 */
export interface PathBatch {
  from: number;
  to: number;
  fanPaths: number;
  blockDry: Int32Array;
  blockWaste: Float64Array;
  blockRemaining: Float64Array;
  accountDry: Int32Array;
  accountWaste: Float64Array;
  accountOverage: Float64Array;
  accountRemaining: Float64Array;
  workloadSpend: Float64Array;
  workloadOverage: Float64Array;
  fanBlocks: Float32Array;
  fanAccounts: Float32Array;
}
