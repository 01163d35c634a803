// npm start: the desktop app when Electron's binary is installed, otherwise the browser mode.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

if (!fs.existsSync('out/renderer/index.html') || !fs.existsSync('out/cli/drawdown.cjs')) {
  console.error('Drawdown is not built yet: run "npm run setup" first.');
  process.exit(1);
}

// Find the binary the way the electron package does (path.txt beside it), without requiring the
// package: requiring it tries a download when the binary is missing.
let electronBinary = null;
let why = '';
try {
  const pkgDir = path.dirname(require.resolve('electron/package.json'));
  const pathFile = path.join(pkgDir, 'path.txt');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const rel = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : null;
  const candidate = override ? path.join(override, rel ?? 'electron') : rel ? path.join(pkgDir, 'dist', rel) : null;
  if (candidate && fs.existsSync(candidate)) electronBinary = candidate;
  else why = 'the Electron binary is not installed (set-up skipped or could not download it)';
} catch {
  why = 'the electron package is not installed';
}
if (electronBinary && process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  why = 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)';
  electronBinary = null;
}

if (electronBinary) {
  const child = spawn(electronBinary, ['.', ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(`Starting the browser mode because ${why}.`);
  const child = spawn(process.execPath, ['out/cli/drawdown.cjs', 'serve', ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
}
