import type { EngineContext } from '../context';
import type { HandlerImpls } from '../../../shared/api';
import type { reportApi } from '../../../shared/api/reports';
import { ledgerHandlers } from './ledger';
import { scenarioHandlers } from './scenarios';
import { createReconciliationRepo } from '../repos/reconciliation';
import { createValueRepo } from '../repos/value';
import { buildReconciliation, buildValueReport, setValueMetric, signOff } from '../services/reconciliation';
import { buildIncidentsReport, buildIncidentView } from '../services/incidents';
import { reportCsv, reportData } from '../services/reports';
import type { Peers } from '../services/report-forecast';

/**
 * Reconciliation, value, incidents and reports; each handler is a thin call into a service.
 * The forecast and summary reports use the ledger and forecast areas' handlers (blocks, burn,
 * posture, forecast-get) when they exist, so a report shows the same figures as the screens.
 */
export function reportHandlers(ctx: EngineContext): Pick<HandlerImpls, keyof typeof reportApi> {
  let peers: Peers | null = null;
  // Built on first use: the other areas' handlers prepare their statements when created.
  const getPeers = (): Peers => (peers ??= { ...ledgerHandlers(ctx), ...scenarioHandlers(ctx) } as Peers);
  return {
    'reconciliation-get': ({ from, to, accountId }) => buildReconciliation(ctx, from, to, accountId),
    'reconciliation-signoff': ({ accountId, period, note }) => signOff(ctx, accountId, period, note),
    'signoffs-list': () => createReconciliationRepo(ctx.db).signoffs(),

    'value-metrics-list': ({ workloadId, from, to }) => createValueRepo(ctx.db).list(workloadId ?? null, from ?? '0000-00', to ?? '9999-12'),
    'value-metric-set': (e) => setValueMetric(ctx, e),
    'value-report': ({ from, to }) => buildValueReport(ctx, from, to),

    'incidents-report': ({ from, to }) => buildIncidentsReport(ctx, from, to),
    'incident-timeline': ({ incidentId }) => buildIncidentView(ctx, incidentId),

    'report-data': ({ report, from, to }) => reportData(ctx, getPeers(), report, from, to),
    'report-csv': ({ report, table, from, to }) => reportCsv(ctx, getPeers(), report, table, from, to),
  };
}
