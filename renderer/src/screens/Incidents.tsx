import { Placeholder } from '../components/ui';
import { useReady } from '../hooks/useReady';

/** Placeholder until this screen's capability lands: it says so rather than pretending. */
export function IncidentsScreen() {
  useReady(true, 'incidents');
  return <Placeholder title="Incidents" what="Usage spikes per key and workload correlated with recorded incidents." />;
}
