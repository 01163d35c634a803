import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { addDays, eachDay } from '../../shared/dates';
import { runDrawdown, type DrawdownAllocation, type DrawdownBlock, type DrawdownUsage } from '../../shared/drawdown';
import { depletionRuleReport, evaluateThresholds, type ThresholdDef, type ThresholdInput } from '../../shared/thresholds';

const M = 1_000_000;

function blk(id: number, patch: Partial<DrawdownBlock> = {}): DrawdownBlock {
  return { id, accountId: 1, unit: 'USD', kind: 'purchased', amountMicros: 100 * M, purchasedOn: '2026-01-01', expiresOn: null, priority: 0, ...patch };
}

/** `amount` per day for workload w on every day from..to-1, or a function of the day. */
function daily(from: string, to: string, amount: number | ((day: string) => number), w: number | null = 1): DrawdownUsage[] {
  return eachDay(from, to).map((day) => ({ day, accountId: 1, unit: 'USD', workloadId: w, amountMicros: (typeof amount === 'number' ? amount : amount(day)) * M }));
}

function rule(id: number, patch: Partial<ThresholdDef>): ThresholdDef {
  return { id, scopeKind: 'block', scopeId: 1, kind: 'percent-consumed', value: 0, action: 'alert', safetyMarginDays: 0, ...patch };
}

const names = (kind: string) => (kind === 'block' ? `Q1 credits` : kind === 'workload' ? `Support bot` : `OpenAI prod`);

function setup(blocks: DrawdownBlock[], usage: DrawdownUsage[], opts: { allocations?: DrawdownAllocation[]; to?: string } = {}) {
  const ledger = runDrawdown({ blocks, allocations: opts.allocations ?? [], usage, to: opts.to });
  return (thresholds: ThresholdDef[], extra: Partial<ThresholdInput> = {}) =>
    evaluateThresholds({ thresholds, ledger, blocks, burnPerDay: () => 10 * M, names, ...extra });
}

describe('percent-consumed', () => {
  const evalWith = setup([blk(1)], daily('2026-01-01', '2026-01-15', 10));

  it('uses the default levels 50/75/90/100, each once, with the block as period', () => {
    const alerts = evalWith([rule(1, {})]);
    expect(alerts.map((a) => [a.period, a.firedOn, a.severity])).toEqual([
      ['1@50', '2026-01-05', 'info'],
      ['1@75', '2026-01-08', 'warning'],
      ['1@90', '2026-01-09', 'warning'],
      ['1@100', '2026-01-10', 'critical'],
    ]);
    expect(alerts[0].message).toBe('Q1 credits is 50% consumed ($50.00 of $100.00 used); threshold 50%.');
  });

  it('fires a single level once, with the block id as period, even though it stays above', () => {
    const alerts = evalWith([rule(7, { value: 80, action: 'stop', scopeKind: 'account', scopeId: 1 })]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ thresholdId: 7, period: '1', firedOn: '2026-01-08', severity: 'critical', action: 'stop', blockId: 1 });
  });

  it('fires earlier by the safety margin at the forecast burn', () => {
    const alerts = evalWith([rule(1, { value: 50, safetyMarginDays: 2 })]);
    expect(alerts[0].firedOn).toBe('2026-01-03'); // 30 used + 2 days x 10
    expect(alerts[0].message).toContain('will pass 50% within the 2 days safety margin');
  });

  it("measures a workload's allocation", () => {
    const e = setup([blk(1)], daily('2026-01-01', '2026-01-10', 5, 4), { allocations: [{ blockId: 1, workloadId: 4, amountMicros: 20 * M }] });
    const alerts = e([rule(2, { scopeKind: 'workload', scopeId: 4, value: 100 })]);
    expect(alerts.map((a) => [a.firedOn, a.period])).toEqual([['2026-01-04', '1']]);
    expect(alerts[0].message).toContain('Support bot has used 100% of its allocation on Q1 credits ($20.00 of $20.00)');
  });

  it('evaluates only up to asOf', () => {
    expect(evalWith([rule(1, {})], { asOf: '2026-01-08' }).map((a) => a.period)).toEqual(['1@50', '1@75']);
  });
});

describe('runway-days', () => {
  it('fires when balance / forecast burn drops to the threshold, once per month', () => {
    const e = setup([blk(1, { amountMicros: 200 * M })], daily('2026-01-20', '2026-02-10', 8), { to: '2026-02-10' });
    const alerts = e([rule(3, { kind: 'runway-days', value: 5 })]);
    // 5 days x 10/day = 50: the balance is 200 - 19 x 8 = 48 at the end of 2026-02-07
    expect(alerts.map((a) => [a.period, a.firedOn])).toEqual([['2026-02', '2026-02-07']]);
    expect(alerts[0].message).toMatch(/^Q1 credits has 4\.8 days of runway left \(\$48\.00 at \$10\.00\/day\)/);
  });

  it('re-fires in the next month while the runway stays short, and adds the safety margin', () => {
    const e = setup([blk(1, { amountMicros: 100 * M })], daily('2026-01-20', '2026-02-05', 5));
    const alerts = e([rule(3, { kind: 'runway-days', value: 3, safetyMarginDays: 2, action: 'throttle', scopeKind: 'account', scopeId: 1 })]);
    // trigger at 5 days x 10 = 50 left: end of 2026-01-29
    expect(alerts.map((a) => [a.period, a.firedOn, a.severity])).toEqual([
      ['2026-01', '2026-01-29', 'warning'],
      ['2026-02', '2026-02-01', 'warning'],
    ]);
    expect(alerts[0].message).toContain('(3 days + 2 days safety margin). Rule action: throttle OpenAI prod.');
  });

  it('counts, for a workload, its allocation plus the pools but not allocations of others', () => {
    const allocations = [
      { blockId: 1, workloadId: 2, amountMicros: 60 * M },
      { blockId: 1, workloadId: 3, amountMicros: 20 * M },
    ];
    const blocks = [blk(1)];
    const ledger = runDrawdown({ blocks, allocations, usage: daily('2026-01-01', '2026-01-02', 1, 2) });
    const alerts = evaluateThresholds({ thresholds: [rule(1, { kind: 'runway-days', scopeKind: 'workload', scopeId: 2, value: 80 })], ledger, blocks, burnPerDay: () => 1 * M });
    // workload 2 can still draw its 59 + the pooled 20 = 79 -> 79 days <= 80
    expect(alerts[0].message).toContain('79 days of runway left ($79.00');
  });
});

describe('expiring', () => {
  const blocks = [blk(1, { expiresOn: '2026-02-01' })];
  const evalWith = setup(blocks, daily('2026-01-01', '2026-01-04', 10));

  it('fires once when a block with enough unused credit is within N days of expiry', () => {
    const alerts = evalWith([rule(4, { kind: 'expiring', value: 10, minUnusedMicros: 50 * M })]);
    expect(alerts.map((a) => [a.period, a.firedOn, a.severity])).toEqual([['1', '2026-01-22', 'warning']]);
    expect(alerts[0].message).toBe('Q1 credits expires on 2026-02-01 (in 10 days) with $70.00 unused; it cannot be extended, so use or move it before then.');
  });

  it('stays quiet when no more than minUnusedMicros is unused', () => {
    expect(evalWith([rule(4, { kind: 'expiring', value: 10, minUnusedMicros: 70 * M })])).toEqual([]);
  });
});

describe('burn-spike', () => {
  const usage = daily('2026-01-01', '2026-02-20', (d) => (d === '2026-01-10' || d === '2026-01-12' ? 50 : d === '2026-02-15' ? 40 : 10));
  const evalWith = setup([blk(1, { amountMicros: 10_000 * M })], usage);

  it('fires above k x the given baseline, once per month', () => {
    const alerts = evalWith([rule(5, { kind: 'burn-spike', value: 300, scopeKind: 'workload', scopeId: 1 })], { baselinePerDay: () => 10 * M });
    expect(alerts.map((a) => [a.period, a.firedOn, a.severity])).toEqual([
      ['2026-01', '2026-01-10', 'warning'],
      ['2026-02', '2026-02-15', 'warning'],
    ]);
    expect(alerts[0].message).toBe('Support bot spent $50.00 on 2026-01-10, 5x its baseline of $10.00/day (threshold 3x).');
  });

  it('uses the trailing mean of the ledger when no baseline is given, and counts overage as spend', () => {
    const e = setup([blk(1, { amountMicros: 5 * M })], usage);
    const alerts = e([rule(6, { kind: 'burn-spike', value: 200, scopeKind: 'account', scopeId: 1 })]);
    expect(alerts.map((a) => a.firedOn)).toEqual(['2026-01-10', '2026-02-15']);
  });
});

describe('depletion rule report', () => {
  const blocks = [blk(1)];
  const ledger = runDrawdown({ blocks, allocations: [], usage: daily('2026-03-01', '2026-03-20', 10) });
  const base = { ledger, blocks, burnPerDay: () => 10 * M, names };

  it('says when a stop rule would have cut the workload off, and how long before the block ran dry', () => {
    const [row] = depletionRuleReport({ ...base, thresholds: [rule(8, { kind: 'runway-days', value: 2, safetyMarginDays: 2, action: 'stop', scopeKind: 'workload', scopeId: 1 })] });
    expect(row).toMatchObject({ firedOn: '2026-03-06', ranDryOn: '2026-03-10', daysBeforeDry: 4, status: 'in-time' });
    expect(row.message).toBe('The stop rule would have cut Support bot off on 2026-03-06, 4 days before the credit available to Support bot ran dry on 2026-03-10.');
  });

  it('flags a percent rule that fires inside its safety margin as late, and one that never fires as missed', () => {
    const rows = depletionRuleReport({
      ...base,
      thresholds: [rule(9, { value: 90, action: 'throttle', safetyMarginDays: 3 }), rule(10, { kind: 'runway-days', value: 0, action: 'stop' }), rule(11, { action: 'alert' })],
    });
    expect(rows.map((r) => [r.thresholdId, r.status, r.firedOn, r.ranDryOn, r.daysBeforeDry])).toEqual([
      [9, 'in-time', '2026-03-06', '2026-03-10', 4],
      [10, 'late', '2026-03-10', '2026-03-10', 0],
    ]);
    const late = depletionRuleReport({ ...base, thresholds: [rule(12, { value: 100, action: 'throttle' })] });
    expect(late[0]).toMatchObject({ status: 'late', daysBeforeDry: 0 });
    expect(late[0].message).toBe('The throttle rule would have throttled Q1 credits on 2026-03-10, the same day Q1 credits ran dry on 2026-03-10: too late, because providers enforce with a delay.');
    // no forecast burn: the runway rule can never fire, but the credit still ran dry
    const stop = rule(13, { kind: 'runway-days', value: 5, action: 'stop', scopeKind: 'workload', scopeId: 1 });
    const missed = depletionRuleReport({ ...base, burnPerDay: () => 0, thresholds: [stop] });
    expect(missed[0]).toMatchObject({ status: 'missed', firedOn: null, ranDryOn: '2026-03-10' });
    expect(missed[0].message).toBe('The stop rule on Support bot would not have fired, yet the credit available to Support bot ran dry on 2026-03-10.');
    const quiet = depletionRuleReport({ ...base, thresholds: [{ ...stop, scopeId: 99 }] });
    expect(quiet[0].status).toBe('quiet');
  });

  it('reads a rule that fired with credit to spare as no-depletion', () => {
    const calm = runDrawdown({ blocks, allocations: [], usage: daily('2026-03-01', '2026-03-08', 10) });
    const [row] = depletionRuleReport({ ...base, ledger: calm, thresholds: [rule(14, { value: 50, action: 'stop' })] });
    expect(row.status).toBe('no-depletion');
    expect(row.message).toBe('The stop rule would have cut Q1 credits off on 2026-03-05; Q1 credits had not run dry by 2026-03-07.');
  });
});

describe('threshold determinism', () => {
  it('gives the same alerts for the same input', () => {
    const e = setup([blk(1), blk(2, { expiresOn: '2026-01-20' })], daily('2026-01-01', '2026-01-25', (d) => (d.endsWith('5') ? 40 : 6)));
    const t = [rule(1, { scopeKind: 'account' }), rule(2, { kind: 'expiring', value: 30, scopeKind: 'account' }), rule(3, { kind: 'burn-spike', value: 300, scopeKind: 'account' })];
    expect(e(t).length).toBeGreaterThan(3);
    expect(e(t)).toEqual(e([...t].reverse()));
  });

  it('fires at most once per threshold and period, and a later asOf never rewrites earlier alerts', () => {
    const kinds = ['percent-consumed', 'runway-days', 'expiring', 'burn-spike'] as const;
    const ruleArb = fc.record({
      kind: fc.constantFrom(...kinds),
      scopeKind: fc.constantFrom('block' as const, 'account' as const, 'workload' as const),
      value: fc.integer({ min: 0, max: 400 }),
      safetyMarginDays: fc.integer({ min: 0, max: 5 }),
      action: fc.constantFrom('alert' as const, 'throttle' as const, 'stop' as const),
    });
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 30 }), { minLength: 60, maxLength: 60 }),
        fc.array(ruleArb, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 59 }),
        (amounts, rules, cut) => {
          const blocks = [blk(1, { expiresOn: '2026-02-15' }), blk(2, { amountMicros: 500 * M, priority: 1 })];
          const usage = amounts.map((a, i) => ({ day: addDays('2026-01-01', i), accountId: 1, unit: 'USD', workloadId: (i % 2) + 1, amountMicros: a * M }));
          const ledger = runDrawdown({ blocks, allocations: [{ blockId: 2, workloadId: 2, amountMicros: 100 * M }], usage });
          const thresholds = rules.map((r, i) => rule(i + 1, { ...r, scopeId: r.scopeKind === 'block' ? 1 + (i % 2) : 1 }));
          const input = { thresholds, ledger, blocks, burnPerDay: () => 12 * M, names };
          const all = evaluateThresholds(input);
          const keys = all.map((a) => `${a.thresholdId}|${a.period}`);
          expect(new Set(keys).size).toBe(keys.length);
          const asOf = addDays('2026-01-01', cut);
          expect(evaluateThresholds({ ...input, asOf })).toEqual(all.filter((a) => a.firedOn <= asOf));
          for (const row of depletionRuleReport(input)) expect(row.message.length).toBeGreaterThan(20);
        },
      ),
      { numRuns: 150 },
    );
  });
});
