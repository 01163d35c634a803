/**
 * recommendation-get: prepaid or post-pay per credit account, by the forecast engineer's
 * recommend() over a year of the account's daily spend per workload and per model, its budget,
 * and the baseline forecast's expected credit expiring unused against the credit it holds.
 */
import type { EngineContext } from '../context';
import { createForecastInputRepo } from '../repos/scenarios';
import { lastUsageDay, loadForecastBase } from './forecast-input';
import { fittedWorkloads, runOutlook, settingsOf } from './forecast';
import { workloadPath } from './ledger-report';
import { recommend, type RecommendWorkload } from '../../../shared/forecast/recommend';
import { addDays, daysBetween } from '../../../shared/dates';
import type { AccountRecommendation } from '../../../shared/api/scenario-types';

/** A year of history: long enough for a P95 month and a model-mix history. */
const WINDOW_DAYS = 365;
/** Paths for the waste estimate: its mean is stable to well under a percent at this count. */
const WASTE_PATHS = 500;

export function recommendations(ctx: EngineContext, at?: string): AccountRecommendation[] {
  const repo = createForecastInputRepo(ctx.db);
  const asOf = at ?? lastUsageDay(ctx.db);
  const first = repo.usageRange().first ?? asOf;
  const from = first > addDays(asOf, -(WINDOW_DAYS - 1)) ? first : addDays(asOf, -(WINDOW_DAYS - 1));
  const n = daysBetween(from, asOf) + 1;
  const days = Array.from({ length: n }, (_, i) => addDays(from, i));
  const base = loadForecastBase(ctx.db, ctx.dbPath, asOf);
  const s = settingsOf(base, { paths: WASTE_PATHS });
  const outlook = runOutlook(base, s, fittedWorkloads(base), { label: 'Baseline', scenarioId: null });
  const facts = new Map(repo.workloads().map((w) => [w.id, w]));
  const usage = repo.dailyUsage(from, asOf);
  const models = repo.modelDaily(from, asOf);
  return repo.accounts().flatMap((a) => {
    const unit = base.accountInfo.get(a.id)?.unit ?? a.currency;
    const perWorkload = new Map<number | null, Float64Array>();
    for (const r of usage) {
      if (r.accountId !== a.id || r.unit !== unit) continue;
      let row = perWorkload.get(r.workloadId);
      if (!row) perWorkload.set(r.workloadId, (row = new Float64Array(n)));
      row[daysBetween(from, r.day)] += r.amountMicros;
    }
    if (perWorkload.size === 0) return []; // an account without usage has nothing to decide on
    const workloads: RecommendWorkload[] = [...perWorkload].map(([id, dailyCost]) => {
      const f = id === null ? undefined : facts.get(id);
      return { id, name: f ? workloadPath(f) : 'Unattributed usage', dailyCost, agentDriven: !!f?.agent, critical: f?.critical === 1 };
    });
    const modelDailyCost: Record<string, Float64Array> = {};
    for (const m of models) {
      if (m.accountId !== a.id) continue;
      (modelDailyCost[m.modelId] ??= new Float64Array(n))[daysBetween(from, m.day)] += m.amountMicros;
    }
    const acc = outlook.accounts.find((x) => x.accountId === a.id);
    const held = outlook.blocks.filter((b) => b.accountId === a.id).reduce((sum, b) => sum + b.startRemainingMicros, 0);
    const expectedWasteMicros = acc?.expectedWasteMicros ?? 0;
    const r = recommend({ accountId: a.id, days, workloads, modelDailyCost, monthlyBudgetMicros: a.monthlyBudgetMicros, expectedWasteMicros, creditHeldMicros: held });
    return [{ ...r, accountName: a.name, provider: a.provider, expectedWasteMicros, creditHeldMicros: held }];
  });
}
