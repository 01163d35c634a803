import { useId, useState, type ReactNode } from 'react';
import type { ApiError, ApiResult } from '../../../../shared/api';
import { mutate } from '../../hooks/useQuery';
import { ErrorBox } from '../ui';
import './ledger.css';

/** Form pieces of the ledger screens: a labelled field, a status badge and a mutation runner. */

export function Field({ label, hint, children }: { label: string; hint?: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className="ld-field">
      <label htmlFor={id}>{label}</label>
      {children(id)}
      {hint && <span className="ld-hint">{hint}</span>}
    </div>
  );
}

export function Badge({ tone, children }: { tone: string; children: ReactNode }) {
  return <span className={`ld-badge ld-${tone}`}>{children}</span>;
}

export interface Runner {
  busy: boolean;
  error: ApiError | undefined;
  notice: string | undefined;
  /** runs a mutation; on success shows `done` (or its result) and refetches every query */
  run<T>(call: () => Promise<ApiResult<T>>, done?: string | ((v: T) => string)): Promise<T | undefined>;
  clear(): void;
}

export function useRunner(): Runner {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [notice, setNotice] = useState<string>();
  return {
    busy,
    error,
    notice,
    async run(call, done) {
      setBusy(true);
      setError(undefined);
      setNotice(undefined);
      const r = await mutate(call);
      setBusy(false);
      if (!r.ok) {
        setError(r.error);
        return undefined;
      }
      if (done) setNotice(typeof done === 'string' ? done : done(r.value));
      return r.value;
    },
    clear() {
      setError(undefined);
      setNotice(undefined);
    },
  };
}

export function RunnerStatus({ runner }: { runner: Runner }) {
  return (
    <>
      {runner.error && <ErrorBox error={runner.error} />}
      {runner.notice && (
        <div className="ld-notice" role="status">
          {runner.notice}
        </div>
      )}
    </>
  );
}
