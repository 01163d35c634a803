/**
 * A full disk during an import: the database sits on a small tmpfs, a filler file takes nearly all
 * of the free space, and a file bigger than what is left is imported. The import fails with a clear
 * "the disk is full" message, nothing of it is written (integrity_check ok, no batch, no rows), and
 * once the filler is removed the same engine imports again. Needs `mount` (root); skipped otherwise.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createEngine, type Engine } from '../../electron/engine/engine';
import { startImportJob } from '../../electron/engine/handlers/imports';
import { bundle, writeUsageCsv, ROOT, ROWS_OF_FILE_SQL } from '../faults/fixtures';
import { tempDir } from '../helpers';

const TMPFS_MB = 12;
/** free space left beside the filler: enough for small writes, far too little for the big file */
const LEFT_KB = 512;

const canMount = (() => {
  try {
    const d = tempDir();
    const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', d]).status === 0;
    if (ok) spawnSync('umount', [d]);
    return ok;
  } catch {
    return false;
  }
})();
if (!canMount) console.warn('full-disk.test.ts: skipped — mounting a tmpfs is not permitted here (run as root, or in a container with CAP_SYS_ADMIN).');

let work = '';
let workerFile = '';
const files = { small: '', big: '', again: '' };

beforeAll(async () => {
  if (!canMount) return;
  work = tempDir('drawdown-full-disk-');
  files.small = path.join(work, 'small.csv');
  files.big = path.join(work, 'big.csv');
  files.again = path.join(work, 'again.csv');
  writeUsageCsv(files.small, 1_000, 1);
  writeUsageCsv(files.big, 40_000, 2);
  writeUsageCsv(files.again, 5_000, 3);
  workerFile = (await bundle(work, { 'import-worker': path.join(ROOT, 'electron/engine/import/worker.ts') }))['import-worker'];
}, 120_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

function freeBytes(dir: string): number {
  const s = fs.statfsSync(dir);
  return s.bavail * s.bsize;
}

/** Fills the file system until only `leftKb` KiB are free. */
function fill(dir: string, leftKb: number): string {
  const filler = path.join(dir, 'filler.bin');
  fs.writeFileSync(filler, Buffer.alloc(Math.max(0, freeBytes(dir) - leftKb * 1024)));
  return filler;
}

async function importFile(e: Engine, file: string, worker: string | null) {
  const job = startImportJob(e.ctx, { path: file, name: path.basename(file), workerFile: worker });
  return e.ctx.jobs.wait(job.id, undefined, 50);
}

function rowsOf(dbPath: string, name: string): { check: string; rows: number; batches: number } {
  const db = new Database(dbPath, { readonly: true });
  try {
    return {
      check: String(db.pragma('integrity_check', { simple: true })),
      rows: (db.prepare(ROWS_OF_FILE_SQL).get(name) as { n: number }).n,
      batches: (db.prepare('SELECT count(*) AS n FROM imports WHERE file_name = ?').get(name) as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

describe.each([
  ['in its worker thread', () => workerFile],
  ['inline', () => null],
])('a full disk during an import %s', (_label, worker) => {
  it.skipIf(!canMount)('fails clearly, writes nothing, and the same engine imports again once space is freed', async () => {
    const mnt = tempDir('drawdown-tmpfs-');
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_MB}m`, 'tmpfs', mnt]).status).toBe(0);
    const dbPath = path.join(mnt, 'live.db');
    const e = createEngine({ dbPath, mode: 'test' });
    try {
      expect((await importFile(e, files.small, worker())).state).toBe('done');
      const filler = fill(mnt, LEFT_KB);

      const failed = await importFile(e, files.big, worker());
      expect(failed.state).toBe('failed');
      expect(failed.message).toMatch(/^The disk is full: the database .*live\.db could not be written .*Nothing of this change was saved\. Free some space on that disk and try again\.$/);
      expect(rowsOf(dbPath, 'big.csv')).toEqual({ check: 'ok', rows: 0, batches: 0 });
      expect(rowsOf(dbPath, 'small.csv').rows).toBe(1_000);
      // reading goes on while the disk is full
      expect((await e.invoke('stats-get', {})).usageRows).toBe(1_000);

      fs.rmSync(filler);
      const again = await importFile(e, files.again, worker());
      expect(again.state, again.message).toBe('done');
      expect(rowsOf(dbPath, 'again.csv')).toEqual({ check: 'ok', rows: 5_000, batches: 1 });
      expect(e.ctx.audit.verify().ok).toBe(true);
    } finally {
      e.close();
      spawnSync('umount', [mnt]);
    }
  }, 120_000);
});
