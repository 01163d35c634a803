/**
 * drawdown backup / drawdown restore: exit codes 0 (done), 1 (refused, reason on stderr), 2 (usage),
 * and a restore that also works when the current database is damaged or missing.
 */
import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../electron/cli/main';
import { tempDbPath, tempDir } from '../helpers';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), env: {}, rendererDir: '/nonexistent' } };
}

function profiles(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT name FROM profiles ORDER BY id').all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
}

async function liveWithProfile(name: string): Promise<string> {
  const db = tempDbPath();
  const { createEngine } = await import('../../electron/engine/engine');
  const e = createEngine({ dbPath: db, mode: 'cli' });
  await e.invoke('profile-create', { name, role: 'owner' });
  e.close();
  return db;
}

describe('drawdown backup', () => {
  it('writes a backup beside the database or to --out, and refuses a missing database or an existing --out', async () => {
    const db = await liveWithProfile('Ada');
    const a = io();
    expect(await runCli(['backup', '--db', db], a.io)).toBe(0);
    expect(a.out.join('\n')).toMatch(/^Backup written to .*backups[\\/]drawdown-\d{8}-\d{6}\.db \([\d,]+ bytes, \d+ pages, \d+ ms\)\.$/);
    const out = path.join(tempDir(), 'copy.db');
    const b = io();
    expect(await runCli(['backup', '--db', db, '--out', out, '--json'], b.io)).toBe(0);
    expect(JSON.parse(b.out.join(''))).toMatchObject({ path: out });
    expect(profiles(out)).toEqual(['Ada']);
    const c = io();
    expect(await runCli(['backup', '--db', db, '--out', out], c.io)).toBe(1);
    expect(c.err.join('\n')).toMatch(/already exists; a backup never overwrites a file/);
    const missing = path.join(tempDir(), 'no', 'such', 'dir', 'x.db');
    const d = io();
    expect(await runCli(['backup', '--db', missing], d.io)).toBe(1);
    expect(d.err.join('\n')).toMatch(/No database at .*x\.db \(the folder .* does not exist\)/);
    expect(fs.existsSync(path.dirname(missing))).toBe(false);
    expect(await runCli(['backup', '--db', db, '--bogus'], io().io)).toBe(2);
  });
});

describe('drawdown restore', () => {
  it('needs --from and --yes (exit 2), refuses a bad backup (exit 1) and restores a good one (exit 0)', async () => {
    const db = await liveWithProfile('Ada');
    const backup = path.join(tempDir(), 'b.db');
    expect(await runCli(['backup', '--db', db, '--out', backup], io().io)).toBe(0);
    const raw = new Database(db);
    raw.prepare("INSERT INTO profiles (name, role, created_at) VALUES ('Later', 'owner', 'x')").run();
    raw.close();

    const a = io();
    expect(await runCli(['restore', '--db', db], a.io)).toBe(2);
    expect(a.err.join('\n')).toMatch(/--from FILE/);
    const b = io();
    expect(await runCli(['restore', '--db', db, '--from', backup], b.io)).toBe(2);
    expect(b.err.join('\n')).toMatch(/add --yes to confirm/);
    expect(await runCli(['restore', '--db', db, '--from', path.join(tempDir(), 'nope.db'), '--yes'], io().io)).toBe(2);
    const junk = path.join(tempDir(), 'junk.db');
    fs.writeFileSync(junk, 'not a database at all'.repeat(500));
    const c = io();
    expect(await runCli(['restore', '--db', db, '--from', junk, '--yes'], c.io)).toBe(1);
    expect(c.err.join('\n')).toMatch(/junk\.db cannot be restored: it is not a readable SQLite database.*Nothing was changed/);
    expect(profiles(db)).toEqual(['Ada', 'Later']);

    const d = io();
    expect(await runCli(['restore', '--db', db, '--from', backup, '--yes'], d.io)).toBe(0);
    expect(d.out.join('\n')).toMatch(/Restored b\.db into .* \(schema \d+; 0 usage rows, 0 imports, 0 credit blocks, 0 workloads\)\.\nThe database it replaced was saved to .*before-restore-\d{8}-\d{6}\.db\./);
    expect(profiles(db)).toEqual(['Ada']);
    const saved = /saved to (.*)\.$/.exec(d.out[1])![1];
    expect(profiles(saved)).toEqual(['Ada', 'Later']);
  });

  it('restores over a damaged database (keeping its bytes) and into a missing one', async () => {
    const db = await liveWithProfile('Ada');
    const backup = path.join(tempDir(), 'b.db');
    expect(await runCli(['backup', '--db', db, '--out', backup], io().io)).toBe(0);
    const damaged = Buffer.alloc(20_000, 0x5a);
    fs.writeFileSync(db, damaged);
    const a = io();
    expect(await runCli(['stats', '--db', db], a.io)).toBe(1);
    expect(a.err.join('\n')).toMatch(/not a readable Drawdown database.*restore a backup \(drawdown restore --db/);
    const b = io();
    expect(await runCli(['restore', '--db', db, '--from', backup, '--yes', '--json'], b.io)).toBe(0);
    expect(b.err.join('\n')).toMatch(/note: the current database cannot be opened/);
    const r = JSON.parse(b.out.join(''));
    expect(fs.readFileSync(r.beforeRestoreBackup).equals(damaged)).toBe(true);
    expect(profiles(db)).toEqual(['Ada']);
    expect(await runCli(['stats', '--db', db], io().io)).toBe(0);

    const fresh = path.join(tempDir(), 'new', 'place.db');
    const c = io();
    expect(await runCli(['restore', '--db', fresh, '--from', backup, '--yes'], c.io)).toBe(0);
    expect(c.out.join('\n')).toMatch(/There was no database there before/);
    expect(profiles(fresh)).toEqual(['Ada']);
  });
});
