import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { Card, ErrorBox } from '../ui';
import type { ApiError } from '../../../../shared/api';
import type { ScenarioEntry, ScenarioRunResult } from '../../../../shared/api/scenario-types';
import { NumberField } from './fields';
import { useScenariosStore } from './store';

const POLL_MS = 150;

/** Starts scenario-run for the picked scenarios and follows the job's percentage until it is done. */
export function RunPanel({ scenarios }: { scenarios: ScenarioEntry[] }) {
  const { selected, settings, setSettings, jobId, percent, started, progress, finished } = useScenariosStore();
  const [error, setError] = useState<ApiError>();
  const names = selected.map((id) => scenarios.find((s) => s.id === id)?.name).filter((n): n is string => !!n);

  useEffect(() => {
    if (!jobId) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout>;
    const poll = async () => {
      const r = await api['job-get']({ id: jobId });
      if (!live) return;
      if (!r.ok) {
        setError(r.error);
        return finished(null);
      }
      progress(r.value.progress.percent);
      if (r.value.state === 'running') timer = setTimeout(poll, POLL_MS);
      else if (r.value.state === 'done') finished(r.value.result as ScenarioRunResult);
      else {
        setError({ code: r.value.state === 'cancelled' ? 'cancelled' : 'internal', message: r.value.message ?? `The simulation ${r.value.state}.` });
        finished(null);
      }
    };
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [jobId, progress, finished]);

  async function start() {
    setError(undefined);
    const ids = selected.filter((id) => scenarios.some((s) => s.id === id));
    const r = await api['scenario-run']({ scenarioIds: ids, horizonDays: settings.horizonDays, paths: settings.paths, seed: settings.seed });
    if (!r.ok) return setError(r.error);
    started(r.value.id);
  }

  return (
    <Card title="Run the comparison">
      <div className="sc-form">
        <NumberField label="Horizon (days)" value={settings.horizonDays} min={7} max={1095} step={1} onChange={(horizonDays) => setSettings({ horizonDays })} />
        <NumberField label="Monte Carlo paths" value={settings.paths} min={1} max={20000} step={100} onChange={(paths) => setSettings({ paths })} />
        <NumberField label="Seed" value={settings.seed} min={0} step={1} onChange={(seed) => setSettings({ seed })} />
        <div className="sc-run">
          <button type="button" className="primary" onClick={start} disabled={!!jobId}>
            {jobId ? 'Simulating…' : names.length ? `Run baseline + ${names.length} scenario${names.length > 1 ? 's' : ''}` : 'Run the baseline'}
          </button>
          {jobId && (
            <button type="button" onClick={() => void api['job-cancel']({ id: jobId })}>
              Cancel
            </button>
          )}
        </div>
      </div>
      <p className="muted small">{names.length ? `Baseline vs ${names.join(', ')}.` : 'No scenario picked: the baseline forecast alone.'} The same seed gives the same numbers.</p>
      {jobId && (
        <div className="progressbar" role="progressbar" aria-label="Simulation progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(percent)}>
          <div style={{ width: `${percent}%` }} />
        </div>
      )}
      {error && <ErrorBox error={error} />}
    </Card>
  );
}
