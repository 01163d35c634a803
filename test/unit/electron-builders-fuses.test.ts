/**
 * The release-build fuse check (scripts/check-fuses.mjs) and the after-pack hook that flips the fuses
 * (scripts/after-pack.cjs), on a stand-in binary that carries a real V1 fuse wire (the sentinel, the
 * version, the length and one byte per fuse), since no Electron binary is downloaded on CI machines.
 */
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { tempDir } from '../helpers';

const ROOT = path.resolve(__dirname, '..', '..');
const req = createRequire(__filename);
const { FuseV1Options, getCurrentFuseWire } = req('@electron/fuses') as typeof import('@electron/fuses');
// the wire's bytes and marker live in dist/constants (not re-exported by the package's index)
const { SENTINEL, FuseState } = req('@electron/fuses/dist/constants') as { SENTINEL: string; FuseState: { DISABLE: number; ENABLE: number } };

/** A file shaped like an Electron binary with the stock fuse wire (Electron's defaults). */
function stockBinary(file: string): void {
  const E = FuseState.ENABLE;
  const D = FuseState.DISABLE;
  // RunAsNode, CookieEncryption, NodeOptions, Inspect, AsarIntegrity, OnlyLoadAppFromAsar, V8Snapshot, GrantFileProtocolExtraPrivileges
  const wire = [E, D, E, E, D, D, D, E];
  fs.writeFileSync(file, Buffer.concat([Buffer.from('\x7fELF…padding…'), Buffer.from(SENTINEL), Buffer.from([1, wire.length, ...wire]), Buffer.from('…more binary…')]));
  fs.chmodSync(file, 0o755);
}

function check(args: string[]) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'check-fuses.mjs'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('release fuses', () => {
  it('skips, and says so, where nothing is packaged', () => {
    if (fs.existsSync(path.join(ROOT, 'release'))) return; // a packaged tree is checked for real below
    const r = check([]);
    expect(r.status).toBe(0);
    expect(r.out.trim()).toBe('skipped: no packaged Electron binary here (ELECTRON_SKIP_BINARY_DOWNLOAD)');
  });

  it('fails on a stock binary (run-as-node, NODE_OPTIONS, --inspect still on)', () => {
    const dir = tempDir('drawdown-fuses-');
    const bin = path.join(dir, 'drawdown');
    stockBinary(bin);
    const r = check(['--binary', bin]);
    expect(r.status, r.out).toBe(1);
    expect(r.out).toMatch(/FAIL\s+RunAsNode/);
    expect(r.out).toMatch(/FAIL\s+EnableNodeOptionsEnvironmentVariable/);
    expect(r.out).toMatch(/FAIL\s+OnlyLoadAppFromAsar/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('passes once the after-pack hook has flipped the fuses, and they read back as flipped', async () => {
    const dir = tempDir('drawdown-fuses-');
    const bin = path.join(dir, 'drawdown');
    stockBinary(bin);
    const afterPack = (req(path.join(ROOT, 'scripts', 'after-pack.cjs')) as { default: (ctx: unknown) => Promise<void> }).default;
    await afterPack({ electronPlatformName: 'linux', appOutDir: dir, packager: { appInfo: { productFilename: 'Drawdown' }, executableName: 'drawdown' } });
    const wire = await getCurrentFuseWire(bin);
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE);
    const r = check(['--binary', bin]);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toMatch(/ok: 1 binary/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
