import { Placeholder } from '../components/ui';
import { useReady } from '../hooks/useReady';

/** Placeholder until this screen's capability lands: it says so rather than pretending. */
export function WorkloadsScreen() {
  useReady(true, 'workloads');
  return <Placeholder title="Workloads" what="The department › application › agent tree with owners, allocations and the attribution rule editor." />;
}
