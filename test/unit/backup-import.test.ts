/**
 * Backup while an import runs: the import holds a write transaction on its own connection (in its
 * worker thread, or inline on a second connection) for the whole file; backups taken from the
 * engine's connection meanwhile open, pass integrity_check and hold none or all of that import.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import Database from 'better-sqlite3';
import path from 'node:path';
import { createEngine } from '../../electron/engine/engine';
import { startImportJob } from '../../electron/engine/handlers/imports';
import { bundle, writeUsageCsv, ROOT, ROWS_OF_FILE_SQL } from '../faults/fixtures';
import { tempDir } from '../helpers';

const ROWS = Number(process.env.DRAWDOWN_BACKUP_IMPORT_ROWS ?? 60_000);
let dir = '';
let csv = '';
let workerFile = '';

beforeAll(async () => {
  dir = tempDir('drawdown-backup-import-');
  csv = path.join(dir, 'big.csv');
  writeUsageCsv(csv, ROWS);
  workerFile = (await bundle(dir, { 'import-worker': path.join(ROOT, 'electron/engine/import/worker.ts') }))['import-worker'];
}, 120_000);

function inspect(file: string): { check: string; rows: number; batches: number } {
  const db = new Database(file, { readonly: true });
  try {
    return {
      check: String(db.pragma('integrity_check', { simple: true })),
      rows: (db.prepare(ROWS_OF_FILE_SQL).get('big.csv') as { n: number }).n,
      batches: (db.prepare("SELECT count(*) AS n FROM imports WHERE file_name = 'big.csv'").get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

describe.each([
  ['in its worker thread', () => workerFile],
  ['inline on a second connection', () => null],
])('backup during an import %s', (_label, worker) => {
  it('gives backups that open, pass integrity_check and hold none or all of the import', async () => {
    const e = createEngine({ dbPath: path.join(tempDir(), 'live.db'), mode: 'test' });
    try {
      const job = startImportJob(e.ctx, { path: csv, name: 'big.csv', workerFile: worker() });
      const taken: { path: string; whileRunning: boolean }[] = [];
      // one backup as soon as rows stream in, then one every few hundred ms until the import ends
      while (e.ctx.jobs.get(job.id).state === 'running') {
        if (e.ctx.jobs.get(job.id).progress.rows > 0) {
          const running = e.ctx.jobs.get(job.id).state === 'running';
          const b = await e.invoke('db-backup', {});
          taken.push({ path: b.path, whileRunning: running });
        }
        await new Promise((r) => setTimeout(r, 150));
      }
      const end = await e.ctx.jobs.wait(job.id);
      expect(end.state, end.message).toBe('done');
      const after = await e.invoke('db-backup', {});
      taken.push({ path: after.path, whileRunning: false });
      expect(taken.filter((t) => t.whileRunning).length).toBeGreaterThan(0);
      for (const t of taken) {
        const s = inspect(t.path);
        expect(s.check, t.path).toBe('ok');
        expect([0, ROWS]).toContain(s.rows);
        expect(s.batches).toBe(s.rows ? 1 : 0);
      }
      expect(inspect(after.path).rows).toBe(ROWS);
      // the audit entries of the backups taken while the import held the write lock are written once it is free
      await new Promise((r) => setTimeout(r, 1500));
      expect(e.ctx.audit.list(0, 100_000).filter((a) => a.action === 'db-backup').length).toBe(taken.length);
      expect(e.ctx.audit.verify().ok).toBe(true);
    } finally {
      e.close();
    }
  }, 180_000);
});
