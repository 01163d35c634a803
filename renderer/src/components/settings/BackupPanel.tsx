import { useRef, useState } from 'react';
import { api, platform } from '../../api/client';
import { useQuery } from '../../hooks/useQuery';
import { Card, ErrorBox } from '../ui';
import { Badge, RunnerStatus, useRunner } from '../ledger/Form';
import type { FileRef } from '../../../../shared/bridge';
import type { DbInfo } from '../../../../shared/api/maintenance';

/**
 * Settings › Database: where the database is and how big, its integrity, Back up now, and Restore
 * from a backup file. The desktop app picks the file in a native dialog; the browser mode uploads
 * it. A restore asks for confirmation first, and says where the replaced database was saved.
 */
export function BackupPanel() {
  const info = useQuery(() => api['db-info']({}));
  const runner = useRunner();
  const [picked, setPicked] = useState<FileRef | null>(null);
  const input = useRef<HTMLInputElement>(null);

  async function pick(files?: File[]) {
    runner.clear();
    const r = await platform.pickFiles(files);
    if (r.ok) setPicked(r.value[0] ?? null);
    else await runner.run(async () => r);
  }

  async function restore(ref: FileRef) {
    setPicked(null);
    await runner.run(() => api['db-restore']({ fileRef: ref.ref }), (r) =>
      `Restored ${r.restoredFrom}: ${r.counts.usageRecords.toLocaleString()} usage rows, ${r.counts.imports} imports.` +
      (r.beforeRestoreBackup ? ` The database it replaced was saved to ${r.beforeRestoreBackup}.` : ''),
    );
  }

  return (
    <section aria-label="Database" data-section="database">
      <Card title="Database">
        {info.error && <ErrorBox error={info.error} />}
        {info.data && <DbFacts info={info.data} />}
        <RunnerStatus runner={runner} />
        <div className="actions">
          <button
            className="primary"
            disabled={runner.busy}
            data-testid="backup-now"
            onClick={() => void runner.run(() => api['db-backup']({}), (b) => `Backup written to ${b.path} (${formatBytes(b.bytes)}).`)}
          >
            Back up now
          </button>
          <button disabled={runner.busy} data-testid="restore-pick" onClick={() => (platform.kind === 'desktop' ? void pick() : input.current?.click())}>
            Restore from a backup file…
          </button>
          <button disabled={runner.busy} onClick={() => void runner.run(() => api['db-info']({ check: true }), (i) => (i.integrity.ok ? 'Integrity check passed.' : `Integrity check failed: ${i.integrity.result}`))}>
            Check integrity now
          </button>
          <input
            ref={input}
            type="file"
            accept=".db,.sqlite,.sqlite3"
            hidden
            data-testid="restore-input"
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = '';
              if (files.length) void pick(files.slice(0, 1));
            }}
          />
        </div>
        {picked && <ConfirmRestore file={picked} busy={runner.busy} onConfirm={() => void restore(picked)} onCancel={() => setPicked(null)} />}
      </Card>
    </section>
  );
}

function DbFacts({ info }: { info: DbInfo }) {
  const c = info.counts;
  return (
    <dl aria-label="Database file" style={FACTS}>
      <dt>File</dt>
      <dd>
        <code>{info.path}</code>
      </dd>
      <dt>Size</dt>
      <dd>
        {formatBytes(info.bytes)}
        {info.walBytes > 0 && <span className="muted"> + {formatBytes(info.walBytes)} not yet checkpointed</span>}
      </dd>
      <dt>Schema</dt>
      <dd>
        v{info.schemaVersion}
        {info.schemaVersion < info.knownSchemaVersion && <span className="muted"> (this version knows v{info.knownSchemaVersion})</span>}
      </dd>
      <dt>Integrity</dt>
      <dd data-testid="db-integrity">
        {info.integrity.ok === null ? (
          <Badge tone="warn">unchecked</Badge>
        ) : (
          <Badge tone={info.integrity.ok ? 'pass' : 'fail'}>{info.integrity.ok ? 'ok' : 'failed'}</Badge>
        )}{' '}
        <span className="muted small">{info.integrity.checked === 'at-open' ? 'checked when the database was opened' : info.integrity.checked === 'not-checked' ? 'not checked since it was opened — run a check' : 'checked just now'}</span>
      </dd>
      <dt>Contents</dt>
      <dd>
        {c.usageRecords.toLocaleString()} usage rows, {c.imports} imports, {c.creditBlocks} credit blocks, {c.workloads} workloads, {c.auditEntries} audit entries
      </dd>
      <dt>Latest backup</dt>
      <dd>
        {info.latestBackup ? (
          <>
            <code>{info.latestBackup.path}</code> <span className="muted">({formatBytes(info.latestBackup.bytes)}, {info.latestBackup.modifiedAt.slice(0, 16).replace('T', ' ')} UTC)</span>
          </>
        ) : (
          <span className="muted">none yet{info.backupsDir ? ` in ${info.backupsDir}` : ''}</span>
        )}
      </dd>
    </dl>
  );
}

function ConfirmRestore({ file, busy, onConfirm, onCancel }: { file: FileRef; busy: boolean; onConfirm(): void; onCancel(): void }) {
  return (
    <div role="alertdialog" aria-label="Confirm restore" style={CONFIRM}>
      <p>
        Replace the current database with <strong>{file.name}</strong> ({formatBytes(file.size)})? The backup is checked first; the current database is saved to
        backups/ beside it before it is replaced. Close other windows and commands using this database.
      </p>
      <button className="primary" disabled={busy} data-testid="restore-confirm" onClick={onConfirm}>
        Restore {file.name}
      </button>{' '}
      <button disabled={busy} onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

// layout only; kept here so the panel needs no stylesheet of its own
const FACTS = { display: 'grid', gridTemplateColumns: 'max-content 1fr', gap: '4px 16px', margin: 0 } as const;
const CONFIRM = { border: '1px solid #f59e0b', background: '#fffbeb', borderRadius: 6, padding: '8px 12px' } as const;

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
