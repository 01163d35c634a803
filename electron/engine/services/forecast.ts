/**
 * The burn forecast as the screens, the CLI and the tests see it: one call of the forecast
 * engineer's simulate() per run (baseline or scenario) over a ForecastBase, mapped to the API's
 * named, per-block and per-account outlooks. Everything that shows a depletion date goes
 * through runOutlook, so the UI, the CLI and scenario-run give the same numbers.
 */
import type { EngineContext } from '../context';
import { loadForecastBase, type ForecastBase } from './forecast-input';
import { simulate, type SimulationInput, type SimulationResult, type SimWorkload } from '../../../shared/forecast/simulate';
import { simulateSplit, type PathHelpers } from './simulate-split';
import { fitModel } from '../../../shared/forecast/model';
import type { LeverOf, ModelPrice, Scenario } from '../../../shared/forecast/scenario';
import { findPrice } from '../../../shared/catalog';
import { addDays } from '../../../shared/dates';
import type { ForecastResult, ForecastSettings, Outlook, BlockOutlook, AccountOutlook, WorkloadOutlook } from '../../../shared/api/scenario-types';

export const DEFAULT_HORIZON_DAYS = 365;
export const DEFAULT_PATHS = 1_000;
export const DEFAULT_SEED = 1;

export interface SimulationArgs {
  at?: string;
  horizonDays?: number;
  paths?: number;
  seed?: number;
  deterministic?: boolean;
}

export function settingsOf(base: ForecastBase, a: SimulationArgs): ForecastSettings {
  const horizonDays = a.horizonDays ?? DEFAULT_HORIZON_DAYS;
  const deterministic = a.deterministic ?? false;
  return {
    asOf: base.asOf,
    startDay: base.startDay,
    horizonDays,
    // every path of a noise-free run is the median path: one is enough
    paths: deterministic ? 1 : (a.paths ?? DEFAULT_PATHS),
    seed: a.seed ?? DEFAULT_SEED,
    deterministic,
    days: Array.from({ length: horizonDays }, (_, i) => addDays(base.startDay, i)),
  };
}

/** Fits every workload's model once per base so the baseline and each scenario sample the same models. */
export function fittedWorkloads(base: ForecastBase): SimWorkload[] {
  return base.workloads.map((w) => ({ ...w, model: w.model ?? fitModel(w.history, w.historyDays, w.excludedDays) }));
}

/** Catalog prices (first-party, as of the start) of every model a run may price. */
export function pricesFor(base: ForecastBase, scenario: Scenario | undefined): Record<string, ModelPrice> {
  const models = new Set<string>();
  for (const mixes of Object.values(base.tokenMix)) for (const m of Object.keys(mixes)) models.add(m);
  for (const l of scenario?.levers ?? []) {
    if (l.kind === 'model-swap') models.add(l.fromModel).add(l.toModel);
    if (l.kind === 'price-change') models.add(l.model);
    if (l.kind === 'new-workload' && l.model) models.add(l.model);
  }
  const out: Record<string, ModelPrice> = {};
  for (const m of models) {
    const e = findPrice(base.catalog, m, base.startDay);
    if (e) out[m] = { input: e.inputPerMTokMicros, output: e.outputPerMTokMicros, cacheRead: e.cacheReadPerMTokMicros, cacheWrite: e.cacheWritePerMTokMicros };
  }
  return out;
}

export interface RunHooks {
  onProgress?: (done: number, total: number) => void;
  shouldCancel?: () => boolean;
}

export interface RunSpec {
  label: string;
  scenarioId: number | null;
  scenario?: Scenario;
}

/** One simulation over the base: the baseline when spec.scenario is absent. */
export function runOutlook(base: ForecastBase, s: ForecastSettings, workloads: SimWorkload[], spec: RunSpec, hooks: RunHooks = {}): Outlook {
  return toOutlook(base, simulate(simulationInput(base, s, workloads, spec, hooks)), spec);
}

/** runOutlook with the paths shared between this thread and the helper threads (see simulate-split.ts). */
export async function runOutlookSplit(base: ForecastBase, s: ForecastSettings, workloads: SimWorkload[], spec: RunSpec, hooks: RunHooks, helpers: PathHelpers | null): Promise<Outlook> {
  return toOutlook(base, await simulateSplit(simulationInput(base, s, workloads, spec, hooks), helpers), spec);
}

function simulationInput(base: ForecastBase, s: ForecastSettings, workloads: SimWorkload[], spec: RunSpec, hooks: RunHooks): SimulationInput {
  const scenario = spec.scenario;
  return {
    blocks: base.blocks,
    allocations: base.allocations,
    workloads,
    startDay: s.startDay,
    horizonDays: s.horizonDays,
    paths: s.paths,
    seed: s.seed,
    scenario,
    tokenMix: base.tokenMix,
    prices: pricesFor(base, scenario),
    departments: base.departments,
    initialRemaining: base.initialRemaining,
    initialAllocationLeft: base.initialAllocationLeft,
    renewals: base.renewals,
    deterministic: s.deterministic,
    onProgress: hooks.onProgress,
    shouldCancel: hooks.shouldCancel,
  };
}

function toOutlook(base: ForecastBase, r: SimulationResult, spec: RunSpec): Outlook {
  const topUps = (spec.scenario?.levers ?? []).filter((l): l is LeverOf<'top-up'> => l.kind === 'top-up');
  const blocks: BlockOutlook[] = r.blocks.map(({ fan, ...b }) => {
    const info = base.blockInfo.get(b.blockId);
    const source = base.blocks.find((x) => x.id === b.blockId);
    const topUp = b.isTopUp ? topUps[-b.blockId - 1] : undefined;
    return {
      ...b,
      fan,
      name: info?.name ?? (topUp ? `Top-up ${topUp.day} (scenario)` : `Top-up block ${-b.blockId} (scenario)`),
      unit: source?.unit ?? base.accountInfo.get(b.accountId)?.unit ?? 'USD',
      kind: source?.kind ?? 'purchased',
      startRemainingMicros: base.initialRemaining.get(b.blockId) ?? source?.amountMicros ?? (topUp?.amountMicros ?? 0),
    };
  });
  const accounts: AccountOutlook[] = r.accounts.map((a) => ({
    ...a,
    name: base.accountInfo.get(a.accountId)?.name ?? `Account ${a.accountId}`,
    unit: base.accountInfo.get(a.accountId)?.unit ?? 'USD',
  }));
  const workloads: WorkloadOutlook[] = r.workloads.map((w) => ({
    workloadId: w.workloadId,
    accountId: w.accountId,
    name: w.isNew ? `${w.name ?? 'New workload'} (new)` : w.workloadId === null ? `Unattributed (${base.accountInfo.get(w.accountId)?.name ?? w.accountId})` : (base.workloadNames.get(w.workloadId) ?? `Workload ${w.workloadId}`),
    isNew: w.isNew,
    expectedSpendMicros: w.expectedSpendMicros,
    p10SpendMicros: w.p10SpendMicros,
    p50SpendMicros: w.p50SpendMicros,
    p90SpendMicros: w.p90SpendMicros,
    expectedOverageMicros: w.expectedOverageMicros,
  }));
  return { label: spec.label, scenarioId: spec.scenarioId, blocks, accounts, workloads, warnings: r.warnings };
}

/** forecast-get: the baseline alone, computed in the call (a few hundred milliseconds on the demo). */
export function forecastGet(ctx: EngineContext, a: SimulationArgs): ForecastResult {
  const base = loadForecastBase(ctx.db, ctx.dbPath, a.at);
  const s = settingsOf(base, a);
  return { ...s, baseline: runOutlook(base, s, fittedWorkloads(base), { label: 'Baseline', scenarioId: null }) };
}
