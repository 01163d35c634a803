import type { Job } from '../../../../shared/domain';

function eta(s: number | null): string {
  if (s == null) return 'estimating…';
  if (s < 60) return `${s}s left`;
  return `${Math.floor(s / 60)}m ${s % 60}s left`;
}

/** A progress bar with rows, percent, rows/s and ETA, and Cancel. */
export function ImportProgress({ job, onCancel }: { job: Job; onCancel(): void }) {
  const p = job.progress;
  return (
    <div className="progress-block">
      <div className="progressbar" role="progressbar" aria-label="Import progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(p.percent)}>
        <div style={{ width: `${p.percent}%` }} />
      </div>
      <div className="muted small">
        {p.percent.toFixed(1)}% · {p.rows.toLocaleString('en-US')} rows · {p.rowsPerSecond.toLocaleString('en-US')} rows/s · {eta(p.etaSeconds)}
        <button className="link" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
