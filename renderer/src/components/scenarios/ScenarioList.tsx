import { useState, type ChangeEvent } from 'react';
import { api } from '../../api/client';
import { mutate } from '../../hooks/useQuery';
import { Card, ErrorBox } from '../ui';
import type { ApiError } from '../../../../shared/api';
import type { ScenarioEntry, ScenarioOptions } from '../../../../shared/api/scenario-types';
import { describeLever } from './levers';
import { MAX_SELECTED, useScenariosStore } from './store';

/** Saves text as a file through the browser's download (the browser mode and Electron alike). */
function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Saved scenarios: pick up to four to compare, edit, export, delete; new; load from JSON. */
export function ScenarioList({ scenarios, options }: { scenarios: ScenarioEntry[]; options: ScenarioOptions }) {
  const { selected, toggle, edit } = useScenariosStore();
  const [error, setError] = useState<ApiError>();
  const [notice, setNotice] = useState<string>();
  const [confirming, setConfirming] = useState<number | null>(null);

  const run = async <T,>(work: () => Promise<{ ok: true; value: T } | { ok: false; error: ApiError }>, done?: (v: T) => void) => {
    const r = await work();
    if (!r.ok) return setError(r.error);
    setError(undefined);
    done?.(r.value);
  };
  const exportOne = (s: ScenarioEntry) => run(() => api['scenario-export']({ id: s.id }), (v) => download(v.fileName, v.json));
  const remove = (s: ScenarioEntry) =>
    run(() => mutate(() => api['scenario-delete']({ id: s.id })), () => {
      if (selected.includes(s.id)) toggle(s.id);
      setConfirming(null);
      setNotice(`Deleted “${s.name}”.`);
    });
  async function load(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    const json = await file.text();
    await run(() => mutate(() => api['scenario-import']({ json })), (v) => setNotice(`Loaded “${v.name}” from ${file.name}.`));
  }

  return (
    <Card
      title="Saved scenarios"
      actions={
        <div className="sc-toolbar">
          <label className="sc-file">
            <span>Load from JSON</span>
            <input type="file" accept=".json,application/json" onChange={load} aria-label="Load a scenario from a JSON file" />
          </label>
          <button type="button" className="primary" onClick={() => edit({ name: `Scenario ${scenarios.length + 1}`, description: '', levers: [] })}>
            New scenario
          </button>
        </div>
      }
    >
      {scenarios.length === 0 ? (
        <p className="muted">No scenario yet. Build one from levers with “New scenario”, or load one from JSON.</p>
      ) : (
        <table className="data" aria-label="Saved scenarios">
          <thead>
            <tr>
              <th>Compare</th>
              <th>Scenario</th>
              <th>Levers</th>
              <th>Saved</th>
              <th>Actions</th>
            </tr>
          </thead>
          <tbody>
            {scenarios.map((s) => (
              <tr key={s.id} data-testid={`scenario-${s.id}`}>
                <td>
                  <input
                    type="checkbox"
                    checked={selected.includes(s.id)}
                    disabled={!selected.includes(s.id) && selected.length >= MAX_SELECTED}
                    onChange={() => toggle(s.id)}
                    aria-label={`Compare ${s.name}`}
                  />
                </td>
                <td className="sc-wrap">
                  <strong>{s.name}</strong>
                  {s.description && <span className="sc-sub">{s.description}</span>}
                </td>
                <td className="sc-wrap">
                  <ul className="sc-levers">
                    {s.levers.map((l, i) => (
                      <li key={i}>{describeLever(l, options)}</li>
                    ))}
                  </ul>
                </td>
                <td>{s.updatedAt.slice(0, 10)}</td>
                <td className="sc-row-actions">
                  <button type="button" className="small" onClick={() => edit({ id: s.id, name: s.name, description: s.description, levers: s.levers })} aria-label={`Edit ${s.name}`}>
                    Edit
                  </button>
                  <button type="button" className="small" onClick={() => exportOne(s)} aria-label={`Export ${s.name} to JSON`}>
                    Export
                  </button>
                  {confirming === s.id ? (
                    <button type="button" className="small sc-danger" onClick={() => remove(s)} aria-label={`Confirm delete ${s.name}`}>
                      Confirm delete
                    </button>
                  ) : (
                    <button type="button" className="small" onClick={() => setConfirming(s.id)} aria-label={`Delete ${s.name}`}>
                      Delete
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted small">Pick up to {MAX_SELECTED} scenarios to compare with the baseline.</p>
      {notice && (
        <p className="sc-notice" role="status">
          {notice}
        </p>
      )}
      {error && <ErrorBox error={error} />}
    </Card>
  );
}
