import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { useQuery } from '../hooks/useQuery';
import { useReady } from '../hooks/useReady';
import { Card, ErrorBox } from '../components/ui';
import { Badge, Field, RunnerStatus, useRunner } from '../components/ledger/Form';
import { money, parseAmount, when } from '../components/ledger/format';
import type { CreditAccount, LedgerBlock, TopupRequest, WorkloadRow } from '../../../shared/api/ledger';
import type { Profile } from '../../../shared/domain';

/**
 * Approvals: top-up and renewal requests, kept apart from day-to-day usage. The person is the
 * profile signed in (sidebar); a requester never decides their own request: the buttons say
 * why they are disabled, and the engine refuses anyway.
 */
export function ApprovalsScreen() {
  const profiles = useQuery(() => api['profiles-list']({}));
  const topups = useQuery(() => api['topups-list']({}));
  const accounts = useQuery(() => api['accounts-list']({}));
  const blocks = useQuery(() => api['blocks-list']({}));
  const tree = useQuery(() => api['workloads-tree']({}));
  const ready = !!profiles.data && !!topups.data && !!accounts.data && !!blocks.data && !!tree.data;
  useReady(ready || !!topups.error, 'approvals');
  const error = profiles.error ?? topups.error ?? accounts.error ?? blocks.error ?? tree.error;
  if (error) return <ErrorBox error={error} />;
  if (!ready) return <p className="muted">Loading requests…</p>;
  const me = profiles.data!.profiles.find((p) => p.id === profiles.data!.currentId);
  const pending = topups.data!.filter((t) => t.status === 'pending');
  const decided = topups.data!.filter((t) => t.status !== 'pending');
  return (
    <div className="screen">
      <h1>Approvals</h1>
      <p className="muted" data-testid="signed-in">
        {me ? (
          <>
            Signed in as <strong>{me.name}</strong> ({me.role}). Switch profile in the sidebar.
          </>
        ) : (
          'No profile is signed in: pick one in the sidebar to request or decide.'
        )}
      </p>
      <div className="ld-grid-2">
        <Card title="Request a top-up or renewal">
          <RequestForm me={me} accounts={accounts.data!} blocks={blocks.data!} workloads={tree.data!.workloads} />
        </Card>
        <Card title={`Awaiting approval (${pending.length})`}>
          {pending.length === 0 ? <p className="muted">Nothing is waiting.</p> : pending.map((t) => <PendingRequest key={t.id} t={t} />)}
        </Card>
      </div>
      <Card title="History">
        <History rows={decided} />
      </Card>
    </div>
  );
}

function RequestForm({ me, accounts, blocks, workloads }: { me?: Profile; accounts: CreditAccount[]; blocks: LedgerBlock[]; workloads: WorkloadRow[] }) {
  const runner = useRunner();
  const [accountId, setAccountId] = useState(accounts[0]?.id ?? 0);
  const [blockId, setBlockId] = useState(0);
  const [workloadId, setWorkloadId] = useState(0);
  const [kind, setKind] = useState<'top-up' | 'renewal'>('top-up');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const account = accounts.find((a) => a.id === accountId);
  const own = blocks.filter((b) => b.accountId === accountId);
  const mayRequest = !!me && me.role !== 'approver';

  async function submit(e: FormEvent) {
    e.preventDefault();
    const amountMicros = parseAmount(amount);
    if (amountMicros === null || amountMicros <= 0) {
      await runner.run(async () => ({ ok: false, error: { code: 'invalid-argument', message: 'Enter a positive amount, e.g. 5000.' } }));
      return;
    }
    const done = await runner.run(
      () => api['topup-request']({ accountId, blockId: blockId || undefined, workloadId: workloadId || undefined, kind, amountMicros, reason }),
      (t) => `Request ${t.id} sent: ${money(t.amountMicros, t.currency)} on ${t.accountName}. An approver other than you decides it.`,
    );
    if (done) {
      setAmount('');
      setReason('');
    }
  }

  return (
    <form className="ld-form ld-narrow" onSubmit={submit} aria-label="Top-up request">
      {!mayRequest && <p className="muted small">{me ? `${me.name} is an approver: top-ups are requested by a workload owner or an analyst.` : 'Sign in as a workload owner or an analyst to request.'}</p>}
      <Field label="Credit account">
        {(id) => (
          <select id={id} value={accountId} onChange={(e) => (setAccountId(Number(e.target.value)), setBlockId(0))}>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Credit block" hint="a new block on approval, or add to an existing one">
        {(id) => (
          <select id={id} value={blockId} onChange={(e) => setBlockId(Number(e.target.value))}>
            <option value={0}>New block for the account</option>
            {own.map((b) => (
              <option key={b.blockId} value={b.blockId}>
                Add to {b.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="For workload">
        {(id) => (
          <select id={id} value={workloadId} onChange={(e) => setWorkloadId(Number(e.target.value))}>
            <option value={0}>the whole account</option>
            {workloads.map((w) => (
              <option key={w.id} value={w.id}>
                {[w.department, w.application, w.agent].filter(Boolean).join(' › ')}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Kind">
        {(id) => (
          <select id={id} value={kind} onChange={(e) => setKind(e.target.value as 'top-up' | 'renewal')}>
            <option value="top-up">top-up</option>
            <option value="renewal">renewal</option>
          </select>
        )}
      </Field>
      <Field label={`Amount (${account?.currency ?? 'USD'})`}>{(id) => <input id={id} value={amount} onChange={(e) => setAmount(e.target.value)} inputMode="decimal" required />}</Field>
      <Field label="Reason">{(id) => <textarea id={id} value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} />}</Field>
      <div className="ld-form-actions">
        <button className="primary" type="submit" disabled={runner.busy || !mayRequest}>
          Send request
        </button>
      </div>
      <RunnerStatus runner={runner} />
    </form>
  );
}

function PendingRequest({ t }: { t: TopupRequest }) {
  const runner = useRunner();
  const [note, setNote] = useState('');
  const decide = (decision: 'approve' | 'reject') =>
    runner.run(() => api['topup-decide']({ id: t.id, decision, note: note || undefined }), (r) => `Request ${r.id} ${r.status}${r.createdBlockId ? `; credit added to block ${r.createdBlockId}` : ''}.`);
  return (
    <article className="card" style={{ marginBottom: 10 }} aria-label={`Request ${t.id}`} data-testid={`pending-${t.id}`}>
      <div className="ld-toolbar">
        <strong>
          {money(t.amountMicros, t.currency)} {t.kind} · {t.accountName}
        </strong>
        <span className="ld-spacer" />
        <Badge tone="pending">pending</Badge>
      </div>
      <p className="small" style={{ margin: '6px 0' }}>
        {t.reason}
      </p>
      <p className="muted small" style={{ margin: '0 0 8px' }}>
        Requested by {t.requesterName} on {when(t.createdAt)}
        {t.workloadPath ? ` for ${t.workloadPath}` : ''}
        {t.blockName ? ` · adds to ${t.blockName}` : ''}
      </p>
      <div className="ld-toolbar">
        <input aria-label={`Decision note for request ${t.id}`} placeholder="note (optional)" value={note} onChange={(e) => setNote(e.target.value)} style={{ flex: 1, padding: 6 }} />
        <button className="primary small" disabled={!t.canDecide || runner.busy} onClick={() => decide('approve')} aria-describedby={t.canDecide ? undefined : `why-${t.id}`}>
          Approve
        </button>
        <button className="small ld-danger" disabled={!t.canDecide || runner.busy} onClick={() => decide('reject')} aria-describedby={t.canDecide ? undefined : `why-${t.id}`}>
          Reject
        </button>
      </div>
      {!t.canDecide && (
        <p className="ld-warn-text small" id={`why-${t.id}`} data-testid="cannot-decide">
          {t.cannotDecideReason}
        </p>
      )}
      <RunnerStatus runner={runner} />
    </article>
  );
}

function History({ rows }: { rows: TopupRequest[] }) {
  if (rows.length === 0) return <p className="muted">No decisions yet.</p>;
  return (
    <div className="table-wrap">
      <table className="data" aria-label="Decided requests">
        <thead>
          <tr>
            <th>Decided</th>
            <th>Decision</th>
            <th className="num">Amount</th>
            <th>Account</th>
            <th>Requested by</th>
            <th>Decided by</th>
            <th className="ld-wrap">Reason · note</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((t) => (
            <tr key={t.id} data-testid={`decided-${t.id}`}>
              <td>{when(t.decidedAt)}</td>
              <td>
                <Badge tone={t.status}>{t.status}</Badge>
              </td>
              <td className="num">{money(t.amountMicros, t.currency)}</td>
              <td>{t.accountName}</td>
              <td>{t.requesterName}</td>
              <td>{t.decidedBy}</td>
              <td className="ld-wrap">
                {t.reason}
                {t.decisionNote && <span className="ld-sub">Note: {t.decisionNote}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
