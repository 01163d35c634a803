/**
 * The fault suite (started by scripts/test-faults.mjs): kills a child process with SIGKILL at a
 * random moment of an import, a migration, a backup, an undo and a restore, then checks that the
 * database opens, passes integrity_check and holds the whole operation or none of it.
 *
 * Each operation is first run once uninterrupted to time it; each trial then kills its child at a
 * uniform random delay in [0, 1.15 × that time] after the child says "start" (a few trials finish
 * first, which must then hold the whole operation). Trials go round-robin over the operations.
 * Options: --trials N (default DRAWDOWN_FAULT_TRIALS or 200), --seed N, --rows N (rows of the
 * imported file), --ops import,migration,backup,undo,restore, --keep (keep the work folder).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../../electron/engine/db/open';
import { SCHEMA_VERSION } from '../../electron/engine/db/migrations';
import { runImport } from '../../electron/engine/import/pipeline';
import { backupDatabase } from '../../electron/engine/services/backup';
import { bundle, writeUsageCsv, ROOT } from './fixtures';
import { checkBackup, checkImport, checkMigration, checkRestore, checkUndo, type Expect, type Outcome } from './checks';
import { LONG_MIGRATION_ROWS } from './long-migrations';

const OPS = ['import', 'migration', 'backup', 'undo', 'restore'] as const;
type Op = (typeof OPS)[number];
const BASE_ROWS = 1_000;

interface Setup {
  work: string;
  child: string;
  migrateChild: string;
  worker: string;
  faultCsv: string;
  baseDb: string;
  fullDb: string;
  fullBackup: string;
  importId: number;
}

interface Trial {
  child: string;
  args: string[];
  check(): Outcome;
}

function options() {
  const { values } = parseArgs({
    options: { trials: { type: 'string' }, seed: { type: 'string' }, rows: { type: 'string' }, ops: { type: 'string' }, keep: { type: 'boolean' }, verbose: { type: 'boolean' } },
  });
  const ops = (values.ops ?? OPS.join(',')).split(',').map((s) => s.trim()) as Op[];
  for (const op of ops) if (!OPS.includes(op)) throw new Error(`Unknown operation "${op}"; choose from ${OPS.join(', ')}.`);
  return {
    trials: Math.max(1, Number(values.trials ?? process.env.DRAWDOWN_FAULT_TRIALS ?? 200)),
    seed: Number(values.seed ?? Date.now() % 1_000_000),
    rows: Math.max(100, Number(values.rows ?? process.env.DRAWDOWN_FAULT_ROWS ?? 40_000)),
    ops,
    keep: values.keep === true,
    verbose: values.verbose === true,
  };
}

/** mulberry32: the seed printed with the results replays the same kill points (up to timing noise). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

async function setup(rows: number): Promise<Setup> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'drawdown-faults-'));
  const built = await bundle(work, { child: path.join(ROOT, 'test/faults/child.ts'), 'import-worker': path.join(ROOT, 'electron/engine/import/worker.ts') });
  const alias = { [path.join(ROOT, 'electron/engine/db/migrations')]: path.join(ROOT, 'test/faults/long-migrations.ts') };
  const migrateChild = (await bundle(work, { 'child-migrate': path.join(ROOT, 'test/faults/child.ts') }, alias))['child-migrate'];
  const baseCsv = path.join(work, 'base.csv');
  const faultCsv = path.join(work, 'fault.csv');
  writeUsageCsv(baseCsv, BASE_ROWS, 1);
  writeUsageCsv(faultCsv, rows, 2);
  const baseDb = path.join(work, 'base.db');
  const fullDb = path.join(work, 'full.db');
  await importInto(baseDb, baseCsv, 'base.csv');
  fs.copyFileSync(baseDb, fullDb);
  const importId = await importInto(fullDb, faultCsv, 'fault.csv');
  const fullBackup = path.join(work, 'full-backup.db');
  const db = openDatabase(fullDb);
  await backupDatabase(db, fullBackup);
  db.close();
  return { work, child: built.child, migrateChild, worker: built['import-worker'], faultCsv, baseDb, fullDb, fullBackup, importId };
}

async function importInto(dbPath: string, csv: string, name: string): Promise<number> {
  const db = openDatabase(dbPath);
  try {
    const r = await runImport({ db, dbPath, file: { path: csv, name }, actor: 'setup' });
    if (r.status !== 'committed') throw new Error(`setup import of ${name}: ${r.message}`);
    return r.importId!;
  } finally {
    db.close();
  }
}

/** The child, arguments and check of one trial of `op`, in its own folder. */
function trial(s: Setup, op: Op, dir: string, index: number, x: Expect): Trial {
  const live = path.join(dir, 'live.db');
  const copy = (from: string) => fs.copyFileSync(from, live);
  switch (op) {
    case 'import':
      copy(s.baseDb);
      return { child: s.child, args: ['import', live, s.faultCsv, s.worker], check: () => checkImport(live, x) };
    case 'undo':
      copy(s.fullDb);
      return { child: s.child, args: ['undo', live, String(s.importId)], check: () => checkUndo(live, x) };
    case 'backup': {
      copy(s.fullDb);
      const target = path.join(dir, 'out', 'backup.db');
      fs.mkdirSync(path.dirname(target));
      return { child: s.child, args: ['backup', live, target], check: () => checkBackup(live, target, x) };
    }
    case 'restore':
      copy(s.baseDb);
      return { child: s.child, args: ['restore', live, s.fullBackup], check: () => checkRestore(live, x) };
    case 'migration': {
      // alternate: a fresh file migrated from 0, and a database at the current schema migrated to the test build's next one
      const from = Math.floor(index / OPS.length) % 2 === 0 ? 0 : SCHEMA_VERSION;
      if (from !== 0) copy(s.baseDb);
      return { child: s.migrateChild, args: ['migrate', live], check: () => checkMigration(live, from, x) };
    }
  }
}

interface RunResult {
  finished: boolean;
  killed: boolean;
  /** from "start" to "done" (uninterrupted runs) */
  ms: number;
  error: string | null;
}

function runChild(file: string, args: string[], killAfterMs: number | null): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let started = 0;
    let ms = 0;
    let finished = false;
    let killed = false;
    let stderr = '';
    let buf = '';
    let timer: NodeJS.Timeout | null = null;
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      buf += d;
      if (!started && buf.includes('start\n')) {
        started = Date.now();
        if (killAfterMs !== null)
          timer = setTimeout(() => {
            killed = child.exitCode === null && child.signalCode === null && child.kill('SIGKILL');
          }, killAfterMs);
      }
      if (!finished && buf.includes('\ndone')) {
        finished = true;
        ms = Date.now() - started;
      }
    });
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      const error = signal === 'SIGKILL' || code === 0 ? null : `exit ${code ?? signal}: ${stderr.trim()}`;
      resolve({ finished, killed: killed && signal === 'SIGKILL', ms, error });
    });
  });
}

/** The median of three uninterrupted runs (the machine may be busy with other work): the span kills are spread over. */
async function calibrate(s: Setup, op: Op, x: Expect): Promise<number> {
  const times: number[] = [];
  for (let k = 0; k < 3; k++) {
    const dir = fs.mkdtempSync(path.join(s.work, `calib-${op}-`));
    const t = trial(s, op, dir, k * OPS.length, x);
    const r = await runChild(t.child, t.args, null);
    const out = t.check();
    if (r.error || !r.finished || out !== 'all') throw new Error(`the uninterrupted ${op} did not complete: ${r.error ?? JSON.stringify(out)}`);
    times.push(Math.max(1, r.ms));
  }
  return times.sort((a, b) => a - b)[1];
}

interface Tally {
  trials: number;
  all: number;
  none: number;
  corrupt: number;
  finishedFirst: number;
  failed: number;
}

async function main(): Promise<number> {
  const o = options();
  const t0 = Date.now();
  const x: Expect = { rows: o.rows, baseRows: BASE_ROWS, migrationRows: LONG_MIGRATION_ROWS };
  console.log(`fault suite: ${o.trials} trials over ${o.ops.join(', ')} (seed ${o.seed}, ${o.rows.toLocaleString('en-US')} rows per import, ${LONG_MIGRATION_ROWS.toLocaleString('en-US')} rows in the long migration)`);
  const s = await setup(o.rows);
  const rand = prng(o.seed);
  const calib = new Map<Op, number>();
  for (const op of o.ops) calib.set(op, await calibrate(s, op, x));
  const tally = new Map<Op, Tally>(o.ops.map((op) => [op, { trials: 0, all: 0, none: 0, corrupt: 0, finishedFirst: 0, failed: 0 }]));
  const failures: string[] = [];
  for (let i = 0; i < o.trials; i++) {
    const op = o.ops[i % o.ops.length];
    const dir = path.join(s.work, `trial-${i}`);
    fs.mkdirSync(dir);
    const t = trial(s, op, dir, i, x);
    const delay = Math.round(rand() * calib.get(op)! * 1.15);
    const r = await runChild(t.child, t.args, delay);
    const out = t.check();
    if (o.verbose) console.log(`trial ${i} ${op}: kill after ${delay} ms, ${r.finished ? `finished in ${r.ms} ms` : 'killed'} → ${typeof out === 'string' ? out : out.corrupt}`);
    const c = tally.get(op)!;
    c.trials++;
    if (r.finished) c.finishedFirst++;
    let problem: string | null = r.error;
    if (out === 'all' || out === 'none') c[out]++;
    else {
      c.corrupt++;
      problem = out.corrupt;
    }
    if (!problem && r.finished && out !== 'all') problem = 'finished, yet the operation is not all there';
    if (problem) {
      c.failed++;
      failures.push(`trial ${i} (${op}, kill after ${delay} ms): ${problem} — kept in ${dir}`);
    } else if (!o.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
  report(o.ops, tally, calib, failures);
  const failed = failures.length;
  console.log(`${(Date.now() - t0) / 1000} s; work folder ${o.keep || failed ? s.work : '(removed)'}`);
  if (!o.keep && !failed) fs.rmSync(s.work, { recursive: true, force: true });
  console.log(`${o.trials - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

function report(ops: Op[], tally: Map<Op, Tally>, calib: Map<Op, number>, failures: string[]): void {
  const pad = (v: string | number, w: number) => String(v).padStart(w);
  console.log(`${'operation'.padEnd(10)}${pad('trials', 8)}${pad('all', 6)}${pad('none', 6)}${pad('corrupt', 9)}${pad('finished before kill', 22)}${pad('full run ms', 13)}`);
  for (const op of ops) {
    const c = tally.get(op)!;
    console.log(`${op.padEnd(10)}${pad(c.trials, 8)}${pad(c.all, 6)}${pad(c.none, 6)}${pad(c.corrupt, 9)}${pad(c.finishedFirst, 22)}${pad(calib.get(op)!, 13)}`);
  }
  for (const f of failures) console.log(`FAILED ${f}`);
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    console.error(`fault suite could not run: ${(e as Error).message}`);
    process.exitCode = 2;
  },
);
