import { handlerNames, type ApiClient, type ApiResult } from '../../../shared/api';
import type { DesktopBridge, FileRef, Platform } from '../../../shared/bridge';

/**
 * The renderer talks only to an ApiClient and a Platform. In the desktop app both come from the
 * preload (window.drawdown); in the browser mode they are built here over HTTP with the launch token.
 */
declare global {
  interface Window {
    drawdown?: DesktopBridge;
  }
}

const TOKEN_KEY = 'drawdown-token';

function launchToken(): string {
  const params = new URLSearchParams(window.location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    // keep the token out of the address bar, history and screenshots
    params.delete('token');
    const rest = params.toString();
    window.history.replaceState(null, '', `${window.location.pathname}${rest ? `?${rest}` : ''}${window.location.hash}`);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

async function post<T>(path: string, token: string, body: BodyInit, type: string): Promise<ApiResult<T>> {
  try {
    const res = await fetch(path, { method: 'POST', headers: { 'Content-Type': type, Authorization: `Bearer ${token}` }, body });
    return (await res.json()) as ApiResult<T>;
  } catch (e) {
    return { ok: false, error: { code: 'internal', message: `The Drawdown server did not answer (${(e as Error).message}). Is "drawdown serve" still running?` } };
  }
}

function browserBridge(): DesktopBridge {
  const token = launchToken();
  const api = Object.fromEntries(
    handlerNames.map((name) => [name, (args: unknown) => post(`/api/${name}`, token, JSON.stringify(args ?? {}), 'application/json')]),
  ) as unknown as ApiClient;
  const platform: Platform = {
    kind: 'browser',
    async pickFiles(files?: unknown[]) {
      const refs: FileRef[] = [];
      for (const f of (files ?? []) as File[]) {
        const r = await post<FileRef>(`/api/upload?name=${encodeURIComponent(f.name)}`, token, f, 'application/octet-stream');
        if (!r.ok) return r;
        refs.push(r.value);
      }
      return { ok: true, value: refs };
    },
    async exportPdf(route, query, suggestedName) {
      try {
        const res = await fetch(`/api/report-pdf-file`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify({ route, query }),
        });
        if (!res.ok) return (await res.json()) as ApiResult<{ saved: boolean }>;
        const blob = await res.blob();
        const a = document.createElement('a');
        a.href = URL.createObjectURL(blob);
        a.download = suggestedName;
        a.click();
        setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
        return { ok: true, value: { saved: true, bytes: blob.size } };
      } catch (e) {
        return { ok: false, error: { code: 'internal', message: (e as Error).message } };
      }
    },
    onMenu: () => () => {},
  };
  return { api, platform };
}

const bridge: DesktopBridge = window.drawdown ?? browserBridge();
export const api: ApiClient = bridge.api;
export const platform: Platform = bridge.platform;
