import { useEffect, useState } from 'react';
import { api } from '../api/client';
import { useReportsStore } from '../stores/reports';
import { addDays } from '../../../shared/dates';

/**
 * The window the report screens look at. Until the user picks one, the last 90 days of data
 * (ending on the ledger's as-of day), which covers a monthly review and the incidents before it.
 */
export function useReportWindow(): { from: string; to: string } | null {
  const { from, to, setWindow } = useReportsStore();
  useEffect(() => {
    if (from && to) return;
    let live = true;
    api['dashboard-get']({}).then((r) => {
      if (!live) return;
      const end = (r.ok && r.value.asOf) || new Date().toISOString().slice(0, 10);
      setWindow(addDays(end, -89), end);
    });
    return () => {
      live = false;
    };
  }, [from, to, setWindow]);
  return from && to ? { from, to } : null;
}

/** From and to day pickers; the change applies when the user presses Show, not on every keystroke. */
export function WindowPicker({ from, to, onApply, label = 'Show' }: { from: string; to: string; onApply(from: string, to: string): void; label?: string }) {
  const [f, setF] = useState(from);
  const [t, setT] = useState(to);
  useEffect(() => {
    setF(from);
    setT(to);
  }, [from, to]);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(f) && /^\d{4}-\d{2}-\d{2}$/.test(t) && f <= t;
  return (
    <form
      className="window-picker"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) onApply(f, t);
      }}
    >
      <label>
        From <input type="date" value={f} onChange={(e) => setF(e.target.value)} aria-label="From" />
      </label>
      <label>
        To <input type="date" value={t} onChange={(e) => setT(e.target.value)} aria-label="To" />
      </label>
      <button type="submit" disabled={!valid}>
        {label}
      </button>
      {!valid && <span className="muted small">From must be a date on or before To.</span>}
    </form>
  );
}

/** Saves text as a file through the browser's download (both in the browser mode and in Electron). */
export function downloadText(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** For useQuery before the window is known: a promise that never settles, so nothing is asked yet. */
export const pending = (): Promise<never> => new Promise<never>(() => undefined);
