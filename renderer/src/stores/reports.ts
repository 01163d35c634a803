import { create } from 'zustand';
import type { ReportKind } from '../../../shared/api/report-types';

/**
 * UI state of the reconciliation, incidents and reports screens: the window they look at (shared,
 * so moving between them keeps the period), the chosen account, report and incident.
 */
interface ReportsState {
  from: string | null;
  to: string | null;
  accountId: number | null;
  report: ReportKind;
  incidentId: number | null;
  setWindow(from: string, to: string): void;
  setAccount(id: number | null): void;
  setReport(r: ReportKind): void;
  selectIncident(id: number | null): void;
  reset(): void;
}

const initial = { from: null, to: null, accountId: null, report: 'summary' as ReportKind, incidentId: null };

export const useReportsStore = create<ReportsState>((set) => ({
  ...initial,
  setWindow: (from, to) => set({ from, to }),
  setAccount: (accountId) => set({ accountId }),
  setReport: (report) => set({ report }),
  selectIncident: (incidentId) => set({ incidentId }),
  reset: () => set(initial),
}));
