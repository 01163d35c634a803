import { Placeholder } from '../components/ui';
import { useReady } from '../hooks/useReady';

/** Placeholder until this screen's capability lands: it says so rather than pretending. */
export function ControlsScreen() {
  useReady(true, 'controls');
  return <Placeholder title="Controls" what="The controls posture computed from the data, mapped to NIST CSF 2.0, OWASP NHI Top 10 and NIST AI RMF." />;
}
