import fs from 'node:fs';
import { createEngine } from '../../engine/engine';
import { resolveDbPath } from '../../engine/paths';
import { RefusedError } from '../../engine/errors';
import { DB_OPTION, UsageError, type Command, type CliIo } from '../command';
import { scenarioFromJson, type Scenario } from '../../../shared/forecast/scenario';
import { displayMoney } from '../../../shared/money';
import type { Outlook, ScenarioRunResult } from '../../../shared/api/scenario-types';

/**
 * drawdown simulate: the baseline forecast (and a scenario from a JSON file) through the same
 * scenario-run job the Scenarios screen starts, so the numbers are the ones the UI shows.
 */

function whole(v: unknown, option: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v) || n < min || n > max) throw new UsageError(`--${option} expects a whole number from ${min} to ${max}, got "${String(v)}".`);
  return n;
}

function readScenario(file: unknown): Scenario | undefined {
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(String(file), 'utf8');
  } catch (e) {
    throw new RefusedError(`Cannot read the scenario file ${String(file)}: ${(e as Error).message}`);
  }
  const parsed = scenarioFromJson(text);
  if (!parsed.ok) throw new RefusedError(`${String(file)} is not a Drawdown scenario: ${parsed.error}`);
  return parsed.value;
}

/** What --json prints per run: the numbers of the comparison table, without the fan charts. */
export function compactRun(o: Outlook) {
  return {
    label: o.label,
    blocks: o.blocks.map((b) => ({
      blockId: b.blockId,
      name: b.name,
      accountId: b.accountId,
      unit: b.unit,
      expiresOn: b.expiresOn,
      startRemainingMicros: b.startRemainingMicros,
      p10: b.p10,
      p50: b.p50,
      p90: b.p90,
      probDry: b.probDry,
      probDryBeforeExpiry: b.probDryBeforeExpiry,
      expectedWasteMicros: b.expectedWasteMicros,
      expectedRemainingMicros: b.expectedRemainingMicros,
    })),
    accounts: o.accounts.map((a) => ({
      accountId: a.accountId,
      name: a.name,
      unit: a.unit,
      p10: a.p10,
      p50: a.p50,
      p90: a.p90,
      probDry: a.probDry,
      probDryBeforeRenewal: a.probDryBeforeRenewal,
      nextRenewal: a.nextRenewal,
      expectedWasteMicros: a.expectedWasteMicros,
      expectedOverageMicros: a.expectedOverageMicros,
      p90OverageMicros: a.p90OverageMicros,
    })),
    warnings: o.warnings,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

function printRun(o: Outlook, io: CliIo): void {
  io.out(`\n${o.label}`);
  for (const b of o.blocks) {
    io.out(
      `  ${b.name.padEnd(42)} dry P10/P50/P90 ${b.p10 ?? '—'} / ${b.p50 ?? '—'} / ${b.p90 ?? '—'}  P(dry before expiry) ${pct(b.probDryBeforeExpiry)}  expected waste ${displayMoney(Math.round(b.expectedWasteMicros), b.unit)}`,
    );
  }
  for (const a of o.accounts) io.out(`  ${a.name.padEnd(42)} runs dry P50 ${a.p50 ?? '—'}  expected overage ${displayMoney(Math.round(a.expectedOverageMicros), a.unit)}`);
  for (const w of o.warnings) io.out(`  warning: ${w}`);
}

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'Monte Carlo burn forecast per credit block (and a scenario from JSON): depletion P10/P50/P90, dry before expiry, waste, overage',
  usage: 'drawdown simulate --db PATH [--scenario FILE.json] [--paths N] [--horizon DAYS] [--seed S] [--at YYYY-MM-DD] [--json]',
  options: { ...DB_OPTION, scenario: { type: 'string' }, paths: { type: 'string' }, horizon: { type: 'string' }, seed: { type: 'string' }, at: { type: 'string' }, json: { type: 'boolean' } },
  async run(v, _p, io) {
    const paths = whole(v.paths, 'paths', 1, 20_000);
    const horizonDays = whole(v.horizon, 'horizon', 7, 1_095);
    const seed = whole(v.seed, 'seed', 0, 2 ** 31 - 1);
    if (v.at !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(v.at))) throw new UsageError(`--at expects a date as YYYY-MM-DD, got "${String(v.at)}".`);
    const scenario = readScenario(v.scenario);
    const engine = createEngine({ dbPath: resolveDbPath(v.db as string | undefined, io.env), mode: 'cli' });
    try {
      const job = await engine.invoke('scenario-run', { paths, horizonDays, seed, at: v.at as string | undefined, scenarios: scenario ? [scenario] : [] });
      const done = await engine.ctx.jobs.wait(job.id, undefined, 20);
      if (done.state !== 'done') throw new RefusedError(`The simulation did not finish: ${done.message ?? done.state}`);
      const r = done.result as ScenarioRunResult;
      const settings = { asOf: r.asOf, startDay: r.startDay, horizonDays: r.horizonDays, paths: r.paths, seed: r.seed };
      if (v.json) {
        io.out(JSON.stringify({ ...settings, runs: [r.baseline, ...r.scenarios].map(compactRun) }, null, 2));
        return 0;
      }
      io.out(`Forecast from ${r.startDay} for ${r.horizonDays} days, ${r.paths} paths, seed ${r.seed} (history to ${r.asOf})`);
      for (const o of [r.baseline, ...r.scenarios]) printRun(o, io);
      return 0;
    } finally {
      engine.close();
    }
  },
};

export const simulateCommands: Command[] = [simulateCommand];
