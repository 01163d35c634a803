import { useState } from 'react';
import { api } from '../api/client';
import { useQuery, mutate } from '../hooks/useQuery';
import { useReady } from '../hooks/useReady';
import { useReportsStore } from '../stores/reports';
import { Card, ErrorBox } from '../components/ui';
import { useReportWindow, WindowPicker, pending } from '../print/window';
import { ValueTrendChart } from '../print/charts';
import { ValueForm } from './ValueForm';
import { money, signedMoney } from '../../../shared/report-format';
import type { ApiError } from '../../../shared/api';
import type { Reconciliation, ReconPeriodRow, ReconVariance } from '../../../shared/api/report-types';
import '../print/print.css';
import '../print/screens.css';

export function ReconciliationScreen() {
  const win = useReportWindow();
  const { accountId, setAccount, setWindow } = useReportsStore();
  const accounts = useQuery(() => api['accounts-list']({}));
  const recon = useQuery(() => (win ? api['reconciliation-get']({ ...win, ...(accountId ? { accountId } : {}) }) : pending()), [win?.from, win?.to, accountId]);
  const value = useQuery(() => (win ? api['value-report'](win) : pending()), [win?.from, win?.to]);
  useReady(!!win && !recon.loading && !value.loading, 'reconciliation');
  return (
    <div className="screen">
      <h1>Reconciliation</h1>
      <div className="toolbar">
        {win && <WindowPicker from={win.from} to={win.to} onApply={setWindow} />}
        <label>
          Account{' '}
          <select aria-label="Account" value={accountId ?? ''} onChange={(e) => setAccount(e.target.value ? Number(e.target.value) : null)}>
            <option value="">All credit accounts</option>
            {accounts.data?.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {recon.error && <ErrorBox error={recon.error} />}
      {recon.data && <ReconciliationView r={recon.data} />}
      <Card title="Business value">
        {value.error && <ErrorBox error={value.error} />}
        {value.data && value.data.trends.length > 0 && <ValueTrendChart trends={value.data.trends} />}
        {value.data?.outgrowing.map((t) => (
          <p key={`${t.workloadId}-${t.metric}`} className="warn-line">
            {t.explanation}
          </p>
        ))}
        {value.data && (
          <div className="table-wrap">
            <table className="data" aria-label="Value per workload and period">
              <thead>
                <tr>
                  <th>Workload</th>
                  <th>Period</th>
                  <th>Metric</th>
                  <th className="num">Units</th>
                  <th className="num">Cost</th>
                  <th className="num">Value</th>
                  <th className="num">Cost per unit</th>
                </tr>
              </thead>
              <tbody>
                {value.data.rows.map((r) => (
                  <tr key={`${r.workloadId}-${r.metric}-${r.period}`}>
                    <td>{r.workloadPath}</td>
                    <td>{r.period}</td>
                    <td>{r.metric}</td>
                    <td className="num">{r.units.toLocaleString('en-US')}</td>
                    <td className="num">{money(r.costMicros)}</td>
                    <td className="num">{money(r.valueMicros)}</td>
                    <td className="num">{money(r.costPerUnitMicros)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <ValueForm />
      </Card>
    </div>
  );
}


const COMPARISON: Record<ReconVariance['comparison'], string> = { credits: 'Blocks vs bought', invoice: 'Invoiced vs consumed', catalog: 'Billed vs catalog' };


/** What each status means, as the row's tooltip. */
const STATUS_HELP: Record<ReconPeriodRow['status'], string> = {
  reconciled: 'Every comparison is within tolerance.',
  explained: 'Beyond tolerance, but the causes found account for the difference (see Variances and their causes).',
  variance: 'Money that no cause found accounts for: look at the variances below.',
};

/**
 * A variance's causes with what each means; within tolerance, causes that round to no cent (a few
 * micro-units of pricing arithmetic) are left out.
 */
function Causes({ v }: { v: ReconVariance }) {
  const visible = (micros: number) => micros !== 0 && (!v.withinTolerance || Math.abs(micros) >= 5_000);
  const shown = v.causes.filter((c) => visible(c.amountMicros));
  const unexplained = visible(v.unexplainedMicros);
  if (shown.length === 0 && !unexplained) return <>—</>;
  return (
    <ul className="causes">
      {shown.map((c) => (
        <li key={c.cause}>
          <strong>{c.cause}</strong> {signedMoney(c.amountMicros, v.currency)}
          {c.explanation && <div className="muted small">{c.explanation}</div>}
        </li>
      ))}
      {unexplained && (
        <li>
          <strong>unexplained</strong> {signedMoney(v.unexplainedMicros, v.currency)}
        </li>
      )}
    </ul>
  );
}

function ReconciliationView({ r }: { r: Reconciliation }) {
  const [note, setNote] = useState('');
  const [error, setError] = useState<ApiError>();
  async function signOff(row: ReconPeriodRow) {
    const res = await mutate(() => api['reconciliation-signoff']({ accountId: row.accountId, period: row.period, ...(note.trim() ? { note: note.trim() } : {}) }));
    setError(res.ok ? undefined : res.error);
    if (res.ok) setNote('');
  }
  return (
    <>
      <Card title={`Per period and account (${r.from} to ${r.to})`}>
        <div className="toolbar">
          <label>
            Sign-off note <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} aria-label="Sign-off note" placeholder="optional" />
          </label>
        </div>
        {error && <ErrorBox error={error} />}
        <div className="table-wrap">
          <table className="data" aria-label="Reconciliation per period and account">
            <thead>
              <tr>
                <th>Period</th>
                <th>Account</th>
                <th className="num">Bought</th>
                <th className="num">Blocks</th>
                <th className="num">Consumed</th>
                <th className="num">Invoiced</th>
                <th className="num">Catalog</th>
                <th>Status</th>
                <th>Sign-off</th>
              </tr>
            </thead>
            <tbody>
              {r.rows.map((x) => (
                <tr key={`${x.period}-${x.accountId}`} data-testid={`recon-${x.period}-${x.accountId}`}>
                  <td>{x.period}</td>
                  <td>{x.accountName}</td>
                  <td className="num">{money(x.creditsBoughtMicros, x.currency)}</td>
                  <td className="num">{money(x.blocksRecordedMicros, x.currency)}</td>
                  <td className="num">{money(x.consumedMicros, x.currency)}</td>
                  <td className="num">{money(x.invoicedMicros, x.currency)}</td>
                  <td className="num">{money(x.catalogCostMicros, x.currency)}</td>
                  <td>
                    <span className={`pill pill-${x.status}`} title={STATUS_HELP[x.status]}>
                      {x.status}
                    </span>
                  </td>
                  <td>
                    {x.signoff ? (
                      `${x.signoff.by}, ${x.signoff.at.slice(0, 10)}`
                    ) : (
                      <button onClick={() => signOff(x)} aria-label={`Sign off ${x.accountName} ${x.period}`}>
                        Sign off
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
      <Card title="Variances and their causes">
        <div className="table-wrap">
          <table className="data" aria-label="Variances">
            <thead>
              <tr>
                <th>Period</th>
                <th>Account</th>
                <th>Comparison</th>
                <th className="num">Expected</th>
                <th className="num">Actual</th>
                <th className="num">Variance</th>
                <th>Causes</th>
              </tr>
            </thead>
            <tbody>
              {r.variances.map((v) => (
                <tr key={`${v.period}-${v.accountId}-${v.comparison}`} className={v.withinTolerance ? '' : 'row-warn'}>
                  <td>{v.period}</td>
                  <td>{v.accountName}</td>
                  <td>{COMPARISON[v.comparison]}</td>
                  <td className="num">{money(v.expectedMicros, v.currency)}</td>
                  <td className="num">{money(v.actualMicros, v.currency)}</td>
                  <td className="num">{v.withinTolerance ? `${signedMoney(v.varianceMicros, v.currency)} ✓` : signedMoney(v.varianceMicros, v.currency)}</td>
                  <td className="wrap">
                    <Causes v={v} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <ul className="muted small">
          {r.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      </Card>
    </>
  );
}
