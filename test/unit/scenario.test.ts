import { describe, expect, it } from 'vitest';
import type { DrawdownBlock } from '../../shared/drawdown';
import { compileScenario, surgeRamp, type ScenarioContext } from '../../shared/forecast/scenario-compile';
import { mixCost, modelSwapRatio, parseScenario, scenarioFromJson, scenarioToJson, ScenarioSchema, type Scenario, type ScenarioInput } from '../../shared/forecast/scenario';

const M = 1_000_000;
/** USD per million tokens → micros per million tokens */
const usd = (x: number) => Math.round(x * M);
const SONNET = { input: usd(3), output: usd(15), cacheRead: usd(0.3), cacheWrite: usd(3.75) };
const OPUS = { input: usd(5), output: usd(25), cacheRead: usd(0.5), cacheWrite: usd(6.25) };
const MINI = { input: usd(0.25), output: usd(2), cacheRead: usd(0.025), cacheWrite: null };

describe('modelSwapRatio', () => {
  it('prices the workload’s own token mix: 3M input, 1M output, 2M cache read at $3/$15/$0.30 → $5/$25/$0.50', () => {
    const mix = { inputTokens: 3e6, outputTokens: 1e6, cacheReadTokens: 2e6, cacheWriteTokens: 0 };
    // by hand: A = 3·3 + 1·15 + 2·0.30 = 24.60 dollars a day; B = 3·5 + 1·25 + 2·0.50 = 41.00
    expect(mixCost(mix, SONNET)).toBeCloseTo(24.6 * M, 6);
    expect(mixCost(mix, OPUS)).toBeCloseTo(41 * M, 6);
    expect(modelSwapRatio(mix, SONNET, OPUS)).toBeCloseTo(41 / 24.6, 12);
  });

  it('is not a flat multiplier: an output-heavy mix moves differently from an input-heavy one', () => {
    const inputHeavy = { inputTokens: 10e6, outputTokens: 0.1e6, cacheReadTokens: 0, cacheWriteTokens: 0 };
    const outputHeavy = { inputTokens: 0.1e6, outputTokens: 10e6, cacheReadTokens: 0, cacheWriteTokens: 0 };
    // to MINI: input ×1/12, output ×2/15
    expect(modelSwapRatio(inputHeavy, SONNET, MINI)).toBeCloseTo((10 * 0.25 + 0.1 * 2) / (10 * 3 + 0.1 * 15), 12);
    expect(modelSwapRatio(outputHeavy, SONNET, MINI)).toBeCloseTo((0.1 * 0.25 + 10 * 2) / (0.1 * 3 + 10 * 15), 12);
  });

  it('bills cache tokens at the input price where no cache price is published', () => {
    const mix = { inputTokens: 1e6, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 4e6 };
    expect(mixCost(mix, MINI)).toBeCloseTo(5 * 0.25 * M, 6);
    expect(modelSwapRatio({ inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }, SONNET, OPUS)).toBe(1);
  });
});

const EVERY_LEVER: ScenarioInput = {
  name: 'Agents on Opus, Q3 surge',
  description: 'Every kind of lever once',
  levers: [
    { kind: 'model-swap', target: { kind: 'workload', workloadId: 1 }, from: '2026-02-01', fromModel: 'sonnet', toModel: 'opus', share: 0.5 },
    { kind: 'surge', target: { kind: 'department', department: 'Support' }, factor: 2, rampDays: 7 },
    { kind: 'surge', target: { kind: 'account', accountId: 1 }, extraCallsPerDay: 1000, costPerCallMicros: 2500, until: '2026-03-01' },
    { kind: 'new-workload', name: 'Triage agent', accountId: 1, dailyTokens: { inputTokens: 2e6, outputTokens: 0.5e6 }, model: 'sonnet', from: '2026-01-15' },
    { kind: 'new-workload', name: 'Batch', accountId: 1, dailyCostMicros: 5 * M, workloadId: 900, volatility: 0.1 },
    { kind: 'price-change', model: 'opus', factor: 0.8, from: '2026-03-01' },
    { kind: 'top-up', accountId: 1, amountMicros: 500 * M, day: '2026-02-10' },
    { kind: 'top-up', blockId: 11, amountMicros: 100 * M, day: '2026-02-10', expiresOn: null },
    { kind: 'throttle', target: { kind: 'workload', workloadId: 2 }, trigger: { kind: 'balance-below', micros: 50 * M }, factor: 0.5 },
    { kind: 'stop', target: { kind: 'workload', workloadId: 900 }, trigger: { kind: 'before-depletion', marginDays: 3 } },
    { kind: 'reallocate', blockId: 11, fromWorkload: 1, toWorkload: 2, amountMicros: 20 * M },
    { kind: 'split-pool', blockId: 12, split: [{ workloadId: 1, percent: 25 }, { workloadId: 2, amountMicros: 10 * M }] },
  ],
};

describe('scenario schema and JSON', () => {
  it('round-trips every lever through export and import', () => {
    const parsed = ScenarioSchema.parse(EVERY_LEVER);
    const json = scenarioToJson(parsed);
    const back = scenarioFromJson(json);
    expect(back.ok).toBe(true);
    if (back.ok) expect(back.value).toEqual(parsed);
    expect(JSON.parse(json).version).toBe(1);
  });

  it('rejects bad scenarios with a path per issue, never by throwing', () => {
    const bad = parseScenario({
      name: 'x',
      levers: [
        { kind: 'model-swap', target: { kind: 'workload', workloadId: 1 }, fromModel: 'a', toModel: 'b', share: 1.5 },
        { kind: 'top-up', blockId: 1, accountId: 1, amountMicros: 1, day: '2026-01-01' },
        { kind: 'surge', target: { kind: 'workload', workloadId: 1 } },
        { kind: 'price-change', model: 'a', factor: 2, from: '1 March' },
        { kind: 'teleport' },
      ],
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['levers.0.share', 'levers.3.from']));
      expect(bad.error).toMatch(/levers\.1/);
      expect(bad.error).toMatch(/levers\.2/);
      expect(bad.error).toMatch(/levers\.4/);
    }
    expect(scenarioFromJson('{not json').ok).toBe(false);
    expect(parseScenario({ name: '', levers: [] }).ok).toBe(false);
  });
});

const START = '2026-01-01';
const blocks: DrawdownBlock[] = [
  { id: 11, accountId: 1, unit: 'USD', kind: 'purchased', amountMicros: 1000 * M, purchasedOn: '2025-06-01', expiresOn: '2026-06-01', priority: 1 },
  { id: 12, accountId: 1, unit: 'USD', kind: 'promotional', amountMicros: 200 * M, purchasedOn: '2025-12-01', expiresOn: null, priority: 0 },
  { id: 21, accountId: 2, unit: 'USD', kind: 'purchased', amountMicros: 300 * M, purchasedOn: '2025-12-01', expiresOn: '2026-12-01', priority: 1 },
];
const ctx = (over: Partial<ScenarioContext> = {}): ScenarioContext => ({
  startDay: START,
  horizonDays: 90,
  workloads: [
    { id: 1, accountId: 1, unit: 'USD', department: 'Support' },
    { id: 2, accountId: 1, unit: 'USD', department: 'Research' },
    { id: 3, accountId: 2, unit: 'USD', department: 'Support' },
  ],
  blocks,
  allocations: [{ blockId: 11, workloadId: 1, amountMicros: 100 * M }],
  tokenMix: {
    1: { sonnet: { inputTokens: 3e6, outputTokens: 1e6, cacheReadTokens: 2e6, cacheWriteTokens: 0 } },
    2: {
      sonnet: { inputTokens: 1e6, outputTokens: 1e6, cacheReadTokens: 0, cacheWriteTokens: 0 },
      mini: { inputTokens: 10e6, outputTokens: 2e6, cacheReadTokens: 0, cacheWriteTokens: 0 },
    },
  },
  prices: { sonnet: SONNET, opus: OPUS, mini: MINI },
  ...over,
});
const scenario = (levers: ScenarioInput['levers']): Scenario => ScenarioSchema.parse({ name: 't', levers });
const at = (a: Float64Array, nW: number, day: number, w: number) => a[day * nW + w];

describe('compileScenario', () => {
  it('ramps a surge linearly over rampDays, then holds it, until its end', () => {
    const c = compileScenario(scenario([{ kind: 'surge', target: { kind: 'workload', workloadId: 2 }, from: '2026-01-03', until: '2026-01-20', factor: 3, rampDays: 4 }]), ctx());
    const m = Array.from({ length: 22 }, (_, d) => at(c.multiplier, 3, d, 1));
    expect(m.slice(0, 8)).toEqual([1, 1, 1.5, 2, 2.5, 3, 3, 3]);
    expect(m[18]).toBe(3);
    expect(m[19]).toBe(1);
    expect(at(c.multiplier, 3, 5, 0)).toBe(1); // other workloads untouched
    expect([0, 1, 2, 3, 4, 9].map((d) => surgeRamp(d, 4))).toEqual([0.25, 0.5, 0.75, 1, 1, 1]);
    expect(surgeRamp(0, 0)).toBe(1);
  });

  it('adds extra calls per day, ramped, for every workload of a department', () => {
    const c = compileScenario(scenario([{ kind: 'surge', target: { kind: 'department', department: 'Support' }, extraCallsPerDay: 1000, costPerCallMicros: 2500, rampDays: 2 }]), ctx());
    expect(at(c.additive, 3, 0, 0)).toBe(1.25 * M);
    expect(at(c.additive, 3, 1, 0)).toBe(2.5 * M);
    expect(at(c.additive, 3, 1, 2)).toBe(2.5 * M);
    expect(at(c.additive, 3, 1, 1)).toBe(0);
  });

  it('swaps a share of a model on the workload’s own mix, from its day', () => {
    const c = compileScenario(scenario([{ kind: 'model-swap', target: { kind: 'account', accountId: 1 }, from: '2026-01-10', fromModel: 'sonnet', toModel: 'opus', share: 0.5 }]), ctx());
    const r1 = 41 / 24.6;
    expect(at(c.multiplier, 3, 8, 0)).toBe(1);
    expect(at(c.multiplier, 3, 9, 0)).toBeCloseTo(0.5 + 0.5 * r1, 12);
    // workload 2 spends on sonnet and mini: only sonnet's cost share moves
    const sonnet = mixCost({ inputTokens: 1e6, outputTokens: 1e6, cacheReadTokens: 0, cacheWriteTokens: 0 }, SONNET);
    const mini = mixCost({ inputTokens: 10e6, outputTokens: 2e6, cacheReadTokens: 0, cacheWriteTokens: 0 }, MINI);
    const onOpus = mixCost({ inputTokens: 1e6, outputTokens: 1e6, cacheReadTokens: 0, cacheWriteTokens: 0 }, OPUS);
    expect(at(c.multiplier, 3, 9, 1)).toBeCloseTo((0.5 * sonnet + 0.5 * onOpus + mini) / (sonnet + mini), 12);
    expect(at(c.multiplier, 3, 9, 2)).toBe(1); // another account
    expect(c.warnings).toEqual([]);
  });

  it('applies a price change to whatever runs on the model that day, swapped traffic included', () => {
    const c = compileScenario(
      scenario([
        { kind: 'model-swap', target: { kind: 'workload', workloadId: 1 }, from: '2026-01-05', fromModel: 'sonnet', toModel: 'opus', share: 1 },
        { kind: 'price-change', model: 'opus', factor: 0.5, from: '2026-01-20' },
      ]),
      ctx(),
    );
    expect(at(c.multiplier, 3, 10, 0)).toBeCloseTo(41 / 24.6, 12);
    expect(at(c.multiplier, 3, 19, 0)).toBeCloseTo(0.5 * (41 / 24.6), 12);
    expect(at(c.multiplier, 3, 19, 1)).toBe(1); // workload 2 has no opus
  });

  it('warns instead of guessing when a mix or a price is missing', () => {
    const c = compileScenario(
      scenario([
        { kind: 'model-swap', target: { kind: 'workload', workloadId: 3 }, fromModel: 'sonnet', toModel: 'opus', share: 1 },
        { kind: 'model-swap', target: { kind: 'workload', workloadId: 1 }, fromModel: 'sonnet', toModel: 'unknown-model', share: 1 },
        { kind: 'surge', target: { kind: 'workload', workloadId: 77 }, factor: 2 },
      ]),
      ctx(),
    );
    expect(c.warnings.join('\n')).toMatch(/workload 3: no token mix/);
    expect(c.warnings.join('\n')).toMatch(/no price for unknown-model/);
    expect(c.warnings.join('\n')).toMatch(/no workload matches/);
    expect(at(c.multiplier, 3, 5, 0)).toBe(1);
  });

  it('adds new workloads as columns of their own, priced from tokens when asked', () => {
    const c = compileScenario(
      scenario([
        { kind: 'new-workload', name: 'Triage', accountId: 2, dailyTokens: { inputTokens: 2e6, outputTokens: 0.5e6 }, model: 'sonnet', from: '2026-01-15' },
        { kind: 'new-workload', name: 'Batch', accountId: 1, dailyCostMicros: 5 * M, workloadId: 900 },
        { kind: 'price-change', model: 'sonnet', factor: 2, from: '2026-02-01' },
      ]),
      ctx(),
    );
    expect(c.workloads.map((w) => w.id)).toEqual([1, 2, 3, -1, 900]);
    expect(c.workloads[3]).toMatchObject({ isNew: true, accountId: 2, unit: 'USD', name: 'Triage' });
    expect(at(c.additive, 5, 13, 3)).toBe(0);
    expect(at(c.additive, 5, 14, 3)).toBeCloseTo(2 * 3 * M + 0.5 * 15 * M, 6);
    expect(at(c.additive, 5, 31, 3)).toBeCloseTo(2 * (2 * 3 * M + 0.5 * 15 * M), 6);
    expect(at(c.additive, 5, 0, 4)).toBe(5 * M);
  });

  it('adds top-ups as blocks: like a block, or for an account expiring in 12 months', () => {
    const c = compileScenario(
      scenario([
        { kind: 'top-up', accountId: 2, amountMicros: 50 * M, day: '2026-02-10' },
        { kind: 'top-up', blockId: 12, amountMicros: 20 * M, day: '2026-03-01' },
      ]),
      ctx(),
    );
    expect(c.blocks).toHaveLength(5);
    expect(c.blocks[3]).toMatchObject({ id: -1, accountId: 2, unit: 'USD', amountMicros: 50 * M, purchasedOn: '2026-02-10', expiresOn: '2027-02-10', kind: 'purchased' });
    expect(c.blocks[4]).toMatchObject({ id: -2, accountId: 1, kind: 'promotional', priority: 0, expiresOn: null, purchasedOn: '2026-03-01' });
    expect(new Set(c.blocks.map((b) => b.id)).size).toBe(5);
    // top-up k in lever order is block -(k + 1), even after one that could not apply
    const d = compileScenario(
      scenario([
        { kind: 'top-up', blockId: 999, amountMicros: 1 * M, day: '2026-02-01' },
        { kind: 'top-up', accountId: 1, amountMicros: 2 * M, day: '2026-02-01' },
      ]),
      ctx(),
    );
    expect(d.blocks.slice(3).map((b) => [b.id, b.amountMicros])).toEqual([[-2, 2 * M]]);
    expect(d.warnings.join()).toMatch(/block 999 not found/);
  });

  it('moves allocations and splits a pool, keeping the unused shares in step', () => {
    const left = new Map([['11:1', 60 * M]]);
    const c = compileScenario(
      scenario([
        { kind: 'reallocate', blockId: 11, fromWorkload: 1, toWorkload: 2, amountMicros: 40 * M },
        { kind: 'split-pool', blockId: 12, split: [{ workloadId: 1, percent: 25 }, { workloadId: 3, amountMicros: 10 * M }] },
      ]),
      ctx({ initialAllocationLeft: left, initialRemaining: new Map([[12, 100 * M]]) }),
    );
    const amount = (b: number, w: number) => c.allocations.filter((a) => a.blockId === b && a.workloadId === w).reduce((s, a) => s + a.amountMicros, 0);
    expect(amount(11, 1)).toBe(60 * M);
    expect(amount(11, 2)).toBe(40 * M);
    expect(c.initialAllocationLeft!.get('11:1')).toBe(20 * M);
    expect(c.initialAllocationLeft!.get('11:2')).toBe(40 * M);
    expect(amount(12, 1)).toBe(25 * M);
    expect(amount(12, 3)).toBe(10 * M);
    expect(left.get('11:1')).toBe(60 * M); // the caller's map is not touched
  });

  it('turns throttle and stop into rules on resolved workloads', () => {
    const c = compileScenario(
      scenario([
        { kind: 'throttle', target: { kind: 'department', department: 'Support' }, from: '2026-01-05', trigger: { kind: 'balance-below', micros: 10 * M }, factor: 0.25 },
        { kind: 'stop', target: { kind: 'workload', workloadId: 2 }, trigger: { kind: 'before-depletion', marginDays: 2 } },
      ]),
      ctx({ departments: { Support: [1] } }),
    );
    expect(c.rules).toEqual([
      { label: 'lever 1 (throttle)', workloads: [0], fromDay: 4, trigger: { kind: 'balance-below', micros: 10 * M }, factor: 0.25 },
      { label: 'lever 2 (stop)', workloads: [1], fromDay: 0, trigger: { kind: 'before-depletion', marginDays: 2 }, factor: 0 },
    ]);
  });

  it('is the identity without a scenario', () => {
    const c = compileScenario(undefined, ctx());
    expect(c.multiplier.every((x) => x === 1)).toBe(true);
    expect(c.additive.every((x) => x === 0)).toBe(true);
    expect(c.blocks).toEqual(blocks);
    expect(c.rules).toEqual([]);
  });
});
