/**
 * The browser-mode dashboard load at scale: starts the built CLI's `serve` on the benchmark's
 * database, opens the printed URL in Debian's Chromium with playwright-core and times each load
 * from navigation until body[data-ready="true"] on the dashboard and the credit-block table is
 * visible. One warm-up load, then the median of several, each in a fresh browser context (no
 * HTTP cache).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { load, median } from './scale-time';

export interface BrowserResult {
  serverStartMs: number;
  loadsMs: number[];
  medianMs: number;
  /** dashboard-get as the page received it: the body's bytes and the request's time in the browser */
  dashboardBytes: number | null;
  dashboardRequestMs: number | null;
  /** medians of where a load's time goes, from the page's own clock (ms from navigation start) */
  phases: { boot: number; request: number; render: number } | null;
  /** the serve process's peak RSS, read from /proc while it ran (Linux) */
  serverPeakRssBytes: number | null;
}

/** Runs in the page before its scripts: notes performance.now() once the dashboard is ready with its block table. */
const READY_PROBE = `(() => {
  const done = () => document.body && document.body.dataset.ready === 'true' && document.body.dataset.screen === 'dashboard'
    && document.querySelector('table[aria-label="Credit block balances"] tbody tr');
  const watch = new MutationObserver(() => { if (!window.__readyAt && done()) { window.__readyAt = performance.now(); watch.disconnect(); } });
  watch.observe(document, { subtree: true, childList: true, attributes: true });
})();`;

/** In the page: navigation start → dashboard-get sent (boot), sent → received (request), received → ready (render). */
const PHASES = `(() => {
  const r = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/api/dashboard-get')).pop();
  const ready = window.__readyAt;
  if (!r || !ready) return null;
  return { boot: r.startTime, request: r.responseEnd - r.startTime, render: ready - r.responseEnd };
})()`;

function chromiumPath(): string | null {
  const p = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  return fs.existsSync(p) ? p : null;
}

export function browserPrerequisites(root: string): string | null {
  if (!fs.existsSync(path.join(root, 'out', 'cli', 'drawdown.cjs'))) return 'out/cli/drawdown.cjs is missing: run `npm run build` first';
  if (!fs.existsSync(path.join(root, 'out', 'renderer', 'index.html'))) return 'out/renderer is missing: run `npm run build` first';
  if (!chromiumPath()) return 'no Chromium at /usr/bin/chromium (apt-get install chromium, or set CHROMIUM_PATH)';
  return null;
}

function rssOf(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

async function startServe(root: string, dbPath: string): Promise<{ proc: ChildProcess; url: string; ms: number }> {
  const t0 = performance.now();
  const proc = spawn(process.execPath, [path.join(root, 'out', 'cli', 'drawdown.cjs'), 'serve', '--db', dbPath, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not print a URL within 10 minutes: ${out}`)), 600_000);
    proc.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /Open: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.stderr!.on('data', (b: Buffer) => (out += b.toString()));
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited ${code}: ${out}`));
    });
  });
  return { proc, url, ms: performance.now() - t0 };
}

export async function measureBrowser(root: string, dbPath: string, runs: number): Promise<BrowserResult> {
  const { chromium } = load<typeof import('playwright-core')>('playwright-core');
  const served = await startServe(root, dbPath);
  let peak = rssOf(served.proc.pid!) ?? 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssOf(served.proc.pid!) ?? 0)), 50);
  const browser = await chromium.launch({
    executablePath: chromiumPath()!,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-quic', '--no-first-run', '--disable-sync'],
  });
  try {
    let dashboardBytes: number | null = null;
    const requestMs: number[] = [];
    const phases: { boot: number; request: number; render: number }[] = [];
    const load = async (): Promise<number> => {
      const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
      const page = await context.newPage();
      // the page's own clock at the moment the dashboard is ready and its block table is on the page
      await page.addInitScript(READY_PROBE);
      page.on('requestfinished', (req) => {
        if (!req.url().endsWith('/api/dashboard-get')) return;
        const t = req.timing();
        if (t.responseEnd > 0) requestMs.push(t.responseEnd - t.requestStart);
        void req.response().then(async (r) => {
          if (r) dashboardBytes = (await r.body()).length;
        }).catch(() => undefined);
      });
      try {
        const t0 = performance.now();
        await page.goto(served.url, { waitUntil: 'commit' });
        await page.waitForSelector('body[data-ready="true"][data-screen="dashboard"]', { timeout: 120_000 });
        await page.waitForSelector('table[aria-label="Credit block balances"] tbody tr', { state: 'visible', timeout: 120_000 });
        const ms = performance.now() - t0;
        const p = (await page.evaluate(PHASES)) as { boot: number; request: number; render: number } | null;
        if (p) phases.push(p);
        return ms;
      } finally {
        await context.close();
      }
    };
    await load(); // warm-up: first statements, page cache, JIT
    requestMs.length = 0;
    phases.length = 0;
    const loadsMs: number[] = [];
    for (let i = 0; i < runs; i++) loadsMs.push(await load());
    return {
      serverStartMs: served.ms, loadsMs, medianMs: median(loadsMs), dashboardBytes,
      dashboardRequestMs: requestMs.length ? median(requestMs) : null, serverPeakRssBytes: peak || null,
      phases: phases.length ? { boot: median(phases.map((x) => x.boot)), request: median(phases.map((x) => x.request)), render: median(phases.map((x) => x.render)) } : null,
    };
  } finally {
    clearInterval(sampler);
    await browser.close();
    served.proc.kill('SIGTERM');
    await new Promise<void>((r) => {
      if (served.proc.exitCode !== null) r();
      else served.proc.once('exit', () => r());
    });
  }
}
