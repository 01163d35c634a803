/**
 * Result types of the forecast and scenario area. Money is integer micro-units of the block's
 * unit (fractional where it is a mean over Monte Carlo paths), days are YYYY-MM-DD.
 */
import type { Lever } from '../forecast/scenario';
import type { BlockKind } from '../domain';
import type { Recommendation } from '../forecast/recommend';
import type { DepletionHistogram } from '../forecast/simulate-stats';

export type { Recommendation, Reason } from '../forecast/recommend';

export interface ScenarioEntry {
  id: number;
  name: string;
  description: string;
  levers: Lever[];
  createdAt: string;
  updatedAt: string;
}

/** What the scenario editor offers: targets, blocks and catalog models. */
export interface ScenarioOptions {
  /** the last day of history; null when there is no usage yet */
  asOf: string | null;
  workloads: { id: number; name: string; department: string; accountIds: number[]; models: string[] }[];
  departments: string[];
  accounts: { id: number; name: string; unit: string }[];
  /** blocks with credit left (or bought later) as of asOf */
  blocks: { id: number; name: string; accountId: number; unit: string; remainingMicros: number }[];
  /** priced models: the ones in use first, then the first-party catalog's current ids */
  models: { id: string; provider: string; name: string; inUse: boolean; inputPerMTokMicros: number; outputPerMTokMicros: number }[];
}

/** P10/P50/P90 of the end-of-day balance, one value per forecast day. */
export interface FanSeries {
  p10: number[];
  p50: number[];
  p90: number[];
}

/** Depletion outcome shared by blocks and accounts. */
export interface DepletionView {
  /** depletion date quantiles over paths; null: fewer paths than that run dry within the horizon */
  p10: string | null;
  p50: string | null;
  p90: string | null;
  probDry: number;
  probDryBeforeExpiry: number;
  /** the credit expires after the horizon: probDryBeforeExpiry only sees the horizon */
  expiryBeyondHorizon: boolean;
  nextRenewal: string | null;
  probDryBeforeRenewal: number | null;
  expectedWasteMicros: number;
  p90WasteMicros: number;
  expectedRemainingMicros: number;
  /** paths per ISO week in which credit runs out (counts[i]: the week from weekStart + 7·i), and those where it does not within the horizon */
  histogram: DepletionHistogram;
  fan: FanSeries;
}

export interface BlockOutlook extends DepletionView {
  blockId: number;
  name: string;
  accountId: number;
  unit: string;
  kind: BlockKind;
  expiresOn: string | null;
  /** added by a top-up lever: not in the database */
  isTopUp: boolean;
  /** usable balance on the first forecast day (the ledger's remaining as of the day before) */
  startRemainingMicros: number;
}

export interface AccountOutlook extends DepletionView {
  accountId: number;
  name: string;
  unit: string;
  blockIds: number[];
  expectedOverageMicros: number;
  p90OverageMicros: number;
  probOverage: number;
}

export interface WorkloadOutlook {
  /** null: the account's unattributed usage, simulated as a workload of its own */
  workloadId: number | null;
  accountId: number;
  name: string;
  isNew: boolean;
  expectedSpendMicros: number;
  p10SpendMicros: number;
  p50SpendMicros: number;
  p90SpendMicros: number;
  expectedOverageMicros: number;
}

/** One simulated run: the baseline or a scenario. */
export interface Outlook {
  label: string;
  /** null for the baseline and for a scenario given inline (not saved) */
  scenarioId: number | null;
  blocks: BlockOutlook[];
  accounts: AccountOutlook[];
  workloads: WorkloadOutlook[];
  warnings: string[];
}

export interface ForecastSettings {
  /** the ledger's as-of day: the last day of history */
  asOf: string;
  /** the first forecast day (asOf + 1) */
  startDay: string;
  horizonDays: number;
  paths: number;
  seed: number;
  /** the median path only: no noise, no parameter error, no spikes */
  deterministic: boolean;
  /** one per forecast day; the fans are aligned with it */
  days: string[];
}

export interface ForecastResult extends ForecastSettings {
  baseline: Outlook;
}

export interface BlockDelta {
  blockId: number;
  /** scenario minus baseline, in days; null when either never runs dry within the horizon */
  p10ShiftDays: number | null;
  p50ShiftDays: number | null;
  p90ShiftDays: number | null;
  probDryBeforeExpiry: number;
  expectedWasteMicros: number;
  expectedRemainingMicros: number;
}

export interface AccountDelta {
  accountId: number;
  p50ShiftDays: number | null;
  probDry: number;
  probDryBeforeExpiry: number;
  expectedWasteMicros: number;
  expectedOverageMicros: number;
}

export interface ScenarioOutlook extends Outlook {
  blockDeltas: BlockDelta[];
  accountDeltas: AccountDelta[];
}

export interface ScenarioRunResult extends ForecastResult {
  scenarios: ScenarioOutlook[];
  elapsedMs: number;
}

// ---------------------------------------------------------------------------------------
// Backtest

export interface BacktestScore {
  /** mean absolute error, micros per day */
  mae: number;
  /** Σ|error| / Σ actual */
  wape: number;
  /** (Σ forecast − Σ actual) / Σ actual */
  bias: number;
}

export interface BacktestMethods {
  model: BacktestScore;
  /** straight-line extrapolation of month-to-date spend */
  mtd: BacktestScore;
  trailing30: BacktestScore;
  /** share of held-out days inside the model's P10–P90 */
  coverage: number;
  scoredDays: number;
  actualMicros: number;
}

export interface BacktestWorkload extends BacktestMethods {
  workloadId: number | null;
  accountId: number;
  name: string;
}

export interface BacktestView {
  cutDay: string;
  lastDay: string;
  /** pooled over every workload-day scored */
  overall: BacktestMethods;
  workloads: BacktestWorkload[];
  /** the organisation's total per held-out day: actual, the sum of the model's medians, the naive methods */
  series: { days: string[]; actual: number[]; model: number[]; mtd: number[]; trailing30: number[] };
  note: string;
}

// ---------------------------------------------------------------------------------------
// Prepaid or post-pay

/** The forecast's recommendation (shared/forecast/recommend.ts) with the account it is for. */
export interface AccountRecommendation extends Recommendation {
  accountName: string;
  provider: string;
  /** the baseline's expected credit expiring unused and the credit held, the waste factor's inputs */
  expectedWasteMicros: number;
  creditHeldMicros: number;
}
