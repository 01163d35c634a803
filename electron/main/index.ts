import { app, BrowserWindow, Menu, dialog, ipcMain, protocol, session, shell, net, type IpcMainInvokeEvent } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createEngine, type Engine } from '../engine/engine';
import { resolveDbPath } from '../engine/paths';
import { handlerNames } from '../../shared/api';
import {
  APP_SCHEME,
  APP_ORIGIN,
  mainWindowOptions,
  isTrustedRendererUrl,
  allowNavigation,
  windowOpenDecision,
  externalUrl,
  permissionDecision,
  appProtocolFile,
  appResponseHeaders,
} from './security';
import { menuTemplate, type MenuAction } from './menu';
import { registerPrintToPdf } from './print';

/**
 * Thin Electron glue: windows, protocol, menus, dialogs and IPC. Everything that decides lives in
 * ./security.ts, ./menu.ts and the engine, which never import electron.
 */

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const rendererDir = path.join(__dirname, '..', 'renderer');
const preloadPath = path.join(__dirname, '..', 'preload', 'index.cjs');
let engine: Engine;
let mainWindow: BrowserWindow | null = null;

function dbPathFromArgs(): string | undefined {
  const i = process.argv.indexOf('--db');
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function openEngine(dbPath: string): void {
  const next = createEngine({ dbPath, mode: 'desktop', version: app.getVersion() });
  engine?.close();
  engine = next;
}

/** IPC: only our own renderer, from a trusted URL, may call; arguments are validated by the engine. */
function trustedSender(e: IpcMainInvokeEvent): boolean {
  const frame = e.senderFrame;
  return !!frame && isTrustedRendererUrl(frame.url, devServerUrl) && e.sender === mainWindow?.webContents;
}

function registerIpc(): void {
  for (const name of handlerNames) {
    ipcMain.handle(`drawdown:${name}`, async (e, args: unknown) => {
      if (!trustedSender(e)) return { ok: false, error: { code: 'refused', message: 'Refused: call from an untrusted frame.' } };
      return engine.call(name, args);
    });
  }
  ipcMain.handle('drawdown:files-pick', async (e) => {
    if (!trustedSender(e) || !mainWindow) return { ok: false, error: { code: 'refused', message: 'Refused: call from an untrusted frame.' } };
    const r = await dialog.showOpenDialog(mainWindow, {
      title: 'Import exports',
      properties: ['openFile', 'multiSelections'],
      filters: [{ name: 'CSV exports', extensions: ['csv', 'tsv', 'txt'] }, { name: 'All files', extensions: ['*'] }],
    });
    return { ok: true, value: r.canceled ? [] : r.filePaths.map((p) => engine.ctx.files.register(p)) };
  });
  registerPrintToPdf(ipcMain, () => engine, trustedSender, () => mainWindow, preloadPath, devServerUrl);
}

function createWindow(): void {
  const win = new BrowserWindow(mainWindowOptions(preloadPath));
  mainWindow = win;
  win.webContents.on('will-navigate', (e, url) => {
    if (!allowNavigation(win.webContents.getURL(), url)) e.preventDefault();
  });
  win.webContents.on('will-attach-webview', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    const d = windowOpenDecision(url);
    const target = d.openExternally ? externalUrl(url) : null;
    if (target) void shell.openExternal(target); // the URL as checked, not the raw string
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => (mainWindow = null));
  void win.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`);
}

function sendMenu(action: MenuAction): void {
  mainWindow?.webContents.send('drawdown:menu', action);
}

async function openDatabaseDialog(): Promise<void> {
  if (!mainWindow) return;
  const r = await dialog.showOpenDialog(mainWindow, { title: 'Open database', properties: ['openFile', 'promptToCreate'], filters: [{ name: 'Drawdown database', extensions: ['db', 'sqlite'] }] });
  if (r.canceled || !r.filePaths[0]) return;
  try {
    openEngine(r.filePaths[0]);
    mainWindow.webContents.reload();
  } catch (e) {
    dialog.showErrorBox('Cannot open this database', (e as Error).message);
  }
}

/** File › Backup…: the engine's db-backup (online backup API, temp file then rename; never overwrites). */
async function backupDialog(): Promise<void> {
  if (!mainWindow) return;
  const r = await dialog.showSaveDialog(mainWindow, {
    title: 'Back up database',
    defaultPath: `drawdown-backup-${new Date().toISOString().slice(0, 10)}.db`,
    filters: [{ name: 'Drawdown database', extensions: ['db'] }],
  });
  if (r.canceled || !r.filePath) return;
  const res = await engine.call('db-backup', { path: r.filePath });
  if (res.ok) await dialog.showMessageBox(mainWindow, { message: `Backup written to ${r.filePath}` });
  else dialog.showErrorBox('Backup failed', res.error.message);
}

/** File › Restore…: pick a backup, confirm, then the engine's db-restore (checked, the current database saved first). */
async function restoreDialog(): Promise<void> {
  if (!mainWindow) return;
  const r = await dialog.showOpenDialog(mainWindow, { title: 'Restore from a backup', properties: ['openFile'], filters: [{ name: 'Drawdown database', extensions: ['db', 'sqlite', 'sqlite3'] }] });
  if (r.canceled || !r.filePaths[0]) return;
  const ok = await dialog.showMessageBox(mainWindow, {
    type: 'warning',
    buttons: ['Restore', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    message: `Replace the current database with ${path.basename(r.filePaths[0])}?`,
    detail: 'The backup is checked first, and the current database is saved to backups/ beside it before it is replaced.',
  });
  if (ok.response !== 0) return;
  const res = await engine.call('db-restore', { fileRef: engine.ctx.files.register(r.filePaths[0]).ref });
  if (!res.ok) return dialog.showErrorBox('Restore failed', res.error.message);
  mainWindow.webContents.reload();
}

app.enableSandbox();
app.whenReady().then(() => {
  try {
    openEngine(resolveDbPath(dbPathFromArgs(), process.env, app.getPath('userData')));
  } catch (e) {
    dialog.showErrorBox('Drawdown cannot open its database', `${(e as Error).message}\n\nStart with --db PATH to use another file.`);
    app.quit();
    return;
  }
  protocol.handle(APP_SCHEME, (req) => {
    const file = appProtocolFile(rendererDir, req.url);
    if (!file) return new Response('Not found', { status: 404 });
    return net.fetch(pathToFileURL(file).toString()).then(async (r) => new Response(await r.arrayBuffer(), { status: r.status, headers: appResponseHeaders(file) }));
  });
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(permissionDecision(permission)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => permissionDecision(permission));
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate({
        send: sendMenu,
        openDatabase: () => void openDatabaseDialog(),
        backup: () => void backupDialog(),
        restore: () => void restoreDialog(),
        openHelp: () => void shell.openExternal('https://github.com/'),
        isMac: process.platform === 'darwin',
      }),
    ),
  );
  registerIpc();
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (ev) => ev.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.on('window-all-closed', () => {
  engine?.close();
  if (process.platform !== 'darwin') app.quit();
});
