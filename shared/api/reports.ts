/**
 * Reconciliation, business value, incident correlation and the reports built on them (PDF, CSV,
 * JSON). Money crosses the contract as integer micro-units; days as YYYY-MM-DD.
 */
import { z } from 'zod';
import { handler, NoArgs, Day, Id } from './define';
import type {
  Reconciliation, ValueMetricEntry, ValueReport, Signoff, IncidentsReport, IncidentView, ReportData, ReportCsv,
} from './report-types';

export type * from './report-types';
export { REPORT_KINDS, REPORT_TABLES } from './report-types';

const Period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a period as YYYY-MM');
const Report = z.enum(['reconciliation', 'incidents', 'forecast', 'summary']);

/** A window of days; from must not be after to. */
const ordered = (w: { from: string; to: string }) => w.from <= w.to;
const ORDER = 'from must not be after to';
const Window = z.object({ from: Day, to: Day }).strict().refine(ordered, ORDER);

export const reportApi = {
  'reconciliation-get': handler(z.object({ from: Day, to: Day, accountId: Id.optional() }).strict().refine(ordered, ORDER))<Reconciliation>(),
  'reconciliation-signoff': handler(
    z.object({ accountId: Id, period: Period, note: z.string().trim().max(2000).optional() }).strict(),
  )<Signoff>(),
  'signoffs-list': handler(NoArgs)<Signoff[]>(),

  'value-metrics-list': handler(z.object({ workloadId: Id.optional(), from: Period.optional(), to: Period.optional() }).strict())<ValueMetricEntry[]>(),
  'value-metric-set': handler(
    z
      .object({
        workloadId: Id,
        period: Period,
        metric: z.string().trim().regex(/^[\w .-]{1,80}$/, 'a metric name: letters, digits, space, dot, dash or underscore'),
        units: z.number().int().min(0).max(1e12),
        valuePerUnitMicros: z.number().int().min(0).max(1e15),
      })
      .strict(),
  )<ValueMetricEntry>(),
  'value-report': handler(Window)<ValueReport>(),

  'incidents-report': handler(Window)<IncidentsReport>(),
  'incident-timeline': handler(z.object({ incidentId: Id }).strict())<IncidentView>(),

  'report-data': handler(z.object({ from: Day, to: Day, report: Report }).strict().refine(ordered, ORDER))<ReportData>(),
  'report-csv': handler(
    z.object({ from: Day, to: Day, report: Report, table: z.string().regex(/^[a-z-]{1,40}$/, 'expected a table name') }).strict().refine(ordered, ORDER),
  )<ReportCsv>(),
};
