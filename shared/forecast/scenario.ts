/**
 * Scenarios: named sets of levers simulated against the baseline forecast. This file holds the
 * schema (validated at every trust boundary: IPC, files, the CLI), the JSON round trip and the
 * price arithmetic of a model swap. scenario-compile.ts turns a scenario into the per-workload
 * daily cost matrix the simulation uses.
 */
import { z } from 'zod';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const Micros = z.number().int().nonnegative();

/** Which workloads a lever acts on; departments and accounts are resolved by the caller's maps. */
export const TargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('workload'), workloadId: z.number().int() }).strict(),
  z.object({ kind: z.literal('department'), department: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('account'), accountId: z.number().int() }).strict(),
]);
export type Target = z.infer<typeof TargetSchema>;

/** Tokens of one workload on one model over any period (only the proportions matter). */
export const TokenMixSchema = z
  .object({
    inputTokens: z.number().nonnegative(),
    outputTokens: z.number().nonnegative(),
    cacheReadTokens: z.number().nonnegative().default(0),
    cacheWriteTokens: z.number().nonnegative().default(0),
  })
  .strict();
export type TokenMix = z.infer<typeof TokenMixSchema>;

/** Price per million tokens in micro-units; a missing cache price means "billed as input". */
export interface ModelPrice {
  input: number;
  output: number;
  cacheRead?: number | null;
  cacheWrite?: number | null;
}

const ModelSwap = z
  .object({
    kind: z.literal('model-swap'),
    target: TargetSchema,
    from: Day.optional(),
    fromModel: z.string().min(1),
    toModel: z.string().min(1),
    /** share of the fromModel traffic that moves, 0..1 */
    share: z.number().min(0).max(1),
  })
  .strict();

const Surge = z
  .object({
    kind: z.literal('surge'),
    target: TargetSchema,
    from: Day.optional(),
    /** exclusive end; open-ended when absent */
    until: Day.optional(),
    /** days to ramp linearly from no change to the full surge (0: at once) */
    rampDays: z.number().int().nonnegative().default(0),
    /** cost multiplier at full surge */
    factor: z.number().positive().optional(),
    /** or extra calls per day at a cost per call */
    extraCallsPerDay: z.number().nonnegative().optional(),
    costPerCallMicros: z.number().nonnegative().optional(),
  })
  .strict()
  .refine((s) => s.factor !== undefined || (s.extraCallsPerDay !== undefined && s.costPerCallMicros !== undefined), {
    message: 'a surge needs a factor, or extraCallsPerDay with costPerCallMicros',
  });

const NewWorkload = z
  .object({
    kind: z.literal('new-workload'),
    from: Day.optional(),
    name: z.string().min(1),
    accountId: z.number().int(),
    /** the credit unit; default: the unit of the account's blocks */
    unit: z.string().min(1).optional(),
    /** id the new workload gets in results (and other levers' targets); default -1, -2, … */
    workloadId: z.number().int().optional(),
    department: z.string().min(1).optional(),
    dailyCostMicros: Micros.optional(),
    dailyTokens: TokenMixSchema.optional(),
    model: z.string().min(1).optional(),
    /** log-scale daily noise; default 0.25 (a new workload is less predictable than a fitted one) */
    volatility: z.number().min(0).max(2).default(0.25),
  })
  .strict()
  .refine((w) => w.dailyCostMicros !== undefined || (w.dailyTokens !== undefined && w.model !== undefined), {
    message: 'a new workload needs dailyCostMicros, or dailyTokens with a model',
  });

const PriceChange = z
  .object({
    kind: z.literal('price-change'),
    from: Day.optional(),
    model: z.string().min(1),
    factor: z.number().positive(),
  })
  .strict();

const TopUp = z
  .object({
    kind: z.literal('top-up'),
    day: Day,
    amountMicros: z.number().int().positive(),
    /** top up like this block (same account, unit, priority and kind), or a whole account */
    blockId: z.number().int().optional(),
    accountId: z.number().int().optional(),
    /** default: 12 months after the day (OpenAI and Anthropic credits), never if the source block never expires */
    expiresOn: Day.nullable().optional(),
    priority: z.number().int().optional(),
  })
  .strict()
  .refine((t) => (t.blockId === undefined) !== (t.accountId === undefined), { message: 'a top-up needs exactly one of blockId or accountId' });

export const TriggerSchema = z.discriminatedUnion('kind', [
  /** the account's balance at the start of a day is below this */
  z.object({ kind: z.literal('balance-below'), micros: Micros }).strict(),
  /** marginDays before the day the account runs dry on the path */
  z.object({ kind: z.literal('before-depletion'), marginDays: z.number().int().nonnegative() }).strict(),
]);
export type Trigger = z.infer<typeof TriggerSchema>;

const Throttle = z
  .object({
    kind: z.literal('throttle'),
    target: TargetSchema,
    from: Day.optional(),
    trigger: TriggerSchema,
    /** cost multiplier once triggered, 0..1 */
    factor: z.number().min(0).max(1),
  })
  .strict();

const Stop = z
  .object({
    kind: z.literal('stop'),
    target: TargetSchema,
    from: Day.optional(),
    trigger: TriggerSchema,
  })
  .strict();

const Reallocate = z
  .object({
    kind: z.literal('reallocate'),
    blockId: z.number().int(),
    fromWorkload: z.number().int(),
    toWorkload: z.number().int(),
    amountMicros: z.number().int().positive(),
  })
  .strict();

/** Splits what is left of a block into allocations, replacing its current ones. */
const SplitPool = z
  .object({
    kind: z.literal('split-pool'),
    blockId: z.number().int(),
    split: z
      .array(
        z
          .object({ workloadId: z.number().int(), amountMicros: Micros.optional(), percent: z.number().min(0).max(100).optional() })
          .strict()
          .refine((s) => (s.amountMicros === undefined) !== (s.percent === undefined), { message: 'give amountMicros or percent' }),
      )
      .min(1),
  })
  .strict();

export const LeverSchema = z.union([ModelSwap, Surge, NewWorkload, PriceChange, TopUp, Throttle, Stop, Reallocate, SplitPool]);
export type Lever = z.infer<typeof LeverSchema>;
export type LeverKind = Lever['kind'];
export type LeverOf<K extends LeverKind> = Extract<Lever, { kind: K }>;

export const ScenarioSchema = z
  .object({
    version: z.literal(1).default(1),
    name: z.string().min(1).max(200),
    description: z.string().max(5000).default(''),
    levers: z.array(LeverSchema).max(200),
  })
  .strict();
export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string; issues: { path: string; message: string }[] };

/** Validates an untrusted value as a scenario; errors as values with a path per issue. */
export function parseScenario(value: unknown): ParseResult<Scenario> {
  const r = ScenarioSchema.safeParse(value);
  if (r.success) return { ok: true, value: r.data };
  const issues = r.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(scenario)', message: i.message }));
  return { ok: false, error: issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues };
}

export function scenarioToJson(s: Scenario): string {
  return JSON.stringify(ScenarioSchema.parse(s), null, 2);
}

export function scenarioFromJson(text: string): ParseResult<Scenario> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = `not JSON: ${(e as Error).message}`;
    return { ok: false, error: message, issues: [{ path: '(file)', message }] };
  }
  return parseScenario(value);
}

// ---------------------------------------------------------------------------------------
// Price arithmetic

/** Cost in micros of a token mix at a price (per million tokens); cache prices fall back to the input price. */
export function mixCost(mix: TokenMix, price: ModelPrice): number {
  const cr = price.cacheRead ?? price.input;
  const cw = price.cacheWrite ?? price.input;
  return (mix.inputTokens * price.input + mix.outputTokens * price.output + (mix.cacheReadTokens ?? 0) * cr + (mix.cacheWriteTokens ?? 0) * cw) / 1e6;
}

/**
 * Cost ratio of moving a workload's own token mix from model A to model B:
 * Σ tokens_i × priceB_i / Σ tokens_i × priceA_i over input, output, cache read, cache write.
 * 1 when the mix costs nothing on A (nothing to scale).
 */
export function modelSwapRatio(mix: TokenMix, priceA: ModelPrice, priceB: ModelPrice): number {
  const a = mixCost(mix, priceA);
  if (!(a > 0)) return 1;
  return mixCost(mix, priceB) / a;
}
