import { useEffect } from 'react';

/**
 * The readiness marker tests and the PDF printer wait for: body[data-ready="true"] once the
 * screen's data is on the page (never a sleep).
 */
export function useReady(ready: boolean, screen: string): void {
  useEffect(() => {
    document.body.dataset.ready = ready ? 'true' : 'false';
    document.body.dataset.screen = screen;
    return () => {
      document.body.dataset.ready = 'false';
    };
  }, [ready, screen]);
}
