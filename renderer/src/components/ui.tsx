import type { ReactNode } from 'react';
import type { ApiError } from '../../../shared/api';

export function ErrorBox({ error }: { error: ApiError }) {
  return (
    <div className="error" role="alert">
      {error.message}
    </div>
  );
}

export function Card({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="card" aria-label={title}>
      <header className="card-head">
        <h2>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}

export function Placeholder({ title, what }: { title: string; what: string }) {
  return (
    <div className="screen">
      <h1>{title}</h1>
      <div className="placeholder" role="status">
        <strong>This screen is still being built.</strong>
        <p>{what}</p>
      </div>
    </div>
  );
}
