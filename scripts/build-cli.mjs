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

// the CLI, and the worker-thread entries the engine starts (the desktop app loads them from out/cli too)
await build({
  ...common,
  entryPoints: {
    drawdown: 'electron/cli/index.ts',
    'import-worker': 'electron/engine/import/worker.ts',
    'simulate-worker': 'electron/engine/services/simulate-worker.ts',
  },
  outdir: 'out/cli',
});
