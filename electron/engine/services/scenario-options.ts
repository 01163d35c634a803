/**
 * scenario-options-get: what the scenario editor offers, from the same ForecastBase a run starts
 * from: workloads (with the accounts they draw on and the models in their token mix),
 * departments, accounts, blocks with credit left, and the price catalog's models.
 */
import type { EngineContext } from '../context';
import { createForecastInputRepo } from '../repos/scenarios';
import { loadForecastBase } from './forecast-input';
import { workloadPath } from './ledger-report';
import { findPrice } from '../../../shared/catalog';
import { normalizeModel } from '../../../shared/models';
import type { ScenarioOptions } from '../../../shared/api/scenario-types';

/** The catalog providers whose ids are the canonical model ids usage is normalised to. */
const FIRST_PARTY = new Set(['anthropic', 'openai', 'google']);

export function scenarioOptions(ctx: EngineContext): ScenarioOptions {
  const repo = createForecastInputRepo(ctx.db);
  const facts = repo.workloads();
  if (!repo.usageRange().last) {
    const accounts = repo.accounts().map((a) => ({ id: a.id, name: a.name, unit: a.currency }));
    return { asOf: null, workloads: [], departments: [...new Set(facts.map((w) => w.department))].sort(), accounts, blocks: [], models: [] };
  }
  const base = loadForecastBase(ctx.db, ctx.dbPath);
  const accountsOf = new Map<number, Set<number>>();
  for (const w of base.workloads) if (w.id !== null) (accountsOf.get(w.id) ?? accountsOf.set(w.id, new Set()).get(w.id)!).add(w.accountId);
  const inUse = new Set(Object.values(base.tokenMix).flatMap((m) => Object.keys(m)));
  const models = new Map<string, ScenarioOptions['models'][number]>();
  const add = (id: string, provider: string, name: string) => {
    const p = findPrice(base.catalog, id, base.startDay);
    if (p && !models.has(id)) models.set(id, { id, provider, name, inUse: inUse.has(id), inputPerMTokMicros: p.inputPerMTokMicros, outputPerMTokMicros: p.outputPerMTokMicros });
  };
  for (const id of [...inUse].sort()) add(id, findPrice(base.catalog, id, base.startDay)?.provider ?? '', id);
  for (const e of base.catalog) {
    // the canonical id only (dated snapshots price the same family), and only models already released
    if (FIRST_PARTY.has(e.provider) && e.effectiveFrom <= base.startDay && normalizeModel(e.modelId, e.provider).modelId === e.modelId) add(e.modelId, e.provider, e.displayName ?? e.modelId);
  }
  return {
    asOf: base.asOf,
    workloads: facts.map((w) => ({
      id: w.id,
      name: workloadPath(w),
      department: w.department,
      accountIds: [...(accountsOf.get(w.id) ?? [])].sort((a, b) => a - b),
      models: Object.keys(base.tokenMix[w.id] ?? {}).sort(),
    })),
    departments: [...new Set(facts.map((w) => w.department))].sort(),
    accounts: [...base.accountInfo].map(([id, a]) => ({ id, name: a.name, unit: a.unit })),
    blocks: base.blocks.map((b) => ({ id: b.id, name: base.blockInfo.get(b.id)?.name ?? `Block ${b.id}`, accountId: b.accountId, unit: b.unit, remainingMicros: base.initialRemaining.get(b.id) ?? b.amountMicros })),
    models: [...models.values()].sort((a, b) => Number(b.inUse) - Number(a.inUse) || a.provider.localeCompare(b.provider) || a.id.localeCompare(b.id)),
  };
}
