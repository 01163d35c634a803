// Bundles the Node-only CLI (and the workers it starts) into out/cli with esbuild.
// better-sqlite3 and playwright-core stay external: they load native code or browsers at run time.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  external: ['better-sqlite3', 'playwright-core', 'electron'],
  logLevel: 'warning',
  outExtension: { '.js': '.cjs' },
};

await build({ ...common, entryPoints: { drawdown: 'electron/cli/index.ts' }, outdir: 'out/cli' });
const workers = (await import('node:fs')).existsSync('electron/engine/import/worker.ts')
  ? { 'import-worker': 'electron/engine/import/worker.ts' }
  : {};
if (Object.keys(workers).length) await build({ ...common, entryPoints: workers, outdir: 'out/cli' });
