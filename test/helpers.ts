import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Folder with the project's read-only real data: ../shared/data beside the project root. */
export const SHARED_DATA = path.resolve(__dirname, '..', '..', 'shared', 'data');

export function sharedData(...parts: string[]): string {
  return path.join(SHARED_DATA, ...parts);
}

/** A fresh temporary folder per test, removed by the caller's afterEach if wanted. */
export function tempDir(prefix = 'drawdown-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A path for a fresh database file in its own temp folder. */
export function tempDbPath(): string {
  return path.join(tempDir(), 'test.db');
}
