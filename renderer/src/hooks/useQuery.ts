import { useEffect, useState, useCallback } from 'react';
import type { ApiResult, ApiError } from '../../../shared/api';
import { useDataStore } from '../stores/data';

export interface Query<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  refetch(): void;
}

/** Fetches engine data and refetches whenever a mutation invalidates the data store. */
export function useQuery<T>(fetcher: () => Promise<ApiResult<T>>, deps: unknown[] = []): Query<T> {
  const revision = useDataStore((s) => s.revision);
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    fetcher().then((r) => {
      if (!live) return;
      setState(r.ok ? { data: r.value, loading: false } : { error: r.error, loading: false });
    });
    return () => {
      live = false;
    };
    // deps are the caller's: the fetcher closure changes on every render by design
  }, [revision, tick, ...deps]);
  const refetch = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, refetch };
}

/** Runs a mutation; on success every query refetches. */
export async function mutate<T>(run: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
  const r = await run();
  if (r.ok) useDataStore.getState().invalidate();
  return r;
}
