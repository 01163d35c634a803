import path from 'node:path';
import { resolveStaticPath, CONTENT_SECURITY_POLICY } from '../server/security';

/**
 * Pure builders for the desktop shell's security settings. main/index.ts only wires them to
 * Electron; tests read them back from here (this file never imports electron).
 */

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://drawdown`;

export interface HardenedWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  experimentalFeatures: false;
  webviewTag: false;
  navigateOnDragDrop: false;
  spellcheck: false;
  safeDialogs: true;
  /** middle-click (auxclick) could open links in new windows: the app never needs it */
  disableBlinkFeatures: 'Auxclick';
}

export function mainWindowOptions(preloadPath: string) {
  return {
    width: 1360,
    height: 880,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'Drawdown',
    backgroundColor: '#0f172a',
    autoHideMenuBar: false,
    webPreferences: hardenedWebPreferences(preloadPath),
  };
}

/** The hidden window that prints reports to PDF: same hardening, no preload of ours beyond the bridge. */
export function printWindowOptions(preloadPath: string) {
  return { show: false, width: 1240, height: 1754, webPreferences: hardenedWebPreferences(preloadPath) };
}

export function hardenedWebPreferences(preloadPath: string): HardenedWebPreferences {
  return {
    preload: preloadPath,
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
}

/** Where the renderer may live: the app:// origin in production, the dev server in development. */
export function isTrustedRendererUrl(url: string, devServerUrl?: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol === `${APP_SCHEME}:` && u.host === 'drawdown') return true;
  if (devServerUrl) {
    const d = new URL(devServerUrl);
    return u.origin === d.origin;
  }
  return false;
}

/** In-app navigation is never allowed: the app is a single page. */
export function allowNavigation(_from: string, _to: string): boolean {
  return false;
}

/** window.open: denied; https links may be handed to the system browser instead. */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally: boolean } {
  return { action: 'deny', openExternally: externalUrl(url) !== null };
}

/**
 * The URL to hand to the system browser for a window.open request: the https URL as parsed and
 * re-serialised (so the OS gets exactly the URL that was checked, without stray whitespace, tabs or
 * line breaks the parser dropped), or null when it is not an https URL.
 */
export function externalUrl(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/** Every permission (camera, notifications, clipboard-read, geolocation…) is refused. */
export function permissionDecision(_permission: string): boolean {
  return false;
}

/** Response headers for every app:// response. */
export function appResponseHeaders(file: string): Record<string, string> {
  return {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Content-Type': contentType(file),
  };
}

/** app://drawdown/<path> → a file inside the renderer folder, or null when it would escape it. */
export function appProtocolFile(rendererDir: string, requestUrl: string): string | null {
  let u: URL;
  try {
    u = new URL(requestUrl);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== 'drawdown') return null;
  const file = resolveStaticPath(rendererDir, u.pathname);
  if (!file) return null;
  return path.extname(file) ? file : path.join(rendererDir, 'index.html');
}

function contentType(file: string): string {
  const ext = path.extname(file).toLowerCase();
  return (
    {
      '.html': 'text/html; charset=utf-8',
      '.js': 'text/javascript; charset=utf-8',
      '.css': 'text/css; charset=utf-8',
      '.svg': 'image/svg+xml',
      '.png': 'image/png',
      '.json': 'application/json',
      '.woff2': 'font/woff2',
    } as Record<string, string>
  )[ext] ?? 'application/octet-stream';
}

export { CONTENT_SECURITY_POLICY };
