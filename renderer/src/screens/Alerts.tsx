import { Placeholder } from '../components/ui';
import { useReady } from '../hooks/useReady';

/** Placeholder until this screen's capability lands: it says so rather than pretending. */
export function AlertsScreen() {
  useReady(true, 'alerts');
  return <Placeholder title="Alerts" what="Threshold alerts per block, workload and account, to acknowledge." />;
}
