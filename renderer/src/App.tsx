import { useEffect, type ComponentType } from 'react';
import { SCREENS, useNavStore, type ScreenId } from './stores/nav';
import { api, platform } from './api/client';
import { useQuery } from './hooks/useQuery';
import { Dashboard } from './screens/Dashboard';
import * as P from './screens/Placeholders';

const SCREEN_COMPONENTS: Record<ScreenId, ComponentType> = {
  dashboard: Dashboard,
  import: P.ImportScreen,
  credits: P.CreditsScreen,
  workloads: P.WorkloadsScreen,
  scenarios: P.ScenariosScreen,
  reconciliation: P.ReconciliationScreen,
  incidents: P.IncidentsScreen,
  reports: P.ReportsScreen,
  settings: P.SettingsScreen,
};

export function App() {
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
