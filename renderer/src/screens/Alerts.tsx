import { useState } from 'react';
import { api } from '../api/client';
import { useQuery } from '../hooks/useQuery';
import { useReady } from '../hooks/useReady';
import { Card, ErrorBox } from '../components/ui';
import { Badge, RunnerStatus, useRunner } from '../components/ledger/Form';
import { ThresholdForm } from '../components/ledger/ThresholdForm';
import { when } from '../components/ledger/format';
import type { Alert, DepletionFinding } from '../../../shared/api/ledger';

/** Alerts raised by thresholds (once per threshold and period), their acknowledgement, and the depletion rules. */
export function AlertsScreen() {
  const [open, setOpen] = useState(true);
  const alerts = useQuery(() => api['alerts-list']({ open }), [open]);
  const depletion = useQuery(() => api['depletion-rules-report']({}));
  const thresholds = useQuery(() => api['thresholds-list']({}));
  const runner = useRunner();
  const ready = !!alerts.data && !!depletion.data && !!thresholds.data;
  useReady(ready || !!alerts.error, 'alerts');
  const error = alerts.error ?? depletion.error ?? thresholds.error;
  if (error) return <ErrorBox error={error} />;
  if (!ready) return <p className="muted">Loading alerts…</p>;
  return (
    <div className="screen">
      <h1>Alerts</h1>
      <Card
        title={open ? `Open alerts (${alerts.data!.length})` : `All alerts (${alerts.data!.length})`}
        actions={
          <div className="ld-toolbar">
            <label>
              <input type="checkbox" checked={!open} onChange={(e) => setOpen(!e.target.checked)} /> Show acknowledged
            </label>
            <button onClick={() => runner.run(() => api['alerts-evaluate']({}), (r) => `${r.evaluated} thresholds evaluated; ${r.raised.length} new alerts.`)} disabled={runner.busy}>
              Evaluate thresholds now
            </button>
          </div>
        }
      >
        <RunnerStatus runner={runner} />
        <AlertsTable alerts={alerts.data!} />
      </Card>
      <Card title="Depletion rules on the history">
        <DepletionList findings={depletion.data!} />
      </Card>
      <Card title={`Thresholds and depletion rules (${thresholds.data!.length})`}>
        <ThresholdForm thresholds={thresholds.data!} />
      </Card>
    </div>
  );
}

/** The newest alerts first; a long history is folded so the latest ones stay on screen. */
const FOLD_AFTER = 25;

function AlertsTable({ alerts }: { alerts: Alert[] }) {
  const runner = useRunner();
  const [all, setAll] = useState(false);
  if (alerts.length === 0) return <p className="muted">No alerts to show.</p>;
  return (
    <>
      <RunnerStatus runner={runner} />
      <div className="table-wrap">
        <table className="data" aria-label="Alerts">
          <thead>
            <tr>
              <th>Fired</th>
              <th>Severity</th>
              <th>Kind</th>
              <th className="ld-wrap">Alert</th>
              <th>Acknowledged</th>
            </tr>
          </thead>
          <tbody>
            {alerts.slice(0, all ? undefined : FOLD_AFTER).map((a) => (
              <tr key={a.id} data-testid={`alert-${a.id}`}>
                <td>{a.firedOn}</td>
                <td>
                  <Badge tone={a.severity}>{a.severity}</Badge>
                </td>
                <td>
                  {a.kind}
                  <span className="ld-sub">{a.scopeName}</span>
                </td>
                <td className="ld-wrap">{a.message}</td>
                <td>
                  {a.acknowledgedAt ? (
                    <span className="muted small">
                      {a.acknowledgedBy}
                      <br />
                      {when(a.acknowledgedAt)}
                    </span>
                  ) : (
                    <button className="small" disabled={runner.busy} onClick={() => runner.run(() => api['alert-acknowledge']({ id: a.id }), 'Alert acknowledged.')} aria-label={`Acknowledge alert of ${a.firedOn}: ${a.message.slice(0, 60)}`}>
                      Acknowledge
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {alerts.length > FOLD_AFTER && (
        <button className="ld-link" onClick={() => setAll(!all)}>
          {all ? 'Show the latest only' : `Show all ${alerts.length} alerts`}
        </button>
      )}
    </>
  );
}

function DepletionList({ findings }: { findings: DepletionFinding[] }) {
  const enforcing = findings.filter((f) => f.action !== 'alert');
  const alerting = findings.filter((f) => f.action === 'alert');
  const [showAll, setShowAll] = useState(false);
  return (
    <div>
      <p className="muted small">When each rule would have fired on the recorded history, and how long before the credit ran dry. Providers enforce late, so a rule that fires inside its safety margin came too late.</p>
      {enforcing.length === 0 && <p className="muted">No throttle or stop rule is set.</p>}
      {enforcing.map((f, i) => (
        <p key={`e${i}`} className="ld-sentence" data-testid="depletion-enforcing">
          <Badge tone={f.action === 'stop' ? 'critical' : 'warning'}>{f.action}</Badge> {f.sentence}
        </p>
      ))}
      {alerting.slice(0, showAll ? undefined : 6).map((f, i) => (
        <p key={`a${i}`} className="ld-sentence">
          <Badge tone="info">alert</Badge> {f.sentence}
        </p>
      ))}
      {alerting.length > 6 && (
        <button className="ld-link" onClick={() => setShowAll(!showAll)}>
          {showAll ? 'Show fewer' : `Show all ${alerting.length} alert rules`}
        </button>
      )}
    </div>
  );
}
