import { describe, it, expect } from 'vitest';
import path from 'node:path';
import {
  mainWindowOptions,
  printWindowOptions,
  isTrustedRendererUrl,
  allowNavigation,
  windowOpenDecision,
  permissionDecision,
  appProtocolFile,
  appResponseHeaders,
  CONTENT_SECURITY_POLICY,
} from '../../electron/main/security';
import { menuTemplate } from '../../electron/main/menu';

describe('desktop shell hardening (pure builders used by electron/main)', () => {
  it('builds hardened window options', () => {
    for (const o of [mainWindowOptions('/app/preload.cjs'), printWindowOptions('/app/preload.cjs')]) {
      expect(o.webPreferences).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        preload: '/app/preload.cjs',
      });
    }
  });

  it('has a strict CSP', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("default-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval/);
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(appResponseHeaders('/x/index.html')['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('denies navigation, window.open and every permission', () => {
    expect(allowNavigation('app://drawdown/index.html', 'https://evil.example/')).toBe(false);
    expect(allowNavigation('app://drawdown/index.html', 'app://drawdown/other.html')).toBe(false);
    expect(windowOpenDecision('https://docs.example/')).toEqual({ action: 'deny', openExternally: true });
    expect(windowOpenDecision('file:///etc/passwd')).toEqual({ action: 'deny', openExternally: false });
    expect(windowOpenDecision('javascript:alert(1)')).toEqual({ action: 'deny', openExternally: false });
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) expect(permissionDecision(p)).toBe(false);
  });

  it('trusts IPC only from the app origin (or the dev server in development)', () => {
    expect(isTrustedRendererUrl('app://drawdown/index.html')).toBe(true);
    expect(isTrustedRendererUrl('app://evil/index.html')).toBe(false);
    expect(isTrustedRendererUrl('https://evil.example/')).toBe(false);
    expect(isTrustedRendererUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isTrustedRendererUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
    expect(isTrustedRendererUrl('not a url')).toBe(false);
  });

  it('serves app:// files only from inside the renderer folder', () => {
    const root = path.resolve('/opt/drawdown/renderer');
    expect(appProtocolFile(root, 'app://drawdown/index.html')).toBe(path.join(root, 'index.html'));
    expect(appProtocolFile(root, 'app://drawdown/assets/a.js')).toBe(path.join(root, 'assets/a.js'));
    expect(appProtocolFile(root, 'app://drawdown/')).toBe(path.join(root, 'index.html'));
    // hostile paths are refused or, once the URL is normalised, land inside the renderer folder
    for (const hostile of ['app://drawdown/%2e%2e/%2e%2e/etc/passwd', 'app://drawdown/..%2f..%2fetc/passwd', 'app://drawdown/a%5c..%5c..%5csecret', 'app://drawdown/x%00.js', 'app://drawdown/%252e%252e/x.js']) {
      const f = appProtocolFile(root, hostile);
      if (f !== null) expect(f.startsWith(root + path.sep), hostile).toBe(true);
    }
    expect(appProtocolFile(root, 'app://drawdown/..%2f..%2fetc/passwd')).toBeNull();
    expect(appProtocolFile(root, 'app://drawdown/x%00.js')).toBeNull();
    expect(appProtocolFile(root, 'app://other/index.html')).toBeNull();
    expect(appProtocolFile(root, 'file:///etc/passwd')).toBeNull();
  });

  it('builds the File menu with Import, Export report, Open database and Backup, and a Help menu', () => {
    const sent: string[] = [];
    const calls: string[] = [];
    const t = menuTemplate({ send: (a) => sent.push(a), openDatabase: () => calls.push('open'), backup: () => calls.push('backup'), openHelp: () => calls.push('help'), isMac: false });
    const file = t.find((m) => m.label === 'File')!;
    const items = (file.submenu as { label?: string; click?: () => void }[]).filter((i) => i.label);
    expect(items.map((i) => i.label)).toEqual(['Import…', 'Export report…', 'Open database…', 'Backup…']);
    items.forEach((i) => i.click!());
    expect(sent).toEqual(['import', 'export-report']);
    expect(calls).toEqual(['open', 'backup']);
    expect(t.some((m) => m.role === 'help')).toBe(true);
  });
});
