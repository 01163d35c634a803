import { contextBridge, ipcRenderer } from 'electron';
import { handlerNames, type ApiClient } from '../../shared/api';
import type { DesktopBridge } from '../../shared/bridge';

/**
 * The narrow preload: one named object, `window.drawdown`, whose members each wrap one fixed
 * channel. No ipcRenderer, no generic invoke, no process. Bundled whole (the window is sandboxed).
 */
const client = Object.fromEntries(
  handlerNames.map((name) => [name, (args: unknown) => ipcRenderer.invoke(`drawdown:${name}`, args ?? {})]),
) as unknown as ApiClient;

const bridge = {
  api: client,
  platform: {
    kind: 'desktop',
    pickFiles: () => ipcRenderer.invoke('drawdown:files-pick'),
    exportPdf: (route: string, query: Record<string, string>, suggestedName: string) =>
      ipcRenderer.invoke('drawdown:report-pdf', { route, query, suggestedName }),
    onMenu: (cb: (action: string) => void) => {
      const listener = (_e: unknown, action: string) => cb(String(action));
      ipcRenderer.on('drawdown:menu', listener);
      return () => ipcRenderer.removeListener('drawdown:menu', listener);
    },
  },
} satisfies DesktopBridge;

contextBridge.exposeInMainWorld('drawdown', bridge);
