import { Placeholder } from '../components/ui';
import { useReady } from '../hooks/useReady';

/** Placeholder until this screen's capability lands: it says so rather than pretending. */
export function ScenariosScreen() {
  useReady(true, 'scenarios');
  return <Placeholder title="Scenarios" what="Model swaps, surges, new workloads and top-ups simulated against the baseline forecast." />;
}
