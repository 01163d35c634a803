import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../shared/dates';
import type { DrawdownBlock } from '../../shared/drawdown';
import { ScenarioSchema, type ScenarioInput } from '../../shared/forecast/scenario';
import { simulate, type SimulationInput, type SimWorkload } from '../../shared/forecast/simulate';
import { syntheticSeries } from '../../shared/forecast/synthetic';

const M = 1_000_000;
const START = '2026-03-01';
const usd = (x: number) => Math.round(x * M);

function history(id: number, level: number, seed: number, sigma = 0.2): SimWorkload {
  const s = syntheticSeries({ startDay: addDays(START, -70), days: 70, level, sigma, phi: 0.2 }, seed);
  return { id, accountId: 1, unit: 'USD', history: s.values, historyDays: s.days, department: id === 1 ? 'Support' : 'Research' };
}

const flatDays = Array.from({ length: 60 }, (_, i) => addDays(START, i - 60));
const flat = (id: number, perDay: number): SimWorkload => ({ id, accountId: 1, unit: 'USD', history: flatDays.map(() => perDay), historyDays: flatDays });

const block: DrawdownBlock = { id: 1, accountId: 1, unit: 'USD', kind: 'purchased', amountMicros: 1000 * M, purchasedOn: '2026-01-01', expiresOn: '2027-01-01', priority: 1 };

const run = (levers: ScenarioInput['levers'] | null, over: Partial<SimulationInput> = {}) =>
  simulate({
    blocks: [block],
    allocations: [],
    workloads: [history(1, 20 * M, 1), history(2, 10 * M, 2)],
    startDay: START,
    horizonDays: 120,
    paths: 600,
    seed: 5,
    scenario: levers ? ScenarioSchema.parse({ name: 'test', levers }) : undefined,
    tokenMix: { 1: { sonnet: { inputTokens: 3e6, outputTokens: 1e6, cacheReadTokens: 2e6, cacheWriteTokens: 0 } } },
    prices: { sonnet: { input: usd(3), output: usd(15), cacheRead: usd(0.3) }, opus: { input: usd(5), output: usd(25), cacheRead: usd(0.5) }, haiku: { input: usd(1), output: usd(5), cacheRead: usd(0.1) } },
    ...over,
  });

describe('scenario levers through the simulation', () => {
  const baseline = run(null);
  const acct = (r: ReturnType<typeof run>) => r.accounts.find((a) => a.accountId === 1)!;

  it('baseline: about 33 days of credit at ~30 $/day, then overage', () => {
    expect(acct(baseline).probDry).toBe(1);
    const d = daysBetween(START, acct(baseline).p50!);
    expect(d).toBeGreaterThan(25);
    expect(d).toBeLessThan(42);
    expect(acct(baseline).expectedOverageMicros).toBeGreaterThan(1000 * M);
  });

  it('a top-up delays depletion', () => {
    const r = run([{ kind: 'top-up', accountId: 1, amountMicros: 600 * M, day: addDays(START, 10) }]);
    const shift = daysBetween(acct(baseline).p50!, acct(r).p50!);
    expect(shift).toBeGreaterThan(12);
    expect(shift).toBeLessThan(30);
    expect(acct(r).expectedOverageMicros).toBeLessThan(acct(baseline).expectedOverageMicros - 500 * M);
    const topUp = r.blocks.find((b) => b.isTopUp)!;
    expect(topUp.expiresOn).toBe(addDays(START, 10).replace('2026', '2027'));
    // before it is bought the top-up holds nothing
    expect(topUp.fan.p50[5]).toBe(0);
  });

  it('a stop before depletion cuts the overage to zero', () => {
    const r = run([{ kind: 'stop', target: { kind: 'account', accountId: 1 }, trigger: { kind: 'before-depletion', marginDays: 2 } }]);
    expect(acct(r).expectedOverageMicros).toBe(0);
    expect(acct(r).probOverage).toBe(0);
    expect(r.workloads.every((w) => w.expectedOverageMicros === 0)).toBe(true);
    // the credit is not drawn to zero: the last two days' worth is left
    expect(acct(r).probDry).toBe(0);
    expect(acct(r).expectedRemainingMicros).toBeGreaterThan(0);
  });

  it('a stop at a balance threshold keeps that much and cuts the overage to zero', () => {
    const r = run([{ kind: 'stop', target: { kind: 'department', department: 'Support' }, trigger: { kind: 'balance-below', micros: 200 * M } }, { kind: 'stop', target: { kind: 'workload', workloadId: 2 }, trigger: { kind: 'balance-below', micros: 200 * M } }]);
    expect(acct(r).expectedOverageMicros).toBe(0);
    expect(acct(r).expectedRemainingMicros).toBeGreaterThan(100 * M);
    expect(acct(r).expectedRemainingMicros).toBeLessThan(200 * M);
  });

  it('a throttle slows the burn and the overage', () => {
    const r = run([{ kind: 'throttle', target: { kind: 'workload', workloadId: 1 }, trigger: { kind: 'balance-below', micros: 500 * M }, factor: 0.25 }]);
    expect(daysBetween(acct(baseline).p50!, acct(r).p50!)).toBeGreaterThan(5);
    expect(r.workloads[0].expectedSpendMicros).toBeLessThan(baseline.workloads[0].expectedSpendMicros * 0.5);
    expect(r.workloads[1].expectedSpendMicros).toBeCloseTo(baseline.workloads[1].expectedSpendMicros, -3);
  });

  it('prices a model swap on the workload’s own mix', () => {
    const days = 120;
    const det = (levers: ScenarioInput['levers'] | null) => run(levers, { workloads: [flat(1, 20 * M), flat(2, 10 * M)], deterministic: true, horizonDays: days });
    const before = det(null);
    const after = det([{ kind: 'model-swap', target: { kind: 'workload', workloadId: 1 }, fromModel: 'sonnet', toModel: 'opus', share: 1 }]);
    expect(after.workloads[0].expectedSpendMicros / before.workloads[0].expectedSpendMicros).toBeCloseTo(41 / 24.6, 9);
    expect(after.workloads[1].expectedSpendMicros).toBe(before.workloads[1].expectedSpendMicros);
    expect(daysBetween(acct(after).p50!, acct(before).p50!)).toBeGreaterThan(0);
    const cheaper = det([{ kind: 'model-swap', target: { kind: 'workload', workloadId: 1 }, fromModel: 'sonnet', toModel: 'haiku', share: 1 }]);
    expect(cheaper.workloads[0].expectedSpendMicros / before.workloads[0].expectedSpendMicros).toBeCloseTo((3 + 5 + 0.2) / 24.6, 9);
    expect(daysBetween(acct(before).p50!, acct(cheaper).p50!)).toBeGreaterThan(0);
  });

  it('ramps a surge in the simulated spend', () => {
    const det = run([{ kind: 'surge', target: { kind: 'workload', workloadId: 2 }, factor: 3, rampDays: 10, from: addDays(START, 5) }], { workloads: [flat(1, 20 * M), flat(2, 10 * M)], deterministic: true, horizonDays: 30 });
    // days 0–4 at 10, days 5–14 ramp 12, 14, …, 30, days 15–29 at 30
    const expected = 5 * 10 + [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].reduce((s, k) => s + 10 * (1 + (2 * k) / 10), 0) + 15 * 30;
    expect(det.workloads[1].expectedSpendMicros).toBeCloseTo(expected * M, 0);
  });

  it('a new workload brings depletion forward and reports its own spend', () => {
    const r = run([{ kind: 'new-workload', name: 'Triage agent', accountId: 1, dailyCostMicros: 15 * M, from: addDays(START, 3) }]);
    expect(daysBetween(acct(r).p50!, acct(baseline).p50!)).toBeGreaterThan(5);
    const added = r.workloads.find((w) => w.isNew)!;
    expect(added).toMatchObject({ name: 'Triage agent', workloadId: -1, accountId: 1 });
    expect(added.expectedSpendMicros / (15 * M * 117)).toBeGreaterThan(0.9);
    expect(added.expectedSpendMicros / (15 * M * 117)).toBeLessThan(1.1);
    expect(r.scenarioName).toBe('test');
  });

  it('reallocating an earmarked share changes who runs into overage first', () => {
    const allocations = [{ blockId: 1, workloadId: 2, amountMicros: 600 * M }];
    const earmarked = run(null, { allocations, exactWorkloadOverage: true });
    const moved = run([{ kind: 'reallocate', blockId: 1, fromWorkload: 2, toWorkload: 1, amountMicros: 600 * M }], { allocations, exactWorkloadOverage: true });
    expect(moved.workloads[1].expectedOverageMicros).toBeGreaterThan(earmarked.workloads[1].expectedOverageMicros);
    expect(moved.workloads[0].expectedOverageMicros).toBeLessThan(earmarked.workloads[0].expectedOverageMicros);
  });
});
