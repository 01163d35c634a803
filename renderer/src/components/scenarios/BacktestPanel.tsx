import { useMemo } from 'react';
import type { ChartConfiguration } from 'chart.js';
import type { Query } from '../../hooks/useQuery';
import { Card, ErrorBox } from '../ui';
import { ChartCanvas } from '../Chart';
import type { BacktestMethods, BacktestView } from '../../../../shared/api/scenario-types';
import { money, pct } from './format';

const METHODS = [
  { key: 'model', label: 'Drawdown forecast' },
  { key: 'mtd', label: 'Month-to-date straight line' },
  { key: 'trailing30', label: 'Trailing 30-day average' },
] as const;

/** How well the forecast did on held-out days, against the two methods people use today. */
export function BacktestPanel({ q, cut, setCut }: { q: Query<BacktestView>; cut: string; setCut(day: string): void }) {
  return (
    <Card
      title="Backtest: forecast vs the naive methods"
      actions={
        <label className="sc-field sc-inline">
          <span>Cut date</span>
          <input type="date" value={cut || q.data?.cutDay || ''} onChange={(e) => setCut(e.target.value)} aria-label="Backtest cut date" />
        </label>
      }
    >
      {q.error && <ErrorBox error={q.error} />}
      {q.data && <BacktestBody v={q.data} />}
      {!q.data && !q.error && <p className="muted">Backtesting…</p>}
    </Card>
  );
}

function MethodsTable({ m, label }: { m: BacktestMethods; label: string }) {
  const best = Math.min(m.model.wape, m.mtd.wape, m.trailing30.wape);
  return (
    <table className="data" aria-label={label}>
      <thead>
        <tr>
          <th>Method</th>
          <th className="num">Error (WAPE)</th>
          <th className="num">Mean absolute error / day</th>
          <th className="num">Bias of the total</th>
          <th className="num">P10–P90 coverage</th>
        </tr>
      </thead>
      <tbody>
        {METHODS.map(({ key, label: name }) => (
          <tr key={key} data-testid={`backtest-${key}`}>
            <td>{name}</td>
            <td className={`num${m[key].wape === best ? ' sc-best' : ''}`}>{pct(m[key].wape)}</td>
            <td className="num">{money(m[key].mae)}</td>
            <td className="num">{`${m[key].bias >= 0 ? '+' : '−'}${Math.abs(m[key].bias * 100).toFixed(1)}%`}</td>
            <td className="num">{key === 'model' ? pct(m.coverage) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function BacktestBody({ v }: { v: BacktestView }) {
  const config = useMemo<ChartConfiguration>(() => {
    const line = (label: string, data: number[], colour: string, dash?: number[]) => ({ label, data: data.map((x) => x / 1e6), borderColor: colour, backgroundColor: colour, pointRadius: 0, borderWidth: 2, borderDash: dash, tension: 0 });
    return {
      type: 'line',
      data: {
        labels: v.series.days,
        datasets: [
          line('Actual', v.series.actual, '#0f172a'),
          line('Drawdown forecast (P50)', v.series.model, '#2563eb'),
          line('Month-to-date line', v.series.mtd, '#f97316', [6, 4]),
          line('Trailing 30-day average', v.series.trailing30, '#16a34a', [2, 3]),
        ],
      },
      options: {
        interaction: { mode: 'index', intersect: false },
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 10 } } },
        scales: { x: { ticks: { maxTicksLimit: 8, maxRotation: 0 } }, y: { beginAtZero: true, ticks: { callback: (x) => `$${Number(x).toLocaleString('en-US')}` } } },
      },
    };
  }, [v]);
  return (
    <>
      <p className="muted small">
        Fitted on the usage before {v.cutDay}, forecast from it to {v.lastDay}; {v.overall.scoredDays} workload-days scored. {v.note}
      </p>
      <MethodsTable m={v.overall} label="Backtest errors, all workloads" />
      <div className="sc-backtest-chart">
        <ChartCanvas config={config} label="Backtest: the organisation's daily spend, actual and forecast by each method" height={220} />
      </div>
      <details>
        <summary>Per workload</summary>
        <table className="data" aria-label="Backtest per workload">
          <thead>
            <tr>
              <th>Workload</th>
              <th className="num">Forecast</th>
              <th className="num">Month-to-date</th>
              <th className="num">Trailing 30 d</th>
              <th className="num">Coverage</th>
            </tr>
          </thead>
          <tbody>
            {v.workloads.map((w) => (
              <tr key={`${w.accountId}-${w.workloadId}`}>
                <td>{w.name}</td>
                <td className="num">{pct(w.model.wape)}</td>
                <td className="num">{pct(w.mtd.wape)}</td>
                <td className="num">{pct(w.trailing30.wape)}</td>
                <td className="num">{pct(w.coverage)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </>
  );
}
