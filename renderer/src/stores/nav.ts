import { create } from 'zustand';

export const SCREENS = [
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'import', label: 'Import' },
  { id: 'credits', label: 'Credits' },
  { id: 'workloads', label: 'Workloads' },
  { id: 'alerts', label: 'Alerts' },
  { id: 'approvals', label: 'Approvals' },
  { id: 'controls', label: 'Controls' },
  { id: 'scenarios', label: 'Scenarios' },
  { id: 'reconciliation', label: 'Reconciliation' },
  { id: 'incidents', label: 'Incidents' },
  { id: 'reports', label: 'Reports' },
  { id: 'settings', label: 'Settings' },
] as const;

export type ScreenId = (typeof SCREENS)[number]['id'];

function fromHash(): ScreenId {
  const id = window.location.hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return (SCREENS.find((s) => s.id === id)?.id ?? 'dashboard') as ScreenId;
}

interface NavState {
  screen: ScreenId;
  go(screen: ScreenId): void;
  syncFromHash(): void;
  reset(): void;
}

/** The current screen, mirrored in the URL hash so reload and back keep the place. */
export const useNavStore = create<NavState>((set) => ({
  screen: fromHash(),
  go: (screen) => {
    if (window.location.hash !== `#/${screen}`) window.location.hash = `#/${screen}`;
    set({ screen });
  },
  syncFromHash: () => set({ screen: fromHash() }),
  reset: () => set({ screen: 'dashboard' }),
}));
