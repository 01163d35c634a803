import os from 'node:os';
import path from 'node:path';

/**
 * The same folder Electron's app.getPath('userData') gives for productName "Drawdown",
 * computed without Electron so the browser mode and the CLI share the desktop app's database.
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Drawdown');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Drawdown');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Drawdown');
}

/** --db PATH beats DRAWDOWN_DB beats the user-data default. */
export function resolveDbPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, dataDir = userDataDir(env)): string {
  if (flag) return path.resolve(flag);
  if (env.DRAWDOWN_DB) return path.resolve(env.DRAWDOWN_DB);
  return path.join(dataDir, 'drawdown.db');
}
