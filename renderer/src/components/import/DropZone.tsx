import { useRef, useState } from 'react';
import { platform } from '../../api/client';
import type { FileRef } from '../../../../shared/bridge';
import type { ApiError } from '../../../../shared/api';

/**
 * Drag and drop or a file dialog, several files at once. The desktop app opens the native dialog
 * (the main process registers the paths); the browser mode uploads the dropped files.
 */
export function DropZone({ onFiles, onError }: { onFiles(refs: FileRef[]): void; onError(e: ApiError): void }) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const [busy, setBusy] = useState(false);

  async function take(files?: File[]) {
    setBusy(true);
    const r = await platform.pickFiles(files);
    setBusy(false);
    if (r.ok) onFiles(r.value);
    else onError(r.error);
  }

  function open() {
    if (platform.kind === 'desktop') void take();
    else input.current?.click();
  }

  return (
    <div
      className={`dropzone${over ? ' over' : ''}`}
      role="button"
      tabIndex={0}
      aria-label="Add export files: drop them here or press Enter to choose"
      onClick={open}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          open();
        }
      }}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        void take([...e.dataTransfer.files]);
      }}
    >
      <strong>{busy ? 'Reading files…' : 'Drop CSV exports here, or choose files…'}</strong>
      <div className="muted small">
        FOCUS 1.0–1.3, OpenAI, Anthropic, OpenRouter, AWS CUR, Azure, GCP, LiteLLM usage and cost; invoices; incidents; anything else with a mapping.
      </div>
      <input
        ref={input}
        type="file"
        multiple
        accept=".csv,.tsv,.txt,text/csv"
        data-testid="file-input"
        hidden
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length) void take(files);
        }}
      />
    </div>
  );
}
