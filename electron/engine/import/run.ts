/**
 * Runs one import off the calling thread when it can: in a worker thread started from the
 * bundled worker file (out/cli/import-worker.cjs, built by scripts/build-cli.mjs from
 * worker.ts), which opens its own connection to the same WAL database; the caller only gets
 * progress messages and the result. Without a built worker file (tests run the sources) the
 * pipeline runs inline on a second connection. Imports of one database run one at a time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Db } from '../db/open';
import type { ParseProgress } from './types';
import type { CustomMapping } from './formats';
import type { ImportFileResult } from '../../../shared/api/imports';
import { runImport, type ParseFn } from './pipeline';
import { openImportConnection } from './store-db';

export const WORKER_FILE_NAME = 'import-worker.cjs';

export interface ImportJobOptions {
  dbPath: string;
  file: { path: string; name: string };
  format?: string;
  mapping?: CustomMapping;
  onError?: 'reject' | 'skip';
  dryRun?: boolean;
  rejectsPath?: string | null;
  actor: string;
  /** the bundled worker file; undefined: found with resolveImportWorker(), null: run inline */
  workerFile?: string | null;
  /** the engine's connection, used inline only for an in-memory database */
  engineDb?: Db;
  now?: () => string;
  /** tests: a fake parser (forces inline) */
  parse?: ParseFn;
  /** parse in a second thread inside the worker (default: when the machine has more than one core) */
  parseThread?: boolean;
  catalogFile?: string | null;
  /** bulk mode (see RunImportOptions.deferIndexes); default 'auto' */
  deferIndexes?: boolean | 'auto';
}

export interface ImportJobHandle {
  signal: AbortSignal;
  progress(p: Partial<ParseProgress>): void;
}

/** Message from the import worker. */
export type FromImportWorker =
  | { t: 'progress'; p: ParseProgress }
  | { t: 'result'; result: ImportFileResult }
  | { t: 'error'; name: string; message: string };

/** Data the import worker starts with. */
export interface ImportWorkerData {
  role: 'import';
  dbPath: string;
  file: { path: string; name: string };
  format?: string;
  mapping?: CustomMapping;
  onError?: 'reject' | 'skip';
  dryRun?: boolean;
  rejectsPath?: string | null;
  actor: string;
  parseThread: boolean;
  catalogFile?: string | null;
  deferIndexes?: boolean | 'auto';
}

/** The worker file: explicit path, DRAWDOWN_IMPORT_WORKER, or import-worker.cjs beside this bundle or in ../cli. Null: none built. */
export function resolveImportWorker(explicit?: string | null, env: NodeJS.ProcessEnv = process.env): string | null {
  if (explicit === null) return null;
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const candidates = [explicit, env.DRAWDOWN_IMPORT_WORKER, path.join(here, WORKER_FILE_NAME), path.join(here, '..', 'cli', WORKER_FILE_NAME)];
  for (const c of candidates) {
    if (!c) continue;
    try {
      if (fs.statSync(c).isFile()) return path.resolve(c);
    } catch {
      /* not there */
    }
  }
  return null;
}

const queues = new Map<string, Promise<unknown>>();

/** Runs after the imports of the same database queued before it. */
function enqueue<T>(key: string, task: () => Promise<T>): Promise<T> {
  const prev = queues.get(key) ?? Promise.resolve();
  const next = prev.then(task, task);
  const tail = next.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return next;
}

function abortError(): Error {
  const e = new Error('The import was cancelled.');
  e.name = 'AbortError';
  return e;
}

/** Runs one import (queued per database); resolves with its result, rejects with an AbortError when cancelled. */
export function runImportJob(o: ImportJobOptions, h: ImportJobHandle): Promise<ImportFileResult> {
  const key = o.dbPath === ':memory:' ? `memory:${String(o.engineDb?.name)}` : path.resolve(o.dbPath);
  return enqueue(key, () => {
    if (h.signal.aborted) return Promise.reject(abortError());
    const workerFile = o.parse || o.dbPath === ':memory:' ? null : resolveImportWorker(o.workerFile);
    return workerFile ? inWorker(workerFile, o, h) : inline(o, h);
  });
}

async function inline(o: ImportJobOptions, h: ImportJobHandle): Promise<ImportFileResult> {
  const memory = o.dbPath === ':memory:';
  if (memory && !o.engineDb) throw new Error('An in-memory database can only be imported into through the engine connection.');
  const db = memory ? o.engineDb! : openImportConnection(o.dbPath);
  try {
    return await runImport({
      db,
      dbPath: o.dbPath,
      file: o.file,
      format: o.format,
      mapping: o.mapping,
      onError: o.onError,
      dryRun: o.dryRun,
      rejectsPath: o.rejectsPath,
      actor: o.actor,
      now: o.now,
      signal: h.signal,
      onProgress: (p) => h.progress(p),
      parse: o.parse,
      catalogFile: o.catalogFile,
      deferIndexes: o.deferIndexes,
    });
  } finally {
    if (!memory) db.close();
  }
}

function inWorker(workerFile: string, o: ImportJobOptions, h: ImportJobHandle): Promise<ImportFileResult> {
  return new Promise<ImportFileResult>((resolve, reject) => {
    const data: ImportWorkerData = {
      role: 'import',
      dbPath: o.dbPath,
      file: o.file,
      format: o.format,
      mapping: o.mapping,
      onError: o.onError,
      dryRun: o.dryRun,
      rejectsPath: o.rejectsPath,
      actor: o.actor,
      parseThread: o.parseThread ?? os.availableParallelism() > 1,
      catalogFile: o.catalogFile,
      deferIndexes: o.deferIndexes,
    };
    // the writing thread's garbage is one batch at a time: a small young generation keeps its heap small
    const worker = new Worker(workerFile, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 16 } });
    let settled = false;
    let killTimer: NodeJS.Timeout | null = null;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      h.signal.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      fn();
    };
    const onAbort = () => {
      worker.postMessage({ t: 'cancel' });
      // the worker rolls back and answers; if it cannot (stuck in a long statement), stop it: its connection closes and SQLite rolls back
      killTimer = setTimeout(() => {
        void worker.terminate();
        settle(() => reject(abortError()));
      }, 15_000);
    };
    h.signal.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: FromImportWorker) => {
      if (m.t === 'progress') h.progress(m.p);
      else if (m.t === 'result') settle(() => resolve(m.result));
      else {
        const e = new Error(m.message);
        e.name = m.name;
        settle(() => reject(e));
      }
    });
    worker.on('error', (e) => settle(() => reject(e)));
    worker.on('exit', (code) => settle(() => reject(h.signal.aborted ? abortError() : new Error(`The import worker stopped unexpectedly (exit code ${code}).`))));
  });
}
