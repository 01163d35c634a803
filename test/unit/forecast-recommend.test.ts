import { describe, expect, it } from 'vitest';
import { addDays } from '../../shared/dates';
import { mixChanges, recommend, type RecommendInput } from '../../shared/forecast/recommend';
import { Rng } from '../../shared/forecast/rng';
import { syntheticSeries } from '../../shared/forecast/synthetic';

const M = 1_000_000;
const START = '2026-01-05'; // a Monday
const DAYS = Array.from({ length: 84 }, (_, i) => addDays(START, i));

function series(level: number, sigma: number, seed: number, spikeRate = 0): number[] {
  return syntheticSeries({ startDay: START, days: 84, level, sigma, spikeRate }, seed).values;
}

describe('recommend', () => {
  it('says prepaid, strongly, for volatile agent-driven spend with a shifting model mix and a budget at risk', () => {
    const agent = series(80 * M, 0.8, 1, 0.08);
    const app = series(20 * M, 0.3, 2);
    // the leading model changes every other week
    const a = DAYS.map((_, i) => (Math.floor(i / 14) % 2 === 0 ? 0.8 : 0.2) * (agent[i] + app[i]));
    const b = DAYS.map((_, i) => (Math.floor(i / 14) % 2 === 0 ? 0.2 : 0.8) * (agent[i] + app[i]));
    const r = recommend({
      accountId: 1,
      days: DAYS,
      workloads: [
        { id: 1, name: 'Coding agent', dailyCost: agent, agentDriven: true },
        { id: 2, name: 'Chat', dailyCost: app, agentDriven: false },
      ],
      modelDailyCost: { 'gpt-5': a, 'claude-sonnet': b },
      monthlyBudgetMicros: 2500 * M,
      expectedWasteMicros: 0,
      creditHeldMicros: 5000 * M,
    });
    expect(r.direction).toBe('prepaid');
    expect(r.strength).toBe('strong');
    expect(r.score).toBeGreaterThan(0.5);
    const by = Object.fromEntries(r.reasons.map((x) => [x.factor, x]));
    expect(by.volatility.pointsTo).toBe('prepaid');
    expect(by['model-mix'].pointsTo).toBe('prepaid');
    expect(by['agent-share'].pointsTo).toBe('prepaid');
    expect(by['agent-share'].value).toBeGreaterThan(0.7);
    expect(by.exposure.pointsTo).toBe('prepaid');
    expect(by['expiry-waste'].pointsTo).toBe('neutral');
    expect(r.frameworks).toContain('NIST CSF 2.0 GV.RM-01');
  });

  it('says post-pay for steady spend, a critical low-volume workload and credit that would expire unused', () => {
    const main = series(30 * M, 0.05, 3);
    const pager = series(0.3 * M, 0.05, 4);
    const r = recommend({
      accountId: 2,
      days: DAYS,
      workloads: [
        { id: 3, name: 'Search', dailyCost: main, agentDriven: false },
        { id: 4, name: 'Incident pager', dailyCost: pager, agentDriven: false, critical: true },
      ],
      modelDailyCost: { 'gpt-5-mini': DAYS.map((_, i) => main[i] + pager[i]) },
      monthlyBudgetMicros: 3000 * M,
      expectedWasteMicros: 1500 * M,
      creditHeldMicros: 5000 * M,
    });
    expect(r.direction).toBe('post-pay');
    expect(['moderate', 'strong']).toContain(r.strength);
    const by = Object.fromEntries(r.reasons.map((x) => [x.factor, x]));
    expect(by.volatility.pointsTo).toBe('post-pay');
    expect(by['critical-low-volume'].pointsTo).toBe('post-pay');
    expect(by['critical-low-volume'].text).toMatch(/Incident pager/);
    expect(by['expiry-waste'].pointsTo).toBe('post-pay');
    expect(by['expiry-waste'].value).toBeCloseTo(0.3, 9);
    expect(by.exposure.pointsTo).toBe('post-pay');
  });

  it('never gives a verdict without reasons, and says so when there is no data', () => {
    const r = recommend({ accountId: 3, days: [], workloads: [] });
    expect(r.direction).toBe('either');
    expect(r.strength).toBe('weak');
    expect(r.reasons.length).toBeGreaterThan(0);
    expect(r.reasons.some((x) => x.factor === 'data')).toBe(true);
    for (const x of r.reasons) expect(x.text.length).toBeGreaterThan(10);
  });

  it('weights the factors with data to one, and every reason explains itself', () => {
    const rng = new Rng(3);
    for (let k = 0; k < 20; k++) {
      const input: RecommendInput = {
        accountId: k,
        days: DAYS,
        workloads: [
          { id: 1, dailyCost: series((5 + 50 * rng.uniform()) * M, 2 * rng.uniform(), k), agentDriven: rng.uniform() < 0.5, critical: rng.uniform() < 0.3 },
          { id: 2, dailyCost: series((1 + 5 * rng.uniform()) * M, 0.3, k + 100), agentDriven: false, critical: rng.uniform() < 0.5 },
        ],
        monthlyBudgetMicros: rng.uniform() < 0.7 ? 1000 * M * rng.uniform() : null,
        expectedWasteMicros: 100 * M * rng.uniform(),
        creditHeldMicros: 1000 * M,
      };
      const r = recommend(input);
      const total = r.reasons.reduce((s, x) => s + x.weight, 0);
      expect(total).toBeCloseTo(1, 9);
      expect(r.score).toBeGreaterThanOrEqual(-1);
      expect(r.score).toBeLessThanOrEqual(1);
      expect(r.reasons.filter((x) => x.weight > 0).length).toBeGreaterThanOrEqual(2);
      if (r.direction !== 'either') expect(r.reasons.some((x) => x.pointsTo === r.direction)).toBe(true);
    }
  });
});

describe('mixChanges', () => {
  it('counts weeks where the leading model changes or its share moves more than the threshold', () => {
    const days = Array.from({ length: 28 }, (_, i) => addDays(START, i));
    // week 1: A 90%; week 2: A 60% (moved 0.3); week 3: A 55%; week 4: B 70% (leader changed)
    const shares = [0.9, 0.6, 0.55, 0.3];
    const a = days.map((_, i) => 100 * shares[Math.floor(i / 7)]);
    const b = days.map((_, i) => 100 * (1 - shares[Math.floor(i / 7)]));
    expect(mixChanges(days, { A: a, B: b }, 0.2)).toEqual({ weeks: 4, changes: 2 });
    expect(mixChanges(days, { A: a, B: b }, 0.01)).toEqual({ weeks: 4, changes: 3 });
  });
});
