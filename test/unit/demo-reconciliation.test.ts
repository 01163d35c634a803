import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { createEngine, type Engine } from '../../electron/engine/engine';
import { openDatabase, type Db } from '../../electron/engine/db/open';
import { generateDemo, DEMO_END, DEMO_START } from '../../electron/engine/demo/generate';
import type { Reconciliation, ReconVariance } from '../../shared/api/report-types';
import { tempDbPath } from '../helpers';

/**
 * The demo's invoices (electron/engine/demo/invoices.ts) reconciled through reconciliation-get
 * over the whole demo year. Every expected amount is read from the demo's own blocks and usage.
 */
describe('reconciliation of the demo organisation', () => {
  let engine: Engine;
  let db: Db;
  let r: Reconciliation;
  let provider: Map<number, string>;
  const open = DEMO_END.slice(0, 7);

  const num = (sql: string, ...args: unknown[]) => Number(Object.values(db.prepare(sql).get(...args) as object)[0] ?? 0);
  const accountOf = (p: string) => [...provider].find(([, v]) => v === p)![0];
  const variance = (period: string, p: string, comparison: ReconVariance['comparison']) =>
    r.variances.find((v) => v.period === period && v.accountId === accountOf(p) && v.comparison === comparison)!;
  const causes = (v: ReconVariance) => Object.fromEntries(v.causes.map((c) => [c.cause, c.amountMicros]));
  const consumed = (accountId: number, period: string) =>
    num("SELECT sum(billed_cost_micros) FROM usage_records WHERE account_id = ? AND substr(day, 1, 7) = ?", accountId, period);

  beforeAll(async () => {
    engine = createEngine({ dbPath: tempDbPath(), mode: 'test' });
    await engine.invoke('demo-load', {});
    db = engine.ctx.db;
    provider = new Map((db.prepare('SELECT id, provider FROM credit_accounts').all() as { id: number; provider: string }[]).map((a) => [a.id, a.provider]));
    r = await engine.invoke('reconciliation-get', { from: DEMO_START, to: DEMO_END });
  });
  afterAll(() => engine.close());

  it('reconciles most periods, and explains every variance beyond tolerance to the micro-unit', () => {
    expect(r.rows).toHaveLength(13 * 3);
    const reconciled = r.rows.filter((x) => x.reconciled).length;
    expect(reconciled).toBeGreaterThan(r.rows.length / 2);
    const out = r.variances.filter((v) => !v.withinTolerance);
    expect(out.filter((v) => v.unexplainedMicros !== 0)).toEqual([]);
    // the rest differ from the catalog by the rounding of a few micro-units at most
    expect(r.variances.filter((v) => v.withinTolerance && Math.abs(v.varianceMicros) > 100)).toEqual([]);
    expect([...new Set(out.flatMap((v) => v.causes.map((c) => c.cause)))].sort()).toEqual([
      'block-without-purchase', 'cached-token-pricing', 'credits-or-refunds', 'purchase-without-block', 'usage-without-invoice',
    ]);
  });

  it('marks a row explained when the causes found account for every variance beyond tolerance, reconciled when none is', () => {
    for (const x of r.rows) {
      const own = r.variances.filter((v) => v.period === x.period && v.accountId === x.accountId);
      const beyond = own.filter((v) => !v.withinTolerance);
      expect(x.status, `${x.period} ${x.accountName}`).toBe(beyond.length === 0 ? 'reconciled' : 'explained');
      expect(x.reconciled).toBe(x.status === 'reconciled');
    }
    expect(new Set(r.rows.map((x) => x.status))).toEqual(new Set(['reconciled', 'explained']));
  });

  it('marks a row variance when money is left that no cause accounts for', async () => {
    // an invoice line the demo's usage does not explain: $50 more billed for OpenAI in a reconciled month
    const row = r.rows.find((x) => x.status === 'reconciled' && provider.get(x.accountId) === 'openai')!;
    const invoice = db.prepare('SELECT id, import_id AS importId FROM invoices WHERE account_id = ? AND period_start LIKE ? LIMIT 1').get(row.accountId, `${row.period}%`) as { id: number; importId: number } | undefined;
    expect(invoice).toBeDefined();
    const line = db.prepare('SELECT * FROM invoice_lines WHERE invoice_id = ? LIMIT 1').get(invoice!.id) as Record<string, unknown>;
    const columns = Object.keys(line).filter((c) => c !== 'id');
    db.prepare(`INSERT INTO invoice_lines (${columns.join(', ')}) SELECT ${columns.map((c) => (c === 'amount_micros' ? '50000000' : c === 'row_key' ? "row_key || '-extra'" : c)).join(', ')} FROM invoice_lines WHERE id = ?`).run(line.id);
    try {
      const again = await engine.invoke('reconciliation-get', { from: `${row.period}-01`, to: `${row.period}-28` });
      const x = again.rows.find((y) => y.accountId === row.accountId && y.period === row.period)!;
      expect(x.status).toBe('variance');
      expect(again.variances.some((v) => v.accountId === row.accountId && !v.withinTolerance && Math.abs(v.unexplainedMicros) >= 50_000_000)).toBe(true);
    } finally {
      db.prepare('DELETE FROM invoice_lines WHERE id = (SELECT max(id) FROM invoice_lines)').run();
    }
  });

  it('invoices every closed month to the micro-unit of its usage, except the month of the leaked key’s credit note', () => {
    const off = r.rows.filter((x) => x.period < open && x.invoicedMicros !== x.consumedMicros);
    expect(off.map((x) => [x.period, provider.get(x.accountId)])).toEqual([['2026-09', 'openai']]);
    for (const x of r.rows) expect(x.consumedMicros, `${x.period} ${x.accountName}`).toBe(consumed(x.accountId, x.period));
    expect(r.variances.filter((v) => v.comparison === 'invoice' && v.period < open && !v.withinTolerance).map((v) => [v.period, provider.get(v.accountId)])).toEqual([['2026-09', 'openai']]);
  });

  it('credits the attacker’s gpt-4o usage during INC-2026-0412 on a credit note against the incident day', () => {
    const inc = db.prepare("SELECT id, started_at AS startedAt FROM incidents WHERE external_id = 'INC-2026-0412'").get() as { id: number; startedAt: string };
    const key = db.prepare("SELECT value FROM incident_targets WHERE incident_id = ? AND kind = 'api_key'").pluck().get(inc.id) as string;
    const attacker = num("SELECT sum(billed_cost_micros) FROM usage_records WHERE api_key = ? AND model_id = 'gpt-4o' AND day = ?", key, inc.startedAt.slice(0, 10));
    expect(attacker).toBeGreaterThan(300_000_000);
    const v = variance('2026-09', 'openai', 'invoice');
    expect(v.varianceMicros).toBe(-attacker);
    expect(causes(v)).toEqual({ 'credits-or-refunds': -attacker });
    expect(v.causes[0].explanation).toMatch(/invoice OAI-CN-2026-1009/);
  });

  it('pairs every purchased block with its purchase invoice; promotional grants and the private-offer discount are what is left', () => {
    const blocks = db.prepare('SELECT id, account_id AS accountId, kind, amount_micros AS amount, cost_basis_micros AS cost, purchased_on AS on_ FROM credit_blocks').all() as
      { id: number; accountId: number; kind: string; amount: number; cost: number; on_: string }[];
    const credits = r.variances.filter((v) => v.comparison === 'credits');
    for (const v of credits) {
      const mine = blocks.filter((b) => b.accountId === v.accountId && b.on_.startsWith(v.period));
      const promo = mine.filter((b) => b.kind === 'promotional');
      const discounted = mine.filter((b) => b.kind === 'purchased' && b.cost !== b.amount);
      const expected: Record<string, number> = {};
      const sum = (xs: number[]) => xs.reduce((a, x) => a + x, 0);
      if (promo.length + discounted.length) expected['block-without-purchase'] = sum([...promo, ...discounted].map((b) => b.amount));
      if (discounted.length) expected['purchase-without-block'] = -sum(discounted.map((b) => b.cost));
      expect(causes(v), `${v.period} ${v.accountName}`).toEqual(expected);
      expect(v.expectedMicros).toBe(sum(mine.filter((b) => b.kind === 'purchased').map((b) => b.cost)));
      expect(v.actualMicros).toBe(sum(mine.map((b) => b.amount)));
    }
    // three promotional grants and one AWS private offer 5 % below face value
    expect(credits.filter((v) => !v.withinTolerance).map((v) => [v.period, provider.get(v.accountId)])).toEqual([
      ['2025-11', 'openai'], ['2025-11', 'aws'], ['2026-02', 'aws'], ['2026-09', 'anthropic'],
    ]);
    const offer = variance('2026-02', 'aws', 'credits');
    expect(offer.varianceMicros).toBe(750_000_000);
    const lines = db.prepare("SELECT l.amount_micros AS amount, b.cost_basis_micros AS cost FROM invoice_lines l JOIN credit_blocks b ON b.id = l.block_id WHERE l.category = 'purchase'").all() as { amount: number; cost: number }[];
    expect(lines).toHaveLength(blocks.filter((b) => b.kind === 'purchased').length);
    expect(lines.every((l) => l.amount === l.cost)).toBe(true);
  });

  it('has no invoice yet for the month DEMO_END falls in', () => {
    for (const p of ['openai', 'anthropic', 'aws']) {
      const v = variance(open, p, 'invoice');
      expect(v.actualMicros).toBe(0);
      expect(causes(v)).toEqual({ 'usage-without-invoice': -consumed(accountOf(p), open) });
    }
  });

  it('bills the Anthropic support workspace’s cache writes above the catalog every month, and nothing else off the catalog', () => {
    const anthropic = accountOf('anthropic');
    for (const v of r.variances.filter((x) => x.comparison === 'catalog')) {
      const premium = num('SELECT sum(billed_cost_micros - catalog_cost_micros) FROM usage_records WHERE account_id = ? AND substr(day, 1, 7) = ?', v.accountId, v.period);
      expect(Math.abs(v.varianceMicros - premium), `${v.period} ${v.accountName}`).toBeLessThanOrEqual(10_000);
      expect(v.withinTolerance).toBe(v.accountId !== anthropic);
      if (v.accountId === anthropic) expect(causes(v)).toEqual({ 'cached-token-pricing': v.varianceMicros });
    }
  });

  it('writes the same invoices for the same seed, tied to the demo import', () => {
    const again = openDatabase(tempDbPath());
    try {
      generateDemo(again);
      const hash = (d: Db, t: string) => createHash('sha256').update(JSON.stringify(d.prepare(`SELECT * FROM ${t} ORDER BY id`).raw().all())).digest('hex');
      for (const t of ['invoices', 'invoice_lines']) expect(hash(again, t), t).toBe(hash(db, t));
    } finally {
      again.close();
    }
    expect(num('SELECT count(*) FROM invoices WHERE import_id IS NOT (SELECT id FROM imports WHERE format = ?)', 'demo')).toBe(0);
    expect(num('SELECT count(*) FROM invoices')).toBe(12 * 3 + num("SELECT count(*) FROM credit_blocks WHERE kind = 'purchased'") + 1);
  });
});
