// Property-based fuzzing of every importer with hostile CSV files (test/fuzz/): thousands of cases
// through the real import pipeline into temporary databases, one per worker process. Prints a
// tally per importer and a final plain line "N passed, N failed"; exits 1 when any case failed.
//
//   node scripts/test-fuzz.mjs                 5000 cases (DRAWDOWN_FUZZ_RUNS overrides)
//   node scripts/test-fuzz.mjs --ci            300 cases, for CI
//   node scripts/test-fuzz.mjs --runs 300 --seed 7 --workers 2 --huge 2
//   node scripts/test-fuzz.mjs --importer openai-usage --seed 7 --runs 200 --only 13   (replay one case)
//
// --seed random picks a new base seed and prints it. Failing cases are saved under
// test-results/fuzz-failures/ (the file's bytes and the case as JSON).
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function opt(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const flag = (name) => process.argv.includes(`--${name}`);

if (flag('help')) {
  console.log('usage: node scripts/test-fuzz.mjs [--runs N | --ci] [--seed S|random] [--workers W] [--huge N] [--importer a,b] [--only K]');
  process.exit(0);
}

const runs = Math.max(1, Number(opt('runs') ?? process.env.DRAWDOWN_FUZZ_RUNS ?? (flag('ci') ? 300 : 5000)));
const seedArg = opt('seed') ?? process.env.DRAWDOWN_FUZZ_SEED ?? '1';
const seed = seedArg === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(seedArg);
if (!Number.isFinite(seed)) {
  console.error(`--seed must be a number or "random", got ${seedArg}`);
  process.exit(2);
}
const workers = Math.max(1, Number(opt('workers') ?? Math.min(2, os.availableParallelism?.() ?? os.cpus().length)));
const hugeCount = Math.max(0, Number(opt('huge') ?? (runs >= 1000 ? 6 : 2)));
const only = opt('only');
const failuresDir = path.join(ROOT, 'test-results', 'fuzz-failures');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'drawdown-fuzz-run-'));
const bundle = path.join(tmp, 'fuzz-main.cjs');
await build({
  entryPoints: [path.join(ROOT, 'test', 'fuzz', 'main.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: bundle,
  external: ['better-sqlite3'],
  nodePaths: [path.join(ROOT, 'node_modules')],
  logLevel: 'warning',
});

// the importer ids, from the registry itself
const list = await new Promise((resolve, reject) => {
  const p = spawn(process.execPath, [bundle, '--list'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') } });
  let out = '';
  p.stdout.on('data', (b) => (out += b));
  p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`could not list the importers (exit ${code})`))));
});
const wanted = opt('importer') ? opt('importer').split(',') : list;
for (const id of wanted) {
  if (!list.includes(id)) {
    console.error(`unknown importer ${id}; known: ${list.join(', ')}`);
    process.exit(2);
  }
}
const per = Math.max(1, Math.ceil(runs / wanted.length));
// the huge-cell cases go to importers spread over the list (every kind gets some)
const hugeFor = new Set(Array.from({ length: Math.min(hugeCount, wanted.length) }, (_, i) => wanted[Math.floor((i * wanted.length) / Math.min(hugeCount, wanted.length))]));

console.log(
  `Fuzzing ${wanted.length} importers: ${per} cases each${hugeFor.size ? ` + ${hugeFor.size} huge-cell cases` : ''}, seed ${seed}, ${workers} worker${workers === 1 ? '' : 's'}` +
    `${only !== undefined ? `, only case ${only}` : ''}.`,
);
const t0 = Date.now();

function runWorker(k) {
  const mine = wanted.filter((_, i) => i % workers === k);
  if (mine.length === 0) return Promise.resolve({ tallies: [], unhandled: [] });
  const out = path.join(tmp, `worker-${k}.json`);
  const args = [bundle, '--importers', mine.join(','), '--per', String(per), '--seed', String(seed), '--out', out, '--failures', failuresDir];
  const huge = mine.filter((id) => hugeFor.has(id));
  if (huge.length) args.push('--huge', huge.join(','));
  if (only !== undefined) args.push('--only', only);
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--max-old-space-size=4096', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') },
    });
    p.on('exit', (code, signal) => {
      try {
        resolve(JSON.parse(fs.readFileSync(out, 'utf8')));
      } catch {
        resolve({ tallies: [], unhandled: [], crashed: `worker ${k} (${mine.join(', ')}) ended with ${signal ?? `exit code ${code}`} and no report` });
      }
    });
  });
}

const reports = await Promise.all(Array.from({ length: workers }, (_, k) => runWorker(k)));
fs.rmSync(tmp, { recursive: true, force: true });

const tallies = reports.flatMap((r) => r.tallies).sort((a, b) => wanted.indexOf(a.importer) - wanted.indexOf(b.importer));
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const cols = ['committed', 'refused', 'duplicate', 'dry-run', 'threw'];
console.log('');
console.log(
  `${pad('importer', 22)}${lpad('cases', 7)}${lpad('passed', 8)}${lpad('failed', 8)}${cols.map((c) => lpad(c, 11)).join('')}${lpad('rejected rows', 15)}${lpad('verbatim', 10)}${lpad('avg ms', 8)}${lpad('max ms', 8)}`,
);
let passed = 0;
let failed = 0;
const sum = { cases: 0, rowsRejected: 0, verbatimChecked: 0, totalMs: 0, maxMs: 0, statuses: {} };
for (const t of tallies) {
  passed += t.passed;
  failed += t.failed;
  sum.cases += t.cases;
  sum.rowsRejected += t.rowsRejected;
  sum.verbatimChecked += t.verbatimChecked;
  sum.totalMs += t.totalMs;
  sum.maxMs = Math.max(sum.maxMs, t.maxMs);
  for (const [k, v] of Object.entries(t.statuses)) sum.statuses[k] = (sum.statuses[k] ?? 0) + v;
  console.log(
    `${pad(t.importer, 22)}${lpad(t.cases, 7)}${lpad(t.passed, 8)}${lpad(t.failed, 8)}${cols.map((c) => lpad(t.statuses[c] ?? 0, 11)).join('')}` +
      `${lpad(t.rowsRejected, 15)}${lpad(t.verbatimChecked, 10)}${lpad(Math.round(t.totalMs / Math.max(1, t.cases)), 8)}${lpad(Math.round(t.maxMs), 8)}`,
  );
}
console.log(
  `${pad('all', 22)}${lpad(sum.cases, 7)}${lpad(passed, 8)}${lpad(failed, 8)}${cols.map((c) => lpad(sum.statuses[c] ?? 0, 11)).join('')}` +
    `${lpad(sum.rowsRejected, 15)}${lpad(sum.verbatimChecked, 10)}${lpad(Math.round(sum.totalMs / Math.max(1, sum.cases)), 8)}${lpad(Math.round(sum.maxMs), 8)}`,
);
const slowest = tallies.reduce((a, b) => (b.maxMs > (a?.maxMs ?? -1) ? b : a), null);
if (slowest) console.log(`slowest case: ${Math.round(slowest.maxMs)} ms (${slowest.slowest})`);
console.log(`wall time: ${((Date.now() - t0) / 1000).toFixed(1)} s`);

for (const r of reports) {
  if (r.crashed) {
    failed += 1;
    console.log(`\nCRASH: ${r.crashed}`);
  }
  for (const u of r.unhandled ?? []) {
    failed += 1;
    console.log(`\n${u}`);
  }
}
for (const t of tallies) {
  for (const f of t.failures) {
    console.log(`\nFAILED ${t.importer} case ${f.index}: ${f.label}`);
    for (const m of f.failures) console.log(`  - ${m}`);
    if (f.saved) console.log(`  saved: ${path.relative(ROOT, f.saved)} (replay: node scripts/test-fuzz.mjs --importer ${t.importer} --seed ${seed} --runs ${per} --only ${f.index})`);
  }
}

console.log('');
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
