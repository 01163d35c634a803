import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import { useQuery } from '../../hooks/useQuery';
import type { DepletionAction, ScopeKind, Threshold, ThresholdKind } from '../../../../shared/api/ledger';
import { Badge, Field, RunnerStatus, useRunner } from './Form';
import { money, parseAmount } from './format';

/** The thresholds table (switch on or off) and a form for a new threshold or depletion rule. */

const VALUE_HINT: Record<ThresholdKind, string> = {
  'percent-consumed': 'percent (0 = 50/75/90/100)',
  'runway-days': 'days of runway',
  expiring: 'days before expiry',
  'burn-spike': 'ratio × 100 (300 = 3×)',
};

function describe(t: Threshold): string {
  if (t.kind === 'percent-consumed') return t.value > 0 ? `${t.value}% consumed` : '50/75/90/100% consumed';
  if (t.kind === 'runway-days') return `${t.value} days of runway`;
  if (t.kind === 'expiring') return `expires within ${t.value} days${t.minUnusedMicros ? ` with more than ${money(t.minUnusedMicros)} unused` : ''}`;
  return `burn above ${t.value / 100}× the baseline`;
}

export function ThresholdForm({ thresholds }: { thresholds: Threshold[] }) {
  const runner = useRunner();
  const scopes = useScopes();
  const [scopeKind, setScopeKind] = useState<ScopeKind>('workload');
  const [scopeId, setScopeId] = useState(0);
  const [kind, setKind] = useState<ThresholdKind>('percent-consumed');
  const [value, setValue] = useState('90');
  const [action, setAction] = useState<DepletionAction>('throttle');
  const [margin, setMargin] = useState('2');
  const [minUnused, setMinUnused] = useState('');
  const options = scopes[scopeKind];
  const chosen = options.some((o) => o.id === scopeId) ? scopeId : (options[0]?.id ?? 0);

  async function submit(e: FormEvent) {
    e.preventDefault();
    await runner.run(
      () => api['threshold-set']({ scopeKind, scopeId: chosen, kind, value: Number(value), action, safetyMarginDays: Number(margin), minUnusedMicros: kind === 'expiring' ? parseAmount(minUnused) : null }),
      (t) => `Saved: ${t.action} on ${t.scopeName} at ${describe(t)}.`,
    );
  }

  return (
    <div>
      <div className="table-wrap" style={{ maxHeight: 320, overflow: 'auto' }}>
        <table className="data" aria-label="Thresholds">
          <thead>
            <tr>
              <th>Scope</th>
              <th>Fires at</th>
              <th>Action</th>
              <th className="num">Safety margin</th>
              <th>On</th>
            </tr>
          </thead>
          <tbody>
            {thresholds.map((t) => (
              <tr key={t.id}>
                <td>
                  {t.scopeName}
                  <span className="ld-sub">{t.scopeKind}</span>
                </td>
                <td>{describe(t)}</td>
                <td>
                  <Badge tone={t.action === 'stop' ? 'critical' : t.action === 'throttle' ? 'warning' : 'info'}>{t.action}</Badge>
                </td>
                <td className="num">{t.safetyMarginDays > 0 ? `${t.safetyMarginDays} d` : '—'}</td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Threshold on ${t.scopeName} at ${describe(t)} enabled`}
                    checked={t.enabled}
                    disabled={runner.busy}
                    onChange={(e) => runner.run(() => api['threshold-set']({ id: t.id, scopeKind: t.scopeKind, scopeId: t.scopeId, kind: t.kind, value: t.value, enabled: e.target.checked }))}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form className="ld-form" onSubmit={submit} aria-label="New threshold" style={{ marginTop: 12 }}>
        <Field label="Scope">
          {(id) => (
            <select id={id} value={scopeKind} onChange={(e) => setScopeKind(e.target.value as ScopeKind)}>
              <option value="workload">workload</option>
              <option value="block">credit block</option>
              <option value="account">credit account</option>
            </select>
          )}
        </Field>
        <Field label="Of">
          {(id) => (
            <select id={id} value={chosen} onChange={(e) => setScopeId(Number(e.target.value))}>
              {options.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Kind">
          {(id) => (
            <select id={id} value={kind} onChange={(e) => setKind(e.target.value as ThresholdKind)}>
              {Object.keys(VALUE_HINT).map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Value" hint={VALUE_HINT[kind]}>
          {(id) => <input id={id} type="number" min={0} value={value} onChange={(e) => setValue(e.target.value)} required />}
        </Field>
        {kind === 'expiring' && <Field label="More than unused">{(id) => <input id={id} value={minUnused} onChange={(e) => setMinUnused(e.target.value)} inputMode="decimal" />}</Field>}
        <Field label="Action">
          {(id) => (
            <select id={id} value={action} onChange={(e) => setAction(e.target.value as DepletionAction)}>
              <option value="alert">alert</option>
              <option value="throttle">throttle</option>
              <option value="stop">stop</option>
            </select>
          )}
        </Field>
        <Field label="Safety margin (days)" hint="providers enforce late">
          {(id) => <input id={id} type="number" min={0} value={margin} onChange={(e) => setMargin(e.target.value)} />}
        </Field>
        <div className="ld-form-actions">
          <button className="primary" type="submit" disabled={runner.busy || chosen === 0}>
            Add threshold
          </button>
        </div>
      </form>
      <RunnerStatus runner={runner} />
    </div>
  );
}

/** Names of everything a threshold can watch. */
function useScopes(): Record<ScopeKind, { id: number; name: string }[]> {
  const blocks = useQuery(() => api['blocks-list']({}));
  const accounts = useQuery(() => api['accounts-list']({}));
  const tree = useQuery(() => api['workloads-tree']({}));
  return {
    block: (blocks.data ?? []).map((b) => ({ id: b.blockId, name: b.name })),
    account: (accounts.data ?? []).map((a) => ({ id: a.id, name: a.name })),
    workload: (tree.data?.workloads ?? []).filter((w) => !w.retired).map((w) => ({ id: w.id, name: [w.department, w.application, w.agent].filter(Boolean).join(' › ') + (w.environment !== 'production' ? ` (${w.environment})` : '') })),
  };
}
