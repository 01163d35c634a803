import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import { openDatabase, schemaVersion } from '../../electron/engine/db/open';
import { SCHEMA_VERSION, migrations } from '../../electron/engine/db/migrations';
import { tempDbPath } from '../helpers';

describe('database open', () => {
  it('asserts the pragmas the product relies on', () => {
    const db = openDatabase(tempDbPath());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(Number(db.pragma('busy_timeout', { simple: true }))).toBeGreaterThanOrEqual(5000);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('creates only STRICT tables', () => {
    const db = openDatabase(tempDbPath());
    const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all() as { name: string; sql: string }[];
    expect(tables.length).toBeGreaterThan(15);
    for (const t of tables) expect(t.sql, t.name).toMatch(/\)\s*STRICT(,\s*WITHOUT ROWID)?\s*$/);
    db.close();
  });

  it('refuses a database written by a newer schema version, and leaves it untouched', () => {
    const file = tempDbPath();
    openDatabase(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const before = fs.readFileSync(file);
    expect(() => openDatabase(file)).toThrow(`newer version of Drawdown (schema ${SCHEMA_VERSION + 1}; this version knows up to ${SCHEMA_VERSION})`);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('migrates an empty database in one transaction and is idempotent on reopen', () => {
    const file = tempDbPath();
    openDatabase(file).close();
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(migrations.length);
    db.close();
  });

  it('rolls back a failing migration completely', () => {
    const file = tempDbPath();
    const raw = new Database(file);
    raw.exec('CREATE TABLE settings (key TEXT PRIMARY KEY)'); // collides with migration 1
    raw.close();
    expect(() => openDatabase(file)).toThrow();
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(0);
    expect(check.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'usage_records'").get()).toEqual({ n: 0 });
    check.close();
  });

  it('fails closed with a clear message on a file that is not a database', () => {
    const file = tempDbPath();
    fs.writeFileSync(file, 'this is not a database'.repeat(100));
    expect(() => openDatabase(file)).toThrow(/not a readable Drawdown database|Cannot open/);
  });

  it('enforces money as integers and separation of duties in the schema', () => {
    const db = openDatabase(tempDbPath());
    db.prepare("INSERT INTO profiles (name, role, created_at) VALUES ('a','owner','x'), ('b','approver','x')").run();
    db.prepare("INSERT INTO credit_accounts (provider, external_id, name, created_at) VALUES ('openai','org','Org','x')").run();
    expect(() =>
      db.prepare("INSERT INTO credit_blocks (account_id, name, kind, unit, amount_micros, purchased_on, source, created_at) VALUES (1,'b','purchased','USD',1.5,'2025-01-01','manual','x')").run(),
    ).toThrow(/cannot store REAL value in INTEGER column/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO topup_requests (requester_id, account_id, amount_micros, currency, reason, status, decided_by, created_at) VALUES (1,1,5,'USD','r','approved',1,'x')",
        )
        .run(),
    ).toThrow(/CHECK constraint failed/);
    db.close();
  });
});

describe('the check at open', () => {
  /** a database with a table spread over many pages, closed cleanly (no -wal left) */
  function cleanDatabase(): string {
    const file = tempDbPath();
    const db = openDatabase(file);
    db.exec('CREATE TABLE filler (x TEXT) STRICT');
    const insert = db.prepare('INSERT INTO filler VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run('x'.repeat(500) + i);
    })();
    db.close();
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    return file;
  }
  /** overwrites a page in the middle of the file (filler rows, not the schema) with garbage */
  function damage(file: string): void {
    const fd = fs.openSync(file, 'r+');
    const pageSize = 8192;
    const pages = fs.statSync(file).size / pageSize;
    fs.writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, Math.floor(pages / 2) * pageSize);
    fs.closeSync(fd);
  }

  it('always runs quick_check on a database under the size limit', () => {
    const file = cleanDatabase();
    damage(file);
    expect(() => openDatabase(file)).toThrow(/failed its integrity check|not a readable Drawdown database/);
  });

  it('skips it above the limit after a clean close, and says so; runs it when the last session left a -wal behind', async () => {
    const { openCheck } = await import('../../electron/engine/db/open');
    const file = cleanDatabase();
    const big = openDatabase(file, { openCheckMaxBytes: 0 });
    expect(openCheck(big)).toBe('skipped');
    big.close();

    // a session that did not end: copy the files while a connection has uncheckpointed writes
    const live = new Database(file);
    live.pragma('wal_autocheckpoint = 0');
    live.exec("INSERT INTO filler VALUES ('after the last checkpoint')");
    const crashed = tempDbPath();
    fs.copyFileSync(file, crashed);
    fs.copyFileSync(`${file}-wal`, `${crashed}-wal`);
    live.close();
    expect(fs.statSync(`${crashed}-wal`).size).toBeGreaterThan(0);
    damage(crashed);
    expect(() => openDatabase(crashed, { openCheckMaxBytes: 0 })).toThrow(/failed its integrity check|not a readable Drawdown database/);
  });
});
