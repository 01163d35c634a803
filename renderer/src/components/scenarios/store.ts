import { create } from 'zustand';
import type { Lever } from '../../../../shared/forecast/scenario';
import type { ScenarioRunResult } from '../../../../shared/api/scenario-types';

/** A scenario being edited: a saved one (id) or a new one. */
export interface Draft {
  id?: number;
  name: string;
  description: string;
  levers: Lever[];
}

export interface RunSettings {
  horizonDays: number;
  paths: number;
  seed: number;
}

interface ScenariosState {
  /** saved scenarios picked for the comparison (at most four) */
  selected: number[];
  draft: Draft | null;
  settings: RunSettings;
  /** the running job and its percentage */
  jobId: string | null;
  percent: number;
  result: ScenarioRunResult | null;
  /** the block the comparison charts show */
  blockId: number | null;
  toggle(id: number): void;
  edit(d: Draft | null): void;
  patchDraft(p: Partial<Draft>): void;
  setSettings(p: Partial<RunSettings>): void;
  started(jobId: string): void;
  progress(percent: number): void;
  finished(result: ScenarioRunResult | null): void;
  pickBlock(id: number): void;
  reset(): void;
}

export const MAX_SELECTED = 4;

const initial = {
  selected: [] as number[],
  draft: null,
  settings: { horizonDays: 365, paths: 2000, seed: 1 },
  jobId: null,
  percent: 0,
  result: null,
  blockId: null,
};

/** UI state of the Scenarios screen; engine data comes from query hooks. */
export const useScenariosStore = create<ScenariosState>((set) => ({
  ...initial,
  toggle: (id) =>
    set((s) => ({ selected: s.selected.includes(id) ? s.selected.filter((x) => x !== id) : s.selected.length < MAX_SELECTED ? [...s.selected, id] : s.selected })),
  edit: (draft) => set({ draft }),
  patchDraft: (p) => set((s) => (s.draft ? { draft: { ...s.draft, ...p } } : {})),
  setSettings: (p) => set((s) => ({ settings: { ...s.settings, ...p } })),
  started: (jobId) => set({ jobId, percent: 0 }),
  progress: (percent) => set({ percent }),
  finished: (result) => set((s) => ({ jobId: null, result: result ?? s.result, blockId: s.blockId ?? result?.baseline.blocks[0]?.blockId ?? null })),
  pickBlock: (blockId) => set({ blockId }),
  reset: () => set(initial),
}));
