import { Placeholder } from '../components/ui';
import { useReady } from '../hooks/useReady';

/** Placeholder until this screen's capability lands: it says so rather than pretending. */
export function ImportScreen() {
  useReady(true, 'import');
  return <Placeholder title="Import" what="Drag exports here to import usage, cost, invoice and incident files, with a preview and undo." />;
}
