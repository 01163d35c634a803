/**
 * The forecast and scenario simulation on the demo organisation, through the engine's handlers:
 * a model swap checked against a hand calculation from the workload's token mix, the backtest
 * against the naive methods, determinism by seed and progress of the scenario-run job.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/engine';
import { tempDbPath } from '../helpers';
import { addDays, daysBetween } from '../../shared/dates';
import type { ScenarioRunResult, Outlook } from '../../shared/api/scenario-types';
import type { ArgsOf } from '../../shared/api';
import type { ScenarioInput } from '../../shared/forecast/scenario';
import { SWAP_TO } from '../../electron/engine/demo/org';

let engine: Engine;
let asOf: string;
let reviewId: number;

beforeAll(async () => {
  engine = createEngine({ dbPath: tempDbPath(), mode: 'test' });
  await engine.invoke('demo-load', {});
  asOf = engine.ctx.db.prepare<[], { d: string }>('SELECT max(day) AS d FROM usage_records').get()!.d;
  reviewId = engine.ctx.db.prepare<[], { id: number }>("SELECT id FROM workloads WHERE application = 'Code Review Bot'").get()!.id;
  // the first forecast loads the bundled price catalog into price_catalog, where the hand calculation reads its prices
  await engine.invoke('forecast-get', { paths: 10, horizonDays: 30 });
});
afterAll(() => engine.close());

async function run(args: ArgsOf<'scenario-run'>): Promise<ScenarioRunResult> {
  const job = await engine.invoke('scenario-run', args);
  const done = await engine.ctx.jobs.wait(job.id, undefined, 5);
  expect(done.state, done.message).toBe('done');
  return done.result as ScenarioRunResult;
}

const swapTo = (toModel: string): ScenarioInput => ({
  name: `Code Review Bot on ${toModel}`,
  levers: [{ kind: 'model-swap', target: { kind: 'workload', workloadId: reviewId }, fromModel: SWAP_TO, toModel, share: 1 }],
});

/** The hand calculation, from the database rows with plain arithmetic. */
function handCalc(toModel: string) {
  const db = engine.ctx.db;
  const from = addDays(asOf, -27); // the 28 days the lever's token mix is read from: four whole weeks
  const t = db
    .prepare<[number, string, string, string], { i: number; o: number; cr: number; cw: number }>(
      `SELECT sum(input_tokens) AS i, sum(output_tokens) AS o, sum(cache_read_tokens) AS cr, sum(cache_write_tokens) AS cw
       FROM usage_records WHERE workload_id = ? AND model_id = ? AND day BETWEEN ? AND ?`,
    )
    .get(reviewId, SWAP_TO, from, asOf)!;
  const price = (m: string) =>
    db
      .prepare<[string], { i: number; o: number; cr: number; cw: number }>(
        `SELECT input_per_mtok_micros AS i, output_per_mtok_micros AS o, cache_read_per_mtok_micros AS cr, cache_write_per_mtok_micros AS cw
         FROM price_catalog WHERE provider = 'anthropic' AND model_id = ?`,
      )
      .get(m)!;
  const a = price(SWAP_TO);
  const b = price(toModel);
  // Σ tokens_i × price_i per kind, over 28 days
  const costA = (t.i * a.i + t.o * a.o + t.cr * a.cr + t.cw * a.cw) / 1e6;
  const costB = (t.i * b.i + t.o * b.o + t.cr * b.cr + t.cw * b.cw) / 1e6;
  const account = db.prepare<[number, string, string], { s: number }>(
    "SELECT sum(billed_cost_micros) AS s FROM usage_records WHERE charge_category = 'usage' AND account_id = (SELECT DISTINCT account_id FROM usage_records WHERE workload_id = ?) AND day BETWEEN ? AND ?",
  ).get(reviewId, from, asOf)!.s;
  return { ratio: costB / costA, deltaPerDay: (costB - costA) / 28, burnPerDay: account / 28 };
}

const block = (o: Outlook, name: string) => o.blocks.find((b) => b.name === name)!;
const review = (o: Outlook) => o.workloads.find((w) => w.workloadId === reviewId)!;

describe('a model swap on the demo moves the depletion date as a hand calculation from the token mix says', () => {
  const PREPAID = 'Anthropic prepaid 2026-04';
  const PROMO = 'Anthropic promotional credit 2026-09';

  async function expectations(toModel: string) {
    const h = handCalc(toModel);
    const ledger = await engine.invoke('ledger-get', {});
    const R = ledger.blocks.find((b) => b.name === PREPAID)!.remainingMicros;
    const det = await run({ deterministic: true, horizonDays: 365, scenarios: [swapTo(toModel)] });
    const base = det.baseline;
    const sc = det.scenarios[0];
    expect(sc.warnings).toEqual([]);
    // Every Anthropic workload draws the promotional credit (priority 1) until it expires, so the
    // prepaid block is untouched until then; from that day the whole account burns it.
    const drawFrom = block(base, PROMO).expiresOn!;
    const untilDraw = daysBetween(det.startDay, drawFrom);
    // (fan samples are kept as 32-bit floats: equal to R within a millionth)
    expect(Math.abs(block(base, PREPAID).fan.p50[untilDraw - 1] - R)).toBeLessThan(R * 1e-6);
    expect(Math.abs(block(sc, PREPAID).fan.p50[untilDraw - 1] - R)).toBeLessThan(R * 1e-6);
    // The block depletes on the day the cumulative burn reaches R: after R / burn days.
    const baseDays = R / h.burnPerDay;
    const swapDays = R / (h.burnPerDay + h.deltaPerDay);
    return { h, R, det, drawFrom, baseDays, swapDays, expectedShift: swapDays - baseDays };
  }

  it('Code Review Bot claude-sonnet-4-5 → claude-opus-4-5 from today: the prepaid block runs dry ~8 days earlier', async () => {
    const { h, det, drawFrom, baseDays, swapDays, expectedShift } = await expectations('claude-opus-4-5');
    // the cost ratio is the catalog prices over the workload's own token mix (Opus 4.5 is 5/3 of Sonnet 4.5 on every kind)
    expect(h.ratio).toBeCloseTo(5 / 3, 9);
    expect(review(det.scenarios[0]).expectedSpendMicros / review(det.baseline).expectedSpendMicros).toBeCloseTo(h.ratio, 9);
    // by hand: R = $7,801, burn $271/day, +$105/day → 28.8 days vs 20.8 days: 8.0 days earlier
    expect(expectedShift).toBeLessThan(-7);
    const base = block(det.baseline, PREPAID);
    const shift = det.scenarios[0].blockDeltas.find((d) => d.blockId === base.blockId)!.p50ShiftDays!;
    // deterministic (median path, no noise): within a day of the hand calculation (daily granularity, weekday pattern)
    expect(Math.abs(shift - expectedShift)).toBeLessThanOrEqual(1);
    expect(Math.abs(daysBetween(drawFrom, base.p50!) + 1 - baseDays)).toBeLessThanOrEqual(1);
    expect(Math.abs(daysBetween(drawFrom, block(det.scenarios[0], PREPAID).p50!) + 1 - swapDays)).toBeLessThanOrEqual(1);
    // with the full Monte Carlo (2,000 paths) the median shift stays within two days of it
    const mc = await run({ paths: 2000, horizonDays: 365, seed: 11, scenarios: [swapTo('claude-opus-4-5')] });
    const mcShift = mc.scenarios[0].blockDeltas.find((d) => d.blockId === base.blockId)!.p50ShiftDays!;
    expect(Math.abs(mcShift - expectedShift)).toBeLessThanOrEqual(2);
    console.info(`swap to Opus 4.5: hand calc ${expectedShift.toFixed(2)} d, deterministic ${shift} d, Monte Carlo P50 ${mcShift} d`);
  });

  it('the cheaper claude-haiku-4-5 moves it ~18 days later, again as the hand calculation says', async () => {
    const { h, det, expectedShift } = await expectations('claude-haiku-4-5');
    expect(h.ratio).toBeCloseTo(1 / 3, 9);
    const base = block(det.baseline, PREPAID);
    const shift = det.scenarios[0].blockDeltas.find((d) => d.blockId === base.blockId)!.p50ShiftDays!;
    expect(expectedShift).toBeGreaterThan(15);
    // The hand calculation holds the trailing four weeks' burn flat; the model extrapolates the
    // demo's growth (20–40% a year), worth about two days over the ~47 days the block now lasts,
    // so the simulated shift is up to three days shorter, never longer.
    expect(shift).toBeGreaterThan(expectedShift - 3);
    expect(shift).toBeLessThanOrEqual(expectedShift + 0.5);
    console.info(`swap to Haiku 4.5: hand calc ${expectedShift.toFixed(2)} d, deterministic ${shift} d`);
  });

  it('prices the mix, not a flat multiplier: a cache-heavy mix costs more on gpt-4o although its input and output prices are lower', async () => {
    const det = await run({ deterministic: true, horizonDays: 90, scenarios: [swapTo('gpt-4o')] });
    const ratio = review(det.scenarios[0]).expectedSpendMicros / review(det.baseline).expectedSpendMicros;
    const db = engine.ctx.db;
    const t = db.prepare<[number, string], { i: number; o: number; cr: number; cw: number }>(
      `SELECT sum(input_tokens) AS i, sum(output_tokens) AS o, sum(cache_read_tokens) AS cr, sum(cache_write_tokens) AS cw FROM usage_records WHERE workload_id = ? AND day >= ?`,
    ).get(reviewId, addDays(asOf, -27))!;
    const g = db.prepare<[], { i: number; o: number; cr: number; cw: number | null }>(
      "SELECT input_per_mtok_micros AS i, output_per_mtok_micros AS o, cache_read_per_mtok_micros AS cr, cache_write_per_mtok_micros AS cw FROM price_catalog WHERE provider = 'openai' AND model_id = 'gpt-4o'",
    ).get()!;
    // Sonnet 4.5 $3 / $15 / $0.30 / $3.75; cache writes without a published price are billed as input
    const expected = (t.i * g.i + t.o * g.o + t.cr * g.cr + t.cw * (g.cw ?? g.i)) / (t.i * 3e6 + t.o * 15e6 + t.cr * 0.3e6 + t.cw * 3.75e6);
    expect(g.i).toBeLessThan(3e6);
    expect(g.o).toBeLessThan(15e6);
    expect(ratio).toBeGreaterThan(1);
    expect(ratio).toBeCloseTo(expected, 9);
  });
});

describe('scenario-run', () => {
  const surge: ScenarioInput = { name: 'Agents double', levers: [{ kind: 'surge', target: { kind: 'department', department: 'Support' }, factor: 2, rampDays: 14 }] };

  it('is deterministic for a seed and differs for another seed', async () => {
    const args = { paths: 300, horizonDays: 120, seed: 42, scenarios: [surge] };
    const strip = ({ elapsedMs: _e, ...r }: ScenarioRunResult) => r;
    const a = strip(await run(args));
    const b = strip(await run(args));
    expect(b).toEqual(a);
    const c = strip(await run({ ...args, seed: 43 }));
    expect(c.baseline.blocks.map((x) => x.fan.p50)).not.toEqual(a.baseline.blocks.map((x) => x.fan.p50));
  });

  it('simulates unattributed usage as a workload of its own on the pooled account', async () => {
    const r = await run({ paths: 100, horizonDays: 60 });
    const pooled = r.baseline.workloads.filter((w) => w.workloadId === null);
    expect(pooled.length).toBeGreaterThanOrEqual(1);
    expect(pooled[0].name).toMatch(/^Unattributed \(OpenAI/);
    expect(pooled[0].expectedSpendMicros).toBeGreaterThan(0);
  });

  it('finishes 2,000 paths × 365 days of the baseline and four scenarios in a few seconds, reporting progress on the way', async () => {
    const four = [surge, swapTo('claude-opus-4-5'), swapTo('claude-haiku-4-5'), { name: 'Top-up', levers: [{ kind: 'top-up' as const, day: addDays(asOf, 30), accountId: 2, amountMicros: 5_000_000_000 }] }];
    const t0 = performance.now();
    const job = await engine.invoke('scenario-run', { paths: 2000, horizonDays: 365, seed: 1, scenarios: four });
    const seen: number[] = [];
    const done = await engine.ctx.jobs.wait(job.id, (j) => seen.push(j.progress.percent), 1);
    const ms = performance.now() - t0;
    expect(done.state).toBe('done');
    const r = done.result as ScenarioRunResult;
    expect(r.scenarios).toHaveLength(4);
    expect(r.days).toHaveLength(365);
    expect(r.baseline.blocks[0].fan.p50).toHaveLength(365);
    // the engine stayed responsive: polls ran between the runs and saw the percentage climb
    expect(seen.filter((p) => p > 0 && p < 100).length).toBeGreaterThanOrEqual(3);
    // about 1 s on an idle two-core machine; the bound leaves room for a loaded CI runner
    expect(ms).toBeLessThan(20_000);
    console.info(`scenario-run 5 × 2,000 paths × 365 days: ${Math.round(ms)} ms (simulation ${r.elapsedMs} ms), progress seen ${[...new Set(seen)].join(', ')}`);
  });
});

describe('backtest-get on the demo', () => {
  it('beats the month-to-date line and the trailing 30-day average, with P10–P90 covering about 80% of held-out days', async () => {
    const v = await engine.invoke('backtest-get', {});
    const o = v.overall;
    expect(o.scoredDays).toBeGreaterThan(500);
    expect(o.model.wape).toBeLessThan(o.mtd.wape);
    expect(o.model.wape).toBeLessThan(o.trailing30.wape);
    expect(o.model.mae).toBeLessThan(Math.min(o.mtd.mae, o.trailing30.mae));
    expect(o.coverage).toBeGreaterThan(0.7);
    expect(o.coverage).toBeLessThan(0.9);
    // per workload too, for every workload scored
    for (const w of v.workloads) expect(w.model.wape, w.name).toBeLessThan(Math.min(w.mtd.wape, w.trailing30.wape));
    const f = (x: number) => `${(x * 100).toFixed(1)}%`;
    console.info(`backtest cut ${v.cutDay}: WAPE model ${f(o.model.wape)}, month-to-date ${f(o.mtd.wape)}, trailing 30 d ${f(o.trailing30.wape)}; coverage ${f(o.coverage)} over ${o.scoredDays} workload-days`);
  });

  it('holds on another cut and refuses a cut without enough history', async () => {
    const v = await engine.invoke('backtest-get', { cutDate: '2026-10-15' });
    expect(v.cutDay).toBe('2026-10-15');
    expect(v.overall.model.wape).toBeLessThan(Math.min(v.overall.mtd.wape, v.overall.trailing30.wape));
    await expect(engine.invoke('backtest-get', { cutDate: '2025-11-30' })).rejects.toThrow(/cut date between/);
  });
});
