import { useEffect, useState } from 'react';
import { api } from '../../api/client';
import { useQuery } from '../../hooks/useQuery';
import { useDataStore } from '../../stores/data';
import { useImportQueue, type QueuedFile } from '../../stores/importQueue';
import { PreviewTable } from './PreviewTable';
import { MappingEditor } from './MappingEditor';
import { ImportProgress } from './ImportProgress';
import type { ImportFileResult, ImportMapping } from '../../../../shared/api/imports';

const POLL_MS = 200;

/** One picked file: detected format for confirmation, preview, mapping editor, import with progress, result. */
export function FileCard({ item }: { item: QueuedFile }) {
  const { update, remove, onError } = useImportQueue();
  const formats = useQuery(() => api['formats-list']({}));
  const [editing, setEditing] = useState(false);
  const ref = item.file.ref;

  async function loadPreview(format?: string, mapping?: ImportMapping) {
    update(ref, { format, mapping, preview: undefined, previewError: undefined });
    const r = await api['import-preview']({ fileRef: ref, format, mapping });
    if (r.ok) {
      update(ref, { preview: r.value });
      setEditing(!r.value.format);
    } else update(ref, { previewError: r.error.message });
  }

  useEffect(() => {
    if (!item.preview && !item.previewError) void loadPreview();
    // a file is previewed once when it is added
  }, []);

  async function start() {
    const r = await api['import-start']({ fileRef: ref, format: item.mapping ? undefined : item.format ?? item.preview?.format?.id, mapping: item.mapping, onError });
    if (!r.ok) return update(ref, { previewError: r.error.message });
    let job = r.value;
    update(ref, { job });
    while (job.state === 'running') {
      await new Promise((res) => setTimeout(res, POLL_MS));
      const g = await api['job-get']({ id: job.id });
      if (!g.ok) return update(ref, { previewError: g.error.message, job: undefined });
      job = g.value;
      update(ref, { job });
    }
    if (job.state === 'done') {
      update(ref, { result: job.result as ImportFileResult });
      useDataStore.getState().invalidate();
    } else update(ref, { previewError: job.message ?? `Import ${job.state}.` });
  }

  const pv = item.preview;
  const running = item.job?.state === 'running';
  return (
    <section className="card file-card" aria-label={`Import of ${item.file.name}`}>
      <header className="card-head">
        <h2>
          {item.file.name} <span className="muted small">{(item.file.size / 1024).toFixed(1)} KB</span>
        </h2>
        {!running && !item.result && (
          <button className="link" onClick={() => remove(ref)} aria-label={`Remove ${item.file.name}`}>
            Remove
          </button>
        )}
      </header>
      {item.previewError && (
        <div className="error" role="alert">
          {item.previewError}
        </div>
      )}
      {!pv && !item.previewError && <p className="muted">Reading the start of the file…</p>}
      {pv && (
        <>
          <div className="form-row">
            <label>
              Detected format
              <select
                aria-label="Format"
                value={item.mapping ? 'custom' : (item.format ?? pv.format?.id ?? '')}
                disabled={running || !!item.result}
                onChange={(e) => (e.target.value === 'custom' ? setEditing(true) : void loadPreview(e.target.value || undefined))}
              >
                {!pv.format && <option value="">— not recognised —</option>}
                {(formats.data?.formats ?? []).map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.label}
                  </option>
                ))}
              </select>
            </label>
            <span className="muted small">
              {pv.encoding} · delimiter “{pv.delimiter === '\t' ? 'tab' : pv.delimiter}” · {pv.headers.length} columns
              {pv.candidates[0] ? ` · ${pv.candidates[0].reason}` : ''}
            </span>
          </div>
          {pv.alreadyImported && (
            <p className="notice">
              This exact file was imported before as #{pv.alreadyImported.importId} ({pv.alreadyImported.fileName}, {pv.alreadyImported.finishedAt.slice(0, 10)}):
              importing it again adds nothing.
            </p>
          )}
          {pv.error && <p className="muted">{pv.error}</p>}
          {editing && !item.result && (
            <MappingEditor
              headers={pv.headers}
              initial={item.mapping ?? pv.savedMapping?.mapping}
              onApply={(m) => void loadPreview(undefined, m)}
              onSaved={() => undefined}
            />
          )}
          {pv.rows.length > 0 && <PreviewTable preview={pv} />}
          {!item.result && !running && (
            <div className="actions">
              <button className="primary" disabled={!pv.format && !item.mapping} onClick={() => void start()}>
                Import {item.file.name}
              </button>
            </div>
          )}
        </>
      )}
      {running && item.job && <ImportProgress job={item.job} onCancel={() => void api['job-cancel']({ id: item.job!.id })} />}
      {item.result && <ResultSummary r={item.result} />}
    </section>
  );
}

function ResultSummary({ r }: { r: ImportFileResult }) {
  return (
    <div className={`result result-${r.status}`} role="status" data-testid="import-result">
      <strong>{r.message}</strong>
      <div className="muted small">
        {r.rowsRead.toLocaleString('en-US')} read · {r.rowsImported.toLocaleString('en-US')} imported · {r.rowsDuplicate.toLocaleString('en-US')} duplicate ·{' '}
        {r.rowsRejected.toLocaleString('en-US')} rejected · {(r.durationMs / 1000).toFixed(1)}s
        {r.blocksCreated ? ` · ${r.blocksCreated} credit blocks` : ''}
        {r.rowsAttributed ? ` · ${r.rowsAttributed.toLocaleString('en-US')} attributed` : ''}
      </div>
      {r.unknownModels.length > 0 && <div className="muted small">Models the price catalog does not know: {r.unknownModels.join(', ')}</div>}
      {r.rejectsFile && <div className="muted small">Rejected rows were saved to {r.rejectsFile}</div>}
      {r.warnings.map((w) => (
        <div key={w} className="muted small">
          {w}
        </div>
      ))}
      {r.errors.length > 0 && (
        <ul className="errors">
          {r.errors.slice(0, 20).map((e, i) => (
            <li key={i}>
              Line {e.line}
              {e.column ? `, column ${e.column}` : ''}: {e.message}
            </li>
          ))}
          {r.errorsTotal > 20 && <li>… and {r.errorsTotal - 20} more</li>}
        </ul>
      )}
    </div>
  );
}
