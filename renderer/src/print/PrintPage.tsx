import { useEffect } from 'react';
import { api } from '../api/client';
import { useQuery } from '../hooks/useQuery';
import { REPORT_KINDS, type ReportKind } from '../../../shared/api/report-types';
import { ReportView } from './ReportView';

/** "#/print/incidents?from=2026-09-01&to=2026-09-30" → the report and its window. */
export function parsePrintRoute(hash: string): { report: ReportKind; from: string; to: string } | { error: string } {
  const m = /^#\/print\/([a-z-]+)(?:\?(.*))?$/.exec(hash);
  if (!m || !(REPORT_KINDS as readonly string[]).includes(m[1])) return { error: `Unknown report page "${hash}".` };
  const q = new URLSearchParams(m[2] ?? '');
  const from = q.get('from') ?? '';
  const to = q.get('to') ?? '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to)) return { error: 'The report page needs ?from=YYYY-MM-DD&to=YYYY-MM-DD.' };
  return { report: m[1] as ReportKind, from, to };
}

/**
 * Signals readiness once the data and every chart are on the page: child effects (the charts)
 * run before this one, and two animation frames later the canvases are painted. An error also
 * ends the wait, with the reason in data-error, so a printer never hangs.
 */
function usePrintReady(done: boolean, report: string, error: string | undefined): void {
  useEffect(() => {
    if (!done) return;
    let live = true;
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        if (!live) return;
        if (error) document.body.dataset.error = error;
        document.body.dataset.screen = `print-${report}`;
        document.body.dataset.ready = 'true';
      }),
    );
    return () => {
      live = false;
      document.body.dataset.ready = 'false';
    };
  }, [done, report, error]);
}

export function PrintPage() {
  const route = parsePrintRoute(window.location.hash);
  const ok = !('error' in route);
  const q = useQuery(() => (ok ? api['report-data'](route) : Promise.resolve({ ok: false as const, error: { code: 'invalid-argument' as const, message: route.error } })), [window.location.hash]);
  const error = 'error' in route ? route.error : q.error?.message;
  usePrintReady(!q.loading, ok ? route.report : 'unknown', error);
  return (
    <div className="report-print-root">
      {error && (
        <div className="error" role="alert">
          {error}
        </div>
      )}
      {q.data && <ReportView data={q.data} />}
    </div>
  );
}
