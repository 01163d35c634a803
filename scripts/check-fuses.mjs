// Release-build check of Electron's fuses (@electron/fuses getCurrentFuseWire) on the packaged app:
// every fuse scripts/after-pack.cjs flips must read back as flipped, and the security minimum must
// hold whatever after-pack says (no ELECTRON_RUN_AS_NODE, no NODE_OPTIONS, no --inspect, app only
// from the asar with integrity checked, cookies encrypted, no extra file:// privileges).
//
//   npm run pack && node scripts/check-fuses.mjs          the binaries under release/*-unpacked, release/mac*/*.app
//   node scripts/check-fuses.mjs --binary PATH             one binary (or .app bundle)
//
// Where nothing is packaged (CI machines install with ELECTRON_SKIP_BINARY_DOWNLOAD=1) it prints
// "skipped: …" and exits 0. Exit 1 when a fuse is wrong or cannot be read.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const fuses = require('@electron/fuses');
const { FuseV1Options, getCurrentFuseWire } = fuses;
/** The bytes of a V1 fuse wire ('0', '1', 'r'); @electron/fuses keeps them in dist/constants, not in its index. */
const FuseState = (() => {
  try {
    return require('@electron/fuses/dist/constants').FuseState;
  } catch {
    return { DISABLE: 48, ENABLE: 49, REMOVED: 114, INHERIT: 144 };
  }
})();

function opt(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** What scripts/after-pack.cjs asks for: its afterPack run against a stand-in flipFuses that records the config. */
async function afterPackConfig() {
  const real = fuses.flipFuses;
  let captured = null;
  fuses.flipFuses = async (_binary, config) => {
    captured = config;
    return 0;
  };
  try {
    const afterPack = require(path.join(ROOT, 'scripts', 'after-pack.cjs')).default;
    await afterPack({ electronPlatformName: 'linux', appOutDir: '/nonexistent', packager: { appInfo: { productFilename: 'Drawdown' }, executableName: 'drawdown' } });
  } finally {
    fuses.flipFuses = real;
  }
  if (!captured) throw new Error('scripts/after-pack.cjs did not call flipFuses');
  return captured;
}

/** The floor: whatever after-pack says, a release binary must have these. */
const MINIMUM = {
  RunAsNode: false,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  OnlyLoadAppFromAsar: true,
  EnableEmbeddedAsarIntegrityValidation: true,
  EnableCookieEncryption: true,
  GrantFileProtocolExtraPrivileges: false,
};

function packagedBinaries() {
  const release = path.join(ROOT, 'release');
  if (!fs.existsSync(release)) return [];
  const out = [];
  for (const entry of fs.readdirSync(release, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(release, entry.name);
    if (entry.name.startsWith('mac')) {
      for (const f of fs.readdirSync(dir)) if (f.endsWith('.app')) out.push(path.join(dir, f));
    } else if (entry.name.endsWith('-unpacked')) {
      const names = ['Drawdown.exe', 'drawdown.exe', 'drawdown', 'Drawdown'];
      const hit = names.map((n) => path.join(dir, n)).find((p) => fs.existsSync(p) && fs.statSync(p).isFile());
      if (hit) out.push(hit);
    }
  }
  return out;
}

const explicit = opt('binary');
const binaries = explicit ? [path.resolve(explicit)] : packagedBinaries();
if (binaries.length === 0) {
  console.log('skipped: no packaged Electron binary here (ELECTRON_SKIP_BINARY_DOWNLOAD)');
  process.exit(0);
}

const wanted = await afterPackConfig();
const expected = {};
for (const [name, index] of Object.entries(FuseV1Options)) {
  if (typeof index !== 'number') continue;
  if (wanted[index] !== undefined) expected[name] = wanted[index];
}
let failed = 0;
for (const [name, value] of Object.entries(MINIMUM)) {
  if (expected[name] !== value) {
    console.log(`scripts/after-pack.cjs sets ${name} to ${expected[name] ?? '(not set)'}; a release build needs ${value}.`);
    failed++;
    expected[name] = value;
  }
}

const stateName = (s) => Object.entries(FuseState).find(([k, v]) => v === s && Number.isNaN(Number(k)))?.[0] ?? String(s);
for (const binary of binaries) {
  console.log(`\n${path.relative(ROOT, binary) || binary}`);
  if (!fs.existsSync(binary)) {
    console.log('  missing');
    failed++;
    continue;
  }
  let wire;
  try {
    wire = await getCurrentFuseWire(binary);
  } catch (e) {
    console.log(`  cannot read the fuse wire: ${e.message}`);
    failed++;
    continue;
  }
  for (const [name, want] of Object.entries(expected)) {
    const got = wire[FuseV1Options[name]];
    const ok = got === (want ? FuseState.ENABLE : FuseState.DISABLE);
    if (!ok) failed++;
    console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${name.padEnd(40)} ${stateName(got).padEnd(8)} (want ${want ? 'ENABLE' : 'DISABLE'})`);
  }
}
console.log('');
console.log(failed === 0 ? `ok: ${binaries.length} binar${binaries.length === 1 ? 'y' : 'ies'}, every fuse as after-pack sets it` : `FAILED: ${failed} fuse problem${failed === 1 ? '' : 's'}`);
process.exit(failed === 0 ? 0 : 1);
