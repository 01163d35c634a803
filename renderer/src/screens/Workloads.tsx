import { useState } from 'react';
import { api } from '../api/client';
import { useQuery } from '../hooks/useQuery';
import { useReady } from '../hooks/useReady';
import { Card, ErrorBox } from '../components/ui';
import { Badge } from '../components/ledger/Form';
import { RuleEditor } from '../components/ledger/RuleEditor';
import { AllocationsEditor, WorkloadForm } from '../components/ledger/WorkloadPanel';
import { money } from '../components/ledger/format';
import type { WorkloadRow, WorkloadTree } from '../../../shared/api/ledger';

/** Workloads: department › application › agent with owners and allocations, and the attribution rule editor. */
export function WorkloadsScreen() {
  const tree = useQuery(() => api['workloads-tree']({}));
  const rules = useQuery(() => api['rules-list']({}));
  const allocations = useQuery(() => api['allocations-list']({}));
  const blocks = useQuery(() => api['blocks-list']({}));
  const [selectedId, setSelectedId] = useState<number>();
  const ready = !!tree.data && !!rules.data && !!allocations.data && !!blocks.data;
  useReady(ready || !!tree.error, 'workloads');
  const error = tree.error ?? rules.error ?? allocations.error ?? blocks.error;
  if (error) return <ErrorBox error={error} />;
  if (!ready) return <p className="muted">Loading workloads…</p>;
  const selected = tree.data!.workloads.find((w) => w.id === selectedId);
  return (
    <div className="screen">
      <h1>Workloads</h1>
      <div className="ld-grid-2 ld-grid-wide">
        <Card title="Department › application › agent">
          <Tree tree={tree.data!} selectedId={selectedId} onSelect={setSelectedId} />
        </Card>
        <div className="ld-stack">
          {selected ? (
            <>
              <Card title={`Workload · ${path(selected)}`}>
                <WorkloadForm key={selected.id} workload={selected} />
              </Card>
              <Card title="Allocations">
                <AllocationsEditor workload={selected} allocations={allocations.data!} blocks={blocks.data!.filter((b) => b.remainingMicros > 0 || b.allocatedMicros > 0)} />
              </Card>
            </>
          ) : (
            <Card title="New workload">
              <p className="muted small">Select a workload in the tree to edit its owner of record, tags and allocations.</p>
              <WorkloadForm />
            </Card>
          )}
        </div>
      </div>
      <Card title="Attribution rules · live preview">
        <p className="muted small">
          A usage row goes to the workload of the matching rule with the lowest priority number (then the oldest rule). Patterns are globs with * and ?; an
          empty field matches anything. The preview runs on your edits before you save them.
        </p>
        <RuleEditor rules={rules.data!} workloads={tree.data!.workloads} />
      </Card>
    </div>
  );
}

function path(w: WorkloadRow): string {
  return [w.department, w.application, w.agent].filter(Boolean).join(' › ') + (w.environment !== 'production' ? ` (${w.environment})` : '');
}

function Tree({ tree, selectedId, onSelect }: { tree: WorkloadTree; selectedId?: number; onSelect(id: number | undefined): void }) {
  return (
    <div>
      <div className="ld-tree-head" aria-hidden>
        <span>Workload</span>
        <span>Owner of record</span>
        <span className="num">Consumed</span>
        <span className="num">Allocation left</span>
      </div>
      <ul className="ld-tree" aria-label="Workloads by department and application">
        {tree.departments.map((d) => (
          <li key={d.name}>
            <div className="ld-dept">{d.name}</div>
            <ul>
              {d.applications.map((a) => (
                <li key={a.name}>
                  <div className="ld-app">{a.name}</div>
                  <ul>
                    {a.workloads.map((w) => (
                      <li key={w.id}>
                        <button className={`ld-node${w.id === selectedId ? ' ld-selected' : ''}`} aria-pressed={w.id === selectedId} onClick={() => onSelect(w.id === selectedId ? undefined : w.id)} data-testid={`workload-${w.id}`}>
                          <span>
                            {w.agent ?? <em>application</em>}
                            {w.environment !== 'production' && <span className="muted"> · {w.environment}</span>}
                            {w.critical && (
                              <>
                                {' '}
                                <Badge tone="info">critical</Badge>
                              </>
                            )}
                            {w.retired && <span className="muted"> · retired</span>}
                          </span>
                          <span>{w.ownerName ?? <Badge tone="fail">no owner</Badge>}</span>
                          <span className="num">{money(w.consumedMicros)}</span>
                          <span className="num">{w.allocatedMicros > 0 ? money(w.allocationLeftMicros) : '—'}</span>
                        </button>
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </div>
  );
}
