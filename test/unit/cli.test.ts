import { describe, it, expect } from 'vitest';
import { runCli } from '../../electron/cli/main';
import { tempDbPath } from '../helpers';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), env: {}, rendererDir: '/nonexistent' } };
}

describe('drawdown CLI', () => {
  it('prints help and exits 0 for --help, 2 without a command or for an unknown one', async () => {
    const a = io();
    expect(await runCli(['--help'], a.io)).toBe(0);
    expect(a.out.join('\n')).toMatch(/drawdown serve/);
    expect(a.out.join('\n')).toMatch(/drawdown stats --db PATH/);
    expect(await runCli([], io().io)).toBe(2);
    const b = io();
    expect(await runCli(['frobnicate'], b.io)).toBe(2);
    expect(b.err.join('\n')).toMatch(/Unknown command "frobnicate"/);
  });

  it('exits 2 on a usage error', async () => {
    const a = io();
    expect(await runCli(['stats', '--nope'], a.io)).toBe(2);
    expect(a.err.join('\n')).toMatch(/Unknown option '--nope'/);
  });

  it('creates the demo and prints its stats as exact decimal strings', async () => {
    const db = tempDbPath();
    expect(await runCli(['demo', '--db', db], io().io)).toBe(0);
    const a = io();
    expect(await runCli(['stats', '--db', db, '--json'], a.io)).toBe(0);
    const s = JSON.parse(a.out.join('\n'));
    expect(s.usageRows).toBeGreaterThan(1000);
    const providers = new Set(s.groups.map((g: { provider: string }) => g.provider));
    expect([...providers].sort()).toEqual(['anthropic', 'aws', 'openai']);
    for (const g of s.groups) {
      expect(g.billedCost).toMatch(/^-?\d+(\.\d+)?$/);
      // the exact sum of the texts and the sum of the stored micro-units agree to the micro-unit
      expect(Math.round(Number(g.billedCost) * 1e6)).toBe(g.billedCostMicros);
    }
  });

  it('refuses (exit 1) to load the demo twice, with the reason on stderr', async () => {
    const db = tempDbPath();
    expect(await runCli(['demo', '--db', db], io().io)).toBe(0);
    const a = io();
    expect(await runCli(['demo', '--db', db], a.io)).toBe(1);
    expect(a.err.join('\n')).toMatch(/only be loaded into an empty database/);
  });
});
