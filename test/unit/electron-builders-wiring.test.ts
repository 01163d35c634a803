/**
 * Reads back what the real main process (electron/main/index.ts + print.ts, bundled as the app
 * bundles it) hands to Electron, with a recording stand-in for the `electron` module: the options
 * of every BrowserWindow, the permission handlers, the navigation / webview / window.open handlers
 * of the main window and of every other web contents, the app:// protocol handler and the IPC
 * channels — then drives those captured handlers with hostile input. So the pure builders of
 * electron/main/security.ts are not only correct but actually wired.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { handlerNames } from '../../shared/api';
import { mainWindowOptions, printWindowOptions, CONTENT_SECURITY_POLICY } from '../../electron/main/security';
import { tempDir } from '../helpers';

const ROOT = path.resolve(__dirname, '..', '..');

/** The recording stand-in for `electron` (bundled in place of the real module). */
const FAKE_ELECTRON = `
const rec = (globalThis.__electronFake = {
  calls: [], windows: [], ipc: new Map(), appEvents: new Map(), protocolHandlers: new Map(), privileged: null,
  permissionRequest: null, permissionCheck: null, openExternal: [], menu: null, netFetch: [],
});
const log = (what) => rec.calls.push(what);
class WebContents {
  constructor(win) { this.win = win; this.events = new Map(); this.windowOpenHandler = null; this.url = 'app://drawdown/index.html'; }
  on(ev, fn) { this.events.set(ev, [...(this.events.get(ev) ?? []), fn]); return this; }
  once(ev, fn) { return this.on(ev, fn); }
  setWindowOpenHandler(fn) { this.windowOpenHandler = fn; }
  getURL() { return this.url; }
  send() {}
  reload() { log('reload'); }
  async executeJavaScript() { return true; }
  async printToPDF() { return Buffer.from('%PDF'); }
}
class BrowserWindow {
  constructor(options) { this.options = options; this.webContents = new WebContents(this); this.events = new Map(); this.loaded = []; rec.windows.push(this); log('new BrowserWindow'); }
  static getAllWindows() { return rec.windows.filter((w) => !w.destroyed); }
  on(ev, fn) { this.events.set(ev, fn); return this; }
  once(ev, fn) { return this.on(ev, fn); }
  async loadURL(url) { this.loaded.push(url); }
  show() {}
  destroy() { this.destroyed = true; }
}
const app = {
  isPackaged: true,
  getVersion: () => '0.0.0-test',
  getPath: () => process.env.__FAKE_USER_DATA,
  whenReady: () => { log('whenReady'); return Promise.resolve(); },
  enableSandbox: () => log('enableSandbox'),
  on: (ev, fn) => { rec.appEvents.set(ev, fn); },
  quit: () => log('quit'),
};
module.exports = {
  app,
  BrowserWindow,
  Menu: { buildFromTemplate: (t) => t, setApplicationMenu: (m) => { rec.menu = m; } },
  dialog: {
    showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
    showSaveDialog: async () => ({ canceled: true }),
    showMessageBox: async () => ({ response: 1 }),
    showErrorBox: () => {},
  },
  ipcMain: { handle: (channel, fn) => { if (rec.ipc.has(channel)) throw new Error('channel registered twice: ' + channel); rec.ipc.set(channel, fn); } },
  protocol: {
    registerSchemesAsPrivileged: (list) => { rec.privileged = list; log('registerSchemesAsPrivileged'); },
    handle: (scheme, fn) => rec.protocolHandlers.set(scheme, fn),
  },
  session: { defaultSession: { setPermissionRequestHandler: (fn) => { rec.permissionRequest = fn; }, setPermissionCheckHandler: (fn) => { rec.permissionCheck = fn; } } },
  shell: { openExternal: async (url) => { rec.openExternal.push(url); } },
  net: { fetch: async (url) => { rec.netFetch.push(url); return new Response('file body', { status: 200 }); } },
};
`;

interface FakeWindow {
  options: ReturnType<typeof mainWindowOptions>;
  webContents: { events: Map<string, ((...a: unknown[]) => unknown)[]>; windowOpenHandler: ((d: { url: string }) => { action: string }) | null };
  loaded: string[];
}
interface Fake {
  calls: string[];
  windows: FakeWindow[];
  ipc: Map<string, (e: unknown, args: unknown) => Promise<{ ok: boolean; error?: { code: string; message: string }; value?: unknown }>>;
  appEvents: Map<string, (...a: unknown[]) => unknown>;
  protocolHandlers: Map<string, (req: { url: string }) => Promise<Response> | Response>;
  privileged: { scheme: string; privileges: Record<string, boolean> }[] | null;
  permissionRequest: ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void) | null;
  permissionCheck: ((wc: unknown, permission: string) => boolean) | null;
  openExternal: string[];
  menu: unknown;
  netFetch: string[];
}

let fake: Fake;
let dir: string;
const env = { ...process.env };

beforeAll(async () => {
  dir = tempDir('drawdown-electron-wiring-');
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  fs.mkdirSync(path.join(dir, 'main'));
  const fakeFile = path.join(dir, 'fake-electron.cjs');
  fs.writeFileSync(fakeFile, FAKE_ELECTRON);
  const bundle = path.join(dir, 'main', 'index.cjs');
  await build({
    entryPoints: [path.join(ROOT, 'electron', 'main', 'index.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: bundle,
    external: ['better-sqlite3'],
    plugins: [{ name: 'fake-electron', setup: (b) => b.onResolve({ filter: /^electron$/ }, () => ({ path: fakeFile })) }],
    logLevel: 'warning',
  });
  process.env.__FAKE_USER_DATA = path.join(dir, 'user-data');
  process.env.DRAWDOWN_DB = path.join(dir, 'user-data', 'drawdown.db');
  delete process.env.ELECTRON_RENDERER_URL;
  createRequire(__filename)(bundle);
  // app.whenReady() resolved: let its continuation run
  for (let i = 0; i < 20 && !(globalThis as { __electronFake?: Fake }).__electronFake?.windows.length; i++) await new Promise((r) => setTimeout(r, 10));
  fake = (globalThis as unknown as { __electronFake: Fake }).__electronFake;
}, 60_000);

afterAll(() => {
  fake?.appEvents.get('window-all-closed')?.();
  process.env = env;
  fs.rmSync(dir, { recursive: true, force: true });
});

const mainWindow = () => fake.windows[0];
const trustedEvent = () => ({ senderFrame: { url: 'app://drawdown/index.html' }, sender: mainWindow().webContents });

describe('the real main process, wired to a recording electron', () => {
  it('turns the sandbox on for every renderer before anything else happens', () => {
    expect(fake.calls.indexOf('enableSandbox')).toBeGreaterThanOrEqual(0);
    expect(fake.calls.indexOf('enableSandbox')).toBeLessThan(fake.calls.indexOf('new BrowserWindow'));
  });

  it('creates the main window with exactly the builder options, and loads the app origin', () => {
    expect(fake.windows).toHaveLength(1);
    const w = mainWindow();
    const preload = w.options.webPreferences.preload;
    expect(preload.endsWith(path.join('preload', 'index.cjs'))).toBe(true);
    expect(w.options).toEqual(mainWindowOptions(preload));
    expect(w.loaded).toEqual(['app://drawdown/index.html']);
  });

  it('registers app:// as a standard, secure scheme without bypassing the CSP', () => {
    expect(fake.privileged).toHaveLength(1);
    const [s] = fake.privileged!;
    expect(s.scheme).toBe('app');
    expect(s.privileges).toMatchObject({ standard: true, secure: true });
    for (const risky of ['bypassCSP', 'allowServiceWorkers', 'corsEnabled', 'stream']) expect(s.privileges[risky], risky).toBeFalsy();
  });

  it('refuses every permission request and check', () => {
    expect(fake.permissionRequest).toBeTypeOf('function');
    expect(fake.permissionCheck).toBeTypeOf('function');
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'midiSysex', 'hid', 'serial', 'unknown']) {
      let answer: boolean | null = null;
      fake.permissionRequest!({}, p, (ok) => (answer = ok));
      expect(answer, p).toBe(false);
      expect(fake.permissionCheck!({}, p), p).toBe(false);
    }
  });

  it('stops every navigation and webview of the main window', () => {
    const events = mainWindow().webContents.events;
    for (const url of ['https://evil.example/', 'app://drawdown/other.html', 'file:///etc/passwd', 'javascript:alert(1)']) {
      let prevented = 0;
      for (const fn of events.get('will-navigate') ?? []) fn({ preventDefault: () => prevented++ }, url);
      expect(prevented, url).toBeGreaterThan(0);
    }
    let stopped = 0;
    for (const fn of events.get('will-attach-webview') ?? []) fn({ preventDefault: () => stopped++ }, {}, {});
    expect(stopped).toBeGreaterThan(0);
  });

  it('denies window.open, handing only https URLs — as parsed — to the system browser', () => {
    const handler = mainWindow().webContents.windowOpenHandler!;
    expect(handler).toBeTypeOf('function');
    fake.openExternal.length = 0;
    for (const url of ['https://docs.example/a', ' https://docs.example/b\t', 'http://docs.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://x/y', 'app://drawdown/x']) {
      expect(handler({ url }), url).toEqual({ action: 'deny' });
    }
    expect(fake.openExternal).toEqual(['https://docs.example/a', 'https://docs.example/b']);
  });

  it('locks down every other web contents too (navigation and window.open)', () => {
    const created = fake.appEvents.get('web-contents-created')!;
    expect(created).toBeTypeOf('function');
    const events = new Map<string, (...a: unknown[]) => unknown>();
    let openHandler: (() => { action: string }) | null = null;
    created({}, { on: (ev: string, fn: (...a: unknown[]) => unknown) => events.set(ev, fn), setWindowOpenHandler: (fn: () => { action: string }) => (openHandler = fn) });
    let prevented = 0;
    events.get('will-navigate')!({ preventDefault: () => prevented++ }, 'https://evil.example/');
    expect(prevented).toBe(1);
    expect(openHandler!()).toEqual({ action: 'deny' });
  });

  it('serves app:// with the CSP, and nothing outside the renderer folder', async () => {
    const handle = fake.protocolHandlers.get('app')!;
    expect(handle).toBeTypeOf('function');
    const ok = await handle({ url: 'app://drawdown/index.html' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    const fetched = fake.netFetch.at(-1)!;
    expect(fetched.startsWith('file://')).toBe(true);
    expect(decodeURIComponent(new URL(fetched).pathname)).toBe(path.join(dir, 'renderer', 'index.html'));
    for (const url of ['app://drawdown/..%2f..%2fetc/passwd', 'app://drawdown/x%00.js', 'app://evil/index.html', 'app://drawdown/%5c..%5csecret']) {
      const before = fake.netFetch.length;
      const r = await handle({ url });
      expect(r.status, url).toBe(404);
      expect(fake.netFetch.length, url).toBe(before);
    }
  });

  it('opens exactly one IPC channel per API handler, plus the file picker and the PDF export', () => {
    const expected = [...handlerNames.map((n) => `drawdown:${n}`), 'drawdown:files-pick', 'drawdown:report-pdf'].sort();
    expect([...fake.ipc.keys()].sort()).toEqual(expected);
  });

  it('answers IPC only from its own window at the app origin', async () => {
    const call = (e: unknown, channel = 'drawdown:app-info', args: unknown = {}) => fake.ipc.get(channel)!(e, args);
    const good = await call(trustedEvent());
    expect(good.ok).toBe(true);
    const other = { sender: {} };
    for (const e of [
      { senderFrame: { url: 'https://evil.example/' }, sender: mainWindow().webContents },
      { senderFrame: { url: 'app://evil/index.html' }, sender: mainWindow().webContents },
      { senderFrame: { url: 'app://drawdown/index.html' }, ...other },
      { senderFrame: null, sender: mainWindow().webContents },
    ]) {
      for (const channel of ['drawdown:app-info', 'drawdown:demo-load', 'drawdown:files-pick', 'drawdown:report-pdf']) {
        const r = await call(e, channel);
        expect(r, `${channel} ${JSON.stringify(e.senderFrame)}`).toMatchObject({ ok: false, error: { code: 'refused' } });
      }
    }
    // from the app: arguments are still validated
    const bad = await call(trustedEvent(), 'drawdown:dashboard-get', { at: 'yesterday', __proto__: { x: 1 } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    const windows = fake.windows.length;
    const pdf = await call(trustedEvent(), 'drawdown:report-pdf', { route: 'https://evil.example/', query: {} });
    expect(pdf).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
    expect(fake.windows.length).toBe(windows);
  });

  it('prints reports from a window built with the print builder, destroyed afterwards', async () => {
    const before = fake.windows.length;
    const r = await fake.ipc.get('drawdown:report-pdf')!(trustedEvent(), { route: '/print/summary', query: { from: '2025-01-01', to: '2025-01-31' }, suggestedName: 'x.pdf' });
    expect(fake.windows.length).toBe(before + 1);
    const w = fake.windows.at(-1)! as FakeWindow & { destroyed?: boolean };
    expect(w.options).toEqual(printWindowOptions(w.options.webPreferences.preload));
    expect(w.loaded[0].startsWith('app://drawdown/index.html#/print/summary')).toBe(true);
    expect(w.destroyed).toBe(true);
    expect(r.ok).toBe(true); // the save dialog was cancelled: { saved: false }
  });
});
