import { create } from 'zustand';

/**
 * Engine data is fetched by small query hooks; this slice only holds a revision number that every
 * mutation bumps, so the hooks refetch after a change.
 */
interface DataState {
  revision: number;
  invalidate(): void;
  reset(): void;
}

export const useDataStore = create<DataState>((set) => ({
  revision: 0,
  invalidate: () => set((s) => ({ revision: s.revision + 1 })),
  reset: () => set({ revision: 0 }),
}));
