/**
 * Reads back the desktop shell's security settings from the pure builders in electron/main/security.ts
 * (what electron/main/index.ts and print.ts hand to Electron), beyond test/unit/electron-security.test.ts:
 * the exact webPreferences (no extra keys), the CSP directive by directive (and the renderer page's meta
 * CSP agreeing with it), and the permission, navigation, window.open and app:// decisions on hostile
 * and random input.
 */
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {
  mainWindowOptions,
  printWindowOptions,
  hardenedWebPreferences,
  isTrustedRendererUrl,
  allowNavigation,
  windowOpenDecision,
  externalUrl,
  permissionDecision,
  appProtocolFile,
  appResponseHeaders,
  CONTENT_SECURITY_POLICY,
  APP_ORIGIN,
} from '../../electron/main/security';

const ROOT = path.resolve(__dirname, '..', '..');

/** The exact, complete webPreferences every window gets: nothing more (an added key is a review). */
const EXPECTED_PREFS = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: false,
  safeDialogs: true,
  disableBlinkFeatures: 'Auxclick',
};

function parseCsp(csp: string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (!name) continue;
    expect(m.has(name), `directive ${name} appears twice`).toBe(false);
    m.set(name.toLowerCase(), values);
  }
  return m;
}

/** Every permission name Electron's permission handlers can be asked about (Electron 45), plus made-up ones. */
const PERMISSIONS = [
  'clipboard-read', 'clipboard-sanitized-write', 'display-capture', 'fullscreen', 'geolocation', 'idle-detection', 'media',
  'mediaKeySystem', 'midi', 'midiSysex', 'notifications', 'pointerLock', 'keyboardLock', 'openExternal', 'speaker-selection',
  'storage-access', 'top-level-storage-access', 'window-management', 'unknown', 'fileSystem', 'hid', 'serial', 'usb',
  'background-sync', 'persistent-storage', 'bluetooth', '', '__proto__', 'constructor',
];

describe('window options read back from the builders', () => {
  it('give both windows exactly the hardened webPreferences, with the preload passed through', () => {
    const preload = '/opt/Drawdown/resources/app.asar/out/preload/index.cjs';
    for (const o of [mainWindowOptions(preload), printWindowOptions(preload)]) {
      expect(o.webPreferences).toEqual({ ...EXPECTED_PREFS, preload });
    }
    expect(hardenedWebPreferences(preload)).toEqual({ ...EXPECTED_PREFS, preload });
  });

  it('never share one webPreferences object between windows (a change to one cannot weaken another)', () => {
    const a = mainWindowOptions('/p');
    const b = mainWindowOptions('/p');
    const c = printWindowOptions('/p');
    expect(a.webPreferences).not.toBe(b.webPreferences);
    expect(a.webPreferences).not.toBe(c.webPreferences);
    (a.webPreferences as { sandbox: boolean }).sandbox = false;
    expect(mainWindowOptions('/p').webPreferences.sandbox).toBe(true);
  });

  it('create hidden windows (shown on ready-to-show; the print window never)', () => {
    expect(mainWindowOptions('/p').show).toBe(false);
    expect(printWindowOptions('/p').show).toBe(false);
    expect(mainWindowOptions('/p').title).toBe('Drawdown');
  });

  it('carry no option that loosens the renderer, at any depth', () => {
    const risky = ['enableRemoteModule', 'enableBlinkFeatures', 'nodeIntegrationInWorker', 'allowpopups', 'disableHtmlFullscreenWindowResize', 'webgl', 'plugins', 'partition', 'additionalArguments'];
    const walk = (o: unknown, at: string): void => {
      if (!o || typeof o !== 'object') return;
      for (const [k, v] of Object.entries(o)) {
        if (k === 'nodeIntegrationInWorker') expect(v, `${at}.${k}`).toBe(false);
        else expect(risky.includes(k), `${at}.${k}`).toBe(false);
        walk(v, `${at}.${k}`);
      }
    };
    walk(mainWindowOptions('/p'), 'main');
    walk(printWindowOptions('/p'), 'print');
  });
});

describe('the Content-Security-Policy', () => {
  const csp = parseCsp(CONTENT_SECURITY_POLICY);

  it('denies by default and allows scripts only from the app itself', () => {
    expect(csp.get('default-src')).toEqual(["'none'"]);
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
  });

  it('has no unsafe-eval, no wildcard and no scheme or remote host anywhere', () => {
    for (const [name, values] of csp) {
      for (const v of values) {
        expect(v, name).not.toMatch(/unsafe-eval|unsafe-hashes|wasm-unsafe-eval|strict-dynamic/);
        expect(v, name).not.toBe('*');
        expect(v, name).not.toMatch(/^(https?|wss?|file|ftp|filesystem):/);
        expect(v, name).not.toMatch(/\*\./);
      }
    }
    // inline code is allowed nowhere but style attributes: never for scripts
    expect(csp.get('script-src')).not.toContain("'unsafe-inline'");
    // data: and blob: only for images (charts, icons), never for scripts, frames or objects
    for (const name of ['script-src', 'default-src', 'object-src', 'connect-src', 'font-src']) {
      expect(csp.get(name) ?? [], name).not.toContain('data:');
      expect(csp.get(name) ?? [], name).not.toContain('blob:');
    }
  });

  it('is what the renderer page declares in its meta tag too (the meta cannot carry frame-ancestors)', () => {
    for (const file of [path.join(ROOT, 'renderer', 'index.html'), path.join(ROOT, 'out', 'renderer', 'index.html')]) {
      if (!fs.existsSync(file)) continue;
      const html = fs.readFileSync(file, 'utf8');
      const m = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
      expect(m, `${file} has a CSP meta tag`).not.toBeNull();
      const meta = parseCsp(m![1]);
      const header = new Map(csp);
      header.delete('frame-ancestors');
      expect(Object.fromEntries(meta), file).toEqual(Object.fromEntries(header));
    }
  });

  it('comes with every app:// response, with nosniff and a content type that matches the file', () => {
    for (const [file, type] of [
      ['/r/index.html', /^text\/html/],
      ['/r/assets/a.js', /^text\/javascript/],
      ['/r/assets/a.css', /^text\/css/],
      ['/r/x.svg', /^image\/svg\+xml$/],
      ['/r/x.unknown', /^application\/octet-stream$/],
      ['/r/x', /^application\/octet-stream$/],
    ] as const) {
      const h = appResponseHeaders(file);
      expect(h['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(h['X-Content-Type-Options']).toBe('nosniff');
      expect(h['Content-Type'], file).toMatch(type);
    }
  });
});

describe('permission, navigation and window.open decisions', () => {
  it('refuse every permission, named or random', () => {
    for (const p of PERMISSIONS) expect(permissionDecision(p), p).toBe(false);
    fc.assert(fc.property(fc.string(), (p) => permissionDecision(p) === false), { numRuns: 300 });
  });

  it('never allow navigation, from anywhere to anywhere', () => {
    const hostile = ['app://drawdown/index.html', 'app://drawdown/#/print/summary', 'https://evil.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,<script>1</script>', 'about:blank', 'chrome://settings', 'devtools://devtools/bundled/inspector.html', ''];
    for (const to of hostile) expect(allowNavigation(`${APP_ORIGIN}/index.html`, to), to).toBe(false);
    fc.assert(fc.property(fc.webUrl(), fc.webUrl(), (a, b) => allowNavigation(a, b) === false), { numRuns: 300 });
  });

  it('deny every window.open; only a parsed https URL goes to the system browser, as parsed', () => {
    const cases: [string, string | null][] = [
      ['https://docs.example/guide?x=1#y', 'https://docs.example/guide?x=1#y'],
      ['HTTPS://Docs.Example/', 'https://docs.example/'],
      [' https://docs.example/ ', 'https://docs.example/'],
      ['https://docs.exa\tmple/a\nb', 'https://docs.example/ab'],
      ['http://docs.example/', null],
      ['javascript:alert(1)', null],
      ['JaVaScRiPt:alert(1)', null],
      ['file:///etc/passwd', null],
      ['smb://attacker/share', null],
      ['ms-msdt:/id PCWDiagnostic', null],
      ['search-ms:query=x', null],
      ['vbscript:msgbox(1)', null],
      ['data:text/html,<script>alert(1)</script>', null],
      ['app://drawdown/index.html', null],
      ['//evil.example/', null],
      ['https:evil.example', 'https://evil.example/'],
      ['', null],
      ['not a url', null],
    ];
    for (const [url, expected] of cases) {
      expect(externalUrl(url), JSON.stringify(url)).toBe(expected);
      expect(windowOpenDecision(url), JSON.stringify(url)).toEqual({ action: 'deny', openExternally: expected !== null });
    }
    fc.assert(
      fc.property(fc.oneof(fc.webUrl(), fc.string()), (url) => {
        const d = windowOpenDecision(url);
        const ext = externalUrl(url);
        expect(d.action).toBe('deny');
        expect(d.openExternally).toBe(ext !== null);
        if (ext !== null) {
          expect(new URL(ext).protocol).toBe('https:');
          expect([...ext].every((ch) => ch.charCodeAt(0) > 0x20 && ch.charCodeAt(0) !== 0x7f), ext).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('trust IPC only from the app origin, not from look-alikes', () => {
    for (const url of ['app://drawdown/index.html', 'app://drawdown/', 'app://drawdown/index.html#/print/summary?from=2025-01-01']) expect(isTrustedRendererUrl(url), url).toBe(true);
    for (const url of [
      'app://drawdown.evil/index.html',
      'app://drawdown@evil/index.html',
      'app://evil@drawdown.example/',
      'app://drawdown:8080/',
      'app://DRAWDOWN/',
      'apps://drawdown/',
      'https://drawdown/',
      'file:///app/drawdown/index.html',
      'http://localhost:5173/',
      'data:text/html,drawdown',
      'about:blank',
      '',
    ]) {
      expect(isTrustedRendererUrl(url), url).toBe(false);
    }
    // the dev server is trusted only by exact origin, and only when given
    expect(isTrustedRendererUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    for (const url of ['http://localhost:5173.evil.example/', 'http://localhost:51730/', 'https://localhost:5173/', 'http://127.0.0.1:5173/']) {
      expect(isTrustedRendererUrl(url, 'http://localhost:5173'), url).toBe(false);
    }
    fc.assert(
      fc.property(fc.webUrl(), (url) => {
        expect(isTrustedRendererUrl(url)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('serve app:// only from inside the renderer folder, whatever the path', () => {
    const root = path.resolve('/opt/drawdown/renderer');
    const piece = fc.constantFrom('..', '.', '%2e%2e', '%2f', '%5c', '%00', '%252e', 'assets', 'index.html', 'a.js', 'etc', 'passwd', '', '%c0%ae', 'renderer-evil');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const f = appProtocolFile(root, `app://drawdown/${pieces.join('/')}`);
        if (f !== null) expect(f === path.join(root, 'index.html') || f.startsWith(root + path.sep), f).toBe(true);
      }),
      { numRuns: 500 },
    );
    for (const other of ['app://drawdown.evil/index.html', 'app://evil/index.html', 'https://drawdown/index.html', 'file:///opt/drawdown/renderer/index.html']) {
      expect(appProtocolFile(root, other), other).toBeNull();
    }
  });
});

describe('secrets (issue 7: provider credentials only ever through safeStorage)', () => {
  it('the database schema has no place for a credential: no secret, password, private key or access-token column', async () => {
    const { openDatabase } = await import('../../electron/engine/db/open');
    const { tempDbPath } = await import('../helpers');
    const db = openDatabase(tempDbPath());
    try {
      const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all();
      expect(tables.length).toBeGreaterThan(10);
      for (const { name } of tables) {
        for (const c of db.prepare<[], { name: string }>(`PRAGMA table_info("${name}")`).all()) {
          // token *counts* (input_tokens, …) are usage, not credentials
          const col = c.name.toLowerCase().replace(/_tokens$/, '');
          expect(/secret|passw|passphrase|credential|private_?key|access_?key|bearer|auth_?token|api_?token|session_?token|^token$/.test(col), `${name}.${c.name}`).toBe(false);
        }
      }
    } finally {
      db.close();
    }
  });

  it('the preload hands the page no way to reach stored secrets or Electron internals', () => {
    const src = fs.readFileSync(path.join(ROOT, 'electron', 'preload', 'index.ts'), 'utf8');
    expect(src).not.toMatch(/safeStorage|process\.env|require\(|ipcRenderer\.(send|sendSync)\b/);
    expect(src).toMatch(/exposeInMainWorld\('drawdown'/);
    expect(src.match(/exposeInMainWorld/g)).toHaveLength(1);
  });
});
