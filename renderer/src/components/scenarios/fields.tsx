import { useId, type ReactNode } from 'react';
import type { Target } from '../../../../shared/forecast/scenario';
import type { ScenarioOptions } from '../../../../shared/api/scenario-types';

/** Labelled form controls of the lever editor: native inputs, so every one is keyboard-reachable. */

/** A label tied to its control by id (a control nested in its label would take the selected option into its name). */
export function Field({ label, children, hint }: { label: string; children: (id: string) => ReactNode; hint?: string }) {
  const id = useId();
  return (
    <div className="sc-field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {hint && <small className="muted">{hint}</small>}
    </div>
  );
}

export function NumberField(p: { label: string; value: number | undefined; onChange(v: number): void; min?: number; max?: number; step?: number; hint?: string }) {
  return (
    <Field label={p.label} hint={p.hint}>
      {(id) => (
      <input
        id={id}
        type="number"
        value={p.value === undefined || Number.isNaN(p.value) ? '' : p.value}
        min={p.min}
        max={p.max}
        step={p.step ?? 'any'}
        onChange={(e) => p.onChange(e.target.value === '' ? Number.NaN : Number(e.target.value))}
      />
      )}
    </Field>
  );
}

export function DateField(p: { label: string; value: string | undefined; onChange(v: string | undefined): void; optional?: boolean; emptyMeans?: string }) {
  return (
    <Field label={p.label} hint={p.optional ? `empty: ${p.emptyMeans ?? 'from the start'}` : undefined}>
      {(id) => <input id={id} type="date" value={p.value ?? ''} required={!p.optional} onChange={(e) => p.onChange(e.target.value || undefined)} />}
    </Field>
  );
}

export function TextField(p: { label: string; value: string; onChange(v: string): void }) {
  return (
    <Field label={p.label}>
      {(id) => <input id={id} type="text" value={p.value} onChange={(e) => p.onChange(e.target.value)} />}
    </Field>
  );
}

export function Select<T extends string | number>(p: { label: string; value: T; options: { value: T; label: string }[]; onChange(v: T): void }) {
  const numeric = typeof p.value === 'number';
  return (
    <Field label={p.label}>
      {(id) => (
        <select id={id} value={String(p.value)} onChange={(e) => p.onChange((numeric ? Number(e.target.value) : e.target.value) as T)}>
          {p.options.map((o) => (
            <option key={String(o.value)} value={String(o.value)}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function ModelSelect(p: { label: string; value: string; options: ScenarioOptions; onChange(v: string): void }) {
  const known = p.options.models.some((m) => m.id === p.value);
  const usd = (micros: number) => `$${(micros / 1e6).toLocaleString('en-US', { maximumFractionDigits: 3 })}`;
  return (
    <Field label={p.label}>
      {(id) => (
      <select id={id} value={p.value} onChange={(e) => p.onChange(e.target.value)}>
        {!known && <option value={p.value}>{p.value} (not in the catalog)</option>}
        <optgroup label="In use">
          {p.options.models.filter((m) => m.inUse).map((m) => (
            <option key={m.id} value={m.id}>{`${m.id} — ${usd(m.inputPerMTokMicros)} / ${usd(m.outputPerMTokMicros)} per M tokens`}</option>
          ))}
        </optgroup>
        <optgroup label="Price catalog">
          {p.options.models.filter((m) => !m.inUse).map((m) => (
            <option key={m.id} value={m.id}>{`${m.id} — ${usd(m.inputPerMTokMicros)} / ${usd(m.outputPerMTokMicros)}`}</option>
          ))}
        </optgroup>
      </select>
      )}
    </Field>
  );
}

/** What a lever acts on: a workload, a department or an account. */
export function TargetField({ value, options, onChange }: { value: Target; options: ScenarioOptions; onChange(t: Target): void }) {
  const kinds = [
    { value: 'workload', label: 'Workload' },
    { value: 'department', label: 'Department' },
    { value: 'account', label: 'Account' },
  ] as const;
  const switchKind = (k: Target['kind']) => {
    if (k === 'workload') onChange({ kind: k, workloadId: options.workloads[0]?.id ?? 1 });
    else if (k === 'department') onChange({ kind: k, department: options.departments[0] ?? '' });
    else onChange({ kind: k, accountId: options.accounts[0]?.id ?? 1 });
  };
  return (
    <>
      <Select label="Applies to" value={value.kind} options={[...kinds]} onChange={switchKind} />
      {value.kind === 'workload' && (
        <Select label="Workload" value={value.workloadId} options={options.workloads.map((w) => ({ value: w.id, label: w.name }))} onChange={(workloadId) => onChange({ kind: 'workload', workloadId })} />
      )}
      {value.kind === 'department' && (
        <Select label="Department" value={value.department} options={options.departments.map((d) => ({ value: d, label: d }))} onChange={(department) => onChange({ kind: 'department', department })} />
      )}
      {value.kind === 'account' && (
        <Select label="Account" value={value.accountId} options={options.accounts.map((a) => ({ value: a.id, label: a.name }))} onChange={(accountId) => onChange({ kind: 'account', accountId })} />
      )}
    </>
  );
}
