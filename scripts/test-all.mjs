// npm test: every suite (vitest unit/integration, Playwright end-to-end), then one plain tally line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'drawdown-tests-'));
let passed = 0;
let failed = 0;
let skipped = 0;
let broken = false;

function run(name, cmd, args, reportFile, count) {
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } });
  let tally = null;
  try {
    tally = count(JSON.parse(fs.readFileSync(reportFile, 'utf8')));
  } catch {
    tally = null;
  }
  if (!tally) {
    console.log(`${name}: no report was produced (exit ${r.status}); counting the suite as failed.`);
    failed += 1;
    broken = true;
    return;
  }
  passed += tally.passed;
  failed += tally.failed;
  skipped += tally.skipped;
  if (r.status !== 0 && tally.failed === 0) {
    console.log(`${name}: exited ${r.status} without a failing test; counting one failure.`);
    failed += 1;
  }
  console.log(`${name}: ${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`);
}

const vitestReport = path.join(tmp, 'vitest.json');
run('unit and integration (vitest)', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestReport}`], vitestReport, (j) => ({
  passed: j.numPassedTests,
  // a file that failed to load has no failed test of its own: count it; otherwise count tests only
  failed: j.numFailedTests || (j.numFailedTestSuites ?? 0),
  skipped: (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0),
}));

const pwReport = path.join(tmp, 'playwright.json');
process.env.PW_JSON = pwReport;
run('end-to-end (Playwright, Chromium)', 'npx', ['playwright', 'test'], pwReport, (j) => ({
  passed: j.stats.expected,
  failed: j.stats.unexpected + (j.stats.flaky ?? 0) + (j.errors?.length ? 1 : 0),
  skipped: j.stats.skipped,
}));

/** Runs a script that ends with its own "N passed, N failed" line, echoing it, and adds that tally. */
function runTally(name, args) {
  console.log(`\n=== ${name} ===`);
  if (!fs.existsSync(args[0])) {
    console.log(`${name}: ${args[0]} is missing; counting one failure.`);
    failed += 1;
    return;
  }
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' }, maxBuffer: 256 * 1024 * 1024 });
  process.stdout.write(r.stdout ?? '');
  process.stderr.write(r.stderr ?? '');
  const lines = (r.stdout ?? '').trim().split('\n').reverse();
  const m = lines.map((l) => /^(?:\w+: )?(\d+) passed, (\d+) failed/.exec(l.trim())).find(Boolean);
  if (!m) {
    // a check without a tally of its own counts as one test, passed when it exits 0
    if (r.status === 0) passed += 1;
    else failed += 1;
    console.log(`${name}: ${r.status === 0 ? 'passed' : `FAILED (exit ${r.status})`}`);
    return;
  }
  passed += Number(m[1]);
  failed += Number(m[2]) + (r.status !== 0 && Number(m[2]) === 0 ? 1 : 0);
}

// In CI: the fault and fuzz suites at reduced counts, the Electron security scan, and the
// type-check and lint (one test each), so the closing tally covers all of them.
if (process.argv.includes('--with-static-checks')) {
  runTally('faults (kill at random points, reduced count)', ['scripts/test-faults.mjs', '--trials', process.env.FAULT_TRIALS ?? '24']);
  runTally('fuzz (hostile CSVs and HTTP, reduced count)', ['scripts/test-fuzz.mjs', '--runs', process.env.FUZZ_RUNS ?? '300']);
  runTally('Electron security scan (Electronegativity)', ['scripts/scan-electron.mjs']);
  for (const [name, args] of [
    ['type-check (tsc, node and web)', ['run', '-s', 'typecheck']],
    ['lint (eslint)', ['run', '-s', 'lint']],
  ]) {
    console.log(`\n=== ${name} ===`);
    const r = spawnSync('npm', args, { stdio: 'inherit' });
    if (r.status === 0) passed += 1;
    else failed += 1;
    console.log(`${name}: ${r.status === 0 ? 'passed' : 'FAILED'}`);
  }
}

console.log('');
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || broken ? 1 : 0);
