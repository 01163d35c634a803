import { useEffect, useMemo, useState } from 'react';
import { api } from '../../api/client';
import { useQuery } from '../../hooks/useQuery';
import type { AttributionRule, RulePreview, WorkloadRow } from '../../../../shared/api/ledger';
import { ErrorBox } from '../ui';
import { RunnerStatus, useRunner } from './Form';
import { money } from './format';

/**
 * The attribution rule editor: the stored rules as an editable draft, with a live preview of
 * the spend each rule matches and what stays unattributed, computed by the engine on the
 * draft (nothing is saved until "Save"). "Re-attribute usage" applies the saved rules to every
 * stored usage row.
 */

type Draft = Omit<AttributionRule, 'id' | 'workloadPath'> & { id: number | null; key: string };
const PATTERNS = ['provider', 'accountPattern', 'projectPattern', 'apiKeyPattern', 'tagKey', 'tagValuePattern', 'modelPattern'] as const;
const HEAD: Record<(typeof PATTERNS)[number], string> = {
  provider: 'Provider',
  accountPattern: 'Account',
  projectPattern: 'Project / workspace',
  apiKeyPattern: 'API key',
  tagKey: 'Tag key',
  tagValuePattern: 'Tag value',
  modelPattern: 'Model',
};

function toDraft(r: AttributionRule): Draft {
  const { workloadPath: _p, ...rest } = r;
  return { ...rest, key: `rule-${r.id}` };
}

function payload(d: Draft) {
  const { id: _id, key: _key, ...fields } = d;
  return fields;
}

/** Re-renders settle for a moment before the engine is asked again, so typing stays smooth. */
function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export function RuleEditor({ rules, workloads }: { rules: AttributionRule[]; workloads: WorkloadRow[] }) {
  const [draft, setDraft] = useState<Draft[]>(() => rules.map(toDraft));
  // a save or delete refetches the stored rules; the draft starts again from them
  useEffect(() => setDraft(rules.map(toDraft)), [rules]);
  const runner = useRunner();
  const body = useDebounced(JSON.stringify(draft.map(payload)), 300);
  const preview = useQuery(() => api['rules-preview']({ rules: JSON.parse(body) }), [body]);
  const stored = useMemo(() => new Map(rules.map((r) => [r.id, JSON.stringify(payload(toDraft(r)))])), [rules]);
  const dirty = (d: Draft) => d.id === null || stored.get(d.id) !== JSON.stringify(payload(d));
  const update = (key: string, patch: Partial<Draft>) => setDraft((ds) => ds.map((d) => (d.key === key ? { ...d, ...patch } : d)));

  function add() {
    const w = workloads[0];
    if (!w) return;
    const key = `draft-${Date.now()}`;
    setDraft((ds) => [...ds, { id: null, key, workloadId: w.id, priority: 100, provider: null, accountPattern: null, projectPattern: null, apiKeyPattern: null, tagKey: null, tagValuePattern: null, modelPattern: null, enabled: true }]);
  }

  async function save(d: Draft) {
    if (d.id === null) await runner.run(() => api['rule-create'](payload(d)), 'Rule saved. Re-attribute usage to apply it to stored rows.');
    else await runner.run(() => api['rule-update']({ id: d.id!, ...payload(d) }), 'Rule saved. Re-attribute usage to apply it to stored rows.');
  }

  async function remove(d: Draft) {
    if (d.id === null) setDraft((ds) => ds.filter((x) => x.key !== d.key));
    else await runner.run(() => api['rule-delete']({ id: d.id! }), 'Rule deleted.');
  }

  return (
    <div>
      <RunnerStatus runner={runner} />
      {preview.error && <ErrorBox error={preview.error} />}
      <div className="table-wrap">
        <table className="data" aria-label="Attribution rules">
          <thead>
            <tr>
              <th>Workload</th>
              <th>Priority</th>
              {PATTERNS.map((p) => (
                <th key={p}>{HEAD[p]}</th>
              ))}
              <th>On</th>
              <th className="num">Matched spend</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {draft.map((d, i) => (
              <RuleRow key={d.key} d={d} index={i} workloads={workloads} preview={preview.data} dirty={dirty(d)} busy={runner.busy} onChange={(p) => update(d.key, p)} onSave={() => save(d)} onDelete={() => remove(d)} />
            ))}
          </tbody>
        </table>
      </div>
      <div className="toolbar" style={{ marginTop: 10 }}>
        <button onClick={add}>Add rule</button>
        <button onClick={() => runner.run(() => api['rules-apply']({}), (r) => `Re-attributed ${r.rows.toLocaleString('en-US')} usage rows; ${r.changed.toLocaleString('en-US')} changed workload.`)} disabled={runner.busy}>
          Re-attribute usage with saved rules
        </button>
        <span className="spacer" />
        {preview.data && <PreviewSummary p={preview.data} />}
      </div>
      {preview.data && preview.data.topUnattributed.length > 0 && <Unmatched p={preview.data} />}
    </div>
  );
}

function RuleRow(props: { d: Draft; index: number; workloads: WorkloadRow[]; preview?: RulePreview; dirty: boolean; busy: boolean; onChange(p: Partial<Draft>): void; onSave(): void; onDelete(): void }) {
  const { d, index, workloads, preview, dirty, busy, onChange } = props;
  const matched = preview?.rules[index];
  const label = (what: string) => `Rule ${index + 1} ${what}`;
  return (
    <tr data-testid={`rule-${d.key}`}>
      <td>
        <select aria-label={label('workload')} value={d.workloadId} onChange={(e) => onChange({ workloadId: Number(e.target.value) })}>
          {workloads.map((w) => (
            <option key={w.id} value={w.id}>
              {[w.department, w.application, w.agent].filter(Boolean).join(' › ')}
              {w.environment !== 'production' ? ` (${w.environment})` : ''}
            </option>
          ))}
        </select>
      </td>
      <td>
        <input aria-label={label('priority')} type="number" min={0} style={{ width: 64 }} value={d.priority} onChange={(e) => onChange({ priority: Number(e.target.value) })} />
      </td>
      {PATTERNS.map((p) => (
        <td key={p}>
          <input aria-label={label(HEAD[p])} style={{ width: p === 'tagKey' ? 80 : 130 }} value={d[p] ?? ''} placeholder="any" onChange={(e) => onChange({ [p]: e.target.value === '' ? null : e.target.value })} />
        </td>
      ))}
      <td>
        <input aria-label={label('enabled')} type="checkbox" checked={d.enabled} onChange={(e) => onChange({ enabled: e.target.checked })} />
      </td>
      <td className="num" data-testid="matched">
        {matched ? money(matched.matchedMicros, preview!.currency) : '…'}
      </td>
      <td className="toolbar">
        <button className="small primary" disabled={!dirty || busy} onClick={props.onSave}>
          Save
        </button>
        <button className="small danger" disabled={busy} onClick={props.onDelete} aria-label={label('delete')}>
          Delete
        </button>
      </td>
    </tr>
  );
}

function PreviewSummary({ p }: { p: RulePreview }) {
  const share = p.totalMicros > 0 ? (p.unattributedMicros / p.totalMicros) * 100 : 0;
  return (
    <span data-testid="rules-preview-summary">
      Unattributed: <strong className={share > 10 ? 'crit-text' : share > 2 ? 'warn-text' : 'ok-text'}>{money(p.unattributedMicros, p.currency)}</strong> of {money(p.totalMicros, p.currency)} ({share.toFixed(1)}%) ·{' '}
      {p.wouldChangeRows.toLocaleString('en-US')} stored rows would change workload
    </span>
  );
}

function Unmatched({ p }: { p: RulePreview }) {
  return (
    <table className="data" aria-label="Spend no rule matches" style={{ marginTop: 12 }}>
      <thead>
        <tr>
          <th>Provider</th>
          <th>Project / workspace</th>
          <th>API key</th>
          <th>Model</th>
          <th className="num">Unattributed spend</th>
        </tr>
      </thead>
      <tbody>
        {p.topUnattributed.map((u, i) => (
          <tr key={i}>
            <td>{u.provider}</td>
            <td>{u.project ?? '—'}</td>
            <td>{u.apiKey ?? '—'}</td>
            <td>{u.model ?? '—'}</td>
            <td className="num">{money(u.micros, p.currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
