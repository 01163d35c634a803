// Runs a TypeScript file (benchmarks, tools) by bundling it with esbuild to a temp file first.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-ts.mjs FILE.ts [args...]');
  process.exit(2);
}
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'drawdown-run-'));
const outfile = path.join(outdir, path.basename(entry).replace(/\.ts$/, '.cjs'));
await build({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile,
  external: ['better-sqlite3', 'playwright-core', 'electron', '@duckdb/node-api'],
  nodePaths: [path.resolve('node_modules')],
  logLevel: 'warning',
});
const r = spawnSync(process.execPath, ['--expose-gc', outfile, ...args], { stdio: 'inherit', env: { ...process.env, NODE_PATH: path.resolve('node_modules') } });
fs.rmSync(outdir, { recursive: true, force: true });
process.exit(r.status ?? 1);
