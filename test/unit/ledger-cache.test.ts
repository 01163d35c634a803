import { describe, it, expect, afterAll } from 'vitest';
import Database from 'better-sqlite3';
import { openDatabase } from '../../electron/engine/db/open';
import { createEngine } from '../../electron/engine/engine';
import { computeLedger } from '../../electron/engine/services/ledger';
import { readStats } from '../../electron/engine/repos/stats';
import { usageState } from '../../electron/engine/db/changes';
import { untilUsageChanged } from '../../electron/engine/services/data-cache';
import { createLedgerRepo } from '../../electron/engine/repos/ledger';
import { buildDashboard } from '../../electron/engine/services/dashboard';
import { tempDbPath } from '../helpers';

/**
 * computeLedger keeps its last snapshot per connection until the data changes. These tests
 * change the data every way the app does (its own writes, another connection's, a rolled-back
 * transaction) and check that a stale snapshot is never returned.
 */
describe('ledger snapshot cache', () => {
  const dbPath = tempDbPath();
  const engine = createEngine({ dbPath, mode: 'test' });
  const ready = engine.invoke('demo-load', {});
  const db = openDatabase(dbPath);
  afterAll(() => db.close());

  const consumed = (snap: ReturnType<typeof computeLedger>) => snap.result.blocks.reduce((s, b) => s + b.consumedMicros, 0);
  const firstBlockAmount = () => db.prepare('SELECT amount_micros FROM credit_blocks ORDER BY id LIMIT 1').pluck().get() as number;

  it('returns the same snapshot while nothing changes, and a frozen one', async () => {
    await ready;
    const a = computeLedger(db);
    const b = computeLedger(db);
    expect(b).toBe(a);
    expect(() => (a.result.draws as unknown[]).push({})).toThrow(TypeError);
    expect(computeLedger(db, a.asOf!)).not.toBe(a); // another as-of day is another snapshot
  });

  it('recomputes after a write on the same connection', async () => {
    await ready;
    const before = computeLedger(db);
    const amount = firstBlockAmount();
    db.prepare('UPDATE credit_blocks SET amount_micros = amount_micros + 1000000 WHERE id = (SELECT min(id) FROM credit_blocks)').run();
    const after = computeLedger(db);
    expect(after).not.toBe(before);
    expect(after.blockRows[0].amountMicros).toBe(amount + 1_000_000);
  });

  it('recomputes after another connection commits (an import worker has its own)', async () => {
    await ready;
    const before = computeLedger(db);
    const other = new Database(dbPath);
    other.prepare("UPDATE usage_records SET billed_cost_micros = billed_cost_micros + 5000000 WHERE id = (SELECT min(id) FROM usage_records WHERE charge_category = 'usage' AND account_id IS NOT NULL AND day <= ?)").run(before.asOf);
    other.close();
    const after = computeLedger(db);
    expect(after).not.toBe(before);
    expect(consumed(after) + after.result.overage.reduce((s, o) => s + o.amountMicros, 0)).toBe(
      consumed(before) + before.result.overage.reduce((s, o) => s + o.amountMicros, 0) + 5_000_000,
    );
  });

  it('neither keeps nor reuses a snapshot inside a transaction that rolls back', async () => {
    await ready;
    const committed = computeLedger(db);
    const amount = firstBlockAmount();
    try {
      db.transaction(() => {
        db.prepare('UPDATE credit_blocks SET amount_micros = 1 WHERE id = (SELECT min(id) FROM credit_blocks)').run();
        expect(computeLedger(db).blockRows[0].amountMicros).toBe(1);
        throw new Error('roll back');
      })();
    } catch {
      // rolled back on purpose
    }
    const after = computeLedger(db);
    expect(after.blockRows[0].amountMicros).toBe(amount);
    expect(after.result.blocks).toEqual(committed.result.blocks);
  });

  it('keeping a derived result (analysis_cache) does not count as a change of the data', async () => {
    await ready;
    readStats(db);
    const a = computeLedger(db);
    expect(db.prepare('DELETE FROM analysis_cache').run().changes).toBeGreaterThan(0);
    const b = computeLedger(db); // the delete was a change
    expect(b).not.toBe(a);
    readStats(db); // recomputes and saves the stats groups: a write, of derived data only
    expect(db.prepare('SELECT count(*) FROM analysis_cache').pluck().get()).toBeGreaterThan(0);
    expect(computeLedger(db)).toBe(b);
  });

  it('keeps results over usage rows across other writes, and only those', async () => {
    await ready;
    let computed = 0;
    const usageSum = () =>
      untilUsageChanged(db, 'test:usage-sum', () => {
        computed++;
        return db.prepare('SELECT total(billed_cost_micros) FROM usage_records').pluck().get() as number;
      });
    const sum = usageSum();
    expect(usageSum()).toBe(sum);
    const version = usageState(db);

    // writes to other tables: kept
    db.prepare('UPDATE credit_blocks SET amount_micros = amount_micros + 1 WHERE id = (SELECT min(id) FROM credit_blocks)').run();
    db.prepare('UPDATE credit_accounts SET name = name || ? WHERE id = (SELECT min(id) FROM credit_accounts)').run('');
    expect(usageSum()).toBe(sum);
    expect(computed).toBe(1);
    expect(usageState(db)).toEqual(version);

    // a usage row inserted, changed in place, deleted, each by another connection: read again each time
    const other = new Database(dbPath);
    const id = Number(
      other
        .prepare(
          `INSERT INTO usage_records (import_id, line, row_key, row_check, provider, day, period_start, charge_category, currency, billed_cost_micros)
           SELECT import_id, line, row_key + 1, row_check, provider, day, period_start, charge_category, currency, 7000000 FROM usage_records WHERE id = (SELECT max(id) FROM usage_records)`,
        )
        .run().lastInsertRowid,
    );
    expect(usageSum()).toBe(sum + 7_000_000);
    other.prepare('UPDATE usage_records SET billed_cost_micros = 9000000 WHERE id = ?').run(id);
    expect(usageSum()).toBe(sum + 9_000_000);
    other.prepare('DELETE FROM usage_records WHERE id = ?').run(id);
    other.close();
    expect(usageSum()).toBe(sum);
    expect(computed).toBe(4);
    // the deleted row's id is given again: the deletion moved the version, so no older result matches
    expect(usageState(db).generation).toBeGreaterThan(version.generation);

    // inside a transaction that rolls back: computed, not kept; the committed result is still the one kept
    try {
      db.transaction(() => {
        db.prepare('UPDATE usage_records SET billed_cost_micros = billed_cost_micros + 1 WHERE id = (SELECT min(id) FROM usage_records)').run();
        expect(usageSum()).toBe(sum + 1);
        throw new Error('roll back');
      })();
    } catch {
      // rolled back on purpose
    }
    expect(usageSum()).toBe(sum);
    expect(computed).toBe(5);
  });

  it('after rows are only added, brings a kept result up to date from the new rows; anything else, in full', async () => {
    await ready;
    const calls: string[] = [];
    const read = () =>
      untilUsageChanged(
        db,
        'test:append',
        () => (calls.push('full'), usageState(db).maxId),
        // the kept value plus the rows added since: equal to max(id) only if append is given the right ones
        (kept, afterId) => (calls.push(`append after ${afterId}`), kept + (db.prepare('SELECT count(*) FROM usage_records WHERE id > ?').pluck().get(afterId) as number)),
      );
    const first = read();
    const other = new Database(dbPath);
    const copy = other.prepare(
      `INSERT INTO usage_records (import_id, line, row_key, row_check, provider, account_id, workload_id, day, period_start, charge_category, currency, billed_cost_micros)
       SELECT import_id, line, (SELECT max(row_key) FROM usage_records) + 1, row_check, provider, account_id, workload_id, ?, ? || 'T00:00:00Z', 'usage', currency, ?
       FROM usage_records WHERE account_id IS NOT NULL AND charge_category = 'usage' ORDER BY id LIMIT 1`,
    );
    copy.run('2026-10-02', '2026-10-02', 1_000_000);
    expect(read()).toBe(first + 1);
    copy.run('2026-10-03', '2026-10-03', 2_000_000);
    expect(read()).toBe(first + 2);
    other.prepare('UPDATE usage_records SET billed_cost_micros = 3000000 WHERE id = ?').run(first + 2);
    expect(read()).toBe(first + 2);
    other.close();
    expect(calls).toEqual(['full', `append after ${first}`, `append after ${first + 1}`, 'full']);
  });

  it('the daily cost and the spend by provider after an import equal reading them again in full', async () => {
    await ready;
    const repo = createLedgerRepo(db);
    const kept = repo.dailyCost();
    const keptText = JSON.stringify(kept);
    const spend = buildDashboard(engine.ctx).spend;
    const afterId = usageState(db).maxId;
    const days = [...new Set(kept.map((r) => r.day))];
    const other = new Database(dbPath);
    const copy = other.prepare(
      `INSERT INTO usage_records (import_id, line, row_key, row_check, provider, account_id, workload_id, day, period_start, charge_category, currency, billed_cost_micros)
       SELECT import_id, line, (SELECT max(row_key) FROM usage_records) + 1, row_check, ?, account_id, ?, ?, ? || 'T00:00:00Z', 'usage', currency, ?
       FROM usage_records WHERE account_id IS NOT NULL AND charge_category = 'usage' ORDER BY id LIMIT 1`,
    );
    // a day that has groups (a new workload group, and more on an existing one), a day before all, one after all, one between
    copy.run('openai', null, days[10], days[10], 1_500_000);
    copy.run('a-new-provider', null, days[10], days[10], 2_500_000);
    copy.run('openai', null, '2020-01-01', '2020-01-01', 700_000);
    copy.run('openai', null, '2030-01-01', '2030-01-01', 800_000);
    const gap = days.find((d, i) => i > 0 && days[i - 1] < d && Date.parse(d) - Date.parse(days[i - 1]) > 86_400_000);
    if (gap) copy.run('openai', null, new Date(Date.parse(gap) - 86_400_000).toISOString().slice(0, 10), new Date(Date.parse(gap) - 86_400_000).toISOString().slice(0, 10), 900_000);
    other.close();
    const appended = repo.dailyCostAfter(kept, afterId);
    expect(appended).toEqual(repo.dailyCost());
    expect(appended.length).toBeGreaterThan(kept.length);
    expect(JSON.stringify(kept)).toBe(keptText); // the kept array is not changed
    const after = buildDashboard(engine.ctx).spend;
    expect(after).not.toEqual(spend);
    expect(after).toEqual(db.prepare('SELECT provider, currency, SUM(billed_micros) AS billedCostMicros FROM usage_daily GROUP BY provider, currency ORDER BY provider, currency').all());
    expect(after.find((s) => s.provider === 'a-new-provider')?.billedCostMicros).toBe(2_500_000);
  });

  it('keeps results over billed costs alone across re-attribution, not across a change of a cost or a deletion', async () => {
    await ready;
    let computed = 0;
    const billed = () =>
      untilUsageChanged(
        db,
        'test:billed',
        () => (computed++, db.prepare('SELECT total(billed_cost_micros) FROM usage_records').pluck().get() as number),
        undefined,
        'billed',
      );
    const sum = billed();
    const id = db.prepare('SELECT max(id) FROM usage_records WHERE workload_id IS NOT NULL').pluck().get() as number;
    const workload = db.prepare('SELECT workload_id FROM usage_records WHERE id = ?').pluck().get(id) as number;
    const before = usageState(db);
    // rules re-attributing a row: the rows changed, the billed costs did not
    db.prepare('UPDATE usage_records SET workload_id = NULL WHERE id = ?').run(id);
    expect(usageState(db).generation).toBeGreaterThan(before.generation);
    expect(usageState(db).billed).toBe(before.billed);
    expect(billed()).toBe(sum);
    expect(computed).toBe(1);
    db.prepare('UPDATE usage_records SET workload_id = ? WHERE id = ?').run(workload, id);
    // a billed cost changed: read again
    db.prepare('UPDATE usage_records SET billed_cost_micros = billed_cost_micros + 1 WHERE id = ?').run(id);
    expect(billed()).toBe(sum + 1);
    db.prepare('UPDATE usage_records SET billed_cost_micros = billed_cost_micros - 1 WHERE id = ?').run(id);
    expect(billed()).toBe(sum);
    expect(computed).toBe(3);
    // the dashboard's spend, kept this way, still equals the sums after a re-attribution
    const spend = () => db.prepare('SELECT provider, currency, SUM(billed_micros) AS billedCostMicros FROM usage_daily GROUP BY provider, currency ORDER BY provider, currency').all();
    buildDashboard(engine.ctx);
    engine.ctx.db.prepare('UPDATE usage_records SET workload_id = NULL WHERE id = ?').run(id);
    expect(buildDashboard(engine.ctx).spend).toEqual(spend());
    engine.ctx.db.prepare('DELETE FROM usage_records WHERE id = ?').run(id);
    expect(buildDashboard(engine.ctx).spend).toEqual(spend());
  });
});
