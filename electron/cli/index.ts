import path from 'node:path';
import { runCli } from './main';

// Entry of the bundled CLI (out/cli/drawdown.cjs): the renderer build sits beside it in out/renderer.
const rendererDir = process.env.DRAWDOWN_RENDERER_DIR ?? path.resolve(__dirname, '..', 'renderer');

runCli(process.argv.slice(2), {
  out: (t) => process.stdout.write(t + '\n'),
  err: (t) => process.stderr.write(t + '\n'),
  env: process.env,
  rendererDir,
}).then(
  (code) => {
    if (process.argv[2] !== 'serve') process.exitCode = code;
    else process.exit(code);
  },
  (e: unknown) => {
    process.stderr.write(`drawdown: ${(e as Error).message}\n`);
    process.exitCode = 1;
  },
);
