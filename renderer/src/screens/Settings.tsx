import { Placeholder } from '../components/ui';
import { useReady } from '../hooks/useReady';

/** Placeholder until this screen's capability lands: it says so rather than pretending. */
export function SettingsScreen() {
  useReady(true, 'settings');
  return <Placeholder title="Settings" what="Profiles, database, backup and restore." />;
}
