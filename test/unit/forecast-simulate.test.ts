import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, weekday } from '../../shared/dates';
import { runDrawdown, type DrawdownBlock } from '../../shared/drawdown';
import { assembleSimulation, prepareSimulation, simulate, simulatePaths, SimulationCancelled, type SimulationInput, type SimWorkload } from '../../shared/forecast/simulate';
import { syntheticSeries } from '../../shared/forecast/synthetic';
import { fitModel } from '../../shared/forecast/model';

const M = 1_000_000;
const START = '2026-03-01';
const HIST = 84;

function workload(id: number, accountId: number, level: number, seed: number, extra: Partial<Parameters<typeof syntheticSeries>[0]> = {}): SimWorkload {
  const s = syntheticSeries({ startDay: addDays(START, -HIST), days: HIST, level, sigma: 0.25, phi: 0.3, season: [1.1, 1.1, 1.1, 1.1, 1.1, 0.75, 0.75], spikeRate: 0.02, ...extra }, seed);
  return { id, accountId, unit: 'USD', history: s.values, historyDays: s.days };
}

const blocks: DrawdownBlock[] = [
  { id: 1, accountId: 1, unit: 'USD', kind: 'promotional', amountMicros: 300 * M, purchasedOn: '2026-01-01', expiresOn: '2026-04-15', priority: 0 },
  { id: 2, accountId: 1, unit: 'USD', kind: 'purchased', amountMicros: 2000 * M, purchasedOn: '2025-12-01', expiresOn: '2026-12-01', priority: 1 },
  { id: 3, accountId: 2, unit: 'USD', kind: 'purchased', amountMicros: 5000 * M, purchasedOn: '2025-12-01', expiresOn: '2026-05-01', priority: 1 },
];

const base = (over: Partial<SimulationInput> = {}): SimulationInput => ({
  blocks,
  allocations: [{ blockId: 2, workloadId: 3, amountMicros: 200 * M }],
  workloads: [workload(1, 1, 20 * M, 1), workload(2, 1, 10 * M, 2, { trend: 0.1 * M }), workload(3, 1, 5 * M, 3), workload(4, 2, 15 * M, 4)],
  startDay: START,
  horizonDays: 180,
  paths: 400,
  seed: 99,
  ...over,
});

describe('simulate', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = simulate(base());
    const b = simulate(base());
    const c = simulate(base({ seed: 100 }));
    expect(b).toEqual(a);
    expect(c.blocks.map((x) => x.expectedWasteMicros)).not.toEqual(a.blocks.map((x) => x.expectedWasteMicros));
  });

  it('gives the same result however the paths are split into batches (as over worker threads)', () => {
    const input = base({ paths: 300, fanPaths: 40 });
    const whole = simulate(input);
    // fan paths split between the batches, batches handed over out of order
    const parts = [simulatePaths(input, 200, 300), simulatePaths(input, 0, 25), simulatePaths(input, 25, 200)];
    expect(assembleSimulation(prepareSimulation(input), parts)).toEqual(whole);
    expect(() => assembleSimulation(prepareSimulation(input), parts.slice(1))).toThrow(RangeError);
  });

  it('takes a path whose noise leaves the exp table through the exact arithmetic, reproducibly', () => {
    const wild = workload(9, 2, 5 * M, 9);
    const model = fitModel(wild.history, wild.historyDays);
    // σ = 7 in log space: |σ·e| beyond 20 wherever the daily normal passes ±2.9
    const input = base({ paths: 60, fanPaths: 10, workloads: [...base().workloads, { ...wild, model: { ...model, sigma: 7, phi: 0 } }] });
    const r = simulate(input);
    const spend = r.workloads.find((w) => w.workloadId === 9)!;
    expect(Number.isFinite(spend.expectedSpendMicros) && spend.expectedSpendMicros > 0).toBe(true);
    expect(spend.p90SpendMicros).toBeGreaterThan(5 * M * 180 * 1e3); // some days at e^20 of the median
    expect(r.blocks.every((b) => Number.isFinite(b.expectedWasteMicros))).toBe(true);
    expect(assembleSimulation(prepareSimulation(input), [simulatePaths(input, 30, 60), simulatePaths(input, 0, 30)])).toEqual(r);
  });

  it('gives the same rows when a run has too many workload-days to keep all medians at hand', () => {
    const w = workload(1, 1, 10 * M, 1);
    const model = fitModel(w.history, w.historyDays);
    const many = Array.from({ length: 400 }, (_, i) => ({ ...w, id: i + 1, model })); // 400 × 730 days: read row by row
    const one = simulate(base({ workloads: [many[0]], horizonDays: 730, deterministic: true }));
    const all = simulate(base({ workloads: many, horizonDays: 730, deterministic: true }));
    expect(one.workloads[0].expectedSpendMicros).toBeGreaterThan(0);
    expect(all.workloads[0].expectedSpendMicros).toBe(one.workloads[0].expectedSpendMicros);
    expect(all.workloads[399].expectedSpendMicros).toBe(one.workloads[0].expectedSpendMicros);
  });

  it('reports quantiles in order, probabilities in range and fans per day', () => {
    const r = simulate(base());
    expect(r.days).toHaveLength(180);
    expect(r.days[0]).toBe(START);
    for (const x of [...r.blocks, ...r.accounts]) {
      if (x.p10 && x.p50) expect(x.p10 <= x.p50).toBe(true);
      if (x.p50 && x.p90) expect(x.p50 <= x.p90).toBe(true);
      for (const p of [x.probDry, x.probDryBeforeExpiry]) expect(p >= 0 && p <= 1).toBe(true);
      expect(x.fan.p50).toHaveLength(180);
      x.fan.p10.forEach((v, d) => {
        expect(v).toBeLessThanOrEqual(x.fan.p50[d]);
        expect(x.fan.p50[d]).toBeLessThanOrEqual(x.fan.p90[d]);
      });
    }
    // the promotional block runs out or expires within six weeks; the big one outlives the horizon
    const promo = r.blocks.find((x) => x.blockId === 1)!;
    expect(promo.fan.p50[0]).toBeLessThan(300 * M);
    expect(promo.fan.p50[60]).toBe(0);
    // account 2 holds far more than it burns before its block expires: most of it is waste
    const acct2 = r.blocks.find((x) => x.blockId === 3)!;
    expect(acct2.probDryBeforeExpiry).toBe(0);
    expect(acct2.expectedWasteMicros).toBeGreaterThan(2500 * M);
    expect(acct2.p50).toBeNull();
    expect(r.workloads.map((w) => w.workloadId)).toEqual([1, 2, 3, 4]);
    expect(r.workloads[0].model?.originDay).toBe(addDays(START, -1));
  });

  it('histograms the depletion dates per ISO week: counts add up to the paths and hold the quantiles', () => {
    const r = simulate(base({ paths: 500 }));
    for (const x of [...r.blocks, ...r.accounts]) {
      const h = x.histogram;
      expect(weekday(h.weekStart)).toBe(0);
      expect(h.weekStart <= START && START < addDays(h.weekStart, 7)).toBe(true);
      expect(addDays(h.weekStart, 7 * h.counts.length) > r.days.at(-1)!).toBe(true);
      expect(h.counts.reduce((a, b) => a + b, 0) + h.notDepleted).toBe(r.paths);
      expect(h.notDepleted).toBe(Math.round(r.paths * (1 - x.probDry)));
      // the q-th date lies in the first week by which ceil(q · paths) paths have run dry
      for (const [q, date] of [[0.1, x.p10], [0.5, x.p50], [0.9, x.p90]] as const) {
        const rank = Math.ceil(q * r.paths);
        let cum = 0;
        const week = h.counts.findIndex((c) => (cum += c) >= rank);
        if (date === null) expect(week).toBe(-1);
        else expect(Math.floor(daysBetween(h.weekStart, date) / 7)).toBe(week);
      }
    }
    // promotional block 1 runs dry within the horizon on most paths, block 3 on none
    expect(r.blocks[0].histogram.counts.some((c) => c > 0)).toBe(true);
    expect(r.blocks[2].histogram.notDepleted).toBe(r.paths);
  });

  it('matches runDrawdown on the median path', () => {
    const days = Array.from({ length: 60 }, (_, i) => addDays(START, i - 60));
    const flat: SimWorkload = { id: 7, accountId: 1, unit: 'USD', history: days.map(() => 10 * M), historyDays: days };
    const block: DrawdownBlock = { id: 70, accountId: 1, unit: 'USD', kind: 'purchased', amountMicros: 95 * M, purchasedOn: '2026-01-01', expiresOn: null, priority: 1 };
    const r = simulate({ blocks: [block], allocations: [], workloads: [flat], startDay: START, horizonDays: 30, paths: 5, seed: 1, deterministic: true });
    const usage = Array.from({ length: 30 }, (_, i) => ({ day: addDays(START, i), accountId: 1, unit: 'USD', workloadId: 7, amountMicros: 10 * M }));
    const dd = runDrawdown({ blocks: [block], allocations: [], usage, from: START, to: addDays(START, 30) });
    expect(r.paths).toBe(1);
    expect(r.blocks[0].p50).toBe(dd.blocks[0].depletedOn);
    expect(r.blocks[0].p50).toBe(addDays(START, 9));
    expect(r.accounts[0].expectedOverageMicros).toBeCloseTo(dd.workloads.find((w) => w.workloadId === 7)!.overageMicros, 0);
    expect(r.blocks[0].fan.p50.slice(0, 10)).toEqual(dd.balances[70].slice(0, 10));
  });

  it('gives the same blocks and accounts whether pooled workloads run summed or one by one', () => {
    const pooled = simulate(base());
    const exact = simulate(base({ exactWorkloadOverage: true }));
    expect(exact.blocks.map((b) => [b.p10, b.p50, b.p90, b.probDry])).toEqual(pooled.blocks.map((b) => [b.p10, b.p50, b.p90, b.probDry]));
    exact.blocks.forEach((b, i) => expect(b.expectedWasteMicros).toBeCloseTo(pooled.blocks[i].expectedWasteMicros, 0));
    exact.accounts.forEach((a, i) => {
      expect(a.p50).toBe(pooled.accounts[i].p50);
      expect(a.expectedOverageMicros).toBeCloseTo(pooled.accounts[i].expectedOverageMicros, 0);
    });
    exact.workloads.forEach((w, i) => expect(w.expectedSpendMicros).toBeCloseTo(pooled.workloads[i].expectedSpendMicros, 0));
  });

  it('counts running dry before the next renewal', () => {
    const r = simulate(base({ renewals: [{ accountId: 1, day: '2026-04-01' }, { accountId: 1, day: '2026-09-01' }] }));
    const acct = r.accounts.find((a) => a.accountId === 1)!;
    expect(acct.nextRenewal).toBe('2026-04-01');
    expect(acct.probDryBeforeRenewal).not.toBeNull();
    expect(acct.probDryBeforeRenewal!).toBeLessThanOrEqual(acct.probDry);
    expect(r.accounts.find((a) => a.accountId === 2)!.probDryBeforeRenewal).toBeNull();
  });

  it('starts from the ledger’s remaining balances', () => {
    const full = simulate(base({ paths: 100 }));
    const drained = simulate(base({ paths: 100, initialRemaining: new Map([[2, 100 * M]]) }));
    const a = full.accounts.find((x) => x.accountId === 1)!;
    const b = drained.accounts.find((x) => x.accountId === 1)!;
    expect(a.probDry).toBe(1);
    expect(b.p50! < a.p50!).toBe(true);
    expect(b.expectedOverageMicros).toBeGreaterThan(a.expectedOverageMicros);
    expect(drained.blocks.find((x) => x.blockId === 2)!.fan.p90[0]).toBeLessThan(100 * M);
  });

  it('expects the spend the forecast expects', () => {
    const r = simulate(base({ paths: 2000, spikes: true }));
    const w = r.workloads[0];
    // 20 $/day with weekday factors averaging 1 over 180 days, lognormal noise around the median
    expect(w.expectedSpendMicros / (20 * M * 180)).toBeGreaterThan(0.8);
    expect(w.expectedSpendMicros / (20 * M * 180)).toBeLessThan(1.25);
    expect(w.p10SpendMicros).toBeLessThan(w.p50SpendMicros);
    expect(w.p50SpendMicros).toBeLessThan(w.p90SpendMicros);
  });

  it('reports progress and can be cancelled', () => {
    const seen: number[] = [];
    simulate(base({ paths: 250, onProgress: (done, total) => (expect(total).toBe(250), seen.push(done)) }));
    expect(seen.at(-1)).toBe(250);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    let calls = 0;
    expect(() => simulate(base({ paths: 1000, shouldCancel: () => ++calls >= 3 }))).toThrow(SimulationCancelled);
  });

  it('refuses nonsense input', () => {
    expect(() => simulate(base({ paths: 0 }))).toThrow(RangeError);
    expect(() => simulate(base({ horizonDays: 2.5 }))).toThrow(RangeError);
    expect(() => simulate(base({ startDay: 'soon' }))).toThrow(RangeError);
  });
});
