import { useState } from 'react';
import { useReady } from '../hooks/useReady';
import { useImportQueue } from '../stores/importQueue';
import { DropZone } from '../components/import/DropZone';
import { FileCard } from '../components/import/FileCard';
import { ImportHistory } from '../components/import/ImportHistory';
import { Card, ErrorBox } from '../components/ui';
import type { ApiError } from '../../../shared/api';

/** Import: pick files → detected format → preview (new / duplicate / rejected) → import with progress → history with undo. */
export function ImportScreen() {
  const { files, add, onError, setOnError } = useImportQueue();
  const [error, setError] = useState<ApiError>();
  useReady(true, 'import');
  return (
    <div className="screen">
      <h1>Import</h1>
      <DropZone
        onFiles={(refs) => {
          setError(undefined);
          add(refs);
        }}
        onError={setError}
      />
      {error && <ErrorBox error={error} />}
      <fieldset className="form-row on-error">
        <legend>When a row is malformed</legend>
        <label>
          <input type="radio" name="onError" checked={onError === 'reject'} onChange={() => setOnError('reject')} /> reject the whole file (nothing is written)
        </label>
        <label>
          <input type="radio" name="onError" checked={onError === 'skip'} onChange={() => setOnError('skip')} /> import the good rows and save the rejected ones to a file
        </label>
      </fieldset>
      {files.map((f) => (
        <FileCard key={f.file.ref} item={f} />
      ))}
      <Card title="Import history">
        <ImportHistory />
      </Card>
    </div>
  );
}
