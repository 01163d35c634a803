import { describe, it, expect, afterAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createEngine } from '../../electron/engine/engine';
import { createKeyDailyRepo, type KeyDay } from '../../electron/engine/repos/key-daily';
import { readDerivedTable, type DerivedTableSpec } from '../../electron/engine/repos/analysis-cache';
import type { ImportFileResult } from '../../shared/api/imports';
import type { Job } from '../../shared/domain';
import { tempDbPath, tempDir } from '../helpers';

/**
 * usage_key_daily (migration 6) keeps the usage rows grouped per day, API key, model, workload and
 * account, and is brought up to date when read. Every step below changes the rows the way the app
 * does (the demo, imports, undo, rules re-attributing rows, a deletion) and compares what the
 * repository answers with the groups summed here, row by row, from usage_records.
 */
const HEADER = 'start_time,end_time,project_id,num_model_requests,api_key_id,model,input_tokens,output_tokens';

function file(dir: string, name: string, n: number, day0: number, models: string[], tokens = 1000): string {
  const lines = Array.from({ length: n }, (_, i) => {
    const t = Date.UTC(2026, 9, 1 + day0 + (i % 4)) / 1000 + i * 60;
    return [t, t + 60, 'proj_a', 1 + (i % 3), `key_${i % 3}`, models[i % models.length], tokens + i, 100 + i].join(',');
  });
  const p = path.join(dir, name);
  fs.writeFileSync(p, [HEADER, ...lines].join('\n') + '\n');
  return p;
}

type Raw = { day: string; key: string; model: string | null; workload: number | null; account: number | null; category: string; requests: number | null; billed: number | null };

/** The groups by definition: every usage row with a key, summed in JavaScript. */
function expected(db: Database.Database, from: string, to: string): KeyDay[] {
  const raws = db
    .prepare(
      `SELECT day, api_key AS key, COALESCE(model_id, model_raw) AS model, workload_id AS workload, account_id AS account, charge_category AS category,
              requests, billed_cost_micros AS billed FROM usage_records WHERE api_key IS NOT NULL AND day >= ? AND day <= ?`,
    )
    .all(from, to) as Raw[];
  const days = new Map<string, Map<string, KeyDay[1][number]>>();
  for (const r of raws) {
    const groups = days.get(r.day) ?? new Map();
    days.set(r.day, groups);
    const id = JSON.stringify([r.key, r.model ?? '', r.workload ?? 0, r.account ?? 0]);
    const g = groups.get(id) ?? [r.key, r.workload ?? 0, r.account ?? 0, r.model ?? '', 0, 0, 0, null, 0];
    groups.set(id, g);
    g[4] += 1;
    if (r.category === 'usage') {
      g[5] += 1;
      g[6] += r.requests ?? 0;
      if (r.billed !== null) g[7] = (g[7] ?? 0) + r.billed;
      g[8] += r.billed ?? 0;
    }
  }
  return [...days].sort(([a], [b]) => a.localeCompare(b)).map(([day, groups]) => [day, sortGroups([...groups.values()])]);
}

const sortGroups = (groups: KeyDay[1]) => [...groups].sort((a, b) => JSON.stringify(a.slice(0, 4)).localeCompare(JSON.stringify(b.slice(0, 4))));
const read = (db: Database.Database, from: string, to: string, chunkIds?: number) => {
  const r = createKeyDailyRepo(db as never, { chunkIds }).days(from, to, () => null);
  return { kept: r.kept, days: r.days.map(([day, groups]): KeyDay => [day, sortGroups(groups)]) };
};

describe('usage per key and day, kept in usage_key_daily', () => {
  const dir = tempDir();
  const e = createEngine({ dbPath: tempDbPath(), mode: 'test' });
  afterAll(() => e.close());
  const db = e.ctx.db as unknown as Database.Database;
  const importFile = async (p: string): Promise<ImportFileResult> => {
    const job = await e.invoke('import-start', { fileRef: e.ctx.files.register(p).ref, format: 'openai-usage' });
    const done: Job = await e.ctx.jobs.wait(job.id, undefined, 5);
    if (done.state !== 'done') throw new Error(`import ${done.state}: ${done.message}`);
    return done.result as ImportFileResult;
  };
  const FROM = '2000-01-01';
  const TO = '2100-01-01';
  const coveredId = () => db.prepare("SELECT covered_id FROM analysis_cache WHERE name = 'usage_key_daily'").pluck().get() as number | undefined;
  const maxId = () => db.prepare('SELECT max(id) FROM usage_records').pluck().get() as number;
  const check = (from = FROM, to = TO) => {
    const got = read(db, from, to);
    expect(got.kept).toBe(true);
    expect(got.days).toEqual(expected(db, from, to));
    expect(coveredId()).toBe(maxId());
    return got.days;
  };

  it('answers like usage_records through the demo, imports, undo, re-attribution and a deletion', async () => {
    await e.invoke('demo-load', {});
    const demo = check();
    // the demo has keys with several models and workloads, and days without a billed cost
    expect(demo.length).toBeGreaterThan(60);
    expect(new Set(demo.flatMap(([, g]) => g.map((x) => x[3]))).size).toBeGreaterThan(3);
    // a window reads only its days
    const window = check('2026-09-01', '2026-09-30');
    expect(window.map(([d]) => d.slice(0, 7))).toEqual(window.map(() => '2026-09'));

    // rows added by an import are folded in: groups of existing days grow, new days appear
    const groupsBefore = db.prepare('SELECT count(*) FROM usage_key_daily').pluck().get() as number;
    const a = await importFile(file(dir, 'a.csv', 40, 0, ['gpt-4o-2024-08-06', 'o3']));
    expect(a.rowsImported).toBe(40);
    check();
    expect(db.prepare('SELECT count(*) FROM usage_key_daily').pluck().get()).toBeGreaterThan(groupsBefore);
    const b = await importFile(file(dir, 'b.csv', 12, 2, ['o4-mini']));
    check();
    // rows of groups the table already has (same day, key, model, workload and account): summed into them
    const sameGroups = () => db.prepare("SELECT count(*) FROM usage_key_daily WHERE model = 'o3'").pluck().get() as number;
    const o3Groups = sameGroups();
    const c = await importFile(file(dir, 'c.csv', 40, 0, ['gpt-4o-2024-08-06', 'o3'], 5000));
    expect(c.rowsImported).toBe(40);
    check();
    expect(sameGroups()).toBe(o3Groups);

    // an undo takes its rows out of the table in its own transaction: not rebuilt (a group outside
    // every window marks the table; a rebuild would drop it), and rows reusing the freed ids are folded in
    const marker = () => db.prepare("SELECT count(*) FROM usage_key_daily WHERE day = '1999-01-01'").pluck().get() as number;
    db.prepare("INSERT INTO usage_key_daily VALUES ('1999-01-01', 'marker', '', 0, 0, 1, 0, 0, 0, 0)").run();
    // the latest import first: its ids are freed, and the next import's rows reuse them
    const freed = maxId();
    await e.invoke('import-undo', { importId: c.importId! });
    check();
    expect(marker()).toBe(1);
    const d = await importFile(file(dir, 'd.csv', 40, 9, ['o4-mini'], 9000));
    expect(maxId()).toBe(freed);
    check();
    expect(marker()).toBe(1);
    // older imports: their groups shrink or go, the later rows stay
    await e.invoke('import-undo', { importId: b.importId! });
    check();
    await e.invoke('import-undo', { importId: a.importId! });
    check();
    expect(marker()).toBe(1);
    expect(read(db, FROM, TO).days.flatMap(([, g]) => g).some((g) => g[3] === 'o3')).toBe(false);
    expect(d.rowsImported).toBe(40);

    // rules re-attributing rows rewrite workload_id in place: the trigger marks the table stale, and it is rebuilt
    check();
    const moved = db.prepare("UPDATE usage_records SET workload_id = NULL WHERE id IN (SELECT id FROM usage_records WHERE workload_id IS NOT NULL AND api_key IS NOT NULL LIMIT 25)").run().changes;
    expect(moved).toBe(25);
    expect(coveredId()).toBeUndefined();
    check();
    expect(marker()).toBe(0);
    // an update that changes nothing the groups read does not
    db.prepare('UPDATE usage_records SET workload_id = workload_id WHERE id IN (SELECT id FROM usage_records LIMIT 5)').run();
    expect(coveredId()).toBe(maxId());

    // rows removed some other way than an undo: the row count no longer adds up
    db.prepare('DELETE FROM usage_records WHERE id = (SELECT min(id) FROM usage_records WHERE api_key IS NOT NULL)').run();
    check();
  });

  it('answers from usage_records on a connection that cannot write, without keeping anything', () => {
    db.prepare("DELETE FROM analysis_cache WHERE name = 'usage_key_daily'").run();
    const ro = new Database(e.ctx.dbPath, { readonly: true });
    try {
      const got = read(ro, FROM, TO);
      expect(got.kept).toBe(false);
      expect(got.days).toEqual(expected(db, FROM, TO));
      expect(coveredId()).toBeUndefined();
      // once the table is up to date, the read-only connection reads it too
      check();
      expect(read(ro, FROM, TO)).toEqual({ kept: true, days: expected(db, FROM, TO) });
    } finally {
      ro.close();
    }
  });

  it('builds in chunks of ids, each committed with the coverage it reached', () => {
    const calls: [afterId: number, throughId: number, covered: number | undefined][] = [];
    const covered = () => db.prepare("SELECT covered_id FROM analysis_cache WHERE name = 'test-chunks'").pluck().get() as number | undefined;
    const spec: DerivedTableSpec = {
      name: 'test-chunks',
      format: 1,
      chunkIds: 700,
      clear: () => 0,
      fold: (afterId, throughId) => (calls.push([afterId, throughId, covered()]), 0),
    };
    expect(readDerivedTable(db as never, spec, () => 'read')).toBe('read');
    const last = maxId();
    expect(calls.length).toBe(Math.ceil(last / 700));
    calls.forEach(([afterId, throughId, seen], i) => {
      expect(afterId).toBe(i === 0 ? 0 : calls[i - 1][1]); // consecutive
      expect(throughId - afterId).toBeLessThanOrEqual(700);
      expect(seen).toBe(i === 0 ? undefined : afterId); // the chunk before was saved with its coverage
    });
    expect(calls.at(-1)![1]).toBe(last);
    expect(covered()).toBe(last);
    // and the real table built in chunks has the same groups
    db.prepare("DELETE FROM analysis_cache WHERE name = 'usage_key_daily'").run();
    const got = read(db, FROM, TO, 700);
    expect(got.kept).toBe(true);
    expect(got.days).toEqual(expected(db, FROM, TO));
    expect(coveredId()).toBe(last);
  });
});
