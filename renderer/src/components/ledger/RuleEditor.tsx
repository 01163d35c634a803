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
/** In the order an analyst fills them: most rules key on provider and project or key. The tag is one "key=value" field. */
const PATTERNS = ['provider', 'projectPattern', 'apiKeyPattern', 'modelPattern', 'accountPattern'] as const;
const HEAD: Record<(typeof PATTERNS)[number], string> = {
  provider: 'Provider',
  accountPattern: 'Account',
  projectPattern: 'Project',
  apiKeyPattern: 'API key',
  modelPattern: 'Model',
};
const WIDTH: Record<(typeof PATTERNS)[number], number> = { provider: 62, projectPattern: 86, apiKeyPattern: 86, modelPattern: 72, accountPattern: 60 };

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
        <table className="data ld-rules" aria-label="Attribution rules">
          <thead>
            <tr>
              <th>Workload</th>
              <th className="num" title="spend the rule matches in the preview">Matched</th>
              <th title="lower wins">Prio.</th>
              {PATTERNS.slice(0, 4).map((p) => (
                <th key={p}>{HEAD[p]}</th>
              ))}
              <th title="tag key=value pattern">Tag k=v</th>
              <th>{HEAD.accountPattern}</th>
              <th>On</th>
            </tr>
          </thead>
          <tbody>
            {draft.map((d, i) => (
              <RuleRow key={d.key} d={d} index={i} workloads={workloads} preview={preview.data} dirty={dirty(d)} busy={runner.busy} onChange={(p) => update(d.key, p)} onSave={() => save(d)} onDelete={() => remove(d)} />
            ))}
          </tbody>
        </table>
      </div>
      <div className="ld-toolbar" style={{ marginTop: 10 }}>
        <button onClick={add}>Add rule</button>
        <button onClick={() => runner.run(() => api['rules-apply']({}), (r) => `Re-attributed ${r.rows.toLocaleString('en-US')} usage rows; ${r.changed.toLocaleString('en-US')} changed workload.`)} disabled={runner.busy}>
          Re-attribute usage with saved rules
        </button>
        <span className="ld-spacer" />
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
        <select aria-label={label('workload')} style={{ maxWidth: 150 }} value={d.workloadId} onChange={(e) => onChange({ workloadId: Number(e.target.value) })}>
          {workloads.map((w) => (
            <option key={w.id} value={w.id}>
              {[w.department, w.application, w.agent].filter(Boolean).join(' › ')}
              {w.environment !== 'production' ? ` (${w.environment})` : ''}
              {w.retired ? ' (retired: its rules do not match)' : ''}
            </option>
          ))}
        </select>
      </td>
      <td className="num" data-testid="matched">
        {matched ? money(matched.matchedMicros, preview!.currency) : '…'}
      </td>
      <td>
        <input aria-label={label('priority')} inputMode="numeric" style={{ width: 40 }} value={d.priority} onChange={(e) => onChange({ priority: Number(e.target.value.replace(/\D/g, '')) || 0 })} />
      </td>
      {PATTERNS.map((p) => (
        <td key={p}>
          <input aria-label={label(HEAD[p])} style={{ width: WIDTH[p] }} value={d[p] ?? ''} placeholder="any" onChange={(e) => onChange({ [p]: e.target.value === '' ? null : e.target.value })} />
        </td>
      )).flatMap((cell, i) => (i === 3 ? [cell, <td key="tag"><TagInput label={label('tag')} tagKey={d.tagKey} tagValue={d.tagValuePattern} onChange={onChange} /></td>] : [cell]))}
      <td>
        <div className="ld-row-actions">
        <input aria-label={label('enabled')} type="checkbox" checked={d.enabled} onChange={(e) => onChange({ enabled: e.target.checked })} />
        <button className="small primary" disabled={!dirty || busy} onClick={props.onSave}>
          Save
        </button>
        <button className="small ld-danger" disabled={busy} onClick={props.onDelete} aria-label={label('delete')}>
          Delete
        </button>
        </div>
      </td>
    </tr>
  );
}

/** "app=ci-*" edits tagKey and tagValuePattern together; the raw text is kept while typing. */
function TagInput({ label, tagKey, tagValue, onChange }: { label: string; tagKey: string | null; tagValue: string | null; onChange(p: Partial<Draft>): void }) {
  const [raw, setRaw] = useState(tagKey === null ? '' : `${tagKey}=${tagValue ?? '*'}`);
  return (
    <input
      aria-label={label}
      style={{ width: 88 }}
      value={raw}
      placeholder="any"
      onChange={(e) => {
        setRaw(e.target.value);
        const [k, ...v] = e.target.value.split('=');
        onChange({ tagKey: k.trim() || null, tagValuePattern: v.length > 0 && v.join('=').trim() !== '' ? v.join('=').trim() : null });
      }}
    />
  );
}

function PreviewSummary({ p }: { p: RulePreview }) {
  const share = p.totalMicros > 0 ? (p.unattributedMicros / p.totalMicros) * 100 : 0;
  return (
    <span data-testid="rules-preview-summary">
      Unattributed: <strong className={share > 10 ? 'ld-crit-text' : share > 2 ? 'ld-warn-text' : 'ld-ok-text'}>{money(p.unattributedMicros, p.currency)}</strong> of {money(p.totalMicros, p.currency)} ({share.toFixed(1)}%) ·{' '}
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
