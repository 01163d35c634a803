/**
 * Backup and restore through the handlers: the backup API copy (default and chosen paths, a
 * self-contained file, audited), db-info, restore (validated, the current database saved first,
 * swapped in and audited, the engine working on the restored data), and the refusals that leave
 * the live database untouched.
 */
import { describe, it, expect, afterEach } from 'vitest';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { createEngine, type Engine } from '../../electron/engine/engine';
import { SCHEMA_VERSION } from '../../electron/engine/db/migrations';
import { tempDbPath, tempDir } from '../helpers';

const engines: Engine[] = [];
function engine(dbPath = tempDbPath(), mode: 'test' | 'browser' = 'test'): Engine {
  const e = createEngine({ dbPath, mode, clock: () => new Date('2025-03-04T05:06:07Z') });
  engines.push(e);
  return e;
}
afterEach(() => {
  for (const e of engines.splice(0)) e.close();
});

function count(file: string, sql: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function check(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

describe('db-backup', () => {
  it('writes a self-contained, checked copy to backups/ beside the database and audits it', async () => {
    const e = engine();
    await e.invoke('demo-load', {});
    const r = await e.invoke('db-backup', {});
    expect(r.path).toBe(path.join(path.dirname(e.ctx.dbPath), 'backups', 'drawdown-20250304-050607.db'));
    expect(r.bytes).toBe(fs.statSync(r.path).size);
    expect(r.pages).toBeGreaterThan(10);
    expect(fs.existsSync(`${r.path}-wal`)).toBe(false);
    expect(fs.readFileSync(r.path)[18]).toBe(1); // rollback journal: one file to copy around
    expect(check(r.path)).toBe('ok');
    expect(count(r.path, 'SELECT count(*) AS n FROM usage_records')).toBe(count(e.ctx.dbPath, 'SELECT count(*) AS n FROM usage_records'));
    const last = e.ctx.audit.list(0, 10_000).at(-1)!;
    expect(last).toMatchObject({ action: 'db-backup', entity: 'database', details: { path: r.path, bytes: r.bytes } });
    // a second backup in the same second gets its own name
    expect((await e.invoke('db-backup', {})).path).toMatch(/drawdown-20250304-050607-2\.db$/);
  });

  it('takes a chosen absolute path, never overwrites, and refuses a path from the browser mode', async () => {
    const e = engine();
    const target = path.join(tempDir(), 'mine.db');
    expect((await e.invoke('db-backup', { path: target })).path).toBe(target);
    await expect(e.invoke('db-backup', { path: target })).rejects.toThrow(/already exists; a backup never overwrites/);
    await expect(e.invoke('db-backup', { path: 'relative.db' })).rejects.toThrow(/must be absolute/);
    await expect(e.invoke('db-backup', { path: path.join(tempDir(), 'x.txt') })).rejects.toThrow(/must end in \.db/);
    const b = engine(tempDbPath(), 'browser');
    await expect(b.invoke('db-backup', { path: path.join(tempDir(), 'y.db') })).rejects.toThrow(/browser mode/);
    expect((await b.invoke('db-backup', {})).path).toMatch(/backups/);
  });

  it('removes the .partial files a killed backup left behind', async () => {
    const e = engine();
    const dir = path.join(path.dirname(e.ctx.dbPath), 'backups');
    fs.mkdirSync(dir);
    const stale = path.join(dir, 'drawdown-1.db.partial-999999-abcd1234'); // no such process
    fs.writeFileSync(stale, 'half');
    await e.invoke('db-backup', {});
    expect(fs.existsSync(stale)).toBe(false);
  });
});

describe('db-info', () => {
  it('reports the file, its schema, counts, integrity and the latest backup', async () => {
    const e = engine();
    await e.invoke('demo-load', {});
    const before = await e.invoke('db-info', {});
    expect(before).toMatchObject({ path: e.ctx.dbPath, schemaVersion: SCHEMA_VERSION, knownSchemaVersion: SCHEMA_VERSION, latestBackup: null });
    expect(before.integrity).toEqual({ ok: true, result: 'ok', checked: 'at-open' });
    expect(before.counts.usageRecords).toBeGreaterThan(1000);
    expect(before.bytes).toBeGreaterThan(0);
    const b = await e.invoke('db-backup', {});
    const after = await e.invoke('db-info', { check: true });
    expect(after.integrity).toEqual({ ok: true, result: 'ok', checked: 'quick_check' });
    expect(after.latestBackup?.path).toBe(b.path);
  });
});

describe('db-restore', () => {
  it('saves the current database, swaps the backup in, audits it, and the engine works on the restored data', async () => {
    const e = engine();
    await e.invoke('demo-load', {});
    const backup = await e.invoke('db-backup', {});
    const rowsAtBackup = count(backup.path, 'SELECT count(*) AS n FROM usage_records');
    await e.invoke('profile-create', { name: 'After Backup', role: 'owner' });
    const ref = e.ctx.files.register(backup.path);
    const r = await e.invoke('db-restore', { fileRef: ref.ref });
    expect(r).toMatchObject({ restoredFrom: path.basename(backup.path), backupSchemaVersion: SCHEMA_VERSION, schemaVersion: SCHEMA_VERSION });
    expect(r.counts.usageRecords).toBe(rowsAtBackup);
    // the replaced database, with the profile created after the backup, is kept
    expect(r.beforeRestoreBackup).toMatch(/backups[\\/]before-restore-20250304-050607\.db$/);
    expect(count(r.beforeRestoreBackup!, "SELECT count(*) AS n FROM profiles WHERE name = 'After Backup'")).toBe(1);
    // the engine now reads and writes the restored file
    expect((await e.invoke('profiles-list', {})).profiles.map((p) => p.name)).not.toContain('After Backup');
    await e.invoke('profile-create', { name: 'After Restore', role: 'owner' });
    expect(e.ctx.audit.list(0, 100_000).at(-2)).toMatchObject({ action: 'db-restore', details: { beforeRestoreBackup: r.beforeRestoreBackup } });
    expect(e.ctx.audit.verify().ok).toBe(true);
    expect(e.ctx.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect((await e.invoke('db-info', { check: true })).integrity.ok).toBe(true);
  });

  it('refuses files that are not clean Drawdown backups, and changes nothing', async () => {
    const e = engine();
    await e.invoke('profile-create', { name: 'Keep', role: 'owner' });
    const dir = tempDir();
    const good = (await e.invoke('db-backup', { path: path.join(dir, 'good.db') })).path;
    const cases: [string, (f: string) => void, RegExp][] = [
      ['random.db', (f) => fs.writeFileSync(f, Buffer.alloc(64 * 1024, 7)), /not a readable SQLite database/],
      ['truncated.db', (f) => fs.writeFileSync(f, fs.readFileSync(good).subarray(0, 3 * 4096 + 100)), /damaged|not a readable|integrity/],
      ['empty.db', (f) => fs.writeFileSync(f, ''), /not a Drawdown database/],
      ['other.db', (f) => new Database(f).exec('CREATE TABLE t (x)').close(), /not a Drawdown database/],
      ['newer.db', (f) => { fs.copyFileSync(good, f); new Database(f).pragma(`user_version = ${SCHEMA_VERSION + 1}`); }, /newer version of Drawdown \(schema \d+; this version knows up to \d+\)\. Update Drawdown/],
    ];
    const live = fs.readFileSync(e.ctx.dbPath);
    for (const [name, make, message] of cases) {
      const f = path.join(dir, name);
      make(f);
      await expect(e.invoke('db-restore', { fileRef: e.ctx.files.register(f).ref }), name).rejects.toThrow(message);
    }
    expect(fs.readFileSync(e.ctx.dbPath).equals(live)).toBe(true);
    expect(fs.readdirSync(path.dirname(e.ctx.dbPath)).filter((n) => n.includes('partial'))).toEqual([]);
    expect(fs.existsSync(path.join(path.dirname(e.ctx.dbPath), 'backups'))).toBe(false);
    expect((await e.invoke('profiles-list', {})).profiles.map((p) => p.name)).toEqual(['Keep']);
  });

  it('refuses while another connection (an import, another program) has the database open, and goes on as before', async () => {
    const e = engine();
    await e.invoke('profile-create', { name: 'Keep', role: 'owner' });
    const backup = (await e.invoke('db-backup', { path: path.join(tempDir(), 'b.db') })).path;
    await e.invoke('profile-create', { name: 'Later', role: 'owner' });
    const other = new Database(e.ctx.dbPath);
    try {
      other.prepare('SELECT count(*) FROM profiles').get();
      await expect(e.invoke('db-restore', { fileRef: e.ctx.files.register(backup).ref })).rejects.toThrow(/in use by an import or another program.*nothing was changed/);
    } finally {
      other.close();
    }
    expect(e.ctx.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect((await e.invoke('profiles-list', {})).profiles.map((p) => p.name)).toEqual(['Keep', 'Later']);
    await e.invoke('profile-create', { name: 'Still writable', role: 'owner' });
    // once the other connection is gone, the restore goes through
    const r = await e.invoke('db-restore', { fileRef: e.ctx.files.register(backup).ref });
    expect((await e.invoke('profiles-list', {})).profiles.map((p) => p.name)).toEqual(['Keep']);
    expect(count(r.beforeRestoreBackup!, 'SELECT count(*) AS n FROM profiles')).toBe(3);
  });

  it('refuses the database in use itself and an in-memory database', async () => {
    const e = engine();
    await expect(e.invoke('db-restore', { fileRef: e.ctx.files.register(e.ctx.dbPath).ref })).rejects.toThrow(/is the database in use/);
    const m = engine(':memory:');
    const b = (await e.invoke('db-backup', {})).path;
    await expect(m.invoke('db-restore', { fileRef: m.ctx.files.register(b).ref })).rejects.toThrow(/in-memory database cannot be restored/);
  });
});
