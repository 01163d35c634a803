/**
 * The executive summary: headline ledger figures, spend in the window, where reconciliation and
 * incident correlation stand, the controls posture (posture-get when the ledger area provides
 * it, otherwise a minimal posture from this area's own evidence) and the framework mapping.
 */
import type { EngineContext } from '../context';
import type { Posture } from '../../../shared/api/ledger-types';
import type { ForecastView, IncidentsReport, Reconciliation, SummaryView } from '../../../shared/api/report-types';
import { buildDashboard } from './dashboard';
import { frameworkRows } from './report-frameworks';
import type { Peers } from './report-forecast';
import { money, hours, instant } from '../../../shared/report-format';

async function posture(peers: Peers, to: string, recon: Reconciliation, inc: IncidentsReport): Promise<{ posture: Posture; source: SummaryView['postureSource'] }> {
  const get = peers['posture-get'];
  if (get) {
    try {
      return { posture: await get({ at: to }), source: 'posture-get' };
    } catch {
      /* fall through to the minimal posture */
    }
  }
  return { posture: minimalPosture(to, recon, inc), source: 'minimal' };
}

/** Two controls this area can evidence on its own; the full posture belongs to the ledger area. */
export function minimalPosture(asOf: string, recon: Reconciliation, inc: IncidentsReport): Posture {
  const unsigned = recon.rows.filter((r) => !r.signoff);
  return {
    asOf,
    controls: [
      {
        id: 'reconciled', title: 'Consumption is reconciled and signed off per period', status: unsigned.length === 0 ? 'pass' : 'warn',
        evidence: `${recon.rows.length - unsigned.length} of ${recon.rows.length} period·account rows are signed off.`,
        missing: unsigned.map((r) => `${r.accountName} ${r.period} is not signed off.`), fixOwner: 'the FinOps analyst',
        frameworks: { csf: ['GV.OV-03'], nhi: [], aiRmf: ['MEASURE 3.1'] },
      },
      {
        id: 'incident-correlation', title: 'Usage spikes are explained by the incident history', status: inc.unexplained.length === 0 ? 'pass' : 'warn',
        evidence: `${inc.incidents.length} incident(s), ${inc.unexplained.length} spike(s) without an incident.`,
        missing: inc.unexplained.map((u) => u.explanation), fixOwner: 'the security lead',
        frameworks: { csf: ['DE.AE-02', 'RS.AN-03'], nhi: ['NHI2 Secret Leakage'], aiRmf: ['MANAGE 4.1'] },
      },
    ],
  };
}

export async function buildSummary(ctx: EngineContext, peers: Peers, from: string, to: string, parts: { recon: Reconciliation; incidents: IncidentsReport; forecast: ForecastView }): Promise<SummaryView> {
  const { recon, incidents, forecast } = parts;
  const dash = buildDashboard(ctx, to);
  const p = await posture(peers, to, recon, incidents);
  const main = recon.totals[0]?.currency ?? 'USD';
  const unexplained = recon.variances.filter((v) => !v.withinTolerance && v.currency === main).reduce((s, v) => s + Math.abs(v.unexplainedMicros), 0);
  const withSpend = incidents.incidents.filter((i) => i.spendImpact);
  const lags = withSpend.map((i) => i.detectionLagHours).filter((h): h is number => h !== null);
  const usd = forecast.totals.find((t) => t.unit === dash.currency);
  const spend = ctx.db
    .prepare<[string, string], { provider: string; currency: string; billedCostMicros: number }>(
      `SELECT provider, currency, SUM(COALESCE(billed_cost_micros, 0)) AS billedCostMicros FROM usage_records
       WHERE charge_category = 'usage' AND day >= ? AND day <= ? GROUP BY provider, currency ORDER BY provider, currency`,
    )
    .all(from, to);
  const summary: SummaryView = {
    asOf: dash.asOf,
    headline: [
      { label: 'Credit purchased', value: money(dash.totals.purchasedMicros, dash.currency), micros: dash.totals.purchasedMicros, unit: dash.currency },
      { label: 'Consumed', value: money(dash.totals.consumedMicros, dash.currency), micros: dash.totals.consumedMicros, unit: dash.currency },
      { label: 'Remaining', value: money(dash.totals.remainingMicros, dash.currency), micros: dash.totals.remainingMicros, unit: dash.currency },
      { label: 'Overage (post-pay)', value: money(dash.totals.overageMicros, dash.currency), micros: dash.totals.overageMicros, unit: dash.currency },
      { label: 'Forecast to expire unused', value: money(usd?.expiringUnusedMicros ?? 0, dash.currency), micros: usd?.expiringUnusedMicros ?? 0, unit: dash.currency },
      { label: 'Incident excess spend', value: money(withSpend.reduce((s, i) => s + i.excessMicros, 0), dash.currency), micros: withSpend.reduce((s, i) => s + i.excessMicros, 0), unit: dash.currency },
    ],
    spend,
    reconciliation: {
      rows: recon.rows.length, reconciled: recon.rows.filter((r) => r.reconciled).length, signedOff: recon.rows.filter((r) => r.signoff).length,
      unexplainedMicros: unexplained, currency: main,
    },
    incidents: {
      count: incidents.incidents.length, withSpend: withSpend.length, excessMicros: withSpend.reduce((s, i) => s + i.excessMicros, 0),
      meanLagHours: lags.length ? Math.round((lags.reduce((a, b) => a + b, 0) / lags.length) * 10) / 10 : null,
      unexplainedSpikes: incidents.unexplained.length, autoRechargeMicros: incidents.incidents.reduce((s, i) => s + i.autoRechargeMicros, 0),
    },
    posture: p.posture,
    postureSource: p.source,
    frameworks: frameworkRows(p.posture),
    findings: [],
  };
  summary.findings = findings(summary, incidents, forecast);
  return summary;
}

function findings(s: SummaryView, inc: IncidentsReport, forecast: ForecastView): string[] {
  const out: string[] = [];
  for (const i of inc.incidents.filter((x) => x.spendImpact)) {
    out.push(
      `${i.externalId}: spend spiked from ${instant(i.spikeStart)}, detected after ${hours(i.detectionLagHours)}; ${money(i.excessMicros)} over the baseline` +
        (i.autoRechargeMicros > 0 ? `, and ${money(i.autoRechargeMicros)} of auto-recharge was bought during the incident.` : '.'),
    );
  }
  for (const u of inc.unexplained) out.push(`Spike without an incident: ${u.label} from ${instant(u.startAt)}, ${money(u.excessMicros)} over the baseline — review as a possible undetected compromise.`);
  out.push(`Reconciliation: ${s.reconciliation.reconciled} of ${s.reconciliation.rows} period·account rows within tolerance, ${s.reconciliation.signedOff} signed off; ${money(s.reconciliation.unexplainedMicros, s.reconciliation.currency)} of variance has no cause found.`);
  const expiring = forecast.blocks.filter((b) => b.expiringUnusedMicros > 0).sort((a, b) => b.expiringUnusedMicros - a.expiringUnusedMicros)[0];
  if (expiring) out.push(`${expiring.name} is forecast to expire on ${expiring.expiresOn} with ${money(expiring.expiringUnusedMicros, expiring.unit)} unused.`);
  const failing = s.posture.controls.filter((c) => c.status === 'fail');
  if (failing.length) out.push(`Controls failing: ${failing.map((c) => c.title).join('; ')}.`);
  return out;
}
