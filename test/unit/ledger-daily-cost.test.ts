import { describe, it, expect, afterAll } from 'vitest';
import { createEngine } from '../../electron/engine/engine';
import { createLedgerRepo, unpackDays, type DailyCostRow } from '../../electron/engine/repos/ledger';
import { tempDbPath } from '../helpers';

/**
 * The ledger's daily cost is read from usage_daily in its key order without grouping in SQL; a
 * (day, account, unit, workload) group whose usage spans several providers, categories or
 * currencies comes as several neighbouring rows, summed in JavaScript. Checked against the groups
 * summed row by row from usage_records.
 */
describe('daily cost per day, account, unit and workload', () => {
  const e = createEngine({ dbPath: tempDbPath(), mode: 'test' });
  afterAll(() => e.close());
  const db = e.ctx.db;

  type Raw = { day: string; account: number; currency: string; pricing: string | null; workload: number | null; billed: number | null; priced: number | null };
  function expected(): DailyCostRow[] {
    const raws = db
      .prepare(
        `SELECT day, account_id AS account, currency, pricing_currency AS pricing, workload_id AS workload, billed_cost_micros AS billed,
                pricing_currency_cost_micros AS priced
         FROM usage_records WHERE account_id IS NOT NULL AND charge_category IN ('usage', 'credit', 'adjustment')`,
      )
      .all() as Raw[];
    const groups = new Map<string, DailyCostRow>();
    for (const r of raws) {
      const unit = r.pricing ?? r.currency;
      const k = JSON.stringify([r.day, r.account, unit, r.workload]);
      const g = groups.get(k) ?? { day: r.day, accountId: r.account, unit, workloadId: r.workload, amountMicros: 0 };
      g.amountMicros += (r.pricing ? r.priced : r.billed) ?? 0;
      groups.set(k, g);
    }
    const cmp = (a: DailyCostRow, b: DailyCostRow) =>
      a.day.localeCompare(b.day) || a.accountId - b.accountId || a.unit.localeCompare(b.unit) || (a.workloadId ?? -1) - (b.workloadId ?? -1);
    return [...groups.values()].sort(cmp);
  }

  it('equals the groups summed from usage_records, with groups spread over categories and providers', async () => {
    await e.invoke('demo-load', {});
    // a group of the demo gets a credit row and a row from another provider: three usage_daily rows, one group
    const base = db.prepare("SELECT id, day, account_id AS account, workload_id AS workload FROM usage_records WHERE charge_category = 'usage' AND workload_id IS NOT NULL ORDER BY id LIMIT 1").get() as { id: number; day: string; account: number; workload: number };
    const copy = db.prepare(
      `INSERT INTO usage_records (import_id, line, row_key, row_check, provider, account_id, workload_id, day, period_start, charge_category, currency, billed_cost_micros)
       SELECT import_id, line, (SELECT max(row_key) FROM usage_records) + 1, row_check, ?, account_id, workload_id, day, period_start, ?, currency, ? FROM usage_records WHERE id = ?`,
    );
    copy.run('zz-other-provider', 'usage', 4_000_000, base.id);
    copy.run('openai', 'credit', -1_500_000, base.id);
    const spread = db.prepare('SELECT count(*) FROM usage_daily WHERE day = ? AND account_key = ? AND workload_key = ?').pluck().get(base.day, base.account, base.workload) as number;
    expect(spread).toBeGreaterThanOrEqual(3);
    const got = createLedgerRepo(db).dailyCost();
    expect(got).toEqual(expected());
    expect(got.filter((g) => g.day === base.day && g.accountId === base.account && g.workloadId === base.workload)).toHaveLength(1);
  });

  it('sorts a day whose rows arrive out of order before summing neighbours', () => {
    const day = '2026-01-05';
    const rows = [
      [2, 'USD', 7, 100],
      [1, 'USD', null, 5],
      [2, 'USD', 7, 20],
      [1, 'TOK', 3, 1],
      [1, 'USD', null, 6],
    ];
    expect(unpackDays([{ day, groups: JSON.stringify(rows) }])).toEqual([
      { day, accountId: 1, unit: 'TOK', workloadId: 3, amountMicros: 1 },
      { day, accountId: 1, unit: 'USD', workloadId: null, amountMicros: 11 },
      { day, accountId: 2, unit: 'USD', workloadId: 7, amountMicros: 120 },
    ]);
  });
});
