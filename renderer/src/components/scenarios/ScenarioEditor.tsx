import { useState } from 'react';
import { api } from '../../api/client';
import { mutate } from '../../hooks/useQuery';
import { Card, ErrorBox } from '../ui';
import type { ApiError } from '../../../../shared/api';
import type { ScenarioOptions } from '../../../../shared/api/scenario-types';
import type { LeverKind } from '../../../../shared/forecast/scenario';
import { LeverFields } from './LeverFields';
import { Field, Select } from './fields';
import { LEVER_KINDS, defaultLever, leverLabel } from './levers';
import { useScenariosStore } from './store';

/** Builds a scenario from levers, each from a date and on a workload, department or account. */
export function ScenarioEditor({ options }: { options: ScenarioOptions }) {
  const { draft, patchDraft, edit, toggle, selected } = useScenariosStore();
  const [kind, setKind] = useState<LeverKind>('model-swap');
  const [error, setError] = useState<ApiError>();
  const [saving, setSaving] = useState(false);
  if (!draft) return null;

  async function save() {
    if (!draft) return;
    setSaving(true);
    const r = await mutate(() => api['scenario-save']({ id: draft.id, name: draft.name, description: draft.description, levers: draft.levers }));
    setSaving(false);
    if (!r.ok) return setError(r.error);
    setError(undefined);
    edit(null);
    // a scenario just built is usually the one to run next
    if (!selected.includes(r.value.id)) toggle(r.value.id);
  }

  return (
    <Card title={draft.id ? `Edit “${draft.name}”` : 'New scenario'}>
      <div className="sc-form">
        <Field label="Name">{(id) => <input id={id} type="text" value={draft.name} onChange={(e) => patchDraft({ name: e.target.value })} maxLength={200} />}</Field>
        <Field label="Description">
          {(id) => <input id={id} type="text" value={draft.description} onChange={(e) => patchDraft({ description: e.target.value })} maxLength={5000} />}
        </Field>
      </div>
      {draft.levers.length === 0 && <p className="muted">No levers yet: add one below. A scenario without levers is the baseline.</p>}
      {draft.levers.map((l, i) => (
        <fieldset key={i} className="sc-lever" aria-label={`Lever ${i + 1}: ${leverLabel(l.kind)}`}>
          <legend>
            {i + 1}. {leverLabel(l.kind)}
          </legend>
          <div className="sc-form">
            <LeverFields lever={l} options={options} onChange={(next) => patchDraft({ levers: draft.levers.map((x, j) => (j === i ? next : x)) })} />
          </div>
          <button type="button" className="small sc-remove" onClick={() => patchDraft({ levers: draft.levers.filter((_, j) => j !== i) })}>
            Remove lever {i + 1}
          </button>
        </fieldset>
      ))}
      <div className="sc-toolbar">
        <Select<LeverKind> label="Lever" value={kind} options={LEVER_KINDS.map((k) => ({ value: k.kind, label: k.label }))} onChange={setKind} />
        <button type="button" onClick={() => patchDraft({ levers: [...draft.levers, defaultLever(kind, options)] })}>
          Add lever
        </button>
        <span className="sc-spacer" />
        <button type="button" onClick={() => edit(null)}>
          Cancel
        </button>
        <button type="button" className="primary" onClick={save} disabled={saving || draft.name.trim() === ''}>
          {saving ? 'Saving…' : 'Save scenario'}
        </button>
      </div>
      {error && <ErrorBox error={error} />}
    </Card>
  );
}
