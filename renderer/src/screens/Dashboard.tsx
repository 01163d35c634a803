import { useState } from 'react';
import { api } from '../api/client';
import { useQuery, mutate } from '../hooks/useQuery';
import { useReady } from '../hooks/useReady';
import { useNavStore } from '../stores/nav';
import { BurnChart } from '../components/BurnChart';
import { Card, ErrorBox } from '../components/ui';
import { displayMoney } from '../../../shared/money';
import type { Dashboard as DashboardData, AttentionItem } from '../../../shared/domain';
import type { ApiError } from '../../../shared/api';

export function Dashboard() {
  const q = useQuery(() => api['dashboard-get']({}));
  useReady(!q.loading && (!!q.data || !!q.error), 'dashboard');
  if (q.error) return <ErrorBox error={q.error} />;
  if (!q.data) return <p className="muted">Loading the ledger…</p>;
  if (q.data.empty) return <EmptyState />;
  return <Overview d={q.data} />;
}

function EmptyState() {
  const go = useNavStore((s) => s.go);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  async function loadDemo() {
    setBusy(true);
    const r = await mutate(() => api['demo-load']({}));
    setBusy(false);
    if (!r.ok) setError(r.error);
  }
  return (
    <div className="screen empty-state">
      <h1>Welcome to Drawdown</h1>
      <p>
        Import your providers' usage and cost exports, invoices and incident lists to see which workload burned which credit block, when each block
        runs out or expires, and which spikes were incidents.
      </p>
      <div className="actions">
        <button className="primary" onClick={() => go('import')}>
          Import exports…
        </button>
        <button onClick={loadDemo} disabled={busy}>
          {busy ? 'Loading demo data…' : 'Load demo data'}
        </button>
      </div>
      {error && <ErrorBox error={error} />}
    </div>
  );
}

function Overview({ d }: { d: DashboardData }) {
  return (
    <div className="screen">
      <h1>
        Dashboard <span className="muted small">as of {d.asOf ?? '—'}</span>
      </h1>
      <div className="tiles">
        <Tile label="Purchased" value={displayMoney(d.totals.purchasedMicros, d.currency)} testId="total-purchased" />
        <Tile label="Consumed" value={displayMoney(d.totals.consumedMicros, d.currency)} testId="total-consumed" />
        <Tile label="Remaining" value={displayMoney(d.totals.remainingMicros, d.currency)} testId="total-remaining" />
        <Tile label="Overage (post-pay)" value={displayMoney(d.totals.overageMicros, d.currency)} testId="total-overage" warn={d.totals.overageMicros > 0} />
      </div>
      <Card title="Needs attention">
        {d.attention.length === 0 ? <p className="muted">Nothing needs attention right now.</p> : <AttentionList items={d.attention} />}
      </Card>
      <Card title="Billed spend by provider">
        <table className="data" aria-label="Billed spend by provider">
          <thead>
            <tr>
              <th>Provider</th>
              <th>Currency</th>
              <th className="num">Billed cost</th>
            </tr>
          </thead>
          <tbody>
            {d.spend.map((s) => (
              <tr key={`${s.provider}-${s.currency}`} data-testid={`spend-${s.provider}-${s.currency}`}>
                <td>{s.provider}</td>
                <td>{s.currency}</td>
                <td className="num">{displayMoney(s.billedCostMicros, s.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card title="Burn-down per credit block">
        <BurnChart series={d.burn} />
      </Card>
      <Card title="Credit blocks">
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Credit block balances, scrollable">
        <table className="data" aria-label="Credit block balances">
          <thead>
            <tr>
              <th>Block</th>
              <th>Account</th>
              <th>Kind</th>
              <th className="num">Purchased</th>
              <th className="num">Consumed</th>
              <th className="num">Remaining</th>
              <th className="num">Expired</th>
              <th className="num">Burn / day</th>
              <th className="num">Runway</th>
              <th>Expires</th>
            </tr>
          </thead>
          <tbody>
            {d.blocks.map((b) => (
              <tr key={b.blockId} data-testid={`block-${b.blockId}`}>
                <td>{b.name}</td>
                <td>{b.accountName}</td>
                <td>{b.kind}</td>
                <td className="num">{displayMoney(b.purchasedMicros, b.unit)}</td>
                <td className="num">{displayMoney(b.consumedMicros, b.unit)}</td>
                <td className="num" data-testid="remaining">{displayMoney(b.remainingMicros, b.unit)}</td>
                <td className="num">{displayMoney(b.expiredMicros, b.unit)}</td>
                <td className="num">{displayMoney(b.burnPerDayMicros, b.unit)}</td>
                <td className="num">{b.runwayDays == null ? '—' : `${b.runwayDays} d`}</td>
                <td>{b.expiresOn ?? 'never'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      </Card>
    </div>
  );
}

function Tile({ label, value, testId, warn }: { label: string; value: string; testId: string; warn?: boolean }) {
  return (
    <div className={`tile${warn ? ' warn' : ''}`}>
      <div className="tile-label">{label}</div>
      <div className="tile-value" data-testid={testId}>
        {value}
      </div>
    </div>
  );
}

function AttentionList({ items }: { items: AttentionItem[] }) {
  return (
    <ul className="attention">
      {items.map((a, i) => (
        <li key={i} className={`sev-${a.severity}`} data-kind={a.kind}>
          <strong>{a.title}</strong>
          <div className="muted">{a.detail}</div>
        </li>
      ))}
    </ul>
  );
}
