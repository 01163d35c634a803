import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3';
import { openDatabase, schemaVersion, type Db } from '../../electron/engine/db/open';
import { migration001 } from '../../electron/engine/db/migrations/001-initial';
import { MERGE_IMPORT_INTO_USAGE_DAILY, REBUILD_USAGE_DAILY } from '../../electron/engine/db/migrations/002-usage-daily';
import { SCHEMA_VERSION } from '../../electron/engine/db/migrations';
import { createEngine } from '../../electron/engine/engine';
import { burnDays } from '../../electron/engine/services/dashboard';
import { tempDbPath } from '../helpers';

/** usage_daily as it should be: a fresh GROUP BY over usage_records, in key order. */
const FRESH = `
  SELECT day, COALESCE(account_id, 0) AS account_key, COALESCE(pricing_currency, currency) AS unit, COALESCE(workload_id, 0) AS workload_key,
         provider, charge_category, currency, COALESCE(pricing_currency, '') AS pricing_currency, count(*) AS rows,
         SUM(COALESCE(billed_cost_micros, 0)) AS billed_micros, SUM(COALESCE(pricing_currency_cost_micros, 0)) AS pricing_micros
  FROM usage_records GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8`;
const KEPT = `
  SELECT day, account_key, unit, workload_key, provider, charge_category, currency, pricing_currency, rows, billed_micros, pricing_micros
  FROM usage_daily ORDER BY 1, 2, 3, 4, 5, 6, 7, 8`;

const expectExact = (db: Db) => expect(db.prepare(KEPT).all()).toEqual(db.prepare(FRESH).all());

/** A v1 database with two accounts, two workloads, two imports and rows of every kind the aggregate keys on. */
/** A schema-1 database file (before usage_daily), optionally with the seed rows already in it. */
function v1File(seeded: boolean): string {
  const file = tempDbPath();
  const raw = new Database(file);
  raw.exec(migration001);
  raw.pragma('user_version = 1');
  if (seeded) seedV1(raw);
  raw.close();
  return file;
}

function seedV1(db: Database.Database): void {
  db.exec(`
    INSERT INTO credit_accounts (id, provider, external_id, name, currency, created_at) VALUES
      (1, 'openai', 'org-1', 'OpenAI', 'USD', 'x'), (2, 'anthropic', 'org-2', 'Anthropic', 'USD', 'x');
    INSERT INTO workloads (id, department, application, environment, created_at) VALUES (1, 'D', 'A', 'production', 'x'), (2, 'D', 'B', 'production', 'x');
    INSERT INTO imports (id, file_name, content_hash, byte_hash, byte_size, format, kind, status, run_by, started_at, finished_at) VALUES
      (1, 'a.csv', 'h1', 'b1', 1, 'x', 'usage', 'committed', 't', 'x', 'x'), (2, 'b.csv', 'h2', 'b2', 1, 'x', 'usage', 'committed', 't', 'x', 'x');
  `);
  const insert = db.prepare(`
    INSERT INTO usage_records (import_id, line, row_key, provider, account_id, workload_id, charge_category, period_start, day, currency,
                               pricing_currency, billed_cost_micros, pricing_currency_cost_micros)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'USD', ?, ?, ?)`);
  let n = 0;
  const row = (imp: number, provider: string, account: number | null, workload: number | null, category: string, day: string, pc: string | null, billed: number | null, pricing: number | null) =>
    insert.run(imp, ++n, n, provider, account, workload, category, `${day}T00:00:00Z`, day, pc, billed, pricing);
  row(1, 'openai', 1, 1, 'usage', '2026-01-01', null, 1_000_000, null);
  row(1, 'openai', 1, 1, 'usage', '2026-01-01', null, 2_500_000, null);
  row(1, 'openai', 1, null, 'usage', '2026-01-01', null, 700_000, null);
  row(1, 'openai', 1, 2, 'credit', '2026-01-02', null, -300_000, null);
  row(2, 'anthropic', 2, 2, 'usage', '2026-01-02', 'Credit', 4_000_000, 4_000);
  row(2, 'anthropic', 2, 2, 'usage', '2026-01-02', 'Credit', null, 1_000);
  row(2, 'anthropic', null, null, 'tax', '2026-01-03', null, 120_000, null);
  row(2, 'openai', 1, 2, 'usage', '2026-01-03', null, null, null);
}

describe('migration 2: usage_daily', () => {
  it('backfills the aggregate from the rows a v1 database already holds', () => {
    const db = openDatabase(v1File(true));
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT count(*) AS n FROM usage_daily').get()).toEqual({ n: 6 });
    expectExact(db);
    db.close();
  });

  it('stays exact through inserts, re-attribution, a deleted workload, an undone import and a rebuild', () => {
    const db = openDatabase(v1File(false));
    seedV1(db); // through the triggers this time
    expectExact(db);
    db.prepare('UPDATE usage_records SET workload_id = 2 WHERE workload_id IS NULL AND account_id = 1').run(); // a new rule attributes them
    expectExact(db);
    db.prepare("UPDATE usage_records SET billed_cost_micros = billed_cost_micros + 1, day = '2026-01-05' WHERE id = 1").run();
    expectExact(db);
    db.prepare('UPDATE usage_records SET workload_id = workload_id').run(); // no change: no work, still exact
    expectExact(db);
    db.prepare('DELETE FROM workloads WHERE id = 1').run(); // ON DELETE SET NULL re-attributes to "unattributed"
    expectExact(db);
    db.prepare('DELETE FROM imports WHERE id = 2').run(); // ON DELETE CASCADE removes its rows
    expectExact(db);
    expect(db.prepare("SELECT count(*) AS n FROM usage_daily WHERE provider = 'anthropic'").get()).toEqual({ n: 0 });
    db.transaction(() => db.exec(REBUILD_USAGE_DAILY))();
    expectExact(db);
    db.prepare('DELETE FROM usage_records').run();
    expect(db.prepare('SELECT count(*) AS n FROM usage_daily').get()).toEqual({ n: 0 });
    db.close();
  });

  it('merges a bulk import written with the insert trigger off in one statement', () => {
    const db = openDatabase(v1File(false));
    seedV1(db);
    db.transaction(() => {
      const trigger = (db.prepare("SELECT sql FROM sqlite_master WHERE name = 'usage_daily_insert'").get() as { sql: string }).sql;
      db.exec('DROP TRIGGER usage_daily_insert');
      db.exec(`
        INSERT INTO imports (id, file_name, content_hash, byte_hash, byte_size, format, kind, status, run_by, started_at, finished_at)
        VALUES (3, 'c.csv', 'h3', 'b3', 1, 'x', 'usage', 'committed', 't', 'x', 'x');
        INSERT INTO usage_records (import_id, line, row_key, provider, account_id, workload_id, charge_category, period_start, day, currency, billed_cost_micros) VALUES
          (3, 1, 101, 'openai', 1, 1, 'usage', '2026-01-01T00:00:00Z', '2026-01-01', 'USD', 5),
          (3, 2, 102, 'openai', 1, 1, 'usage', '2026-01-09T00:00:00Z', '2026-01-09', 'USD', 7),
          (3, 3, 103, 'openai', NULL, NULL, 'usage', '2026-01-09T00:00:00Z', '2026-01-09', 'USD', NULL);`);
      db.exec(trigger);
      db.prepare(MERGE_IMPORT_INTO_USAGE_DAILY).run(3);
    })();
    expectExact(db);
    db.close();
  });

  it('gives the dashboard the same spend and the ledger the same daily cost as the rows do', async () => {
    const engine = createEngine({ dbPath: tempDbPath(), mode: 'test' });
    await engine.invoke('demo-load', {});
    const db = engine.ctx.db;
    expectExact(db);
    const dash = await engine.invoke('dashboard-get', {});
    expect(dash.spend).toEqual(
      db.prepare('SELECT provider, currency, SUM(COALESCE(billed_cost_micros, 0)) AS billedCostMicros FROM usage_records GROUP BY provider, currency ORDER BY provider, currency').all(),
    );
    const daily = db
      .prepare(
        `SELECT day, account_id AS accountId, COALESCE(pricing_currency, currency) AS unit, workload_id AS workloadId,
                SUM(CASE WHEN pricing_currency IS NOT NULL THEN COALESCE(pricing_currency_cost_micros, 0) ELSE COALESCE(billed_cost_micros, 0) END) AS amountMicros
         FROM usage_records WHERE account_id IS NOT NULL AND charge_category IN ('usage','credit','adjustment')
         GROUP BY day, account_id, unit, workload_id ORDER BY day, account_id, unit, COALESCE(workload_id, 0)`,
      )
      .all();
    const { createLedgerRepo } = await import('../../electron/engine/repos/ledger');
    expect(createLedgerRepo(db).dailyCost()).toEqual(daily);
    engine.close();
  });
});

describe('burn-down decimation', () => {
  it('keeps every day up to 400 and at most 400 days beyond, always the first and the last', () => {
    expect(burnDays(3)).toEqual([0, 1, 2]);
    expect(burnDays(400)).toHaveLength(400);
    for (const n of [401, 735, 1100, 5000]) {
      const kept = burnDays(n);
      expect(kept.length).toBeLessThanOrEqual(400);
      expect(kept[0]).toBe(0);
      expect(kept.at(-1)).toBe(n - 1);
      expect(kept.every((k, i) => i === 0 || k > kept[i - 1])).toBe(true);
    }
  });

  it('sends the dashboard one decimated day list shared by every block', async () => {
    const engine = createEngine({ dbPath: tempDbPath(), mode: 'test' });
    await engine.invoke('demo-load', {});
    const dash = await engine.invoke('dashboard-get', {});
    for (const s of dash.burn) {
      expect(s.days.length).toBeLessThanOrEqual(400);
      expect(s.balanceMicros).toHaveLength(s.days.length);
      expect(s.days.at(-1)! >= dash.asOf!).toBe(true);
    }
    engine.close();
  });
});
