/**
 * Entry of the import worker thread (bundled to out/cli/import-worker.cjs by scripts/build-cli.mjs).
 *
 * role 'import': opens its own connection to the WAL database, runs the pipeline for one file
 * and posts progress and the result; a { t: 'cancel' } message aborts it (ROLLBACK, nothing
 * written). It parses in a second thread (role 'parse', the same file) when asked to.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { runImport } from './pipeline';
import { openImportConnection } from './store-db';
import { runParseThread, type ParseThreadData } from './store-thread';
import type { FromImportWorker, ImportWorkerData } from './run';
import type { ParseProgress } from './types';

async function runImportWorker(data: ImportWorkerData): Promise<void> {
  const port = parentPort!;
  const post = (m: FromImportWorker) => port.postMessage(m);
  const controller = new AbortController();
  port.on('message', (m: { t?: string }) => {
    if (m?.t === 'cancel') controller.abort();
  });
  port.unref();
  let last = 0;
  let pending: ParseProgress | null = null;
  const progress = (p: ParseProgress) => {
    pending = p;
    const t = Date.now();
    if (t - last >= 100 || p.bytes >= p.totalBytes) {
      last = t;
      post({ t: 'progress', p });
      pending = null;
    }
  };
  let db: ReturnType<typeof openImportConnection> | null = null;
  try {
    db = openImportConnection(data.dbPath);
    const result = await runImport({
      db,
      dbPath: data.dbPath,
      file: data.file,
      format: data.format,
      mapping: data.mapping,
      onError: data.onError,
      dryRun: data.dryRun,
      rejectsPath: data.rejectsPath,
      actor: data.actor,
      signal: controller.signal,
      onProgress: progress,
      parseThreadFile: data.parseThread ? __filename : null,
      catalogFile: data.catalogFile,
      deferIndexes: data.deferIndexes,
    });
    if (pending) post({ t: 'progress', p: pending });
    post({ t: 'result', result });
  } catch (e) {
    const err = e as Error;
    post({ t: 'error', name: err?.name ?? 'Error', message: err?.message ?? String(e) });
  } finally {
    db?.close();
  }
}

if (!isMainThread && parentPort) {
  const data = workerData as ImportWorkerData | ParseThreadData;
  if (data.role === 'parse') {
    const port = parentPort;
    runParseThread(data, (m, transfer) => port.postMessage(m, transfer));
  } else {
    void runImportWorker(data);
  }
}
