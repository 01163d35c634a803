// The fault suite: SIGKILL at random points of an import, a migration, a backup, an undo and a
// restore; the database must open, pass integrity_check and hold all or none of the operation.
// Usage: node scripts/test-faults.mjs [--trials N] [--seed N] [--rows N] [--ops a,b] [--keep]
// (default 200 trials, or DRAWDOWN_FAULT_TRIALS). Bundles test/faults/run.ts with esbuild (which
// stays external: the runner builds the child scripts with it) and runs it; exits with its code.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'drawdown-faults-runner-'));
const outfile = path.join(outdir, 'run.cjs');
await build({
  entryPoints: [path.join(root, 'test/faults/run.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['better-sqlite3', 'esbuild', 'playwright-core', 'electron'],
  nodePaths: [path.join(root, 'node_modules')],
  logLevel: 'warning',
});
const env = { ...process.env, DRAWDOWN_ROOT: root, NODE_PATH: path.join(root, 'node_modules') };
const r = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: 'inherit', env, cwd: root });
fs.rmSync(outdir, { recursive: true, force: true });
process.exit(r.status ?? 1);
