/**
 * One simulation's paths split over threads: the calling thread runs the first share, each
 * helper (simulate-worker.cjs started with role 'paths') a later one, and assembleSimulation
 * merges them in path order. Path p draws from stream p of the seed, so the result is exactly
 * the one simulate() gives on one thread, whatever the number of threads.
 */
import { Worker } from 'node:worker_threads';
import {
  DEFAULT_FAN_PATHS,
  assembleSimulation,
  prepareSimulation,
  runSimulationPaths,
  simulate,
  simulatePaths,
  type PathBatch,
  type SimulationInput,
  type SimulationResult,
} from '../../../shared/forecast/simulate';

/** Below this many paths per thread a split costs more than it saves. */
const MIN_PATHS_PER_THREAD = 250;

export interface PathsRequest {
  id: number;
  input: SimulationInput;
  from: number;
  to: number;
}

export type FromPathsWorker = { id: number; t: 'progress'; done: number } | { id: number; t: 'batch'; batch: PathBatch } | { id: number; t: 'error'; message: string };

/** Worker threads that each run a share of a simulation's paths: started at the first share asked, reused from run to run. */
export class PathHelpers {
  private workers: Worker[] = [];
  private nextId = 1;

  constructor(
    private readonly workerFile: string,
    readonly count: number,
  ) {}

  /** Paths from..to-1 of `input` on helper k. */
  run(k: number, input: SimulationInput, from: number, to: number, onProgress?: (done: number) => void): Promise<PathBatch> {
    if (this.workers.length === 0) this.workers = Array.from({ length: this.count }, () => new Worker(this.workerFile, { workerData: { role: 'paths' } }));
    const worker = this.workers[k];
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const done = (fn: () => void) => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        fn();
      };
      const onMessage = (m: FromPathsWorker) => {
        if (m.id !== id) return;
        if (m.t === 'progress') onProgress?.(m.done);
        else if (m.t === 'batch') done(() => resolve(m.batch));
        else done(() => reject(new Error(m.message)));
      };
      const onError = (e: Error) => done(() => reject(e));
      const onExit = (code: number) => done(() => reject(new Error(`A simulation helper thread stopped unexpectedly (exit code ${code}).`)));
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      const { onProgress: _p, shouldCancel: _c, profile: _f, ...cloneable } = input; // functions do not cross threads
      worker.postMessage({ id, input: cloneable, from, to } satisfies PathsRequest);
    });
  }

  async close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** simulate(), with the paths shared between this thread and the helpers (none: simulate() itself). */
export async function simulateSplit(input: SimulationInput, helpers: PathHelpers | null): Promise<SimulationResult> {
  const threads = 1 + (helpers?.count ?? 0);
  if (!helpers || threads === 1 || input.deterministic || input.paths < threads * MIN_PATHS_PER_THREAD) return simulate(input);
  const P = input.paths;
  // shares of equal work: a fan path (the first ones, whose daily balances are kept) costs about two
  const fan = Math.min(P, input.fanPaths ?? DEFAULT_FAN_PATHS);
  const pathsFor = (work: number) => (work <= 2 * fan ? work / 2 : work - fan);
  const cut = (i: number) => (i >= threads ? P : Math.round(pathsFor(((P + fan) * i) / threads)));
  const done = new Array<number>(threads).fill(0);
  const report = () => input.onProgress?.(done.reduce((a, b) => a + b, 0), P);
  const remote = Array.from({ length: threads - 1 }, (_, k) =>
    helpers.run(k, input, cut(k + 1), cut(k + 2), (n) => {
      done[k + 1] = n;
      report();
    }),
  );
  for (const r of remote) r.catch(() => undefined); // awaited below; this share may throw first
  const prep = prepareSimulation({
    ...input,
    onProgress: (n) => {
      done[0] = n;
      report();
    },
  });
  const own = runSimulationPaths(prep, 0, cut(1));
  return assembleSimulation(prep, [own, ...(await Promise.all(remote))]);
}

/** The helper's side: answers PathsRequests with batches (their buffers moved, not copied). */
export function servePaths(port: { on(e: 'message', fn: (r: PathsRequest) => void): void; postMessage(m: FromPathsWorker, transfer?: ArrayBuffer[]): void }): void {
  port.on('message', (r) => {
    let last = 0;
    try {
      const batch = simulatePaths(
        {
          ...r.input,
          onProgress: (done) => {
            const t = Date.now();
            if (t - last >= 100) {
              last = t;
              port.postMessage({ id: r.id, t: 'progress', done });
            }
          },
        },
        r.from,
        r.to,
      );
      const buffers = Object.values(batch).flatMap((v) => (ArrayBuffer.isView(v) ? [v.buffer as ArrayBuffer] : []));
      port.postMessage({ id: r.id, t: 'batch', batch }, buffers);
    } catch (e) {
      port.postMessage({ id: r.id, t: 'error', message: (e as Error)?.message ?? String(e) });
    }
  });
}
