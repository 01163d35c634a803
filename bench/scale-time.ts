/**
 * Timing helpers for the scale benchmark: a warm-up run, then the median of several runs (robust
 * on a loaded two-core machine), and a statement tracer that records every SQL statement a
 * handler runs on the engine's connection, so the dashboard's queries are timed as the real
 * handler issues them (whoever changes the SQL later, the benchmark follows).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Db } from '../electron/engine/db/open';

/** Loads a package from the project's node_modules (the bundled benchmark runs from a temp folder). */
export function load<T>(name: string): T {
  return createRequire(path.join(process.cwd(), 'package.json'))(name) as T;
}

export interface Timing {
  name: string;
  medianMs: number;
  minMs: number;
  maxMs: number;
  runs: number;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * One warm-up call (not counted), then `runs` timed calls; the median is the figure. A call
 * slower than 5 s is run at most three times, one slower than 30 s once. `before` runs ahead of
 * every call, untimed (a write, so that nothing kept from the last call counts).
 */
export async function measure(name: string, fn: () => unknown, runs = 5, warmup = 1, before?: () => void): Promise<Timing & { last: unknown }> {
  let last: unknown;
  for (let i = 0; i < warmup; i++) {
    before?.();
    const t = performance.now();
    last = await fn();
    const ms = performance.now() - t;
    if (ms > 30_000) runs = 1;
    else if (ms > 5_000) runs = Math.min(runs, 3);
  }
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    before?.();
    const t = performance.now();
    last = await fn();
    ms.push(performance.now() - t);
  }
  return { name, medianMs: median(ms), minMs: Math.min(...ms), maxMs: Math.max(...ms), runs, last };
}

export interface StatementStat {
  sql: string;
  calls: number;
  ms: number;
}

type AnyStatement = {
  all: (...a: unknown[]) => unknown;
  get: (...a: unknown[]) => unknown;
  run: (...a: unknown[]) => unknown;
  iterate: (...a: unknown[]) => IterableIterator<unknown>;
};

/**
 * Wraps db.prepare so every statement prepared from now on records its execution time (all,
 * get, run, and the full consumption of iterate) under its SQL text. `take()` returns and
 * clears what was recorded since the last call.
 */
export function traceStatements(db: Db): { take(): StatementStat[]; stop(): void } {
  const stats = new Map<string, StatementStat>();
  const prepare = db.prepare;
  const record = (sql: string, ms: number) => {
    const s = stats.get(sql) ?? { sql, calls: 0, ms: 0 };
    s.calls++;
    s.ms += ms;
    stats.set(sql, s);
  };
  const patched = function (this: Db, source: string) {
    const stmt = prepare.call(this, source) as unknown as AnyStatement;
    const sql = source.replace(/\s+/g, ' ').trim();
    for (const m of ['all', 'get', 'run'] as const) {
      const orig = stmt[m];
      stmt[m] = function (this: unknown, ...a: unknown[]) {
        const t = performance.now();
        try {
          return orig.apply(this, a);
        } finally {
          record(sql, performance.now() - t);
        }
      };
    }
    const iterate = stmt.iterate;
    stmt.iterate = function* (this: unknown, ...a: unknown[]) {
      let ms = 0;
      const it = iterate.apply(this, a);
      try {
        for (;;) {
          const t = performance.now();
          const r = it.next();
          ms += performance.now() - t;
          if (r.done) return;
          yield r.value;
        }
      } finally {
        record(sql, ms);
      }
    };
    return stmt;
  };
  (db as unknown as { prepare: unknown }).prepare = patched;
  return {
    take() {
      const out = [...stats.values()];
      stats.clear();
      return out;
    },
    stop() {
      (db as unknown as { prepare: unknown }).prepare = prepare;
    },
  };
}

/**
 * Runs a handler `runs` times with the tracer on (after a warm-up) and returns, per SQL
 * statement, the median over the runs of its total time within one run.
 */
export async function perStatement(db: Db, fn: () => unknown, runs = 5): Promise<{ sql: string; calls: number; medianMs: number; maxMs: number }[]> {
  const tracer = traceStatements(db);
  try {
    await fn();
    tracer.take();
    const perRun: StatementStat[][] = [];
    for (let i = 0; i < runs; i++) {
      await fn();
      perRun.push(tracer.take());
    }
    const all = new Map<string, { calls: number; ms: number[] }>();
    perRun.forEach((run) => {
      for (const s of run) {
        const e = all.get(s.sql) ?? { calls: s.calls, ms: [] };
        e.ms.push(s.ms);
        all.set(s.sql, e);
      }
    });
    return [...all.entries()]
      .map(([sql, e]) => ({ sql, calls: e.calls, medianMs: median(e.ms), maxMs: Math.max(...e.ms) }))
      .sort((a, b) => b.medianMs - a.medianMs);
  } finally {
    tracer.stop();
  }
}

export function fmtMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
}

export function verdict(ms: number, goalMs: number): string {
  return ms < goalMs ? 'PASS' : 'MISS';
}

/** 12345678 → "11.8 MB" */
export function fmtBytes(n: number): string {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`;
}
