/**
 * Monte Carlo benchmark: 10,000 paths × 365 days over 50 workloads and 20 credit blocks through
 * simulate() and the real drawdown kernel, against a bare loop that only draws the same number
 * of normals (paths × days × workloads) of the same kind from the same generator into a
 * Float64Array: Rng.fillTableNormal, the table normals the simulation's daily noise uses.
 *
 *   node scripts/run-ts.mjs bench/simulate.ts [paths] [rounds]
 *
 * Goal: the simulation under 1 s and within 3× the bare loop. Also timed: the same run with its
 * paths shared by two threads the way scenario-run does it (this thread and one helper thread
 * running out/cli/simulate-worker.cjs, rebuilt first by scripts/build-cli.mjs); its result must
 * be identical to the one-thread run's.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { PathHelpers, simulateSplit } from '../electron/engine/services/simulate-split';
import { addDays } from '../shared/dates';
import type { DrawdownAllocation, DrawdownBlock } from '../shared/drawdown';
import { Rng } from '../shared/forecast/rng';
import { simulate, type SimulationProfile, type SimWorkload } from '../shared/forecast/simulate';
import { syntheticSeries } from '../shared/forecast/synthetic';

const PATHS = Number(process.argv[2] ?? 10_000);
const DAYS = 365;
const WORKLOADS = 50;
const ACCOUNTS = 5;
const BLOCKS = 20;
const START = '2026-01-01';
const HISTORY = 120;

function fixture(): { workloads: SimWorkload[]; blocks: DrawdownBlock[]; allocations: DrawdownAllocation[] } {
  const workloads: SimWorkload[] = [];
  const dailyByAccount = new Array<number>(ACCOUNTS).fill(0);
  for (let w = 0; w < WORKLOADS; w++) {
    const accountId = 1 + (w % ACCOUNTS);
    const level = 2_000_000 + ((w * 7919) % 40) * 1_000_000; // $2..$42 a day
    const s = syntheticSeries(
      {
        startDay: addDays(START, -HISTORY),
        days: HISTORY,
        level,
        trend: level * 0.002,
        season: w % 3 === 0 ? [1.2, 1.2, 1.2, 1.2, 1.2, 0.5, 0.5] : [1, 1, 1, 1, 1, 1, 1],
        sigma: 0.15 + (w % 5) * 0.05,
        phi: 0.3,
        spikeRate: 0.02,
      },
      `bench-${w}`,
    );
    workloads.push({ id: w + 1, accountId, unit: 'USD', history: s.values, historyDays: s.days });
    dailyByAccount[accountId - 1] += level;
  }
  const blocks: DrawdownBlock[] = [];
  for (let b = 0; b < BLOCKS; b++) {
    const a = b % ACCOUNTS;
    const k = Math.floor(b / ACCOUNTS); // 0..3
    blocks.push({
      id: b + 1,
      accountId: a + 1,
      unit: 'USD',
      kind: k === 0 ? 'promotional' : 'purchased',
      // each block lasts roughly 40..120 days of the account's burn
      amountMicros: Math.round(dailyByAccount[a] * (40 + 25 * k)),
      purchasedOn: addDays(START, -30 * k),
      expiresOn: k === 3 ? null : addDays(START, 90 + 100 * k),
      priority: k === 0 ? 0 : 1,
    });
  }
  const allocations: DrawdownAllocation[] = workloads
    .filter((w) => (w.id as number) % 10 === 0)
    .map((w) => ({ blockId: (w.accountId as number) + ACCOUNTS, workloadId: w.id as number, amountMicros: 50_000_000 }));
  return { workloads, blocks, allocations };
}

function bareLoop(paths: number, seed: number): number {
  const rng = new Rng(seed);
  const buf = new Float64Array(DAYS * WORKLOADS);
  let check = 0;
  for (let p = 0; p < paths; p++) {
    rng.fillTableNormal(buf);
    check += buf[p % buf.length];
  }
  return check;
}

const { workloads, blocks, allocations } = fixture();
const run = (paths: number, extra: Partial<Parameters<typeof simulate>[0]> = {}) =>
  simulate({ blocks, allocations, workloads, startDay: START, horizonDays: DAYS, paths, seed: 7, ...extra });

// warm both up so the timings compare optimised code, then alternate: the best of each
// (this machine is shared; the best run is the one least disturbed by other processes)
run(200);
bareLoop(200, 1);
const ROUNDS = Number(process.argv[3] ?? 2);
/** wall-clock and CPU milliseconds of fn (CPU time leaves out waiting for a core on a busy machine) */
function timed<T>(fn: () => T): { value: T; wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, wall, cpu: (c.user + c.system) / 1000 };
}
async function main(): Promise<void> {
  // the engine's split: this thread and one helper thread running the bundled simulate-worker.cjs
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' });
  let t = performance.now();
  const helpers = new PathHelpers(path.resolve('out/cli/simulate-worker.cjs'), 1);
  const input = { blocks, allocations, workloads, startDay: START, horizonDays: DAYS, seed: 7 };
  for (let i = 0; i < 2; i++) await simulateSplit({ ...input, paths: 2000 }, helpers); // starts and warms the helper
  const startMs = performance.now() - t;
  // rounds alternate the three, so each sees the machine in the same moods
  const sims: { wall: number; cpu: number }[] = [];
  const bares: { wall: number; cpu: number }[] = [];
  const splits: number[] = [];
  let same = true;
  let result = run(1);
  for (let i = 0; i < ROUNDS; i++) {
    const s = timed(() => run(PATHS));
    result = s.value;
    sims.push(s);
    bares.push(timed(() => bareLoop(PATHS, 7)));
    t = performance.now();
    const r = await simulateSplit({ ...input, paths: PATHS }, helpers);
    splits.push(performance.now() - t);
    same &&= JSON.stringify(r) === JSON.stringify(result);
  }
  await helpers.close();
  const best = (xs: { wall: number; cpu: number }[], k: 'wall' | 'cpu') => Math.min(...xs.map((x) => x[k]));
  const simMs = best(sims, 'wall');
  const bareMs = best(bares, 'wall');
  const splitMs = Math.min(...splits);
  const draws = PATHS * DAYS * WORKLOADS;
  const fmt = (xs: { wall: number; cpu: number }[]) => xs.map((x) => `${x.wall.toFixed(0)}/${x.cpu.toFixed(0)}`).join(', ');
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log(`simulate: ${PATHS} paths × ${DAYS} days × ${WORKLOADS} workloads, ${BLOCKS} blocks, fan from ${result.fanPaths} paths (best of ${ROUNDS}; runs as wall/CPU ms)`);
  console.log(`  simulate  ${simMs.toFixed(0)} ms wall, ${best(sims, 'cpu').toFixed(0)} ms CPU  (${Math.round(PATHS / (simMs / 1000)).toLocaleString('en-US')} paths/s, one thread)   runs: ${fmt(sims)}`);
  console.log(`  bare loop ${bareMs.toFixed(0)} ms wall, ${best(bares, 'cpu').toFixed(0)} ms CPU  (${draws.toLocaleString('en-US')} table normals, ${((bareMs * 1e6) / draws).toFixed(2)} ns each)   runs: ${fmt(bares)}`);
  const ratio = simMs / bareMs;
  console.log(`  ratio     ${ratio.toFixed(2)}× wall, ${(best(sims, 'cpu') / best(bares, 'cpu')).toFixed(2)}× CPU (one thread against the one-thread loop)   goal ≤ 3×: ${met(ratio <= 3)}`);
  console.log(
    `  2 threads ${splitMs.toFixed(0)} ms wall (this thread + one helper thread, as scenario-run; helper start and warm-up ${startMs.toFixed(0)} ms, once per run job)   runs: ${splits.map((x) => x.toFixed(0)).join(', ')}   same result as one thread: ${same ? 'yes' : 'NO'}`,
  );
  console.log(`  goal < 1000 ms: one thread ${met(simMs < 1000)} (${simMs.toFixed(0)} ms), two threads ${met(splitMs < 1000)} (${splitMs.toFixed(0)} ms)`);
  // where the time goes (a separate, profiled run), and the same run with every workload through
  // the kernel on its own instead of pooled workloads summed per account
  const profile = {} as SimulationProfile;
  t = performance.now();
  run(PATHS, { profile: { into: profile, now: () => performance.now() } });
  const profiledMs = performance.now() - t;
  const share = (x: number) => `${x.toFixed(0)} ms (${((100 * x) / profiledMs).toFixed(0)}%)`;
  console.log(
    `  profile   sample ${share(profile.sampleMs)}, kernel ${share(profile.kernelMs)} over ${profile.kernelGroups} groups, book ${share(profile.bookMs)}, ` +
      `setup ${share(profile.setupMs)}, aggregate ${share(profile.aggregateMs)}`,
  );
  t = performance.now();
  run(PATHS, { exactWorkloadOverage: true, profile: { into: profile, now: () => performance.now() } });
  console.log(`  unpooled  ${(performance.now() - t).toFixed(0)} ms with all ${WORKLOADS} workloads through the kernel one by one (kernel ${profile.kernelMs.toFixed(0)} ms)`);
  const b = result.blocks[0];
  console.log(`  block ${b.blockId}: P10/P50/P90 depletion ${b.p10} / ${b.p50} / ${b.p90}, P(dry before expiry) ${b.probDryBeforeExpiry.toFixed(3)}`);
}

void main();
