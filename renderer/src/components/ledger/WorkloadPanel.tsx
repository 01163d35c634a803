import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import type { Allocation, LedgerBlock, WorkloadRow } from '../../../../shared/api/ledger';
import { Field, RunnerStatus, useRunner } from './Form';
import { money, parseAmount, percent } from './format';

/** One workload: its owner of record, environment, tags and its allocations (editable). */

function tagsText(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

function parseTagsText(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const [k, ...v] = part.split('=');
    if (k.trim()) out[k.trim()] = v.join('=').trim();
  }
  return out;
}

export function WorkloadForm({ workload, onDone }: { workload?: WorkloadRow; onDone?(): void }) {
  const runner = useRunner();
  const [department, setDepartment] = useState(workload?.department ?? '');
  const [application, setApplication] = useState(workload?.application ?? '');
  const [agent, setAgent] = useState(workload?.agent ?? '');
  const [environment, setEnvironment] = useState(workload?.environment ?? 'production');
  const [ownerName, setOwnerName] = useState(workload?.ownerName ?? '');
  const [ownerContact, setOwnerContact] = useState(workload?.ownerContact ?? '');
  const [critical, setCritical] = useState(workload?.critical ?? false);
  const [tags, setTags] = useState(tagsText(workload?.tags ?? {}));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const fields = {
      department: department.trim(),
      application: application.trim(),
      agent: agent.trim() || null,
      environment: environment.trim() || 'production',
      ownerName: ownerName.trim() || null,
      ownerContact: ownerContact.trim() || null,
      critical,
      tags: parseTagsText(tags),
    };
    const saved = workload
      ? await runner.run(() => api['workload-update']({ id: workload.id, ...fields }), 'Workload saved.')
      : await runner.run(() => api['workload-create'](fields), (w) => `Created ${w.department} › ${w.application}.`);
    if (saved) onDone?.();
  }

  return (
    <form className="ld-form" onSubmit={submit} aria-label={workload ? 'Edit workload' : 'New workload'}>
      <Field label="Department">{(id) => <input id={id} value={department} onChange={(e) => setDepartment(e.target.value)} required />}</Field>
      <Field label="Application">{(id) => <input id={id} value={application} onChange={(e) => setApplication(e.target.value)} required />}</Field>
      <Field label="Agent" hint="empty for the application itself">{(id) => <input id={id} value={agent} onChange={(e) => setAgent(e.target.value)} />}</Field>
      <Field label="Environment">{(id) => <input id={id} value={environment} onChange={(e) => setEnvironment(e.target.value)} />}</Field>
      <Field label="Owner of record">{(id) => <input id={id} value={ownerName} onChange={(e) => setOwnerName(e.target.value)} placeholder="name" />}</Field>
      <Field label="Owner contact">{(id) => <input id={id} value={ownerContact} onChange={(e) => setOwnerContact(e.target.value)} placeholder="email" />}</Field>
      <Field label="Tags" hint="key=value, key=value">{(id) => <input id={id} value={tags} onChange={(e) => setTags(e.target.value)} />}</Field>
      <Field label="Critical">{(id) => <input id={id} type="checkbox" checked={critical} onChange={(e) => setCritical(e.target.checked)} />}</Field>
      <div className="ld-form-actions">
        <button className="primary" type="submit" disabled={runner.busy}>
          {workload ? 'Save workload' : 'Create workload'}
        </button>
        {workload && (
          <button type="button" className="ld-danger" disabled={runner.busy} onClick={() => runner.run(() => api['workload-update']({ id: workload.id, retired: !workload.retired }), workload.retired ? 'Workload restored.' : 'Workload retired.')}>
            {workload.retired ? 'Restore' : 'Retire'}
          </button>
        )}
      </div>
      <div style={{ gridColumn: '1 / -1' }}>
        <RunnerStatus runner={runner} />
      </div>
    </form>
  );
}

export function AllocationsEditor({ workload, allocations, blocks }: { workload: WorkloadRow; allocations: Allocation[]; blocks: LedgerBlock[] }) {
  const runner = useRunner();
  const mine = allocations.filter((a) => a.workloadId === workload.id);
  const [blockId, setBlockId] = useState(blocks[0]?.blockId ?? 0);
  const [share, setShare] = useState('');
  const [mode, setMode] = useState<'percent' | 'amount'>('percent');

  async function add(e: FormEvent) {
    e.preventDefault();
    const n = parseAmount(share);
    if (n === null) return;
    const args = mode === 'percent' ? { blockId, workloadId: workload.id, percentBp: Math.round(n / 10_000) } : { blockId, workloadId: workload.id, amountMicros: n };
    if (await runner.run(() => api['allocation-set'](args), 'Allocation saved.')) setShare('');
  }

  return (
    <div>
      <table className="data" aria-label="Allocations">
        <thead>
          <tr>
            <th>Block</th>
            <th className="num">Share</th>
            <th className="num">Earmarked</th>
            <th className="num">Left</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {mine.length === 0 && (
            <tr>
              <td colSpan={5} className="muted">
                No allocation: this workload draws on the pooled remainder of its account's blocks.
              </td>
            </tr>
          )}
          {mine.map((a) => (
            <tr key={a.id}>
              <td>{a.blockName}</td>
              <td className="num">{a.percentBp !== null ? percent(a.percentBp) : money(a.amountMicros, a.unit)}</td>
              <td className="num">{money(a.effectiveMicros, a.unit)}</td>
              <td className="num">{money(a.leftMicros, a.unit)}</td>
              <td>
                <button className="small ld-danger" onClick={() => runner.run(() => api['allocation-delete']({ id: a.id }), 'Allocation removed.')} aria-label={`Remove allocation on ${a.blockName}`}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="ld-form" onSubmit={add} aria-label="New allocation" style={{ marginTop: 10 }}>
        <Field label="Block">
          {(id) => (
            <select id={id} value={blockId} onChange={(e) => setBlockId(Number(e.target.value))}>
              {blocks.map((b) => (
                <option key={b.blockId} value={b.blockId}>
                  {b.name} ({money(b.remainingMicros, b.unit)} left)
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Share as">
          {(id) => (
            <select id={id} value={mode} onChange={(e) => setMode(e.target.value as 'percent' | 'amount')}>
              <option value="percent">percent of the block</option>
              <option value="amount">amount</option>
            </select>
          )}
        </Field>
        <Field label={mode === 'percent' ? 'Percent' : 'Amount'}>{(id) => <input id={id} value={share} onChange={(e) => setShare(e.target.value)} inputMode="decimal" required />}</Field>
        <div className="ld-form-actions">
          <button type="submit" disabled={runner.busy}>
            Allocate
          </button>
        </div>
      </form>
      <RunnerStatus runner={runner} />
    </div>
  );
}
