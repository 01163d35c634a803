// npm run setup: install exactly the locked dependencies and build, on any OS, with or without
// internet access to Electron's binary. The dependencies install with the Electron download
// skipped; then the binary is fetched in a separate step that may fail (offline, CI, locked-down
// networks) without failing the setup: `npm start` then uses the browser mode and says why.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const win = process.platform === 'win32';

function step(label, cmd, args, env = process.env, optional = false) {
  console.log(`> ${label}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env, shell: win, timeout: 300_000 });
  if (r.status !== 0 && !optional) {
    console.error(`"${label}" failed (exit ${r.status}).`);
    process.exit(r.status ?? 1);
  }
  return r.status === 0;
}

step('npm ci', npm, ['ci', '--no-audit', '--no-fund'], { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
if (!process.env.ELECTRON_SKIP_BINARY_DOWNLOAD && fs.existsSync('node_modules/electron/install.js')) {
  const ok = step('fetch the Electron binary (optional)', process.execPath, ['node_modules/electron/install.js'], process.env, true);
  if (!ok) console.log('Electron\'s binary could not be downloaded here; "npm start" will use the browser mode.');
}
step('npm run build', npm, ['run', 'build']);
console.log('\nDrawdown is set up. Run "npm start" to open it, "npm test" to run the tests.');
