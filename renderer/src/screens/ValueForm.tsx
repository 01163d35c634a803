import { useState } from 'react';
import { api } from '../api/client';
import { useQuery, mutate } from '../hooks/useQuery';
import { ErrorBox } from '../components/ui';
import { parseMicros } from '../../../shared/money';
import type { ApiError } from '../../../shared/api';

/** Enter units delivered and value per unit for a workload and month (logged in the audit log). */
export function ValueForm() {
  const tree = useQuery(() => api['workloads-tree']({}));
  const [workloadId, setWorkloadId] = useState('');
  const [period, setPeriod] = useState('');
  const [metric, setMetric] = useState('');
  const [units, setUnits] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState<ApiError>();
  const [saved, setSaved] = useState<string>();
  const valueMicros = parseMicros(value);
  const unitsN = /^\d+$/.test(units.trim()) ? Number(units.trim()) : null;
  const valid = !!workloadId && /^\d{4}-\d{2}$/.test(period) && metric.trim() !== '' && unitsN !== null && valueMicros !== null && valueMicros >= 0;

  async function save(e: React.FormEvent) {
    e.preventDefault();
    if (!valid) return;
    const r = await mutate(() => api['value-metric-set']({ workloadId: Number(workloadId), period, metric: metric.trim(), units: unitsN!, valuePerUnitMicros: valueMicros! }));
    setError(r.ok ? undefined : r.error);
    setSaved(r.ok ? `Saved ${r.value.metric} for ${r.value.workloadPath}, ${r.value.period}.` : undefined);
  }

  return (
    <form className="value-form" onSubmit={save} aria-label="Enter a value metric">
      <h3>Enter value delivered</h3>
      <label>
        Workload{' '}
        <select value={workloadId} onChange={(e) => setWorkloadId(e.target.value)} aria-label="Workload">
          <option value="">choose…</option>
          {tree.data?.workloads.map((w) => (
            <option key={w.id} value={w.id}>
              {[w.department, w.application, w.agent].filter(Boolean).join(' › ')}
              {w.environment !== 'production' ? ` (${w.environment})` : ''}
            </option>
          ))}
        </select>
      </label>
      <label>
        Month <input type="month" value={period} onChange={(e) => setPeriod(e.target.value)} aria-label="Month" />
      </label>
      <label>
        Metric <input value={metric} onChange={(e) => setMetric(e.target.value)} placeholder="tickets_resolved" aria-label="Metric" maxLength={80} />
      </label>
      <label>
        Units <input value={units} onChange={(e) => setUnits(e.target.value)} inputMode="numeric" aria-label="Units" />
      </label>
      <label>
        Value per unit (USD) <input value={value} onChange={(e) => setValue(e.target.value)} inputMode="decimal" aria-label="Value per unit" placeholder="2.50" />
      </label>
      <button type="submit" className="primary" disabled={!valid}>
        Save value
      </button>
      {error && <ErrorBox error={error} />}
      {saved && <p className="muted small" role="status">{saved}</p>}
    </form>
  );
}
