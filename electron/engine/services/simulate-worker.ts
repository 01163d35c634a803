/**
 * Entry of the simulation worker thread (to be bundled to out/cli/simulate-worker.cjs by
 * scripts/build-cli.mjs). It gets a ForecastBase, the settings and the runs, simulates them with
 * the same runAll the engine uses inline, and posts progress and the result. Cancelling
 * terminates the thread: it writes nothing, so there is nothing to roll back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runAll, type SimulateWorkerData, type FromSimulateWorker } from './simulation';

const port = parentPort!;
const post = (m: FromSimulateWorker) => port.postMessage(m);
const data = workerData as SimulateWorkerData;
let last = 0;

runAll(data.base, data.settings, data.specs, {
  // at most ten messages a second: the main thread only needs the percentage
  progress: (p) => {
    const t = Date.now();
    if (t - last >= 100) {
      last = t;
      post({ t: 'progress', p });
    }
  },
  signal: new AbortController().signal,
}).then(
  (result) => post({ t: 'result', result }),
  (e: unknown) => post({ t: 'error', message: (e as Error)?.message ?? String(e) }),
);
