import type { MenuItemConstructorOptions } from 'electron';

/** Menu actions the renderer reacts to (sent over the fixed "drawdown:menu" channel). */
export type MenuAction = 'import' | 'export-report' | 'backup' | 'navigate-settings' | 'about';

export interface MenuCallbacks {
  send(action: MenuAction): void;
  openDatabase(): void;
  backup(): void;
  /** File › Restore… (shown when given) */
  restore?(): void;
  openHelp(): void;
  isMac: boolean;
}

/** Native menus: File › Import…, Export report…, Open database…, Backup…, Restore…; Help. Pure, so it is tested. */
export function menuTemplate(cb: MenuCallbacks): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'Import…', accelerator: 'CmdOrCtrl+I', click: () => cb.send('import') },
      { label: 'Export report…', accelerator: 'CmdOrCtrl+E', click: () => cb.send('export-report') },
      { type: 'separator' },
      { label: 'Open database…', accelerator: 'CmdOrCtrl+O', click: () => cb.openDatabase() },
      { label: 'Backup…', accelerator: 'CmdOrCtrl+Shift+B', click: () => cb.backup() },
      ...(cb.restore ? [{ label: 'Restore…', click: () => cb.restore?.() }] : []),
      { type: 'separator' },
      cb.isMac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const template: MenuItemConstructorOptions[] = [
    file,
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [{ role: 'reload' }, { role: 'togglefullscreen' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        { label: 'Drawdown documentation', click: () => cb.openHelp() },
        { label: 'About Drawdown', click: () => cb.send('about') },
      ],
    },
  ];
  if (cb.isMac) template.unshift({ role: 'appMenu' });
  return template;
}
