import { describe, it, expect } from 'vitest';
import path from 'node:path';
import os from 'node:os';
import { userDataDir, resolveDbPath } from '../../electron/engine/paths';

describe('database location', () => {
  it('matches Electron userData per platform', () => {
    expect(userDataDir({ XDG_CONFIG_HOME: '/x' }, 'linux')).toBe(path.join('/x', 'Drawdown'));
    expect(userDataDir({}, 'linux')).toBe(path.join(os.homedir(), '.config', 'Drawdown'));
    expect(userDataDir({}, 'darwin')).toBe(path.join(os.homedir(), 'Library', 'Application Support', 'Drawdown'));
    expect(userDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toContain('Drawdown');
  });
  it('prefers --db, then DRAWDOWN_DB, then the default', () => {
    expect(resolveDbPath('/a.db', { DRAWDOWN_DB: '/b.db' }, '/data')).toBe(path.resolve('/a.db'));
    expect(resolveDbPath(undefined, { DRAWDOWN_DB: '/b.db' }, '/data')).toBe(path.resolve('/b.db'));
    expect(resolveDbPath(undefined, {}, '/data')).toBe(path.join('/data', 'drawdown.db'));
  });
});
