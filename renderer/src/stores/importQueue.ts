import { create } from 'zustand';
import type { FileRef } from '../../../shared/bridge';
import type { ImportPreview, ImportFileResult, ImportMapping } from '../../../shared/api/imports';
import type { Job } from '../../../shared/domain';

/** One file on the Import screen, from pick to result. */
export interface QueuedFile {
  file: FileRef;
  format?: string;
  mapping?: ImportMapping;
  preview?: ImportPreview;
  previewError?: string;
  job?: Job;
  result?: ImportFileResult;
}

interface ImportQueueState {
  files: QueuedFile[];
  onError: 'reject' | 'skip';
  add(refs: FileRef[]): void;
  update(ref: string, patch: Partial<QueuedFile>): void;
  remove(ref: string): void;
  setOnError(v: 'reject' | 'skip'): void;
  reset(): void;
}

/** UI state of the Import screen: the files picked, their previews, jobs and results. */
export const useImportQueue = create<ImportQueueState>((set) => ({
  files: [],
  onError: 'reject',
  add: (refs) => set((s) => ({ files: [...s.files, ...refs.map((file) => ({ file }))] })),
  update: (ref, patch) => set((s) => ({ files: s.files.map((f) => (f.file.ref === ref ? { ...f, ...patch } : f)) })),
  remove: (ref) => set((s) => ({ files: s.files.filter((f) => f.file.ref !== ref) })),
  setOnError: (onError) => set({ onError }),
  reset: () => set({ files: [], onError: 'reject' }),
}));
