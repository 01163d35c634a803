import { Placeholder } from '../components/ui';
import { useReady } from '../hooks/useReady';

/** Placeholder until this screen's capability lands: it says so rather than pretending. */
export function ReconciliationScreen() {
  useReady(true, 'reconciliation');
  return <Placeholder title="Reconciliation" what="Credits bought vs consumed vs billed vs business value, per period and account." />;
}
