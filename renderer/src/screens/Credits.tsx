import { useState } from 'react';
import { api } from '../api/client';
import { useQuery } from '../hooks/useQuery';
import { useReady } from '../hooks/useReady';
import { Card, ErrorBox } from '../components/ui';
import { Badge, RunnerStatus, useRunner } from '../components/ledger/Form';
import { BlockForm } from '../components/ledger/BlockForm';
import { BurnDownChart } from '../components/ledger/BurnDownChart';
import { days, money } from '../components/ledger/format';
import type { CreditAccount, LedgerBlock, LedgerReport } from '../../../shared/api/ledger';

type Selection = { kind: 'block'; id: number } | { kind: 'account'; id: number };

/** Credits: accounts and blocks with balance, burn, runway, expiry and waste forecast; burn-downs; block editing. */
export function CreditsScreen() {
  const blocks = useQuery(() => api['blocks-list']({}));
  const accounts = useQuery(() => api['accounts-list']({}));
  const ledger = useQuery(() => api['ledger-get']({}));
  const [selected, setSelected] = useState<Selection>();
  const [editing, setEditing] = useState<LedgerBlock>();
  const ready = !!blocks.data && !!accounts.data && !!ledger.data;
  useReady(ready || !!blocks.error, 'credits');
  const error = blocks.error ?? accounts.error ?? ledger.error;
  if (error) return <ErrorBox error={error} />;
  if (!ready) return <p className="muted">Loading the credit ledger…</p>;
  // the pooled account is where a burn-down matters most, so it is shown first
  const first = accounts.data!.find((a) => a.pooled) ?? accounts.data![0];
  const sel: Selection | undefined = selected ?? (first ? { kind: 'account', id: first.id } : undefined);
  return (
    <div className="screen">
      <h1>
        Credits <span className="muted small">as of {ledger.data!.asOf ?? '—'}</span>
      </h1>
      <Card title="Credit accounts">
        <AccountsTable accounts={accounts.data!} ledger={ledger.data!} selected={sel} onSelect={setSelected} />
      </Card>
      <Card title="Credit blocks">
        <BlocksTable blocks={blocks.data!} selected={sel} onSelect={setSelected} onEdit={setEditing} />
      </Card>
      {sel && <BurnCard sel={sel} />}
      <Card title={editing ? `Edit ${editing.name}` : 'New credit block'}>
        <BlockForm key={editing?.blockId ?? 'new'} accounts={accounts.data!} editing={editing} onDone={() => setEditing(undefined)} />
      </Card>
    </div>
  );
}

function AccountsTable({ accounts, ledger, selected, onSelect }: { accounts: CreditAccount[]; ledger: LedgerReport; selected?: Selection; onSelect(s: Selection): void }) {
  const totals = (id: number) => ledger.accounts.filter((a) => a.accountId === id);
  const runner = useRunner();
  const toggle = (a: CreditAccount, patch: { pooled?: boolean; autoRecharge?: boolean }) =>
    runner.run(() => api['account-update']({ id: a.id, ...patch }), (x) => `${x.name}: pool ${x.pooled ? 'shared' : 'dedicated'}, auto-recharge ${x.autoRecharge ? 'on' : 'off'}.`);
  return (
    <div className="table-wrap">
      <RunnerStatus runner={runner} />
      <table className="data" aria-label="Credit accounts">
        <thead>
          <tr>
            <th>Account</th>
            <th>Pool</th>
            <th>Auto-recharge</th>
            <th className="num">Remaining</th>
            <th className="num" title="usage beyond all credit, billed post-pay">Overage</th>
            <th className="num">Unattributed</th>
            <th className="num">Budget / month</th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((a) => {
            const t = totals(a.id);
            const isSel = selected?.kind === 'account' && selected.id === a.id;
            return (
              <tr key={a.id} className={isSel ? 'ld-selected' : ''} data-testid={`account-${a.id}`}>
                <td>
                  <button className="ld-link" aria-pressed={isSel} onClick={() => onSelect({ kind: 'account', id: a.id })} aria-label={`Burn-down of ${a.name}`}>
                    {a.name}
                  </button>
                  <span className="ld-sub">{a.provider}</span>
                </td>
                <td>
                  <label>
                    <input type="checkbox" checked={a.pooled} disabled={runner.busy} onChange={(e) => toggle(a, { pooled: e.target.checked })} aria-label={`${a.name} is a pooled account`} />{' '}
                    {a.pooled ? <Badge tone="warn">pooled</Badge> : 'dedicated'}
                    {a.pooled && <span className="ld-sub">{a.workloads} workloads share it</span>}
                  </label>
                </td>
                <td>
                  <label>
                    <input type="checkbox" checked={a.autoRecharge} disabled={runner.busy} onChange={(e) => toggle(a, { autoRecharge: e.target.checked })} aria-label={`Auto-recharge on ${a.name}`} />{' '}
                    {a.autoRecharge ? <span className="ld-warn-text">on</span> : 'off'}
                  </label>
                </td>
                <td className="num" data-testid="account-remaining">
                  {t.map((x) => money(x.remainingMicros, x.unit)).join(' · ') || money(0, a.currency)}
                </td>
                <td className="num">{t.some((x) => x.overageMicros > 0) ? <span className="ld-crit-text">{t.map((x) => money(x.overageMicros, x.unit)).join(' · ')}</span> : '—'}</td>
                <td className="num">{a.spendMicros > 0 ? `${((a.unattributedMicros / a.spendMicros) * 100).toFixed(1)}%` : '—'}</td>
                <td className="num">{money(a.monthlyBudgetMicros, a.currency)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function BlocksTable({ blocks, selected, onSelect, onEdit }: { blocks: LedgerBlock[]; selected?: Selection; onSelect(s: Selection): void; onEdit(b: LedgerBlock): void }) {
  const runner = useRunner();
  async function retire(b: LedgerBlock) {
    if (!window.confirm(`Retire ${b.name}? It leaves the ledger; the audit log keeps the record.`)) return;
    await runner.run(() => api['block-retire']({ id: b.blockId, reason: 'retired from the Credits screen' }), `Retired ${b.name}.`);
  }
  return (
    <>
      <RunnerStatus runner={runner} />
      <div className="table-wrap">
        <table className="data" aria-label="Credit blocks">
          <thead>
            <tr>
              <th>Block</th>
              <th className="num">Purchased</th>
              <th className="num">Consumed</th>
              <th className="num">Remaining</th>
              <th className="num">Burn / day</th>
              <th className="num">Runway</th>
              <th>Expires</th>
              <th className="num">Waste forecast</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {blocks.map((b) => {
              const isSel = selected?.kind === 'block' && selected.id === b.blockId;
              return (
                <tr key={b.blockId} className={isSel ? 'ld-selected' : ''} data-testid={`block-row-${b.blockId}`}>
                  <td className="ld-wrap" style={{ minWidth: 220 }}>
                    <button className="ld-link" aria-pressed={isSel} onClick={() => onSelect({ kind: 'block', id: b.blockId })} aria-label={`Burn-down of ${b.name}`}>
                      {b.name}
                    </button>{' '}
                    {b.kind === 'promotional' && <Badge tone="promotional">promotional</Badge>}
                    <span className="ld-sub">
                      {b.accountName} · priority {b.priority} · {b.source}
                      {b.allocatedMicros > 0 ? ` · ${money(b.allocatedMicros, b.unit)} allocated` : ''}
                    </span>
                  </td>
                  <td className="num">{money(b.purchasedMicros, b.unit)}</td>
                  <td className="num">{money(b.consumedMicros, b.unit)}</td>
                  <td className="num" data-testid="remaining">
                    {money(b.remainingMicros, b.unit)}
                  </td>
                  <td className="num">{money(b.burnPerDayMicros, b.unit)}</td>
                  <td className="num" title={b.forecastDryOn ? `runs dry on ${b.forecastDryOn} at the current burn` : undefined}>
                    {days(b.runwayDays)}
                  </td>
                  <td>{b.expiresOn ?? 'never'}</td>
                  <td className="num">{b.wasteForecastMicros > 0 ? <span className="ld-warn-text">{money(b.wasteForecastMicros, b.unit)}</span> : '—'}</td>
                  <td>
                    <div className="ld-row-actions">
                    <button className="small" onClick={() => onEdit(b)} aria-label={`Edit ${b.name}`}>
                      Edit
                    </button>
                    <button className="small ld-danger" onClick={() => retire(b)} disabled={runner.busy} aria-label={`Retire ${b.name}`}>
                      Retire
                    </button>
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </>
  );
}

function BurnCard({ sel }: { sel: Selection }) {
  const q = useQuery(() => api['block-burn'](sel.kind === 'block' ? { blockId: sel.id } : { accountId: sel.id }), [sel.kind, sel.id]);
  const title = q.data ? `Burn-down · ${q.data.name}` : 'Burn-down';
  return (
    <Card title={title}>
      {q.error && <ErrorBox error={q.error} />}
      {q.data && <BurnDownChart view={q.data} />}
      <p className="muted small">Dashed horizontal lines: the balance at which a threshold fires. Dotted vertical lines: expiry days.</p>
    </Card>
  );
}
