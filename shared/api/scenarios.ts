/**
 * Burn forecast, backtest, scenarios and the prepaid-or-post-pay recommendation. Scenario bodies
 * are validated by the forecast's own schema (shared/forecast/scenario.ts) at this boundary.
 */
import { z } from 'zod';
import { handler, NoArgs, Day, Id } from './define';
import type { Job } from '../domain';
import { LeverSchema, ScenarioSchema } from '../forecast/scenario';
import type { ScenarioEntry, ScenarioOptions, ForecastResult, BacktestView, AccountRecommendation } from './scenario-types';

export type * from './scenario-types';

/** At most this many scenarios are compared with the baseline in one run. */
export const MAX_SCENARIOS_PER_RUN = 4;
export const MAX_PATHS = 20_000;
export const MAX_HORIZON_DAYS = 1_095;

const Simulation = {
  /** the last day of history (default: the last usage day) */
  at: Day.optional(),
  horizonDays: z.number().int().min(7).max(MAX_HORIZON_DAYS).optional(),
  paths: z.number().int().min(1).max(MAX_PATHS).optional(),
  seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
  deterministic: z.boolean().optional(),
};

const ScenarioBody = z
  .object({
    id: Id.optional(),
    name: z.string().trim().min(1, 'a scenario needs a name').max(200),
    description: z.string().max(5000).optional(),
    levers: z.array(LeverSchema).max(200),
  })
  .strict();

const RunArgs = z
  .object({
    ...Simulation,
    scenarioIds: z.array(Id).max(MAX_SCENARIOS_PER_RUN, `compare at most ${MAX_SCENARIOS_PER_RUN} scenarios with the baseline at once`).optional(),
    /** scenarios given inline (the CLI's --scenario FILE), not saved */
    scenarios: z.array(ScenarioSchema).max(MAX_SCENARIOS_PER_RUN, `compare at most ${MAX_SCENARIOS_PER_RUN} scenarios with the baseline at once`).optional(),
  })
  .strict()
  .refine((a) => (a.scenarioIds?.length ?? 0) + (a.scenarios?.length ?? 0) <= MAX_SCENARIOS_PER_RUN, {
    message: `compare at most ${MAX_SCENARIOS_PER_RUN} scenarios with the baseline at once`,
  });

export const scenarioApi = {
  'forecast-get': handler(z.object(Simulation).strict())<ForecastResult>(),
  'backtest-get': handler(z.object({ cutDate: Day.optional() }).strict())<BacktestView>(),
  'scenarios-list': handler(NoArgs)<ScenarioEntry[]>(),
  'scenario-options-get': handler(NoArgs)<ScenarioOptions>(),
  'scenario-save': handler(ScenarioBody)<ScenarioEntry>(),
  'scenario-delete': handler(z.object({ id: Id }).strict())<{ deleted: number }>(),
  'scenario-export': handler(z.object({ id: Id }).strict())<{ fileName: string; json: string }>(),
  'scenario-import': handler(z.object({ json: z.string().min(1, 'the file is empty').max(2_000_000) }).strict())<ScenarioEntry>(),
  /** a job: poll job-get; its result is a ScenarioRunResult */
  'scenario-run': handler(RunArgs)<Job>(),
  'recommendation-get': handler(z.object({ at: Day.optional() }).strict())<AccountRecommendation[]>(),
};
