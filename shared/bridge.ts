import type { ApiClient, ApiResult } from './api';

/** A file the user handed to the app, by opaque reference. */
export interface FileRef {
  ref: string;
  name: string;
  size: number;
}

/** What differs between the desktop app and the browser mode, behind one interface. */
export interface Platform {
  kind: 'desktop' | 'browser';
  /** desktop: native dialog; browser: the caller passes the File objects it got from an input or a drop */
  pickFiles(files?: unknown[]): Promise<ApiResult<FileRef[]>>;
  exportPdf(route: string, query: Record<string, string>, suggestedName: string): Promise<ApiResult<{ saved: boolean; path?: string; bytes?: number }>>;
  onMenu(cb: (action: string) => void): () => void;
}

/** The object the desktop preload exposes as window.drawdown. */
export interface DesktopBridge {
  api: ApiClient;
  platform: Platform;
}
