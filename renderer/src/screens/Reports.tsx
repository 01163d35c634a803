import { Placeholder } from '../components/ui';
import { useReady } from '../hooks/useReady';

/** Placeholder until this screen's capability lands: it says so rather than pretending. */
export function ReportsScreen() {
  useReady(true, 'reports');
  return <Placeholder title="Reports" what="Reconciliation, incident, forecast and executive reports as PDF and CSV." />;
}
