/**
 * Reports: everything a report page needs in one value (report-data), and every table of it as
 * CSV (report-csv). The print route renders the same value, so the PDF shows the engine's
 * numbers, formatted once by shared/report-format.ts.
 */
import type { EngineContext } from '../context';
import type { ReportData, ReportKind, ReportMeta, ReportCsv } from '../../../shared/api/report-types';
import { toCsv } from '../../../shared/csv-export';
import { REPORT_TITLES } from '../../../shared/report-format';
import { NotFoundError } from '../errors';
import { createReconciliationRepo } from '../repos/reconciliation';
import { buildReconciliation, buildValueReport, monthWindow } from './reconciliation';
import { buildIncidentsReport } from './incidents';
import { buildForecast, type Peers } from './report-forecast';
import { buildSummary } from './report-summary';
import { reportTables, TABLE_NAMES } from './report-tables';

/** Excel reads a CSV as UTF-8 only with a byte order mark. */
const BOM = '\uFEFF';

function meta(ctx: EngineContext, report: ReportKind, from: string, to: string, tableTitles: Map<string, string>): ReportMeta {
  return {
    report, title: REPORT_TITLES[report], from, to, generatedAt: ctx.now(),
    sources: createReconciliationRepo(ctx.db).sources(from, to),
    tables: TABLE_NAMES[report].map((name) => ({ name, title: tableTitles.get(name) ?? name })),
  };
}

async function build(ctx: EngineContext, peers: Peers, report: ReportKind, from: string, to: string): Promise<ReportData> {
  const m = (titles: Map<string, string> = new Map()) => meta(ctx, report, from, to, titles);
  switch (report) {
    case 'reconciliation': {
      // The reconciliation covers whole months; the report's header says which.
      const win = monthWindow(from, to);
      return { report, meta: { ...m(), from: win.from, to: win.to }, reconciliation: buildReconciliation(ctx, from, to), value: buildValueReport(ctx, from, to) };
    }
    case 'incidents':
      return { report, meta: m(), incidents: buildIncidentsReport(ctx, from, to) };
    case 'forecast':
      return { report, meta: m(), forecast: await buildForecast(ctx, peers, from, to) };
    case 'summary': {
      const [recon, incidents, forecast] = [buildReconciliation(ctx, from, to), buildIncidentsReport(ctx, from, to), await buildForecast(ctx, peers, from, to)];
      return { report, meta: m(), summary: await buildSummary(ctx, peers, from, to, { recon, incidents, forecast }) };
    }
  }
}

export async function reportData(ctx: EngineContext, peers: Peers, report: ReportKind, from: string, to: string): Promise<ReportData> {
  const data = await build(ctx, peers, report, from, to);
  const titles = new Map(reportTables(data).map((t) => [t.name, t.title]));
  data.meta.tables = data.meta.tables.map((t) => ({ ...t, title: titles.get(t.name) ?? t.title }));
  return data;
}

export async function reportCsv(ctx: EngineContext, peers: Peers, report: ReportKind, table: string, from: string, to: string): Promise<ReportCsv> {
  if (!TABLE_NAMES[report].includes(table)) {
    throw new NotFoundError(`The table "${table}" of the ${report} report (tables: ${TABLE_NAMES[report].join(', ')})`);
  }
  const data = await reportData(ctx, peers, report, from, to);
  const t = reportTables(data).find((x) => x.name === table)!;
  return { fileName: `drawdown-${report}-${table}-${from}-${to}.csv`, csv: BOM + toCsv(t.headers, t.rows), rows: t.rows.length };
}
