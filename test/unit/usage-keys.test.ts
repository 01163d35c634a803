/**
 * Integer dedup keys of usage rows (import/store-keys.ts, migration 3): a database of schema 2
 * upgrades with its rows, totals and dedup intact; key collisions between different rows never
 * merge them; undo deletes by the import's id range.
 */
import { describe, it, expect, afterEach } from 'vitest';
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { createEngine, type Engine } from '../../electron/engine/engine';
import { migrations, SCHEMA_VERSION } from '../../electron/engine/db/migrations';
import { REBUILD_USAGE_DAILY } from '../../electron/engine/db/migrations/002-usage-daily';
import { parseBuffer } from '../../electron/engine/import/parse-file';
import { usageAltKey, usageKey, usageKeyParts } from '../../electron/engine/import/store-keys';
import type { ImportFileResult } from '../../shared/api/imports';
import type { Job } from '../../shared/domain';
import { tempDbPath, tempDir } from '../helpers';

const HEADER =
  'start_time,end_time,start_time_iso,end_time_iso,project_id,num_model_requests,user_id,api_key_id,model,batch,service_tier,input_tokens,output_tokens,input_cached_tokens,input_uncached_tokens,input_text_tokens,output_text_tokens,input_cached_text_tokens,input_audio_tokens,input_cached_audio_tokens,output_audio_tokens,input_image_tokens,input_cached_image_tokens,output_image_tokens';

/** One OpenAI usage row, distinct per i; a day per 500 rows. */
function row(i: number): string {
  const t = 1735689600 + i * 173;
  const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', '+00:00');
  return [t, t + 60, iso(t), iso(t + 60), `proj_${i % 3}`, '3.0', `user-${i % 2}`, `key_${i % 4}`, 'gpt-4o-2024-08-06', 'FALSE', 'default',
    `${1000 + i}.0`, `${200 + i}.0`, '100.0', `${900 + i}.0`, `${1000 + i}.0`, `${200 + i}.0`, '100.0', '0.0', '0.0', '0.0', '0.0', '0.0', '0.0'].join(',');
}

function csv(dir: string, name: string, lines: string[]): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, [HEADER, ...lines].join('\n') + '\n');
  return p;
}

/** The rows of a file as the importer identifies them: day, content hash, occurrence. */
function identities(file: string): { day: string; hash: string; j: number; line: number }[] {
  const seen = new Map<string, number>();
  return parseBuffer(fs.readFileSync(file)).rows.map((r) => {
    if (r.result.ok !== true || r.result.mapped.kind !== 'usage') throw new Error('not a usage row');
    const day = r.result.mapped.record.periodStart.slice(0, 10);
    const j = (seen.get(`${day}/${r.contentHash}`) ?? 0) + 1;
    seen.set(`${day}/${r.contentHash}`, j);
    return { day, hash: r.contentHash, j, line: r.line };
  });
}

const engines: Engine[] = [];
function engine(dbPath = tempDbPath()): Engine {
  const e = createEngine({ dbPath, mode: 'test' });
  engines.push(e);
  return e;
}
afterEach(() => {
  for (const e of engines.splice(0)) e.close();
});

async function importFile(e: Engine, file: string): Promise<ImportFileResult> {
  const job = await e.invoke('import-start', { fileRef: e.ctx.files.register(file).ref });
  const done: Job = await e.ctx.jobs.wait(job.id, undefined, 5);
  if (done.state !== 'done') throw new Error(`import job ${done.state}: ${done.message}`);
  return done.result as ImportFileResult;
}

const n = (db: Database.Database | Engine['ctx']['db'], sql: string, ...p: unknown[]) => (db.prepare(sql).get(...p) as { n: number }).n;
const daily = (db: Database.Database | Engine['ctx']['db']) =>
  db.prepare('SELECT day, account_key, workload_key, provider, rows, billed_micros FROM usage_daily ORDER BY 1, 2, 3, 4').all();

/** A usage row of another import sitting on a key, as an unrelated row whose key collides would. */
function occupy(db: Engine['ctx']['db'], key: number, check: number): number {
  const imp = db
    .prepare(`INSERT INTO imports (file_name, content_hash, byte_hash, byte_size, format, kind, status, run_by, started_at, finished_at)
              VALUES ('other.csv', 'other', 'other', 1, 'x', 'usage', 'committed', 't', 'x', 'x')`)
    .run().lastInsertRowid;
  db.prepare(`INSERT INTO usage_records (import_id, line, row_key, row_check, provider, charge_category, period_start, day, currency)
              VALUES (?, 2, ?, ?, 'other', 'usage', '2025-01-01T00:00:00Z', '2025-01-01', 'USD')`).run(imp, key, check);
  return Number(imp);
}

describe('usage keys: migration 3 upgrades a schema-2 database', () => {
  it('keeps every row, id and total, recreates the indexes and triggers, and dedups against the old rows', async () => {
    const dir = tempDir();
    const old = Array.from({ length: 40 }, (_, i) => row(i));
    const twin = row(1000);
    const a = csv(dir, 'a.csv', [...old, twin, twin]);

    // a schema-2 database holding a.csv as the importer of schema 2 stored it (keys day/hash#n)
    const dbPath = tempDbPath();
    const raw = new Database(dbPath);
    raw.pragma('journal_mode = WAL');
    raw.exec(migrations[0] as string);
    raw.exec(migrations[1] as string);
    raw.pragma('user_version = 2');
    const imp = Number(
      raw.prepare(`INSERT INTO imports (file_name, content_hash, byte_hash, byte_size, format, kind, status, rows_read, rows_imported, run_by, started_at, finished_at)
                   VALUES ('a.csv', 'old-content', 'old-bytes', 1, 'openai-usage', 'usage', 'committed', 42, 42, 't', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')`).run().lastInsertRowid,
    );
    raw.prepare(`INSERT INTO imports (file_name, content_hash, byte_hash, byte_size, format, kind, status, run_by, started_at, finished_at)
                 VALUES ('empty.csv', 'e', 'e', 1, 'openai-usage', 'usage', 'committed', 't', 'x', 'x')`).run();
    const insert = raw.prepare(`INSERT INTO usage_records (import_id, line, row_key, provider, charge_category, period_start, day, billed_cost_micros, currency)
                                VALUES (?, ?, ?, 'openai', 'usage', ?, ?, ?, 'USD')`);
    for (const x of identities(a)) insert.run(imp, x.line, `${x.day}/${x.hash}#${x.j}`, `${x.day}T00:00:00Z`, x.day, x.line * 1000);
    // a hand-made row with a key no importer makes
    insert.run(imp, 99, 'demo:1:1', '2025-01-02T00:00:00Z', '2025-01-02', 5);
    const before = raw.prepare('SELECT id, line, day, billed_cost_micros FROM usage_records ORDER BY id').all();
    const dailyBefore = daily(raw);
    raw.close();

    const e = engine(dbPath);
    const db = e.ctx.db;
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare('SELECT id, line, day, billed_cost_micros FROM usage_records ORDER BY id').all()).toEqual(before);
    expect(daily(db)).toEqual(dailyBefore);
    const names = (type: string) =>
      (db.prepare("SELECT name FROM sqlite_master WHERE tbl_name = 'usage_records' AND type = ? AND sql IS NOT NULL ORDER BY name").all(type) as { name: string }[]).map((x) => x.name);
    expect(names('index')).toEqual(['usage_account_day', 'usage_day', 'usage_key_day', 'usage_workload_day']);
    // usage_daily's three, recreated by migration 3, and those of migrations 6 and 7
    expect(names('trigger')).toEqual(['usage_daily_delete', 'usage_daily_insert', 'usage_daily_update', 'usage_generation_billed', 'usage_generation_delete', 'usage_generation_update', 'usage_key_daily_stale']);
    expect(db.prepare('SELECT usage_first_id AS f, usage_last_id AS l FROM imports ORDER BY id').all()).toEqual([{ f: 1, l: 43 }, { f: null, l: null }]);
    const types = db.prepare('SELECT DISTINCT typeof(row_key) AS t FROM usage_records').all();
    expect(types).toEqual([{ t: 'integer' }]);
    // the old rows carry the keys the importer computes now
    const first = identities(a)[0];
    const p = usageKeyParts(first.day, first.hash);
    expect(db.prepare('SELECT row_key AS k, row_check AS c FROM usage_records WHERE id = 1').get()).toEqual({ k: usageKey(p.base, 1), c: p.check });

    // the preview and the import recognise the old rows: an overlapping export adds exactly the new ones
    const b = csv(dir, 'b.csv', [...old.slice(20), twin, twin, twin, row(2000), row(2001)]);
    const pv = await e.invoke('import-preview', { fileRef: e.ctx.files.register(b).ref, limit: 50 });
    expect(pv.rows.map((r) => r.status)).toEqual([...Array(22).fill('duplicate'), 'new', 'new', 'new']);
    const rb = await importFile(e, b);
    expect(rb).toMatchObject({ status: 'committed', rowsImported: 3, rowsDuplicate: 22 });
    expect(n(db, 'SELECT count(*) AS n FROM usage_records')).toBe(46);

    // undo of the migrated import deletes its rows (by its id range), usage_daily follows
    const u = await e.invoke('import-undo', { importId: imp });
    expect(u.removed.usageRecords).toBe(43);
    expect(n(db, 'SELECT count(*) AS n FROM usage_records')).toBe(3);
    const kept = daily(db);
    db.exec(REBUILD_USAGE_DAILY);
    expect(daily(db)).toEqual(kept);
  });
});

describe('usage keys: collisions never merge different rows', () => {
  it('a row whose key another row holds goes to its alternative key, and is recognised there', async () => {
    const e = engine();
    const db = e.ctx.db;
    const dir = tempDir();
    const twin = row(7);
    const file = csv(dir, 'a.csv', [row(1), twin, twin]);
    const [x] = identities(file).slice(1);
    const p = usageKeyParts(x.day, x.hash);
    // an unrelated row (another check) on the twin's first key
    const other = occupy(db, usageKey(p.base, 1), p.check + 1);

    const r1 = await importFile(e, file);
    expect(r1).toMatchObject({ status: 'committed', rowsImported: 3, rowsDuplicate: 0 });
    const at = (k: number) => db.prepare('SELECT row_check AS c FROM usage_records WHERE row_key = ?').get(k) as { c: number } | undefined;
    expect(at(usageAltKey(p.altBase, 1))).toEqual({ c: p.check });
    expect(at(usageKey(p.base, 2))).toEqual({ c: p.check });

    // the same rows in another file (one new row): both twins are known, the colliding row is untouched
    const again = csv(dir, 'b.csv', [twin, row(1), twin, row(8)]);
    expect(await importFile(e, again)).toMatchObject({ status: 'committed', rowsImported: 1, rowsDuplicate: 3 });
    const pv = await e.invoke('import-preview', { fileRef: e.ctx.files.register(again).ref });
    expect(pv.rows.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate']);

    // the unrelated row goes away: its key is free again, yet the twin is still found at its alternative key
    await e.invoke('import-undo', { importId: other });
    const third = csv(dir, 'c.csv', [twin, twin, twin]);
    expect(await importFile(e, third)).toMatchObject({ status: 'committed', rowsImported: 1, rowsDuplicate: 2 });
    expect(n(db, 'SELECT count(*) AS n FROM usage_records WHERE row_check = ?', p.check)).toBe(3);
  });

  it('refuses, writing nothing, when both keys of a row belong to other rows', async () => {
    const e = engine();
    const db = e.ctx.db;
    const file = csv(tempDir(), 'a.csv', [row(1), row(2)]);
    const x = identities(file)[1];
    const p = usageKeyParts(x.day, x.hash);
    occupy(db, usageKey(p.base, 1), p.check + 1);
    occupy(db, usageAltKey(p.altBase, 1), p.check + 2);
    await expect(importFile(e, file)).rejects.toThrow(/both belong to other rows/);
    expect(n(db, "SELECT count(*) AS n FROM usage_records WHERE provider = 'openai'")).toBe(0);
    expect(n(db, "SELECT count(*) AS n FROM imports WHERE file_name = 'a.csv'")).toBe(0);
  });
});
