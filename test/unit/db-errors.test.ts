/**
 * A database that is locked by another process, read-only, missing or corrupt: createEngine and the
 * CLI (in process, and the bundled CLI as a real process) give a clear message with a way forward
 * (close the other program, make it writable, open another file, restore a backup) — exit 1 with
 * the message on stderr, never a stack trace.
 *
 * Read-only as root: permission bits do not stop root, so the file is made immutable (chattr +i)
 * or put on a tmpfs remounted read-only; both are skipped where not permitted. chmod 444 is used
 * when the tests do not run as root.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import Database from 'better-sqlite3';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createEngine } from '../../electron/engine/engine';
import { dbFault } from '../../electron/engine/db/open';
import { runCli } from '../../electron/cli/main';
import { bundle, ROOT } from '../faults/fixtures';
import { tempDbPath, tempDir } from '../helpers';

const isRoot = process.getuid?.() === 0;
const canChattr = probe(() => {
  const f = path.join(tempDir(), 'probe');
  fs.writeFileSync(f, '');
  const ok = spawnSync('chattr', ['+i', f]).status === 0;
  spawnSync('chattr', ['-i', f]);
  return ok;
});
const canMount = probe(() => {
  const d = tempDir();
  const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', d]).status === 0;
  if (ok) spawnSync('umount', [d]);
  return ok;
});

function probe(f: () => boolean): boolean {
  try {
    return f();
  } catch {
    return false;
  }
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), env: {}, rendererDir: '/nonexistent' } };
}

let cli = '';
beforeAll(async () => {
  cli = (await bundle(tempDir('drawdown-cli-'), { drawdown: path.join(ROOT, 'electron/cli/index.ts') })).drawdown;
}, 120_000);

function freshDb(): string {
  const file = tempDbPath();
  createEngine({ dbPath: file, mode: 'test' }).close();
  return file;
}

/** Through createEngine (the message and its fault) and the CLI in process and as a real process. */
async function expectRefusedEverywhere(file: string, message: RegExp, fault: string): Promise<void> {
  let thrown: unknown;
  try {
    createEngine({ dbPath: file, mode: 'test' }).close();
  } catch (e) {
    thrown = e;
  }
  expect((thrown as Error)?.message).toMatch(message);
  expect(dbFault(thrown)).toBe(fault);
  const a = io();
  expect(await runCli(['stats', '--db', file], a.io)).toBe(1);
  expect(a.err.join('\n')).toMatch(message);
  const p = spawnSync(process.execPath, [cli, 'stats', '--db', file], { encoding: 'utf8', env: { ...process.env, NODE_PATH: path.join(ROOT, 'node_modules') } });
  expect(p.status).toBe(1);
  expect(p.stderr).toMatch(message);
  expect(p.stderr).not.toMatch(/^\s+at /m);
}

/** A child process holding the database: 'exclusive' locks the whole file, 'write' holds the write lock of a WAL database. */
function holdLock(file: string, how: 'exclusive' | 'write'): Promise<ChildProcess> {
  const lock = how === 'exclusive' ? "d.pragma('locking_mode = EXCLUSIVE');" : '';
  const script = `const D = require('better-sqlite3'); const d = new D(${JSON.stringify(file)}); ${lock}
    d.exec('BEGIN EXCLUSIVE'); d.exec("INSERT INTO settings (key, value) VALUES ('lock', 'held')"); console.log('locked'); setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`lock holder exited (${code})`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('locked database', () => {
  it('locked whole by another process: refused at open with a way forward', async () => {
    const file = freshDb();
    const holder = await holdLock(file, 'exclusive');
    try {
      await expectRefusedEverywhere(file, /locked by another program .*Close it or wait for it to finish, then try again; or open another file/, 'locked');
    } finally {
      await stop(holder);
    }
    createEngine({ dbPath: file, mode: 'test' }).close(); // and fine once the other program is gone
  }, 60_000);

  it('write lock held by another process: opens, a change is refused with the same message, and works once the lock is gone', async () => {
    const file = freshDb();
    const e = createEngine({ dbPath: file, mode: 'test' });
    try {
      const holder = await holdLock(file, 'write');
      try {
        const r = await e.call('profile-create', { name: 'Ada', role: 'owner' });
        expect(r).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/is locked by another program/) } });
        expect((await e.invoke('stats-get', {})).usageRows).toBe(0); // reading still works
      } finally {
        await stop(holder);
      }
      expect((await e.invoke('profile-create', { name: 'Ada', role: 'owner' })).name).toBe('Ada');
    } finally {
      e.close();
    }
  }, 60_000);
});

describe('read-only database', () => {
  const message = /is read-only: Drawdown cannot write to it .*Make it writable, copy it to a folder you can write to and open the copy, or open another file/;

  it.skipIf(!isRoot || !canChattr)('an immutable file (chattr +i; root ignores permission bits)', async () => {
    const file = freshDb();
    expect(spawnSync('chattr', ['+i', file]).status).toBe(0);
    try {
      await expectRefusedEverywhere(file, message, 'readonly');
    } finally {
      spawnSync('chattr', ['-i', file]);
    }
  });

  it.skipIf(!isRoot || !canMount)('a file on a read-only mount', async () => {
    const dir = tempDir();
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', dir]).status).toBe(0);
    try {
      const file = path.join(dir, 'ro.db');
      createEngine({ dbPath: file, mode: 'test' }).close();
      expect(spawnSync('mount', ['-o', 'remount,ro', dir]).status).toBe(0);
      await expectRefusedEverywhere(file, message, 'readonly');
    } finally {
      spawnSync('umount', [dir]);
    }
  });

  it.skipIf(isRoot)('a file without write permission (chmod 444)', async () => {
    const file = freshDb();
    fs.chmodSync(file, 0o444);
    await expectRefusedEverywhere(file, message, 'readonly');
  });
});

describe('missing database', () => {
  it('with creation disabled (backup, restore): names the missing folder and how to create one', async () => {
    const file = path.join(tempDir(), 'no', 'such', 'folder', 'x.db');
    expect(() => createEngine({ dbPath: file, mode: 'test', create: false })).toThrow(/No database at .*x\.db \(the folder .*folder does not exist\)\. Create one with "drawdown demo --db .*", restore a backup there, or pick another file/);
    const a = io();
    expect(await runCli(['backup', '--db', file], a.io)).toBe(1);
    expect(a.err.join('\n')).toMatch(/No database at/);
    const p = spawnSync(process.execPath, [cli, 'backup', '--db', file], { encoding: 'utf8' });
    expect([p.status, p.stderr.includes('No database at'), /^\s+at /m.test(p.stderr)]).toEqual([1, true, false]);
    expect(fs.existsSync(path.join(tempDir(), 'no'))).toBe(false);
  });

  it('whose folder cannot be created: says so instead of a raw ENOTDIR', () => {
    const blocker = path.join(tempDir(), 'a-file');
    fs.writeFileSync(blocker, '');
    expect(() => createEngine({ dbPath: path.join(blocker, 'x.db'), mode: 'test' })).toThrow(/Cannot create the database .*x\.db: the folder .* cannot be created .*Pick a folder you can write to/);
  });
});

describe('corrupt database', () => {
  let dir = '';
  beforeAll(() => {
    dir = tempDir('drawdown-corrupt-');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('random bytes: not a readable Drawdown database; restore a backup', async () => {
    const file = path.join(dir, 'random.db');
    fs.writeFileSync(file, Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 251)));
    await expectRefusedEverywhere(file, /not a readable Drawdown database .*Open another file or restore a backup \(drawdown restore --db .*random\.db --from BACKUP\.db\)/, 'corrupt');
  });

  it('a truncated database: refused, and the latest backup beside it is named', async () => {
    const file = freshDb();
    const e = createEngine({ dbPath: file, mode: 'test' });
    await e.invoke('demo-load', {});
    const b = await e.invoke('db-backup', {});
    e.close();
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 3)));
    const latest = b.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    await expectRefusedEverywhere(file, new RegExp(`(failed its integrity check|not a readable Drawdown database|is damaged).*the latest is ${latest}: drawdown restore --db`), 'corrupt');
  }, 60_000);

  it('a damaged page inside: refused by the check every open runs', async () => {
    const file = freshDb();
    const e = createEngine({ dbPath: file, mode: 'test' });
    await e.invoke('demo-load', {});
    e.close();
    const db = new Database(file);
    const root = (db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'usage_records'").get() as { rootpage: number }).rootpage;
    const pageSize = Number(db.pragma('page_size', { simple: true }));
    db.close();
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(64, 0xff), 0, 64, (root - 1) * pageSize + 8); // overwrite cell pointers of the table's root page
    fs.closeSync(fd);
    await expectRefusedEverywhere(file, /(failed its integrity check|not a readable Drawdown database|is damaged).*restore/i, 'corrupt');
  }, 60_000);
});
