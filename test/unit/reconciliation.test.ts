import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/engine';
import type { Db } from '../../electron/engine/db/open';
import type { Reconciliation, ReconVariance } from '../../shared/api/report-types';
import { tempDbPath } from '../helpers';

/**
 * March 2026 of one OpenAI account, built so that every variance cause of shared/reconcile.ts
 * shows up once, with a known amount, through the reconciliation-get handler on a real database.
 */
const USD = 1_000_000;
const AT = '2026-04-02T09:00:00Z';

function seed(db: Db): { accountId: number } {
  const imp = db
    .prepare(`INSERT INTO imports (file_name, content_hash, byte_hash, byte_size, format, kind, status, run_by, started_at, finished_at) VALUES ('march.csv', 'h1', 'b1', 1, 'openai', 'usage', 'committed', 'test', ?, ?)`)
    .run(AT, AT).lastInsertRowid;
  const accountId = Number(db.prepare(`INSERT INTO credit_accounts (provider, external_id, name, currency, created_at) VALUES ('openai', 'org-test', 'OpenAI test org', 'USD', ?)`).run(AT).lastInsertRowid);
  let n = 0;
  const usage = db.prepare(`INSERT INTO usage_records (import_id, line, row_key, provider, account_id, charge_category, period_start, period_end, day, model_raw,
      input_tokens, output_tokens, cache_read_tokens, billed_cost_micros, billed_cost_text, currency)
    VALUES (?, ?, ?, 'openai', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const row = (day: string, model: string, billed: number, t: { input?: number; output?: number; cacheRead?: number }, currency = 'USD', category = 'usage') => {
    n += 1;
    usage.run(imp, n, n, accountId, category, `${day}T00:00:00Z`, `${day}T23:59:59Z`, day, model, t.input ?? 0, t.output ?? 0, t.cacheRead ?? 0, billed, String(billed / USD), currency);
  };
  row('2026-03-03', 'gpt-4o', 3.5 * USD, { input: 1_000_000, output: 100_000 }); // at catalog price
  row('2026-03-20', 'gpt-4o', 2.5 * USD, { input: 1_000_000 }); // old price after the cut on the 15th: +0.50, and no invoice covers the day
  row('2026-03-05', 'gpt-4o', 6 * USD, { cacheRead: 4_000_000 }); // catalog 4M × 1.25 = 5.00: +1.00 cached tokens
  row('2026-03-06', 'mystery-model-9000', 4 * USD, { input: 1_000_000 }); // not in the catalog: +4.00
  row('2026-03-07', 'gpt-4o', 2 * USD, { input: 1_000_000 }, 'EUR'); // another currency: catalog 2.50
  row('2026-03-22', 'gpt-4o', -1 * USD, {}, 'USD', 'credit'); // a usage credit
  // A price cut of gpt-4o recorded in the database's own catalog, effective mid-month.
  db.prepare(`INSERT INTO price_catalog (provider, model_id, input_per_mtok_micros, output_per_mtok_micros, cache_read_per_mtok_micros, effective_from, source) VALUES ('openai', 'gpt-4o', 2000000, 8000000, 1000000, '2026-03-15', 'test')`).run();

  const invoice = (num: string, currency: string, from: string, to: string) =>
    Number(db.prepare(`INSERT INTO invoices (invoice_number, account_id, currency, issued_on, period_start, period_end, created_at) VALUES (?, ?, ?, '2026-04-01', ?, ?, ?)`).run(num, accountId, currency, from, to, AT).lastInsertRowid);
  let l = 0;
  const line = (invoiceId: number, category: string, amount: number) => {
    l += 1;
    db.prepare(`INSERT INTO invoice_lines (invoice_id, line, row_key, category, amount_micros, amount_text) VALUES (?, ?, ?, ?, ?, ?)`).run(invoiceId, l, `l${l}`, category, amount, String(amount / USD));
  };
  const first = invoice('INV-03A', 'USD', '2026-03-01', '2026-03-15');
  line(first, 'usage', 13.5 * USD); // the three USD usage rows of 1–15 March
  line(first, 'credit', -2 * USD);
  line(first, 'purchase', 500 * USD); // no block for it
  line(first, 'purchase', 1000 * USD); // block B1
  line(first, 'purchase', -50 * USD); // a refund
  line(invoice('INV-03B', 'USD', '2026-03-25', '2026-03-31'), 'usage', 7 * USD); // days without any usage
  line(invoice('INV-03C', 'EUR', '2026-03-01', '2026-03-31'), 'usage', 3 * USD);

  const block = (name: string, unit: string, amount: number, on: string) =>
    db.prepare(`INSERT INTO credit_blocks (account_id, name, kind, unit, amount_micros, purchased_on, source, created_at) VALUES (?, ?, 'purchased', ?, ?, ?, 'manual', ?)`).run(accountId, name, unit, amount, on, AT);
  block('B1', 'USD', 1000 * USD, '2026-03-02');
  block('B2 (no purchase)', 'USD', 300 * USD, '2026-03-10');
  block('B3 in euros', 'EUR', 200 * USD, '2026-03-12');
  return { accountId };
}

const causes = (v: ReconVariance) => Object.fromEntries(v.causes.map((c) => [c.cause, c.amountMicros / USD]));

describe('reconciliation-get on constructed data', () => {
  let engine: Engine;
  let r: Reconciliation;
  let accountId: number;
  const find = (c: ReconVariance['comparison']) => r.variances.find((v) => v.comparison === c)!;

  beforeAll(async () => {
    engine = createEngine({ dbPath: tempDbPath(), mode: 'test' });
    ({ accountId } = seed(engine.ctx.db));
    r = await engine.invoke('reconciliation-get', { from: '2026-03-10', to: '2026-03-20' });
  });
  afterAll(() => engine.close());

  it('covers whole months and sums each side per period and account', () => {
    expect([r.from, r.to, r.periods]).toEqual(['2026-03-01', '2026-03-31', ['2026-03']]);
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]).toMatchObject({
      period: '2026-03', accountId, accountName: 'OpenAI test org', currency: 'USD', currencies: ['EUR', 'USD'],
      creditsBoughtMicros: 1450 * USD, blocksRecordedMicros: 1500 * USD, consumedMicros: 17 * USD, invoicedMicros: 21.5 * USD,
      usageBilledMicros: 18 * USD, catalogCostMicros: 13 * USD, unpricedRows: 1, reconciled: false, signoff: null,
    });
    expect(r.totals).toEqual([{ currency: 'USD', creditsBoughtMicros: 1450 * USD, blocksRecordedMicros: 1500 * USD, consumedMicros: 17 * USD, invoicedMicros: 21.5 * USD, catalogCostMicros: 13 * USD, usageBilledMicros: 18 * USD }]);
  });

  it('credits bought vs blocks: purchase without block, block without purchase, refund, currency', () => {
    const v = find('credits');
    expect(v.varianceMicros).toBe(50 * USD);
    expect(causes(v)).toEqual({ currency: 200, 'credits-or-refunds': 50, 'purchase-without-block': -500, 'block-without-purchase': 300 });
    expect(v.unexplainedMicros).toBe(0);
    expect(v.withinTolerance).toBe(false);
  });

  it('consumed vs invoiced: usage with no invoice, invoice with no usage, credits, currency', () => {
    const v = find('invoice');
    expect(v.varianceMicros).toBe(4.5 * USD);
    expect(causes(v)).toEqual({ currency: 1, 'credits-or-refunds': -1, 'usage-without-invoice': -2.5, 'invoice-without-usage': 7 });
    expect(v.unexplainedMicros).toBe(0);
  });

  it('billed vs catalog: unknown model, cached-token pricing, price change, currency', () => {
    const v = find('catalog');
    expect(v.varianceMicros).toBe(5 * USD);
    expect(causes(v)).toEqual({ currency: -0.5, 'unknown-model': 4, 'cached-token-pricing': 1, 'price-change': 0.5 });
    expect(v.unexplainedMicros).toBe(0);
    expect(v.causes.find((c) => c.cause === 'unknown-model')!.explanation).toMatch(/mystery-model-9000/);
  });

  it('filters by account and refuses an unknown one', async () => {
    const other = await engine.invoke('reconciliation-get', { from: '2026-03-01', to: '2026-03-31', accountId });
    expect(other.rows).toHaveLength(1);
    await expect(engine.invoke('reconciliation-get', { from: '2026-03-01', to: '2026-03-31', accountId: 999 })).rejects.toThrow(/Credit account 999 was not found/);
    await expect(engine.invoke('reconciliation-get', { from: '2026-04-01', to: '2026-03-01' })).rejects.toThrow(/from must not be after to/);
  });

  it('signs a period off by the signed-in profile, logs it, feeds the row, and refuses a second sign-off', async () => {
    await expect(engine.invoke('reconciliation-signoff', { accountId, period: '2026-03' })).rejects.toThrow(/Select your profile/);
    const p = await engine.invoke('profile-create', { name: 'Ada Analyst', role: 'analyst' });
    await engine.invoke('profile-select', { id: p.id });
    const s = await engine.invoke('reconciliation-signoff', { accountId, period: '2026-03', note: 'variances explained, see causes' });
    expect(s).toMatchObject({ accountId, period: '2026-03', signedBy: 'Ada Analyst', note: 'variances explained, see causes' });
    const again = await engine.invoke('reconciliation-get', { from: '2026-03-01', to: '2026-03-31' });
    expect(again.rows[0].signoff).toMatchObject({ by: 'Ada Analyst', note: 'variances explained, see causes' });
    await expect(engine.invoke('reconciliation-signoff', { accountId, period: '2026-03' })).rejects.toThrow(/already signed off by Ada Analyst/);
    const audit = await engine.invoke('audit-list', {});
    expect(audit.filter((e) => e.action === 'reconciliation-signoff')).toEqual([expect.objectContaining({ actor: 'Ada Analyst', entityId: `${accountId}:2026-03` })]);
    expect(await engine.invoke('signoffs-list', {})).toHaveLength(1);
  });
});

describe('value metrics', () => {
  it('are entered per workload and month (logged), and show cost per unit and cost outgrowing value', async () => {
    const engine = createEngine({ dbPath: tempDbPath(), mode: 'test' });
    try {
      const db = engine.ctx.db;
      const imp = db.prepare(`INSERT INTO imports (file_name, content_hash, byte_hash, byte_size, format, kind, status, run_by, started_at, finished_at) VALUES ('u.csv', 'h', 'b', 1, 'openai', 'usage', 'committed', 't', ?, ?)`).run(AT, AT).lastInsertRowid;
      const w = await engine.invoke('workload-create', { department: 'Support', application: 'Helpdesk', agent: 'triage' });
      const cost = { '2026-01': 100, '2026-02': 150, '2026-03': 225 };
      Object.entries(cost).forEach(([period, usd], i) =>
        db.prepare(`INSERT INTO usage_records (import_id, line, row_key, provider, workload_id, charge_category, period_start, day, billed_cost_micros, currency) VALUES (?, ?, ?, 'openai', ?, 'usage', ?, ?, ?, 'USD')`)
          .run(imp, i + 1, i + 1, w.id, `${period}-10T00:00:00Z`, `${period}-10`, usd * USD),
      );
      for (const [period, units] of [['2026-01', 1000], ['2026-02', 1050], ['2026-03', 1100]] as const) {
        await engine.invoke('value-metric-set', { workloadId: w.id, period, metric: 'tickets_resolved', units, valuePerUnitMicros: 500_000 });
      }
      // re-entering a month replaces it
      const e = await engine.invoke('value-metric-set', { workloadId: w.id, period: '2026-03', metric: 'tickets_resolved', units: 1100, valuePerUnitMicros: 500_000 });
      expect(e).toMatchObject({ workloadPath: 'Support › Helpdesk › triage', units: 1100 });
      expect(await engine.invoke('value-metrics-list', { workloadId: w.id })).toHaveLength(3);
      const v = await engine.invoke('value-report', { from: '2026-01-01', to: '2026-03-31' });
      expect(v.rows.map((r) => [r.period, r.costMicros, r.valueMicros, r.costPerUnitMicros])).toEqual([
        ['2026-01', 100 * USD, 500 * USD, 100_000],
        ['2026-02', 150 * USD, 525 * USD, 142_857],
        ['2026-03', 225 * USD, 550 * USD, 204_545],
      ]);
      expect(v.outgrowing).toHaveLength(1);
      expect(v.outgrowing[0].explanation).toMatch(/^Support › Helpdesk › triage \(tickets_resolved\): cost 50\.0 %\/month/);
      const audit = (await engine.invoke('audit-list', {})).filter((x) => x.action === 'value-metric-set');
      expect(audit).toHaveLength(4);
      expect(audit[3].details).toMatchObject({ previous: { units: 1100, valuePerUnitMicros: 500_000 } });
      await expect(engine.invoke('value-metric-set', { workloadId: 999, period: '2026-03', metric: 'x', units: 1, valuePerUnitMicros: 1 })).rejects.toThrow(/Workload 999/);
    } finally {
      engine.close();
    }
  });
});
