/**
 * scenario-run: the baseline and up to four scenarios simulated from one ForecastBase, as a job
 * whose progress counts simulated paths. Off the calling thread when the bundled worker
 * (simulate-worker.cjs) is there, each run's paths shared with a second worker thread on a
 * machine with two cores or more (simulate-split.ts); otherwise inline, where each run is synchronous (about 0.2 s
 * for 2,000 paths × 365 days on the demo) and the job yields to the event loop between runs so
 * the HTTP server and the Electron main loop keep answering job-get polls.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EngineContext } from '../context';
import type { JobHandle } from '../jobs';
import type { Job } from '../../../shared/domain';
import { scenarioFromJson, type Scenario } from '../../../shared/forecast/scenario';
import { daysBetween } from '../../../shared/dates';
import type { AccountDelta, BlockDelta, Outlook, ScenarioOutlook, ScenarioRunResult, ForecastSettings } from '../../../shared/api/scenario-types';
import { loadForecastBase, type ForecastBase } from './forecast-input';
import { fittedWorkloads, runOutlookSplit, settingsOf, type RunSpec, type SimulationArgs } from './forecast';
import type { PathHelpers } from './simulate-split';
import { createScenariosRepo } from '../repos/scenarios';
import { NotFoundError, RefusedError } from '../errors';

export interface RunArgs extends SimulationArgs {
  scenarioIds?: number[];
  scenarios?: Scenario[];
}

/** Saved scenarios by id (in the order asked), then the inline ones. */
export function resolveScenarios(ctx: EngineContext, a: RunArgs): RunSpec[] {
  const repo = createScenariosRepo(ctx.db);
  const saved = (a.scenarioIds ?? []).map((id): RunSpec => {
    const row = repo.get(id);
    if (!row) throw new NotFoundError(`Scenario ${id}`);
    const parsed = scenarioFromJson(row.bodyJson);
    if (!parsed.ok) throw new RefusedError(`Scenario "${row.name}" no longer validates: ${parsed.error}. Edit and save it again.`, 'invalid-argument');
    return { label: row.name, scenarioId: row.id, scenario: { ...parsed.value, name: row.name } };
  });
  const inline = (a.scenarios ?? []).map((s): RunSpec => ({ label: s.name, scenarioId: null, scenario: s }));
  return [...saved, ...inline];
}

export function startScenarioRun(ctx: EngineContext, a: RunArgs): Job {
  // resolve and load before the job starts, so a bad id or an empty database is an error value at once
  const specs = resolveScenarios(ctx, a);
  const base = loadForecastBase(ctx.db, ctx.dbPath, a.at);
  const s = settingsOf(base, a);
  const workerFile = resolveSimulateWorker();
  return ctx.jobs.start('scenario-run', s.paths * (1 + specs.length), (h) => (workerFile ? inWorker(workerFile, { base, settings: s, specs }, h) : runAll(base, s, specs, h)));
}

export const SIMULATE_WORKER_FILE = 'simulate-worker.cjs';

/** DRAWDOWN_SIMULATE_WORKER, or simulate-worker.cjs beside this bundle or in ../cli; null: none built (tests run the sources inline). */
export function resolveSimulateWorker(env: NodeJS.ProcessEnv = process.env): string | null {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  for (const c of [env.DRAWDOWN_SIMULATE_WORKER, path.join(here, SIMULATE_WORKER_FILE), path.join(here, '..', 'cli', SIMULATE_WORKER_FILE)]) {
    if (c && fs.existsSync(c) && fs.statSync(c).isFile()) return path.resolve(c);
  }
  return null;
}

export interface SimulateWorkerData {
  base: ForecastBase;
  settings: ForecastSettings;
  specs: RunSpec[];
}

export type FromSimulateWorker =
  | { t: 'progress'; p: Partial<Job['progress']> }
  | { t: 'result'; result: ScenarioRunResult }
  | { t: 'error'; message: string };

const cancelled = () => Object.assign(new Error('The simulation was cancelled.'), { name: 'AbortError' });

/** Runs the simulation in a worker thread; cancelling the job terminates the thread. */
function inWorker(file: string, data: SimulateWorkerData, h: JobHandle): Promise<ScenarioRunResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(file, { workerData: data });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      h.signal.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const onAbort = () => settle(() => reject(cancelled()));
    h.signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: FromSimulateWorker) => {
      if (m.t === 'progress') h.progress(m.p);
      else if (m.t === 'result') settle(() => resolve(m.result));
      else settle(() => reject(new Error(m.message)));
    });
    worker.on('error', (e) => settle(() => reject(e)));
    worker.on('exit', (code) => settle(() => reject(new Error(`The simulation worker stopped unexpectedly (exit code ${code}).`))));
  });
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs the baseline and each scenario, yielding between runs; progress is in paths. With
 * helpers (the worker does this), each run's paths are shared with the helper threads.
 */
export async function runAll(base: ForecastBase, s: ForecastSettings, specs: RunSpec[], h?: Pick<JobHandle, 'progress' | 'signal'>, helpers: PathHelpers | null = null): Promise<ScenarioRunResult> {
  const t0 = performance.now();
  const workloads = fittedWorkloads(base);
  const outlooks: Outlook[] = [];
  const all: RunSpec[] = [{ label: 'Baseline', scenarioId: null }, ...specs];
  for (let i = 0; i < all.length; i++) {
    await yieldToLoop();
    if (h?.signal.aborted) throw cancelled();
    const done = i * s.paths;
    outlooks.push(
      await runOutlookSplit(
        base,
        s,
        workloads,
        all[i],
        {
          onProgress: (n) => h?.progress({ rows: done + n, bytes: done + n }),
          shouldCancel: () => h?.signal.aborted ?? false,
        },
        helpers,
      ),
    );
  }
  const [baseline, ...rest] = outlooks;
  return { ...s, baseline, scenarios: rest.map((o) => withDeltas(o, baseline)), elapsedMs: Math.round(performance.now() - t0) };
}

const shift = (from: string | null, to: string | null) => (from !== null && to !== null ? daysBetween(from, to) : null);

/** Scenario minus baseline per block and account (blocks a top-up lever added have no baseline). */
export function withDeltas(o: Outlook, baseline: Outlook): ScenarioOutlook {
  const baseBlocks = new Map(baseline.blocks.map((b) => [b.blockId, b]));
  const baseAccounts = new Map(baseline.accounts.map((a) => [a.accountId, a]));
  const blockDeltas: BlockDelta[] = o.blocks.flatMap((b) => {
    const x = baseBlocks.get(b.blockId);
    if (!x) return [];
    return [{
      blockId: b.blockId,
      p10ShiftDays: shift(x.p10, b.p10),
      p50ShiftDays: shift(x.p50, b.p50),
      p90ShiftDays: shift(x.p90, b.p90),
      probDryBeforeExpiry: b.probDryBeforeExpiry - x.probDryBeforeExpiry,
      expectedWasteMicros: b.expectedWasteMicros - x.expectedWasteMicros,
      expectedRemainingMicros: b.expectedRemainingMicros - x.expectedRemainingMicros,
    }];
  });
  const accountDeltas: AccountDelta[] = o.accounts.flatMap((a) => {
    const x = baseAccounts.get(a.accountId);
    if (!x) return [];
    return [{
      accountId: a.accountId,
      p50ShiftDays: shift(x.p50, a.p50),
      probDry: a.probDry - x.probDry,
      probDryBeforeExpiry: a.probDryBeforeExpiry - x.probDryBeforeExpiry,
      expectedWasteMicros: a.expectedWasteMicros - x.expectedWasteMicros,
      expectedOverageMicros: a.expectedOverageMicros - x.expectedOverageMicros,
    }];
  });
  return { ...o, blockDeltas, accountDeltas };
}
