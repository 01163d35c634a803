import { useState } from 'react';
import { api, platform } from '../api/client';
import { useReady } from '../hooks/useReady';
import { useReportsStore } from '../stores/reports';
import { Card, ErrorBox } from '../components/ui';
import { useReportWindow, WindowPicker, downloadText } from '../print/window';
import { ReportView } from '../print/ReportView';
import { REPORT_TITLES } from '../../../shared/report-format';
import { REPORT_KINDS, REPORT_TABLES, type ReportData, type ReportKind } from '../../../shared/api/report-types';
import type { ApiError } from '../../../shared/api';
import '../print/print.css';
import '../print/screens.css';

/** Pick a report and a period; preview it, export it as PDF, as CSV per table, or as JSON. */
export function ReportsScreen() {
  const win = useReportWindow();
  const { report, setReport, setWindow } = useReportsStore();
  const [preview, setPreview] = useState<ReportData>();
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const [status, setStatus] = useState<string>();
  useReady(!!win && !busy, 'reports');
  if (!win) return <p className="muted">Loading…</p>;
  const args = { report, from: win.from, to: win.to };
  const base = `drawdown-${report}-${win.from}-${win.to}`;

  async function run(what: string, job: () => Promise<string | undefined>) {
    setBusy(what);
    setError(undefined);
    setStatus(undefined);
    try {
      setStatus(await job());
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(undefined);
    }
  }
  const data = async (): Promise<ReportData> => {
    const r = await api['report-data'](args);
    if (!r.ok) throw r.error;
    return r.value;
  };

  return (
    <div className="screen">
      <h1>Reports</h1>
      <div className="toolbar">
        <label>
          Report{' '}
          <select aria-label="Report" value={report} onChange={(e) => { setReport(e.target.value as ReportKind); setPreview(undefined); }}>
            {REPORT_KINDS.map((k) => (
              <option key={k} value={k}>
                {REPORT_TITLES[k]}
              </option>
            ))}
          </select>
        </label>
        <WindowPicker from={win.from} to={win.to} onApply={(f, t) => { setWindow(f, t); setPreview(undefined); }} label="Set period" />
      </div>
      <div className="actions">
        <button className="primary" disabled={!!busy} onClick={() => run('preview', async () => { setPreview(await data()); return undefined; })}>
          Preview
        </button>
        <button disabled={!!busy} onClick={() => run('pdf', async () => {
          const r = await platform.exportPdf(`/print/${report}`, { from: win.from, to: win.to }, `${base}.pdf`);
          if (!r.ok) throw r.error;
          return r.value.saved ? `PDF saved${r.value.path ? ` to ${r.value.path}` : ''}${r.value.bytes ? ` (${Math.round(r.value.bytes / 1024)} KB)` : ''}.` : 'Export cancelled.';
        })}>
          Export PDF
        </button>
        <button disabled={!!busy} onClick={() => run('json', async () => {
          downloadText(`${base}.json`, JSON.stringify(await data(), null, 2), 'application/json');
          return 'JSON downloaded.';
        })}>
          Export JSON
        </button>
      </div>
      {busy && <p className="status-line muted" role="status">Working: {busy}…</p>}
      {status && <p className="status-line" role="status">{status}</p>}
      {error && <ErrorBox error={error} />}
      <Card title="CSV per table">
        <CsvExports report={report} from={win.from} to={win.to} onError={setError} />
      </Card>
      {preview && (
        <Card title={`Preview: ${REPORT_TITLES[preview.report]}`}>
          <div className="report-preview">
            <ReportView data={preview} />
          </div>
        </Card>
      )}
    </div>
  );
}

function CsvExports({ report, from, to, onError }: { report: ReportKind; from: string; to: string; onError(e: ApiError): void }) {
  const [busy, setBusy] = useState<string>();
  async function save(table: string) {
    setBusy(table);
    const r = await api['report-csv']({ report, table, from, to });
    setBusy(undefined);
    if (!r.ok) return onError(r.error);
    downloadText(r.value.fileName, r.value.csv, 'text/csv;charset=utf-8');
  }
  return (
    <div className="export-list">
      {REPORT_TABLES[report].map((t) => (
        <button key={t} disabled={!!busy} onClick={() => save(t)} aria-label={`Export CSV ${t}`}>
          {busy === t ? 'Exporting…' : `${t}.csv`}
        </button>
      ))}
    </div>
  );
}
