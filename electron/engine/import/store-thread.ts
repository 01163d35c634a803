/**
 * Parsing in a second thread while the importing thread writes: the parse thread runs
 * parseFile and the preparer (pure work: decode, CSV, map, model ids, catalog cost,
 * attribution) and posts each prepared batch; the writing thread inserts it. A shared counter
 * of batches in flight blocks the parser (Atomics.wait) when it runs ahead, so memory stays
 * bounded. The database is only ever touched by the writing thread.
 */
import { Worker } from 'node:worker_threads';
import type { ParseProgress, ParseSummary } from './types';
import type { CustomMapping } from './formats';
import { parseFileSync } from './parse-file';
import { createPreparer, type PreparedBatch, type PreparerOptions } from './store-prepare';

/** batches the parser may run ahead of the writer */
const MAX_IN_FLIGHT = 4;

export interface ParseThreadData {
  role: 'parse';
  path: string;
  format?: string;
  mapping?: CustomMapping;
  chunkBytes?: number;
  preparer: PreparerOptions;
  /** Int32Array view: [0] batches in flight, [1] stop flag */
  flow: SharedArrayBuffer;
}

type FromParser =
  | { t: 'batch'; batch: PreparedBatch }
  | { t: 'progress'; p: ParseProgress }
  | { t: 'done'; summary: ParseSummary }
  | { t: 'error'; name: string; message: string; code?: string };

export interface ParseInThreadOptions {
  path: string;
  format?: string;
  mapping?: CustomMapping;
  chunkBytes?: number;
  preparer: PreparerOptions;
  signal?: AbortSignal;
  onProgress?: (p: ParseProgress) => void;
  /** called synchronously per batch; a throw stops the parse and rejects */
  onBatch: (batch: PreparedBatch) => void;
  /** V8 young generation of the parse thread (MB): larger means fewer scavenges of the parser's short-lived strings */
  youngGenerationMb?: number;
}

/** The writing side: starts the parse thread from the bundled worker file and feeds its batches to onBatch. */
export function parseInThread(workerFile: string, o: ParseInThreadOptions): Promise<ParseSummary> {
  return new Promise<ParseSummary>((resolve, reject) => {
    const flow = new SharedArrayBuffer(8);
    const ctl = new Int32Array(flow);
    const data: ParseThreadData = { role: 'parse', path: o.path, format: o.format, mapping: o.mapping, chunkBytes: o.chunkBytes, preparer: o.preparer, flow };
    const worker = new Worker(workerFile, {
      workerData: data,
      resourceLimits: { maxYoungGenerationSizeMb: o.youngGenerationMb ?? 48 },
    });
    let settled = false;
    /** the parse's summary, once the thread has sent it */
    let parsed: ParseSummary | null = null;
    const finish = (err: unknown, summary?: ParseSummary) => {
      if (settled) return;
      settled = true;
      o.signal?.removeEventListener('abort', onAbort);
      Atomics.store(ctl, 1, 1);
      Atomics.notify(ctl, 0);
      if (err) {
        void worker.terminate();
        reject(err);
      } else {
        resolve(summary!);
      }
    };
    const onAbort = () => {
      const e = new Error('The import was cancelled.');
      e.name = 'AbortError';
      finish(e);
    };
    if (o.signal?.aborted) return onAbort();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: FromParser) => {
      if (settled) return;
      if (m.t === 'batch') {
        try {
          o.onBatch(m.batch);
        } catch (e) {
          finish(e);
          return;
        }
        Atomics.sub(ctl, 0, 1);
        Atomics.notify(ctl, 0);
      } else if (m.t === 'progress') o.onProgress?.(m.p);
      else if (m.t === 'done') {
        // resolved when the thread has stopped (below): its heap, ≈ 50 MB at 1M rows, is released only when
        // this thread's event loop sees the exit, which the writing thread's finish() and COMMIT would delay by seconds
        parsed = m.summary;
        void worker.terminate();
      } else {
        const e = new Error(m.message) as Error & { code?: string };
        e.name = m.name;
        if (m.code) e.code = m.code;
        finish(e);
      }
    });
    worker.on('error', (e) => finish(e));
    worker.on('exit', (code) => {
      if (parsed) finish(null, parsed);
      else finish(new Error(`The parse thread stopped unexpectedly (exit code ${code}).`));
    });
  });
}

/** The parse thread's body (worker.ts calls it with its workerData). */
export function runParseThread(data: ParseThreadData, post: (m: FromParser, transfer?: ArrayBuffer[]) => void): void {
  const ctl = new Int32Array(data.flow);
  const preparer = createPreparer(data.preparer);
  try {
    const summary = parseFileSync(
      data.path,
      { format: data.format, mapping: data.mapping, chunkBytes: data.chunkBytes, onProgress: (p) => post({ t: 'progress', p }) },
      (rows) => {
        if (Atomics.load(ctl, 1)) throw Object.assign(new Error('stopped'), { name: 'AbortError' });
        const batch = preparer.prepare(rows);
        // the usage cells move to the writing thread without a copy
        post({ t: 'batch', batch }, batch.usage.rows ? [batch.usage.cells.buffer as ArrayBuffer] : undefined);
        Atomics.add(ctl, 0, 1);
        for (;;) {
          const n = Atomics.load(ctl, 0);
          if (n < MAX_IN_FLIGHT || Atomics.load(ctl, 1)) break;
          Atomics.wait(ctl, 0, n, 100);
        }
      },
    );
    post({ t: 'done', summary });
  } catch (e) {
    const err = e as Error & { code?: string };
    post({ t: 'error', name: err?.name ?? 'Error', message: err?.message ?? String(e), code: err?.code });
  }
}
