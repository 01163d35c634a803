import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { openDatabase, type Db } from '../../electron/engine/db/open';
import { generateDemo, DEMO_END } from '../../electron/engine/demo/generate';
import { attribute } from '../../electron/engine/demo/rules';
import type { DemoRule } from '../../electron/engine/demo/org';
import { addDays, daysBetween } from '../../shared/dates';
import { parseMicros } from '../../shared/money';
import { tempDbPath } from '../helpers';

const tableHash = (db: Db, table: string) =>
  createHash('sha256').update(JSON.stringify(db.prepare(`SELECT * FROM ${table} ORDER BY id`).raw().all())).digest('hex');

const one = <T>(db: Db, sql: string, ...args: unknown[]) => db.prepare(sql).get(...args) as T;
const num = (db: Db, sql: string, ...args: unknown[]) => Number(Object.values(db.prepare(sql).get(...args) as object)[0] ?? 0);

describe('demo organisation', () => {
  let db: Db;
  let result: ReturnType<typeof generateDemo>;
  let ms = 0;

  beforeAll(() => {
    db = openDatabase(tempDbPath());
    const t0 = performance.now();
    result = generateDemo(db);
    ms = performance.now() - t0;
  });
  afterAll(() => db.close());

  it('is generated well under two seconds and reports what it wrote', () => {
    expect(ms).toBeLessThan(2000);
    expect(result.workloads).toBe(12);
    expect(result.usageRows).toBe(num(db, 'SELECT count(*) FROM usage_records'));
    expect(num(db, 'SELECT count(*) FROM usage_records WHERE import_id = ?', result.importId)).toBe(result.usageRows);
    const imp = one<{ format: string; status: string; run_by: string; content_hash: string; rows_imported: number }>(db, 'SELECT * FROM imports WHERE id = ?', result.importId);
    expect(imp).toMatchObject({ format: 'demo', status: 'committed', run_by: 'demo', content_hash: 'demo-42', rows_imported: result.usageRows });
  });

  it('gives the same seed byte-identical data, and another seed other usage', () => {
    const again = openDatabase(tempDbPath());
    const other = openDatabase(tempDbPath());
    try {
      generateDemo(again, { seed: 42 });
      generateDemo(other, { seed: 7 });
      for (const t of ['usage_records', 'credit_blocks', 'workloads', 'attribution_rules', 'thresholds', 'topup_requests', 'value_metrics', 'incidents']) {
        expect(tableHash(again, t), t).toBe(tableHash(db, t));
      }
      expect(tableHash(other, 'usage_records')).not.toBe(tableHash(db, 'usage_records'));
    } finally {
      again.close();
      other.close();
    }
  });

  it('has 4 departments, 12 workloads, 6 owners of record and one workload without an owner', () => {
    expect(num(db, 'SELECT count(DISTINCT department) FROM workloads')).toBe(4);
    expect(num(db, 'SELECT count(*) FROM workloads')).toBe(12);
    expect(num(db, 'SELECT count(DISTINCT owner_name) FROM workloads')).toBe(6);
    expect(num(db, 'SELECT count(*) FROM workloads WHERE owner_name IS NULL')).toBe(1);
    expect(num(db, 'SELECT count(*) FROM workloads WHERE critical = 1')).toBe(2);
    const owners = db.prepare('SELECT DISTINCT owner_name FROM workloads WHERE owner_name IS NOT NULL').pluck().all() as string[];
    const profiles = db.prepare('SELECT name FROM profiles').pluck().all() as string[];
    expect(owners.every((o) => profiles.includes(o))).toBe(true);
    const current = one<{ value: string }>(db, "SELECT value FROM settings WHERE key = 'current_profile'");
    expect(one<{ role: string }>(db, 'SELECT role FROM profiles WHERE id = ?', Number(current.value)).role).toBe('analyst');
  });

  it('attributes every row exactly as the stored rules say', () => {
    const rules = (db.prepare('SELECT r.*, w.id AS wid FROM attribution_rules r JOIN workloads w ON w.id = r.workload_id ORDER BY r.id').all() as Record<string, unknown>[]).map(
      (r): DemoRule => {
        const opt = (v: unknown) => (v === null ? undefined : (v as string));
        return {
          workload: String(r.wid), priority: r.priority as number, provider: r.provider as string, projectPattern: opt(r.project_pattern),
          apiKeyPattern: opt(r.api_key_pattern), tagKey: opt(r.tag_key), tagValuePattern: opt(r.tag_value_pattern), modelPattern: opt(r.model_pattern),
        };
      },
    );
    const rows = db.prepare('SELECT provider, sub_account_id, api_key, model_id, tags_json, workload_id FROM usage_records').all() as Record<string, string | number | null>[];
    const wrong = rows.filter((r) => {
      const w = attribute(rules, {
        provider: r.provider as string, subAccountId: r.sub_account_id as string, apiKey: r.api_key as string, modelId: r.model_id as string,
        tags: r.tags_json === null ? null : JSON.parse(r.tags_json as string),
      });
      return (w === null ? null : Number(w)) !== r.workload_id;
    });
    expect(wrong).toEqual([]);
  });

  it('stores money as integers with the exact decimal text, and one workload bills cache writes above the catalog', () => {
    const bad = (db.prepare('SELECT billed_cost_micros AS m, billed_cost_text AS t FROM usage_records').all() as { m: number; t: string }[]).filter((r) => parseMicros(r.t) !== r.m);
    expect(bad).toEqual([]);
    const differ = db.prepare('SELECT DISTINCT workload_id FROM usage_records WHERE billed_cost_micros <> catalog_cost_micros').pluck().all();
    expect(differ).toHaveLength(1);
    expect(num(db, 'SELECT count(*) FROM usage_records WHERE billed_cost_micros <> catalog_cost_micros AND cache_write_tokens = 0')).toBe(0);
    expect(one<{ d: string }>(db, 'SELECT min(day) AS d FROM usage_records').d).toBe(addDays(DEMO_END, -364));
    expect(one<{ d: string }>(db, 'SELECT max(day) AS d FROM usage_records').d).toBe(DEMO_END);
  });

  it('has a block expiring within 30 days of DEMO_END with much of it unused', () => {
    const b = one<{ id: number; account_id: number; amount_micros: number; purchased_on: string; expires_on: string }>(
      db,
      'SELECT * FROM credit_blocks WHERE expires_on > ? AND expires_on <= ? ORDER BY expires_on LIMIT 1',
      DEMO_END,
      addDays(DEMO_END, 30),
    );
    expect(b).toBeDefined();
    // Even if every dollar the whole account spent since the grant came out of this block, over 30% is left.
    const accountSpend = num(db, 'SELECT sum(billed_cost_micros) FROM usage_records WHERE account_id = ? AND day >= ?', b.account_id, b.purchased_on);
    expect(b.amount_micros - accountSpend).toBeGreaterThan(0.3 * b.amount_micros);
    const alloc = one<{ workload_id: number }>(db, 'SELECT workload_id FROM allocations WHERE block_id = ?', b.id);
    const drawing = num(db, 'SELECT sum(billed_cost_micros) FROM usage_records WHERE workload_id = ? AND day >= ?', alloc.workload_id, b.purchased_on);
    expect(b.amount_micros).toBeGreaterThan(5 * drawing);
  });

  it('runs blocks dry: OpenAI before its second purchase, AWS into overage', () => {
    const second = one<{ purchased_on: string }>(db, "SELECT purchased_on FROM credit_blocks WHERE name = 'OpenAI prepaid 2026-02'");
    const boughtBefore = num(db, "SELECT sum(amount_micros) FROM credit_blocks b JOIN credit_accounts a ON a.id = b.account_id WHERE a.provider = 'openai' AND purchased_on < ?", second.purchased_on);
    const spentBefore = num(db, "SELECT sum(billed_cost_micros) FROM usage_records WHERE provider = 'openai' AND day < ?", addDays(second.purchased_on, 7));
    expect(spentBefore).toBeGreaterThan(boughtBefore);
    const awsBought = num(db, "SELECT sum(amount_micros) FROM credit_blocks b JOIN credit_accounts a ON a.id = b.account_id WHERE a.provider = 'aws'");
    expect(num(db, "SELECT sum(billed_cost_micros) FROM usage_records WHERE provider = 'aws'")).toBeGreaterThan(awsBought);
  });

  it('leaves 5–25% of the pooled account unattributed', () => {
    const pooled = one<{ id: number; provider: string }>(db, 'SELECT * FROM credit_accounts WHERE pooled = 1');
    expect(pooled.provider).toBe('openai');
    expect(num(db, 'SELECT count(*) FROM credit_accounts WHERE pooled = 1')).toBe(1);
    expect(num(db, 'SELECT count(*) FROM allocations l JOIN credit_blocks b ON b.id = l.block_id WHERE b.account_id = ?', pooled.id)).toBe(0);
    const total = num(db, 'SELECT sum(billed_cost_micros) FROM usage_records WHERE account_id = ?', pooled.id);
    const none = num(db, 'SELECT sum(billed_cost_micros) FROM usage_records WHERE account_id = ? AND workload_id IS NULL', pooled.id);
    expect(none / total).toBeGreaterThan(0.05);
    expect(none / total).toBeLessThan(0.25);
    expect(num(db, 'SELECT count(*) FROM usage_records WHERE workload_id IS NULL AND account_id <> ?', pooled.id)).toBe(0);
  });

  it('records the leaked-key incident hours after a spike far above the key baseline, with an auto-recharge that day', () => {
    const inc = one<{ id: number; started_at: string; detected_at: string; resolved_at: string; type: string }>(db, "SELECT * FROM incidents WHERE type = 'leaked-key'");
    const hours = (Date.parse(inc.detected_at) - Date.parse(inc.started_at)) / 3_600_000;
    expect(hours).toBeGreaterThanOrEqual(6);
    expect(Date.parse(inc.resolved_at)).toBeGreaterThan(Date.parse(inc.detected_at));
    const key = one<{ value: string }>(db, "SELECT value FROM incident_targets WHERE incident_id = ? AND kind = 'api_key'", inc.id).value;
    expect(num(db, "SELECT count(*) FROM incident_targets WHERE incident_id = ? AND kind IN ('workload','account')", inc.id)).toBe(2);
    const day = inc.started_at.slice(0, 10);
    const baselineDaily = num(db, 'SELECT sum(billed_cost_micros) FROM usage_records WHERE api_key = ? AND day >= ? AND day < ?', key, addDays(day, -28), day) / 28;
    const inWindow = num(db, 'SELECT sum(billed_cost_micros) FROM usage_records WHERE api_key = ? AND period_start >= ? AND period_start < ?', key, inc.started_at, inc.detected_at);
    expect(inWindow / hours).toBeGreaterThan(8 * (baselineDaily / 24));
    const newModel = db.prepare('SELECT DISTINCT model_id FROM usage_records WHERE api_key = ? AND day < ?').pluck().all(key, day) as string[];
    expect(newModel).not.toContain('gpt-4o');
    expect(num(db, "SELECT count(*) FROM usage_records WHERE api_key = ? AND model_id = 'gpt-4o' AND period_start >= ?", key, inc.started_at)).toBeGreaterThan(5);
    const probe = one<{ requests: number }>(db, "SELECT requests FROM usage_records WHERE api_key = ? AND model_id = 'gpt-4o' ORDER BY period_start LIMIT 1", key);
    expect(probe.requests).toBeLessThan(10);
    expect(num(db, "SELECT count(*) FROM credit_blocks WHERE name LIKE 'Auto-recharge%' AND purchased_on = ?", day)).toBe(1);
  });

  it('has a two-day spike of 3× or more on another key with no incident', () => {
    const rows = db.prepare(
      `SELECT api_key, day, sum(billed_cost_micros) AS c FROM usage_records WHERE day >= ? GROUP BY api_key, day ORDER BY api_key, day`,
    ).all(addDays(DEMO_END, -60)) as { api_key: string; day: string; c: number }[];
    const targeted = new Set(db.prepare("SELECT value FROM incident_targets WHERE kind = 'api_key'").pluck().all() as string[]);
    const spikes = rows.filter((r, i) => {
      const prior = rows.slice(Math.max(0, i - 14), i).filter((p) => p.api_key === r.api_key);
      if (prior.length < 14) return false;
      const max = Math.max(...prior.map((p) => p.c));
      return r.c > 2.5 * max;
    });
    const quiet = spikes.filter((s) => !targeted.has(s.api_key));
    expect(quiet.length).toBeGreaterThanOrEqual(1);
    expect(daysBetween(quiet[0].day, DEMO_END)).toBeGreaterThan(28);
    expect(daysBetween(quiet[0].day, DEMO_END)).toBeLessThan(45);
  });

  it('triples the Code Review Bot burn after its model swap', () => {
    const w = one<{ id: number }>(db, "SELECT id FROM workloads WHERE application = 'Code Review Bot'");
    const swap = one<{ d: string }>(db, "SELECT min(day) AS d FROM usage_records WHERE workload_id = ? AND model_id = 'claude-sonnet-4-5'", w.id).d;
    expect(daysBetween(swap, DEMO_END)).toBeGreaterThan(90);
    expect(num(db, "SELECT count(*) FROM usage_records WHERE workload_id = ? AND model_id = 'claude-haiku-4-5' AND day >= ?", w.id, swap)).toBe(0);
    const before = num(db, 'SELECT sum(billed_cost_micros) FROM usage_records WHERE workload_id = ? AND day >= ? AND day < ?', w.id, addDays(swap, -28), swap);
    const after = num(db, 'SELECT sum(billed_cost_micros) FROM usage_records WHERE workload_id = ? AND day >= ? AND day < ?', w.id, swap, addDays(swap, 28));
    expect(after).toBeGreaterThanOrEqual(2 * before);
  });

  it('has thresholds, top-up requests kept apart from their requesters, and value metrics', () => {
    const blocks = num(db, 'SELECT count(*) FROM credit_blocks');
    expect(num(db, "SELECT count(*) FROM thresholds WHERE scope_kind = 'block' AND kind = 'percent-consumed'")).toBe(4 * blocks);
    expect(num(db, "SELECT count(*) FROM thresholds WHERE kind = 'runway-days' AND scope_kind = 'account' AND value = 14")).toBe(3);
    expect(num(db, "SELECT count(*) FROM thresholds WHERE kind = 'expiring' AND value = 30 AND min_unused_micros = 1000000000")).toBe(3);
    expect(num(db, "SELECT count(*) FROM thresholds WHERE action = 'stop' AND safety_margin_days = 2 AND scope_kind = 'workload'")).toBe(1);
    expect(num(db, "SELECT count(*) FROM topup_requests WHERE status = 'pending'")).toBe(1);
    const approved = one<{ requester_id: number; decided_by: number; created_block_id: number }>(db, "SELECT * FROM topup_requests WHERE status = 'approved'");
    expect(approved.decided_by).not.toBe(approved.requester_id);
    expect(one<{ role: string }>(db, 'SELECT role FROM profiles WHERE id = ?', approved.decided_by).role).toBe('approver');
    expect(approved.created_block_id).toBeGreaterThan(0);
    expect(num(db, 'SELECT count(DISTINCT workload_id) FROM value_metrics')).toBeGreaterThanOrEqual(3);
    expect(num(db, 'SELECT count(*) FROM audit_log')).toBe(0);
  });

  it('nests inside a caller transaction and leaves nothing behind when the caller rolls back', () => {
    const fresh = openDatabase(tempDbPath());
    try {
      expect(() =>
        fresh.transaction(() => {
          generateDemo(fresh);
          throw new Error('caller failed');
        })(),
      ).toThrow('caller failed');
      expect(num(fresh, 'SELECT count(*) FROM usage_records')).toBe(0);
      expect(num(fresh, 'SELECT count(*) FROM credit_accounts')).toBe(0);
      expect(fresh.transaction(() => generateDemo(fresh))().usageRows).toBe(result.usageRows);
    } finally {
      fresh.close();
    }
  });

  it('refuses to run on a database that already has credits or usage', () => {
    expect(() => generateDemo(db)).toThrow(/empty database/);
    expect(num(db, 'SELECT count(*) FROM credit_accounts')).toBe(3);
  });
});

describe('demo organisation with other seeds', () => {
  it.each([1, 7, 2026])('keeps its story with seed %i', (seed) => {
    const db = openDatabase(tempDbPath());
    try {
      generateDemo(db, { seed });
      const pooled = num(db, 'SELECT id FROM credit_accounts WHERE pooled = 1');
      const share = num(db, 'SELECT sum(billed_cost_micros) FILTER (WHERE workload_id IS NULL) * 1.0 / sum(billed_cost_micros) FROM usage_records WHERE account_id = ?', pooled);
      expect(share).toBeGreaterThan(0.05);
      expect(share).toBeLessThan(0.25);
      const b = one<{ account_id: number; amount_micros: number; purchased_on: string }>(db, "SELECT * FROM credit_blocks WHERE name = 'Anthropic promotional credit 2026-09'");
      const spent = num(db, 'SELECT sum(billed_cost_micros) FROM usage_records WHERE account_id = ? AND day >= ?', b.account_id, b.purchased_on);
      expect(b.amount_micros - spent).toBeGreaterThan(0.3 * b.amount_micros);
      const aws = num(db, "SELECT id FROM credit_accounts WHERE provider = 'aws'");
      expect(num(db, 'SELECT sum(billed_cost_micros) FROM usage_records WHERE account_id = ?', aws)).toBeGreaterThan(num(db, 'SELECT sum(amount_micros) FROM credit_blocks WHERE account_id = ?', aws));
    } finally {
      db.close();
    }
  });
});
