import { api } from '../api/client';
import { useQuery } from '../hooks/useQuery';
import { useReady } from '../hooks/useReady';
import { useReportsStore } from '../stores/reports';
import { Card, ErrorBox } from '../components/ui';
import { useReportWindow, WindowPicker, pending } from '../print/window';
import { IncidentBlock } from '../print/IncidentsReport';
import { money, hours, instant } from '../../../shared/report-format';
import type { IncidentsReport } from '../../../shared/api/report-types';
import '../print/print.css';
import '../print/screens.css';

export function IncidentsScreen() {
  const win = useReportWindow();
  const setWindow = useReportsStore((s) => s.setWindow);
  const q = useQuery(() => (win ? api['incidents-report'](win) : pending()), [win?.from, win?.to]);
  useReady(!!win && !q.loading, 'incidents');
  return (
    <div className="screen">
      <h1>Incidents</h1>
      <div className="toolbar">{win && <WindowPicker from={win.from} to={win.to} onApply={setWindow} />}</div>
      {q.error && <ErrorBox error={q.error} />}
      {q.data && <IncidentsView r={q.data} />}
    </div>
  );
}

/** An instant that may wrap between its date and its time, not inside either. */
function Instant({ iso }: { iso: string | null }) {
  const [day, ...time] = instant(iso).split(' ');
  return time.length === 0 ? <>{day}</> : (
    <>
      <span className="nobr">{day}</span> <span className="nobr">{time.join(' ')}</span>
    </>
  );
}

function IncidentsView({ r }: { r: IncidentsReport }) {
  const { incidentId, selectIncident } = useReportsStore();
  const selected = r.incidents.find((i) => i.id === incidentId) ?? r.incidents.find((i) => i.spendImpact) ?? r.incidents[0];
  return (
    <>
      <Card title={`Recorded incidents (${r.incidents.length})`}>
        {r.incidents.length === 0 ? (
          <p className="muted">No incident was recorded in this window. Import an incident list to correlate spikes with it.</p>
        ) : (
          <div className="table-wrap">
            <table className="data compact" aria-label="Incidents and their spend">
              <thead>
                <tr>
                  <th>Incident</th>
                  <th>Title</th>
                  <th>Spike start</th>
                  <th>Detected</th>
                  <th className="num">Detection lag</th>
                  <th className="num">Excess spend</th>
                  <th className="num">Top-ups in window</th>
                  <th className="num">Auto-recharge</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {r.incidents.map((i) => (
                  <tr key={i.id} className={i.id === selected?.id ? 'selected' : ''} data-testid={`incident-${i.externalId}`}>
                    <td className="nobr">{i.externalId}</td>
                    <td className="wrap">{i.title}</td>
                    <td>
                      <Instant iso={i.spikeStart} />
                    </td>
                    <td>
                      <Instant iso={i.detectedAt} />
                    </td>
                    <td className="num">{hours(i.detectionLagHours)}</td>
                    <td className="num">{i.spendImpact ? money(i.excessMicros) : 'no spend impact'}</td>
                    <td className="num">{money(i.topUpMicros)}</td>
                    <td className="num">{money(i.autoRechargeMicros)}</td>
                    <td>
                      <button onClick={() => selectIncident(i.id)} aria-label={`Show the timeline of ${i.externalId}`}>
                        Timeline
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      {selected && (
        <Card title={`Timeline: ${selected.externalId}`}>
          <div className="report">
            <IncidentBlock i={selected} />
          </div>
        </Card>
      )}
      <Card title={`Spikes without an incident (${r.unexplained.length})`}>
        {r.unexplained.length === 0 ? (
          <p className="muted">Every spike in this window is covered by a recorded incident.</p>
        ) : (
          <div className="table-wrap">
            <table className="data" aria-label="Spikes without an incident">
              <thead>
                <tr>
                  <th>Series</th>
                  <th>Start</th>
                  <th>End</th>
                  <th className="num">Excess</th>
                  <th>Why review it</th>
                </tr>
              </thead>
              <tbody>
                {r.unexplained.map((u) => (
                  <tr key={u.id}>
                    <td className="wrap">{u.label}</td>
                    <td>{instant(u.startAt)}</td>
                    <td>{instant(u.endAt)}</td>
                    <td className="num">{money(u.excessMicros)}</td>
                    <td className="wrap">{u.explanation}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      <Card title="Other signals">
        <h3>Level shifts ({r.levelShifts.length})</h3>
        <ul>
          {r.levelShifts.map((l) => (
            <li key={l.spike.id}>
              {l.spike.label} from {l.spike.start}: {money(l.preMicros)}/day → {money(l.postMicros)}/day{l.explainedBy ? ` — ${l.explainedBy}` : ''}
            </li>
          ))}
        </ul>
        <h3>First use of a model ({r.newModels.length})</h3>
        <ul>
          {r.newModels.map((f) => (
            <li key={`${f.key}-${f.model}`}>{f.explanation}</li>
          ))}
        </ul>
        <h3>Probe then burst ({r.probes.length})</h3>
        <ul>
          {r.probes.map((p) => (
            <li key={`${p.key}-${p.at}`}>{p.explanation}</li>
          ))}
        </ul>
        <ul className="muted small">
          {r.method.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      </Card>
    </>
  );
}
