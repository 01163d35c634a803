/**
 * The scenario area's handlers on the demo: saved scenarios (save, rename, delete, audit), the
 * JSON round trip and its errors, scenario-run's validation, cancel and worker thread, the
 * forecast, the recommendation, and the CLI's simulate giving scenario-run's numbers.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { createEngine, type Engine } from '../../electron/engine/engine';
import { runCli } from '../../electron/cli/main';
import { compactRun } from '../../electron/cli/commands/simulate';
import { tempDbPath, tempDir } from '../helpers';
import type { ScenarioRunResult } from '../../shared/api/scenario-types';
import type { ArgsOf } from '../../shared/api';
import type { Lever } from '../../shared/forecast/scenario';

let engine: Engine;
let dbPath: string;

beforeAll(async () => {
  dbPath = tempDbPath();
  engine = createEngine({ dbPath, mode: 'test' });
  await engine.invoke('demo-load', {});
});
afterAll(() => engine.close());

function cliIo() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), env: {}, rendererDir: '/nonexistent' } };
}

async function runJob(args: ArgsOf<'scenario-run'>): Promise<ScenarioRunResult> {
  const job = await engine.invoke('scenario-run', args);
  const done = await engine.ctx.jobs.wait(job.id, undefined, 5);
  expect(done.state, done.message).toBe('done');
  return done.result as ScenarioRunResult;
}

const LEVERS: Lever[] = [
  { kind: 'model-swap', target: { kind: 'workload', workloadId: 5 }, from: '2026-12-01', fromModel: 'claude-sonnet-4-5', toModel: 'claude-opus-4-5', share: 0.5 },
  { kind: 'surge', target: { kind: 'department', department: 'Support' }, factor: 1.5, rampDays: 7 },
  { kind: 'new-workload', name: 'Sales agent', accountId: 1, dailyCostMicros: 40_000_000, volatility: 0.25, from: '2027-01-04' },
  { kind: 'top-up', day: '2027-01-15', accountId: 2, amountMicros: 10_000_000_000 },
  { kind: 'stop', target: { kind: 'workload', workloadId: 2 }, trigger: { kind: 'before-depletion', marginDays: 7 } },
];

describe('saved scenarios', () => {
  it('saves, lists, renames and deletes a scenario, each step in the audit log', async () => {
    const s = await engine.invoke('scenario-save', { name: 'Q1 plan', description: 'swap and surge', levers: LEVERS });
    expect(s.id).toBeGreaterThan(0);
    expect(s.levers).toHaveLength(5);
    expect((await engine.invoke('scenarios-list', {})).map((x) => x.name)).toContain('Q1 plan');
    const renamed = await engine.invoke('scenario-save', { id: s.id, name: 'Q1 plan v2', description: 'swap and surge', levers: LEVERS.slice(0, 2) });
    expect(renamed).toMatchObject({ id: s.id, name: 'Q1 plan v2' });
    expect(renamed.levers).toHaveLength(2);
    await expect(engine.invoke('scenario-save', { name: 'Q1 plan v2', levers: [] })).rejects.toThrow(/already exists/);
    expect(await engine.invoke('scenario-delete', { id: s.id })).toEqual({ deleted: 1 });
    await expect(engine.invoke('scenario-delete', { id: s.id })).rejects.toThrow(/not found/);
    const actions = (await engine.invoke('audit-list', {})).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['scenario-save', 'scenario-rename', 'scenario-delete']));
  });

  it('refuses an invalid lever at the boundary with the field that is wrong', async () => {
    const r = await engine.call('scenario-save', { name: 'bad', levers: [{ ...LEVERS[0], share: 1.5 }] });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid-argument');
      expect(r.error.message).toMatch(/levers\.0/);
    }
  });

  it('round-trips through JSON: export, import (renamed when the name is taken), same levers', async () => {
    const s = await engine.invoke('scenario-save', { name: 'Round trip', description: 'every kind', levers: LEVERS });
    const exported = await engine.invoke('scenario-export', { id: s.id });
    expect(exported.fileName).toBe('Round-trip.scenario.json');
    const body = JSON.parse(exported.json);
    expect(body).toMatchObject({ version: 1, name: 'Round trip', description: 'every kind' });
    const imported = await engine.invoke('scenario-import', { json: exported.json });
    expect(imported.name).toBe('Round trip (imported)');
    expect(imported.levers).toEqual(s.levers);
    expect(imported.description).toBe('every kind');
    const again = await engine.invoke('scenario-import', { json: exported.json });
    expect(again.name).toBe('Round trip (imported 2)');
    // and exporting the import gives the same body but its name
    expect(JSON.parse((await engine.invoke('scenario-export', { id: imported.id })).json)).toEqual({ ...body, name: 'Round trip (imported)' });
  });

  it('explains what is wrong with a file that is not a scenario', async () => {
    const cases: [string, RegExp][] = [
      ['{ not json', /not JSON/],
      [JSON.stringify({ name: 'x', levers: [{ kind: 'teleport' }] }), /levers\.0/],
      [JSON.stringify({ name: '', levers: [] }), /name/],
      [JSON.stringify({ name: 'x', levers: [{ kind: 'top-up', day: '2027-01-01', amountMicros: 5 }] }), /exactly one of blockId or accountId/],
    ];
    for (const [json, message] of cases) {
      const r = await engine.call('scenario-import', { json });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('invalid-argument');
        expect(r.error.message).toMatch(/not a Drawdown scenario/);
        expect(r.error.message).toMatch(message);
      }
    }
  });
});

describe('scenario-run', () => {
  it('refuses more than four scenarios, unknown ids and out-of-range settings', async () => {
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await engine.invoke('scenario-save', { name: `five ${i}`, levers: [] })).id);
    const five = await engine.call('scenario-run', { scenarioIds: ids });
    expect(five.ok).toBe(false);
    if (!five.ok) expect(five.error.message).toMatch(/at most 4/);
    await expect(engine.invoke('scenario-run', { scenarioIds: [99_999] })).rejects.toThrow(/Scenario 99999 was not found/);
    expect((await engine.call('scenario-run', { paths: 0 })).ok).toBe(false);
    expect((await engine.call('scenario-run', { horizonDays: 5000 })).ok).toBe(false);
  });

  it('compares saved scenarios with the baseline: names, deltas, a top-up block of its own, warnings', async () => {
    const s = await engine.invoke('scenario-save', { name: 'Compare me', levers: LEVERS });
    const r = await runJob({ scenarioIds: [s.id], paths: 200, horizonDays: 180, seed: 3 });
    expect(r.scenarios).toHaveLength(1);
    const sc = r.scenarios[0];
    expect(sc).toMatchObject({ label: 'Compare me', scenarioId: s.id });
    const topUp = sc.blocks.find((b) => b.isTopUp)!;
    expect(topUp).toMatchObject({ name: 'Top-up 2027-01-15 (scenario)', accountId: 2, startRemainingMicros: 10_000_000_000, expiresOn: '2028-01-15' });
    // nothing before it is bought, then drawn down
    const bought = r.days.indexOf('2027-01-15');
    expect(topUp.fan.p50[bought - 1]).toBe(0);
    expect(topUp.fan.p50[bought]).toBeGreaterThan(0);
    expect(topUp.fan.p50[r.days.length - 1]).toBeLessThan(topUp.fan.p50[bought]);
    expect(sc.blockDeltas.map((d) => d.blockId).sort()).toEqual(r.baseline.blocks.map((b) => b.blockId).sort());
    expect(sc.workloads.some((w) => w.isNew && w.name === 'Sales agent (new)')).toBe(true);
    // the surge and the swap burn the OpenAI and Anthropic credit sooner
    for (const d of sc.accountDeltas.filter((a) => a.accountId !== 3)) expect(d.p50ShiftDays).toBeLessThanOrEqual(0);
  });

  it('can be cancelled', async () => {
    const job = await engine.invoke('scenario-run', { paths: 20_000, horizonDays: 1095, scenarios: [{ name: 'big', levers: [] }] });
    await engine.invoke('job-cancel', { id: job.id });
    const done = await engine.ctx.jobs.wait(job.id, undefined, 5);
    expect(done.state).toBe('cancelled');
  });

  it('runs in worker threads when the bundled worker is there (paths shared by two), with the same numbers as inline', async () => {
    const dir = tempDir();
    await build({
      entryPoints: { 'simulate-worker': path.resolve(__dirname, '../../electron/engine/services/simulate-worker.ts') },
      bundle: true, platform: 'node', target: 'node20', format: 'cjs', outdir: dir, outExtension: { '.js': '.cjs' },
      external: ['better-sqlite3', 'electron'], logLevel: 'warning',
    });
    const args = { paths: 600, horizonDays: 200, seed: 9, scenarios: [{ name: 'surge', levers: [LEVERS[1]] }] };
    const inline = await runJob(args);
    process.env.DRAWDOWN_SIMULATE_WORKER = path.join(dir, 'simulate-worker.cjs');
    try {
      const threaded = await runJob(args);
      expect({ ...threaded, elapsedMs: 0 }).toEqual({ ...inline, elapsedMs: 0 });
    } finally {
      delete process.env.DRAWDOWN_SIMULATE_WORKER;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('scenario-options-get', () => {
  it('offers the editor its targets, blocks with credit and priced models, the ones in use first', async () => {
    const o = await engine.invoke('scenario-options-get', {});
    expect(o.asOf).toBe('2026-11-24');
    const review = o.workloads.find((w) => w.name === 'Engineering › Code Review Bot')!;
    expect(review.models).toEqual(['claude-sonnet-4-5']);
    expect(o.departments).toEqual(['Engineering', 'Marketing', 'Security', 'Support']);
    expect(o.blocks.map((b) => b.name)).toContain('Anthropic prepaid 2026-04');
    expect(o.models.slice(0, 4).every((m) => m.inUse)).toBe(true);
    expect(o.models.find((m) => m.id === 'claude-opus-4-5')).toMatchObject({ provider: 'anthropic', inUse: false, inputPerMTokMicros: 5_000_000 });
  });

  it('says there is nothing to forecast on an empty database instead of failing', async () => {
    const empty = createEngine({ dbPath: tempDbPath(), mode: 'test' });
    try {
      expect(await empty.invoke('scenario-options-get', {})).toMatchObject({ asOf: null, workloads: [], blocks: [] });
      await expect(empty.invoke('forecast-get', {})).rejects.toThrow(/no usage to forecast/);
    } finally {
      empty.close();
    }
  });
});

describe('forecast-get and recommendation-get', () => {
  it('gives each block with credit its depletion quantiles, dry-before-expiry probability, waste and a fan chart', async () => {
    const f = await engine.invoke('forecast-get', { paths: 300, horizonDays: 120, seed: 5 });
    expect(f.asOf).toBe('2026-11-24');
    expect(f.startDay).toBe('2026-11-25');
    expect(f.days).toHaveLength(120);
    expect(f.baseline.blocks.length).toBeGreaterThan(0);
    for (const b of f.baseline.blocks) {
      expect(b.fan.p10).toHaveLength(120);
      expect(b.fan.p10[60]).toBeLessThanOrEqual(b.fan.p50[60]);
      expect(b.fan.p50[60]).toBeLessThanOrEqual(b.fan.p90[60]);
      expect(b.startRemainingMicros).toBeGreaterThan(0);
    }
    // the promotional credit expires on 2026-12-15 with credit left: that is the expected waste
    const promo = f.baseline.blocks.find((b) => b.name === 'Anthropic promotional credit 2026-09')!;
    expect(promo.expectedWasteMicros).toBeGreaterThan(10_000_000_000);
    const anthropic = f.baseline.accounts.find((a) => a.accountId === 2)!;
    expect(anthropic.nextRenewal).toBe('2027-04-14');
    expect(anthropic.probDryBeforeRenewal).toBeGreaterThan(0.9);
    // a forecast as of a day after the history would read missing days as days without spend
    await expect(engine.invoke('forecast-get', { at: '2027-01-01' })).rejects.toThrow(/history ends on 2026-11-24/);
  });

  it('recommends prepaid or post-pay per account, with reasons', async () => {
    const recs = await engine.invoke('recommendation-get', {});
    expect(recs.map((r) => r.accountName).sort()).toEqual(['AWS Bedrock billing account', 'Anthropic — Claude org', 'OpenAI — shared production org']);
    for (const r of recs) {
      expect(['prepaid', 'post-pay', 'either']).toContain(r.direction);
      expect(r.reasons.length).toBeGreaterThanOrEqual(4);
      for (const reason of r.reasons) expect(reason.text.length).toBeGreaterThan(10);
    }
    // the Anthropic promotional credit expiring unused counts against prepaid there
    const anthropic = recs.find((r) => r.accountId === 2)!;
    expect(anthropic.reasons.find((x) => x.factor === 'expiry-waste')?.pointsTo).toBe('post-pay');
  });
});

describe('drawdown simulate', () => {
  it('prints the same numbers as scenario-run’s baseline (--json)', async () => {
    const a = cliIo();
    expect(await runCli(['simulate', '--db', dbPath, '--paths', '400', '--horizon', '200', '--seed', '17', '--json'], a.io)).toBe(0);
    const printed = JSON.parse(a.out.join('\n'));
    const r = await runJob({ paths: 400, horizonDays: 200, seed: 17 });
    expect(printed.runs).toHaveLength(1);
    expect(printed.runs[0]).toEqual(compactRun(r.baseline));
    expect(printed).toMatchObject({ asOf: r.asOf, startDay: r.startDay, paths: 400, horizonDays: 200, seed: 17 });
    expect(printed.runs[0].blocks[0]).toHaveProperty('probDryBeforeExpiry');
  });

  it('runs a scenario file next to the baseline, and explains a bad file or option', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'swap.json');
    fs.writeFileSync(file, JSON.stringify({ name: 'From file', levers: [LEVERS[0]] }));
    const a = cliIo();
    expect(await runCli(['simulate', '--db', dbPath, '--scenario', file, '--paths', '100', '--horizon', '60', '--json'], a.io)).toBe(0);
    expect(JSON.parse(a.out.join('\n')).runs.map((x: { label: string }) => x.label)).toEqual(['Baseline', 'From file']);
    const text = cliIo();
    expect(await runCli(['simulate', '--db', dbPath, '--paths', '100', '--horizon', '60'], text.io)).toBe(0);
    expect(text.out.join('\n')).toMatch(/dry P10\/P50\/P90/);
    fs.writeFileSync(file, '{"name": "x", "levers": [{"kind": "surge"}]}');
    const bad = cliIo();
    expect(await runCli(['simulate', '--db', dbPath, '--scenario', file], bad.io)).toBe(1);
    expect(bad.err.join('\n')).toMatch(/not a Drawdown scenario/);
    const usage = cliIo();
    expect(await runCli(['simulate', '--db', dbPath, '--paths', 'many'], usage.io)).toBe(2);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
