import { api } from '../api/client';
import { useQuery } from '../hooks/useQuery';
import { useReady } from '../hooks/useReady';
import { Card, ErrorBox } from '../components/ui';
import { Badge } from '../components/ledger/Form';
import type { PostureControl } from '../../../shared/api/ledger';

/** Controls posture: each control computed from the data, mapped to NIST CSF 2.0, OWASP NHI Top 10 (2025) and NIST AI RMF. */
export function ControlsScreen() {
  const q = useQuery(() => api['posture-get']({}));
  const audit = useQuery(() => api['audit-verify']({}));
  useReady((!!q.data && !!audit.data) || !!q.error, 'controls');
  if (q.error) return <ErrorBox error={q.error} />;
  if (!q.data || !audit.data) return <p className="muted">Computing the controls posture…</p>;
  const { controls, asOf } = q.data;
  const count = (s: PostureControl['status']) => controls.filter((c) => c.status === s).length;
  return (
    <div className="screen">
      <h1>
        Controls <span className="muted small">posture as of {asOf ?? '—'}</span>
      </h1>
      <div className="tiles">
        <Tile label="Pass" value={count('pass')} tone="pass" />
        <Tile label="Warn" value={count('warn')} tone="warn" />
        <Tile label="Fail" value={count('fail')} tone="fail" />
        <div className="tile">
          <div className="tile-label">Audit log</div>
          <div className="tile-value" data-testid="audit-status" style={{ fontSize: 16 }}>
            {audit.data.ok ? `intact · ${audit.data.entries} entries` : `broken at entry ${audit.data.brokenSeq}`}
          </div>
        </div>
      </div>
      <Card title="Controls and framework mapping">
        {controls.length === 0 ? (
          <p className="muted">Load data first: the posture is computed from credits, usage, thresholds and approvals.</p>
        ) : (
          <div className="table-wrap">
            <table className="data" aria-label="Controls posture">
              <thead>
                <tr>
                  <th>Status</th>
                  <th className="ld-wrap">Control · evidence</th>
                  <th className="ld-wrap">What is missing</th>
                  <th className="ld-wrap">Owner of the fix</th>
                  <th className="ld-wrap">Frameworks</th>
                </tr>
              </thead>
              <tbody>
                {controls.map((c) => (
                  <tr key={c.id} data-testid={`control-${c.id}`} style={{ verticalAlign: 'top' }}>
                    <td>
                      <Badge tone={c.status}>{c.status}</Badge>
                    </td>
                    <td className="ld-wrap" style={{ minWidth: 240 }}>
                      <strong>{c.title}</strong>
                      <span className="ld-sub">{c.evidence}</span>
                    </td>
                    <td className="ld-wrap" style={{ minWidth: 280 }}>
                      {c.missing.length === 0 ? (
                        <span className="muted">—</span>
                      ) : (
                        <ul className="ld-missing">
                          {c.missing.map((m, i) => (
                            <li key={i}>{m}</li>
                          ))}
                        </ul>
                      )}
                    </td>
                    <td className="ld-wrap">{c.fixOwner}</td>
                    <td className="ld-wrap" style={{ minWidth: 200 }}>
                      <div className="ld-frameworks">
                        {c.frameworks.csf.map((x) => (
                          <span key={x} className="ld-fw ld-csf" title="NIST CSF 2.0">
                            CSF {x}
                          </span>
                        ))}
                        {c.frameworks.nhi.map((x) => (
                          <span key={x} className="ld-fw ld-nhi" title="OWASP Non-Human Identity Top 10 (2025)">
                            {x}
                          </span>
                        ))}
                        {c.frameworks.aiRmf.map((x) => (
                          <span key={x} className="ld-fw ld-rmf" title="NIST AI RMF">
                            AI RMF {x}
                          </span>
                        ))}
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}

function Tile({ label, value, tone }: { label: string; value: number; tone: string }) {
  return (
    <div className={`tile${tone === 'fail' && value > 0 ? ' warn' : ''}`}>
      <div className="tile-label">{label}</div>
      <div className="tile-value" data-testid={`controls-${tone}`}>
        {value}
      </div>
    </div>
  );
}
