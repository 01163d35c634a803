import { useEffect, type ComponentType } from 'react';
import { SCREENS, useNavStore, type ScreenId } from './stores/nav';
import { api, platform } from './api/client';
import { useQuery } from './hooks/useQuery';
import { Dashboard } from './screens/Dashboard';
import { ImportScreen } from './screens/Import';
import { CreditsScreen } from './screens/Credits';
import { WorkloadsScreen } from './screens/Workloads';
import { AlertsScreen } from './screens/Alerts';
import { ApprovalsScreen } from './screens/Approvals';
import { ControlsScreen } from './screens/Controls';
import { ScenariosScreen } from './screens/Scenarios';
import { ReconciliationScreen } from './screens/Reconciliation';
import { IncidentsScreen } from './screens/Incidents';
import { ReportsScreen } from './screens/Reports';
import { SettingsScreen } from './screens/Settings';
import { ProfileSwitcher } from './components/ledger/ProfileSwitcher';
import { PrintPage } from './print/PrintPage';

const SCREEN_COMPONENTS: Record<ScreenId, ComponentType> = {
  dashboard: Dashboard,
  import: ImportScreen,
  credits: CreditsScreen,
  workloads: WorkloadsScreen,
  alerts: AlertsScreen,
  approvals: ApprovalsScreen,
  controls: ControlsScreen,
  scenarios: ScenariosScreen,
  reconciliation: ReconciliationScreen,
  incidents: IncidentsScreen,
  reports: ReportsScreen,
  settings: SettingsScreen,
};

/** A report's print route (#/print/<report>?from=…&to=…) is the page alone, without the console around it. */
export function App() {
  return window.location.hash.startsWith('#/print/') ? <PrintPage /> : <Console />;
}

function Console() {
  const { screen, go, syncFromHash } = useNavStore();
  const info = useQuery(() => api['app-info']({}));
  useEffect(() => {
    window.addEventListener('hashchange', syncFromHash);
    const off = platform.onMenu((action) => {
      if (action === 'import') go('import');
      if (action === 'export-report') go('reports');
      if (action === 'navigate-settings' || action === 'backup') go('settings');
    });
    return () => {
      window.removeEventListener('hashchange', syncFromHash);
      off();
    };
  }, [go, syncFromHash]);
  const Screen = SCREEN_COMPONENTS[screen];
  return (
    <div className="app">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <span className="logo" aria-hidden>
            ◢
          </span>
          Drawdown
        </div>
        <ul>
          {SCREENS.map((s) => (
            <li key={s.id}>
              <button className={s.id === screen ? 'active' : ''} aria-current={s.id === screen ? 'page' : undefined} onClick={() => go(s.id)}>
                {s.label}
              </button>
            </li>
          ))}
        </ul>
        <ProfileSwitcher />
        <div className="sidebar-foot muted small" title={info.data?.dbPath}>
          {info.data ? `${platform.kind === 'desktop' ? 'Desktop' : 'Browser mode'} · schema v${info.data.schemaVersion}` : ''}
        </div>
      </nav>
      <main id="main" tabIndex={-1}>
        <Screen />
      </main>
    </div>
  );
}
