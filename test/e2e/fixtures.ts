import { test as base, expect, type Page } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
export const CLI = path.join(ROOT, 'out', 'cli', 'drawdown.cjs');
export const SHARED_DATA = path.resolve(ROOT, '..', 'shared', 'data');

export interface Served {
  url: string;
  origin: string;
  token: string;
  dbPath: string;
  dir: string;
}

/** Runs the built CLI to completion (demo, import, stats…) against a test's own database. */
export function cli(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Starts "drawdown serve" on a random loopback port with a fresh database; resolves with its URL. */
export async function serve(opts: { demo?: boolean } = {}): Promise<Served & { proc: ChildProcess }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drawdown-e2e-'));
  const dbPath = path.join(dir, 'e2e.db');
  if (opts.demo) {
    const r = cli(['demo', '--db', dbPath]);
    if (r.status !== 0) throw new Error(`demo failed: ${r.stderr}`);
  }
  const proc = spawn(process.execPath, [CLI, 'serve', '--db', dbPath, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not print a URL: ${out}`)), 20_000);
    proc.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /Open: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    proc.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  const u = new URL(url);
  return { url, origin: u.origin, token: u.searchParams.get('token')!, dbPath, dir, proc };
}

/** Waits for the screen's readiness marker instead of sleeping. */
export async function ready(page: Page, screen?: string): Promise<void> {
  const sel = screen ? `body[data-ready="true"][data-screen="${screen}"]` : 'body[data-ready="true"]';
  await page.waitForSelector(sel, { timeout: 30_000 });
}

type Fixtures = { server: Served; demoServer: Served };

export const test = base.extend<Fixtures>({
  server: async ({}, use) => {
    const s = await serve();
    await use(s);
    s.proc.kill();
    fs.rmSync(s.dir, { recursive: true, force: true });
  },
  demoServer: async ({}, use) => {
    const s = await serve({ demo: true });
    await use(s);
    s.proc.kill();
    fs.rmSync(s.dir, { recursive: true, force: true });
  },
});

export { expect };
// outside Playwright's outputDir, which it empties at the start of every run
export const SCREENSHOTS = path.join(ROOT, 'screenshots');
