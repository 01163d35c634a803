import { Placeholder } from '../components/ui';
import { useReady } from '../hooks/useReady';

/** Placeholder until this screen's capability lands: it says so rather than pretending. */
export function ApprovalsScreen() {
  useReady(true, 'approvals');
  return <Placeholder title="Approvals" what="Top-up and renewal requests, approved or rejected by someone other than the requester." />;
}
