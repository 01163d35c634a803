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
  const sel: Selection | undefined = selected ?? (accounts.data![0] ? { kind: 'account', id: accounts.data![0].id } : undefined);
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
  return (
    <div className="table-wrap">
      <table className="data" aria-label="Credit accounts">
        <thead>
          <tr>
            <th>Account</th>
            <th>Provider</th>
            <th>Pool</th>
            <th>Auto-recharge</th>
            <th className="num">Remaining</th>
            <th className="num">Overage (post-pay)</th>
            <th className="num">Unattributed spend</th>
            <th className="num">Monthly budget</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {accounts.map((a) => {
            const t = totals(a.id);
            const isSel = selected?.kind === 'account' && selected.id === a.id;
            return (
              <tr key={a.id} className={isSel ? 'selected' : ''} data-testid={`account-${a.id}`}>
                <td>{a.name}</td>
                <td>{a.provider}</td>
                <td>{a.pooled ? <Badge tone="warn">pooled · {a.workloads} workloads</Badge> : 'dedicated'}</td>
                <td>{a.autoRecharge ? <span className="warn-text">on</span> : 'off'}</td>
                <td className="num" data-testid="account-remaining">
                  {t.map((x) => money(x.remainingMicros, x.unit)).join(' · ') || money(0, a.currency)}
                </td>
                <td className="num">{t.some((x) => x.overageMicros > 0) ? <span className="crit-text">{t.map((x) => money(x.overageMicros, x.unit)).join(' · ')}</span> : '—'}</td>
                <td className="num">{a.spendMicros > 0 ? `${((a.unattributedMicros / a.spendMicros) * 100).toFixed(1)}%` : '—'}</td>
                <td className="num">{money(a.monthlyBudgetMicros, a.currency)}</td>
                <td>
                  <button className="small" aria-pressed={isSel} onClick={() => onSelect({ kind: 'account', id: a.id })}>
                    Burn-down
                  </button>
                </td>
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
              <th>Kind</th>
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
                <tr key={b.blockId} className={isSel ? 'selected' : ''} data-testid={`block-row-${b.blockId}`}>
                  <td>
                    {b.name}
                    <span className="sub">
                      {b.accountName} · priority {b.priority} · {b.source}
                      {b.allocatedMicros > 0 ? ` · ${money(b.allocatedMicros, b.unit)} allocated` : ''}
                    </span>
                  </td>
                  <td>
                    <Badge tone={b.kind}>{b.kind}</Badge>
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
                  <td className="num">{b.wasteForecastMicros > 0 ? <span className="warn-text">{money(b.wasteForecastMicros, b.unit)}</span> : '—'}</td>
                  <td className="toolbar">
                    <button className="small" aria-pressed={isSel} onClick={() => onSelect({ kind: 'block', id: b.blockId })} aria-label={`Burn-down of ${b.name}`}>
                      Burn-down
                    </button>
                    <button className="small" onClick={() => onEdit(b)} aria-label={`Edit ${b.name}`}>
                      Edit
                    </button>
                    <button className="small danger" onClick={() => retire(b)} disabled={runner.busy} aria-label={`Retire ${b.name}`}>
                      Retire
                    </button>
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
