import { Placeholder } from '../components/ui';
import { useReady } from '../hooks/useReady';

/** Screens whose capability is still being built say so, rather than pretending. */
function make(screen: string, title: string, what: string) {
  return function PlaceholderScreen() {
    useReady(true, screen);
    return <Placeholder title={title} what={what} />;
  };
}

export const ImportScreen = make('import', 'Import', 'Drag exports here to import usage, cost, invoice and incident files, with a preview and undo.');
export const CreditsScreen = make('credits', 'Credits', 'Credit blocks with balance, burn, runway, expiry and waste forecast, and burn-down charts per block and account.');
export const WorkloadsScreen = make('workloads', 'Workloads', 'The department › application › agent tree with owners, allocations and the attribution rule editor.');
export const ScenariosScreen = make('scenarios', 'Scenarios', 'Model swaps, surges, new workloads and top-ups simulated against the baseline forecast.');
export const ReconciliationScreen = make('reconciliation', 'Reconciliation', 'Credits bought vs consumed vs billed vs business value, per period and account.');
export const IncidentsScreen = make('incidents', 'Incidents', 'Usage spikes per key and workload correlated with recorded incidents.');
export const ReportsScreen = make('reports', 'Reports', 'Reconciliation, incident, forecast and executive reports as PDF and CSV.');
export const SettingsScreen = make('settings', 'Settings', 'Profiles, database, backup and restore.');
