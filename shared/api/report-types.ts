/**
 * Result types of the reconciliation, value, incident and report handlers (shared/api/reports.ts).
 * Words follow the glossary in BRIEF.md; money is integer micro-units of the row's currency;
 * days are YYYY-MM-DD, instants ISO 8601 UTC, periods YYYY-MM.
 */
import type { Comparison, VarianceCause, ValueTrend } from '../reconcile';
import type { NewModelFinding, ProbeBurstFinding, Granularity } from '../anomaly';
import type { MatchedBy, TimelineMarkKind } from '../correlate';
import type { Posture } from './ledger-types';

export type ReportKind = 'reconciliation' | 'incidents' | 'forecast' | 'summary';
export const REPORT_KINDS: readonly ReportKind[] = ['reconciliation', 'incidents', 'forecast', 'summary'];

/** The tables of each report, each exportable as CSV (report-csv's `table`). */
export const REPORT_TABLES: Record<ReportKind, readonly string[]> = {
  reconciliation: ['periods', 'variances', 'causes', 'value', 'value-trends'],
  incidents: ['incidents', 'spikes', 'unexplained', 'level-shifts', 'top-ups', 'new-models', 'probes'],
  forecast: ['blocks', 'accounts', 'burn', 'outlook'],
  summary: ['headline', 'spend', 'controls', 'frameworks', 'findings'],
};

// ---------------------------------------------------------------------------------------
// Reconciliation

export interface ReconPeriodRow {
  period: string;
  accountId: number;
  accountName: string;
  currency: string;
  currencies: string[];
  creditsBoughtMicros: number;
  blocksRecordedMicros: number;
  consumedMicros: number;
  invoicedMicros: number;
  usageBilledMicros: number;
  catalogCostMicros: number;
  unpricedRows: number;
  /** every comparison of the row within tolerance */
  reconciled: boolean;
  /**
   * reconciled: every comparison within tolerance; explained: some beyond it, but the causes found
   * account for each (what is left unexplained is within tolerance), e.g. promotional credits or a
   * month not invoiced yet; variance: money no cause accounts for.
   */
  status: 'reconciled' | 'explained' | 'variance';
  signoff: { by: string; at: string; note: string | null } | null;
}

export interface ReconCause {
  cause: VarianceCause;
  amountMicros: number;
  /** groups of usage rows (account · day · model) or lines the cause was found on */
  rows: number;
  explanation: string;
}

export interface ReconVariance {
  period: string;
  accountId: number;
  accountName: string;
  currency: string;
  comparison: Comparison;
  expectedLabel: string;
  actualLabel: string;
  expectedMicros: number;
  actualMicros: number;
  varianceMicros: number;
  withinTolerance: boolean;
  causes: ReconCause[];
  unexplainedMicros: number;
}

export interface ReconTotals {
  currency: string;
  creditsBoughtMicros: number;
  blocksRecordedMicros: number;
  consumedMicros: number;
  invoicedMicros: number;
  catalogCostMicros: number;
  usageBilledMicros: number;
}

export interface Reconciliation {
  /** whole months: the first day of the first period and the last day of the last */
  from: string;
  to: string;
  periods: string[];
  accounts: { accountId: number; accountName: string; provider: string }[];
  rows: ReconPeriodRow[];
  variances: ReconVariance[];
  totals: ReconTotals[];
  tolerance: { absMicros: number; relative: number };
  notes: string[];
}

export interface ValueMetricEntry {
  id: number;
  workloadId: number;
  workloadPath: string;
  period: string;
  metric: string;
  units: number;
  valuePerUnitMicros: number;
  createdAt: string;
}

export interface ValueRowView {
  workloadId: number;
  workloadPath: string;
  period: string;
  metric: string;
  units: number;
  costMicros: number;
  valueMicros: number;
  costPerUnitMicros: number | null;
  valueToCost: number | null;
}

/** shared/reconcile.ts's ValueTrend with the workload's id as stored and its path for display. */
export interface ValueTrendView extends Omit<ValueTrend, 'workloadId'> {
  workloadId: number;
  workloadPath: string;
}

export interface ValueReport {
  from: string;
  to: string;
  currency: string;
  rows: ValueRowView[];
  trends: ValueTrendView[];
  outgrowing: ValueTrendView[];
}

export interface Signoff {
  id: number;
  accountId: number;
  accountName: string;
  period: string;
  signedBy: string;
  signedAt: string;
  note: string | null;
}

// ---------------------------------------------------------------------------------------
// Incidents

export type SpikeStartBasis = 'day' | 'hour' | 'new-model' | 'probe';

export interface SpikeView {
  /** stable id within one report: dimension:key:start */
  id: string;
  dimension: 'apiKey' | 'workload';
  seriesKey: string;
  /** the key, or the workload's path */
  label: string;
  accountId: number | null;
  accountName: string | null;
  granularity: Granularity;
  start: string;
  end: string;
  /** refined start: the first hot hour or an attack precursor when the data allows */
  startAt: string;
  endAt: string;
  startBasis: SpikeStartBasis;
  buckets: number;
  peak: string;
  peakMicros: number;
  spendMicros: number;
  baselineMicros: number;
  excessMicros: number;
  score: number;
}

export interface TopUpView {
  blockId: number;
  blockName: string;
  accountId: number;
  accountName: string;
  purchasedOn: string;
  amountMicros: number;
  unit: string;
  kind: 'auto-recharge' | 'top-up' | 'purchase';
}

export interface TimelineView {
  granularity: Granularity;
  buckets: string[];
  spendMicros: number[];
  baselineMicros: (number | null)[];
  marks: { kind: TimelineMarkKind; at: string; bucket: string }[];
  /** what the chart sums */
  seriesLabels: string[];
}

export interface IncidentView {
  id: number;
  externalId: string;
  title: string;
  type: string | null;
  severity: string | null;
  status: string | null;
  startedAt: string | null;
  detectedAt: string;
  resolvedAt: string | null;
  targets: { apiKeys: string[]; workloads: string[]; accounts: string[] };
  spikes: { spike: SpikeView; matchedBy: MatchedBy[] }[];
  spikeStart: string | null;
  spikeEnd: string | null;
  detectionLagHours: number | null;
  /** over the seasonal baseline; one dimension only, so the same spend is not counted twice */
  excessMicros: number;
  spendMicros: number;
  topUps: TopUpView[];
  topUpMicros: number;
  autoRechargeMicros: number;
  spendImpact: boolean;
  timeline: TimelineView | null;
  /** hour by hour over the incident's days, where the exports have hourly rows */
  hourly: TimelineView | null;
}

/** One unexplained event: the spikes of a key and of its workload over the same days are one event. */
export interface UnexplainedSpike {
  id: string;
  label: string;
  startAt: string;
  endAt: string;
  excessMicros: number;
  spendMicros: number;
  accountName: string | null;
  spikes: SpikeView[];
  topUps: TopUpView[];
  explanation: string;
}

export interface LevelShift {
  spike: SpikeView;
  preMicros: number;
  runMicros: number;
  postMicros: number;
  /** a new-model finding on the same series around the shift, e.g. a model swap */
  explainedBy: string | null;
}

export interface IncidentsReport {
  from: string;
  to: string;
  incidents: IncidentView[];
  unexplained: UnexplainedSpike[];
  incidentsWithoutSpend: { id: number; externalId: string; title: string }[];
  spikes: SpikeView[];
  levelShifts: LevelShift[];
  newModels: NewModelFinding[];
  probes: ProbeBurstFinding[];
  topUps: TopUpView[];
  method: string[];
}

// ---------------------------------------------------------------------------------------
// Forecast and summary

export interface ForecastBlock {
  blockId: number;
  name: string;
  accountName: string;
  unit: string;
  kind: string;
  expiresOn: string | null;
  purchasedMicros: number;
  consumedMicros: number;
  remainingMicros: number;
  burnPerDayMicros: number;
  runwayDays: number | null;
  /** asOf + runway, or null when the block does not run dry at this burn */
  dryOn: string | null;
  /** credit left on the block when it expires at the current burn */
  expiringUnusedMicros: number;
}

/** The Monte Carlo outlook of the forecast area (forecast-get), where it is available. */
export interface SimulatedOutlook {
  asOf: string;
  horizonDays: number;
  paths: number;
  seed: number;
  accounts: { accountName: string; unit: string; p10: string | null; p50: string | null; p90: string | null; probDry: number; expectedWasteMicros: number; expectedOverageMicros: number; probOverage: number }[];
  blocks: { name: string; unit: string; p10: string | null; p50: string | null; p90: string | null; probDryBeforeExpiry: number; expectedWasteMicros: number; expiresOn: string | null }[];
  warnings: string[];
}

export interface ForecastView {
  asOf: string | null;
  method: 'ledger' | 'simulation';
  methodNote: string;
  simulation: SimulatedOutlook | null;
  blocks: ForecastBlock[];
  accounts: { accountName: string; unit: string; remainingMicros: number; burnPerDayMicros: number; runwayDays: number | null; dryOn: string | null; overageMicros: number }[];
  /** balances per block per day over the window, and straight projections after asOf */
  chart: { days: string[]; lines: { name: string; account: string; balanceMicros: (number | null)[]; projected: boolean }[] };
  totals: { unit: string; remainingMicros: number; expiringUnusedMicros: number; burnPerDayMicros: number }[];
}

export interface FrameworkRow {
  framework: 'NIST CSF 2.0' | 'OWASP NHI Top 10 (2025)' | 'NIST AI RMF 1.0';
  id: string;
  title: string;
  drawdownControl: string;
  status: 'pass' | 'warn' | 'fail' | 'info';
  evidence: string;
}

export interface SummaryView {
  asOf: string | null;
  headline: { label: string; value: string; micros: number | null; unit: string | null }[];
  spend: { provider: string; currency: string; billedCostMicros: number }[];
  reconciliation: { rows: number; reconciled: number; signedOff: number; unexplainedMicros: number; currency: string };
  incidents: { count: number; withSpend: number; excessMicros: number; meanLagHours: number | null; unexplainedSpikes: number; autoRechargeMicros: number };
  posture: Posture;
  postureSource: 'posture-get' | 'minimal';
  frameworks: FrameworkRow[];
  findings: string[];
}

// ---------------------------------------------------------------------------------------
// Report data and exports

export interface DataSource {
  importId: number;
  fileName: string;
  format: string;
  kind: string;
  rows: number;
  finishedAt: string;
}

export interface ReportTableInfo {
  name: string;
  title: string;
}

export interface ReportMeta {
  report: ReportKind;
  title: string;
  from: string;
  to: string;
  generatedAt: string;
  sources: DataSource[];
  tables: ReportTableInfo[];
}

export type ReportData =
  | { report: 'reconciliation'; meta: ReportMeta; reconciliation: Reconciliation; value: ValueReport }
  | { report: 'incidents'; meta: ReportMeta; incidents: IncidentsReport }
  | { report: 'forecast'; meta: ReportMeta; forecast: ForecastView }
  | { report: 'summary'; meta: ReportMeta; summary: SummaryView };

export interface ReportCsv {
  fileName: string;
  /** starts with a UTF-8 byte order mark, so Excel reads it as UTF-8 */
  csv: string;
  rows: number;
}
