/**
 * Entry of the simulation worker threads (to be bundled to out/cli/simulate-worker.cjs by
 * scripts/build-cli.mjs). The engine starts one per scenario-run: it gets a ForecastBase, the
 * settings and the runs, simulates them with the same runAll the engine uses inline, and posts
 * progress and the result; on a machine with two cores or more it starts this file again as a
 * helper (role 'paths') and shares each run's paths with it (simulate-split.ts). Cancelling
 * terminates the thread, and its helper with it: they write nothing, so there is nothing to roll
 * back.
 */
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { runAll, type SimulateWorkerData, type FromSimulateWorker } from './simulation';
import { PathHelpers, servePaths } from './simulate-split';

const port = parentPort!;

if ((workerData as { role?: string } | null)?.role === 'paths') servePaths(port);
else runJob(workerData as SimulateWorkerData);

function runJob(data: SimulateWorkerData): void {
  const post = (m: FromSimulateWorker) => port.postMessage(m);
  const threads = Math.min(2, os.availableParallelism?.() ?? os.cpus().length);
  const helpers = threads > 1 ? new PathHelpers(__filename, threads - 1) : null;
  let last = 0;
  runAll(
    data.base,
    data.settings,
    data.specs,
    {
      // at most ten messages a second: the main thread only needs the percentage
      progress: (p) => {
        const t = Date.now();
        if (t - last >= 100) {
          last = t;
          post({ t: 'progress', p });
        }
      },
      signal: new AbortController().signal,
    },
    helpers,
  )
    .then(
      (result) => post({ t: 'result', result }),
      (e: unknown) => post({ t: 'error', message: (e as Error)?.message ?? String(e) }),
    )
    .finally(() => void helpers?.close());
}
