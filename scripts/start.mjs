// npm start: the desktop app when Electron's binary is installed, otherwise the browser mode.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

if (!fs.existsSync('out/renderer/index.html') || !fs.existsSync('out/cli/drawdown.cjs')) {
  console.error('Drawdown is not built yet: run "npm run setup" first.');
  process.exit(1);
}

let electronBinary = null;
let why = '';
try {
  electronBinary = require('electron'); // the package exports the binary's path, and throws when it was never downloaded
  if (typeof electronBinary !== 'string' || !fs.existsSync(electronBinary)) {
    why = 'the Electron binary is not installed';
    electronBinary = null;
  }
} catch (e) {
  why = `the Electron binary is not installed (${String(e.message).split('\n')[0]})`;
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
