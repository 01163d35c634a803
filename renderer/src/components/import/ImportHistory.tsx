import { useState } from 'react';
import { api } from '../../api/client';
import { useQuery, mutate } from '../../hooks/useQuery';
import { ErrorBox } from '../ui';
import type { ApiError } from '../../../../shared/api';

/** Every import is a batch: file, format, counts, who ran it; a committed batch can be undone. */
export function ImportHistory() {
  const q = useQuery(() => api['imports-list']({ limit: 100 }));
  const [error, setError] = useState<ApiError>();
  const [note, setNote] = useState<string>();

  async function undo(id: number, name: string) {
    if (!window.confirm(`Undo the import of ${name}? Every row it added is removed; the undo is logged.`)) return;
    const r = await mutate(() => api['import-undo']({ importId: id }));
    if (r.ok) {
      const n = r.value.removed;
      setNote(`Undid ${r.value.fileName}: removed ${n.usageRecords} usage rows, ${n.invoiceLines} invoice lines, ${n.incidents} incidents, ${n.creditBlocks} credit blocks.`);
      setError(undefined);
    } else setError(r.error);
  }

  if (q.error) return <ErrorBox error={q.error} />;
  const rows = q.data?.imports ?? [];
  return (
    <div>
      {note && (
        <p className="notice" role="status">
          {note}
        </p>
      )}
      {error && <ErrorBox error={error} />}
      {rows.length === 0 ? (
        <p className="muted">No imports yet.</p>
      ) : (
        <div className="table-wrap">
          <table className="data" aria-label="Import history">
            <thead>
              <tr>
                <th>#</th>
                <th>File</th>
                <th>Format</th>
                <th className="num">Read</th>
                <th className="num">Imported</th>
                <th className="num">Duplicate</th>
                <th className="num">Rejected</th>
                <th>By</th>
                <th>When</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rows.map((b) => (
                <tr key={b.id} data-testid={`import-${b.id}`}>
                  <td>{b.id}</td>
                  <td title={b.contentHash}>{b.fileName}</td>
                  <td>{b.format}</td>
                  <td className="num">{b.rowsRead.toLocaleString('en-US')}</td>
                  <td className="num">{b.rowsImported.toLocaleString('en-US')}</td>
                  <td className="num">{b.rowsDuplicate.toLocaleString('en-US')}</td>
                  <td className="num">{b.rowsRejected.toLocaleString('en-US')}</td>
                  <td>{b.runBy}</td>
                  <td>{b.finishedAt.replace('T', ' ').replace('Z', '')}</td>
                  <td>{b.status === 'undone' ? `undone ${b.undoneAt?.slice(0, 10) ?? ''}` : 'committed'}</td>
                  <td>
                    {b.status === 'committed' && (
                      <button onClick={() => void undo(b.id, b.fileName)} aria-label={`Undo import ${b.id} (${b.fileName})`}>
                        Undo
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
