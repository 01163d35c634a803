/**
 * Every table of every report as headers and rows, for CSV export (and the table list the
 * Reports screen offers). Money columns are exact decimals of the micro-units, numbers stay
 * numbers; text is neutralised against formula injection by shared/csv-export.ts.
 */
import type { CsvCell } from '../../../shared/csv-export';
import type { ReportData, ReportTableInfo } from '../../../shared/api/report-types';
import { csvMoney } from '../../../shared/report-format';

export interface ReportTable extends ReportTableInfo {
  headers: string[];
  rows: CsvCell[][];
}

const m = csvMoney;

function reconciliationTables(d: Extract<ReportData, { report: 'reconciliation' }>): ReportTable[] {
  const r = d.reconciliation;
  const v = d.value;
  return [
    {
      name: 'periods', title: 'Bought, consumed, invoiced and catalog cost per period and account',
      headers: ['period', 'account', 'currency', 'credits bought', 'blocks recorded', 'consumed (usage billed)', 'invoiced', 'usage billed', 'catalog cost', 'unpriced groups', 'reconciled', 'status', 'signed off by', 'signed off at'],
      rows: r.rows.map((x) => [x.period, x.accountName, x.currency, m(x.creditsBoughtMicros), m(x.blocksRecordedMicros), m(x.consumedMicros), m(x.invoicedMicros), m(x.usageBilledMicros), m(x.catalogCostMicros), x.unpricedRows, x.reconciled, x.status, x.signoff?.by ?? null, x.signoff?.at ?? null]),
    },
    {
      name: 'variances', title: 'Variances',
      headers: ['period', 'account', 'currency', 'comparison', 'expected', 'expected amount', 'actual', 'actual amount', 'variance', 'within tolerance', 'unexplained'],
      rows: r.variances.map((x) => [x.period, x.accountName, x.currency, x.comparison, x.expectedLabel, m(x.expectedMicros), x.actualLabel, m(x.actualMicros), m(x.varianceMicros), x.withinTolerance, m(x.unexplainedMicros)]),
    },
    {
      name: 'causes', title: 'Variance causes',
      headers: ['period', 'account', 'comparison', 'cause', 'amount', 'groups', 'explanation'],
      rows: r.variances.flatMap((x) => x.causes.map((c) => [x.period, x.accountName, x.comparison, c.cause, m(c.amountMicros), c.rows, c.explanation])),
    },
    {
      name: 'value', title: 'Business value per workload and period',
      headers: ['workload', 'period', 'metric', 'units', 'cost', 'value', 'cost per unit', 'value to cost'],
      rows: v.rows.map((x) => [x.workloadPath, x.period, x.metric, x.units, m(x.costMicros), m(x.valueMicros), m(x.costPerUnitMicros), x.valueToCost]),
    },
    {
      name: 'value-trends', title: 'Cost and value trends',
      headers: ['workload', 'metric', 'first period', 'last period', 'cost growth per month', 'value growth per month', 'cost per unit growth per month', 'cost outgrows value', 'explanation'],
      rows: v.trends.map((x) => [x.workloadPath, x.metric, x.periods[0] ?? null, x.periods.at(-1) ?? null, x.costGrowth, x.valueGrowth, x.costPerUnitGrowth, x.costOutgrowsValue, x.explanation]),
    },
  ];
}

function incidentTables(d: Extract<ReportData, { report: 'incidents' }>): ReportTable[] {
  const r = d.incidents;
  const spikeHeaders = ['dimension', 'series', 'account', 'start', 'end', 'start basis', 'days', 'spend', 'baseline', 'excess', 'score'];
  const spikeRow = (s: (typeof r.spikes)[number]): CsvCell[] => [s.dimension, s.label, s.accountName, s.startAt, s.endAt, s.startBasis, s.buckets, m(s.spendMicros), m(s.baselineMicros), m(s.excessMicros), s.score];
  return [
    {
      name: 'incidents', title: 'Incidents and their spend',
      headers: ['incident', 'title', 'started', 'detected', 'resolved', 'spike start', 'detection lag (h)', 'excess spend', 'spend during spikes', 'top-ups', 'auto-recharge', 'spend impact'],
      rows: r.incidents.map((i) => [i.externalId, i.title, i.startedAt, i.detectedAt, i.resolvedAt, i.spikeStart, i.detectionLagHours, m(i.excessMicros), m(i.spendMicros), m(i.topUpMicros), m(i.autoRechargeMicros), i.spendImpact]),
    },
    { name: 'spikes', title: 'All spikes', headers: spikeHeaders, rows: r.spikes.map(spikeRow) },
    {
      name: 'unexplained', title: 'Spikes without an incident',
      headers: ['series', 'account', 'start', 'end', 'excess', 'spend', 'top-ups during the spike', 'explanation'],
      rows: r.unexplained.map((u) => [u.label, u.accountName, u.startAt, u.endAt, m(u.excessMicros), m(u.spendMicros), m(u.topUps.reduce((s, t) => s + t.amountMicros, 0)), u.explanation]),
    },
    {
      name: 'level-shifts', title: 'Level shifts (not spikes)',
      headers: [...spikeHeaders, 'level before', 'level during', 'level after', 'explained by'],
      rows: r.levelShifts.map((l) => [...spikeRow(l.spike), m(l.preMicros), m(l.runMicros), m(l.postMicros), l.explainedBy]),
    },
    {
      name: 'top-ups', title: 'Credit blocks bought in the window (top-ups, auto-recharges, purchases)',
      headers: ['block', 'account', 'purchased on', 'amount', 'unit', 'kind'],
      rows: r.topUps.map((t) => [t.blockName, t.accountName, t.purchasedOn, m(t.amountMicros), t.unit, t.kind]),
    },
    {
      name: 'new-models', title: 'First use of a model by a key',
      headers: ['key', 'at', 'model', 'known models', 'used by other keys', 'explanation'],
      rows: r.newModels.map((f) => [f.key, f.at, f.model, f.knownModels.join(' '), f.usedByOtherKeys, f.explanation]),
    },
    {
      name: 'probes', title: 'Probe then burst',
      headers: ['key', 'probe start', 'probe end', 'probe requests', 'probe cost', 'burst start', 'burst end', 'burst requests', 'burst cost'],
      rows: r.probes.map((p) => [p.key, p.probeStart, p.probeEnd, p.probeRequests, m(p.probeCostMicros), p.burstStart, p.burstEnd, p.burstRequests, m(p.burstCostMicros)]),
    },
  ];
}

function forecastTables(d: Extract<ReportData, { report: 'forecast' }>): ReportTable[] {
  const f = d.forecast;
  return [
    {
      name: 'blocks', title: 'Credit blocks: balance, burn, runway and expiry',
      headers: ['block', 'account', 'unit', 'kind', 'purchased', 'consumed', 'remaining', 'burn per day', 'runway (days)', 'dry on', 'expires on', 'expiring unused'],
      rows: f.blocks.map((b) => [b.name, b.accountName, b.unit, b.kind, m(b.purchasedMicros), m(b.consumedMicros), m(b.remainingMicros), m(b.burnPerDayMicros), b.runwayDays, b.dryOn, b.expiresOn, m(b.expiringUnusedMicros)]),
    },
    {
      name: 'accounts', title: 'Credit accounts',
      headers: ['account', 'unit', 'remaining', 'burn per day', 'runway (days)', 'dry on', 'overage'],
      rows: f.accounts.map((a) => [a.accountName, a.unit, m(a.remainingMicros), m(a.burnPerDayMicros), a.runwayDays, a.dryOn, m(a.overageMicros)]),
    },
    {
      name: 'outlook', title: 'Simulated outlook (Monte Carlo): dry dates P10/P50/P90 and expected waste',
      headers: ['scope', 'name', 'unit', 'dry P10', 'dry P50', 'dry P90', 'probability', 'expected unused at expiry', 'expected overage'],
      rows: [
        ...(f.simulation?.accounts ?? []).map((a): CsvCell[] => ['account', a.accountName, a.unit, a.p10, a.p50, a.p90, a.probDry, m(a.expectedWasteMicros), m(a.expectedOverageMicros)]),
        ...(f.simulation?.blocks ?? []).map((b): CsvCell[] => ['block', b.name, b.unit, b.p10, b.p50, b.p90, b.probDryBeforeExpiry, m(b.expectedWasteMicros), null]),
      ],
    },
    {
      name: 'burn', title: 'Balance per account and day (projected after the as-of day)',
      headers: ['day', ...f.chart.lines.map((l) => l.name)],
      rows: f.chart.days.map((day, i) => [day, ...f.chart.lines.map((l) => m(l.balanceMicros[i]))]),
    },
  ];
}

function summaryTables(d: Extract<ReportData, { report: 'summary' }>): ReportTable[] {
  const s = d.summary;
  return [
    { name: 'headline', title: 'Headline figures', headers: ['figure', 'amount', 'unit'], rows: s.headline.map((h) => [h.label, m(h.micros), h.unit]) },
    { name: 'spend', title: 'Billed usage in the window', headers: ['provider', 'currency', 'billed cost'], rows: s.spend.map((x) => [x.provider, x.currency, m(x.billedCostMicros)]) },
    {
      name: 'controls', title: 'Controls posture',
      headers: ['control', 'status', 'evidence', 'missing', 'fix owner', 'NIST CSF 2.0', 'OWASP NHI', 'NIST AI RMF'],
      rows: s.posture.controls.map((c) => [c.title, c.status, c.evidence, c.missing.join(' | '), c.fixOwner, c.frameworks.csf.join(' '), c.frameworks.nhi.join('; '), c.frameworks.aiRmf.join('; ')]),
    },
    {
      name: 'frameworks', title: 'Framework mapping',
      headers: ['framework', 'reference', 'title', 'Drawdown control', 'status', 'evidence'],
      rows: s.frameworks.map((f) => [f.framework, f.id, f.title, f.drawdownControl, f.status, f.evidence]),
    },
    { name: 'findings', title: 'Findings', headers: ['finding'], rows: s.findings.map((f) => [f]) },
  ];
}

export function reportTables(d: ReportData): ReportTable[] {
  switch (d.report) {
    case 'reconciliation':
      return reconciliationTables(d);
    case 'incidents':
      return incidentTables(d);
    case 'forecast':
      return forecastTables(d);
    case 'summary':
      return summaryTables(d);
  }
}

export { REPORT_TABLES as TABLE_NAMES } from '../../../shared/api/report-types';
