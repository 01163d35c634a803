import type { ReactNode } from 'react';
import type { ReportMeta } from '../../../shared/api/report-types';
import { instant } from '../../../shared/report-format';

/** The head of every report: name, period, when, and the imports the numbers come from. */
export function ReportHeader({ meta, subtitle }: { meta: ReportMeta; subtitle?: string }) {
  const sources = meta.sources.length
    ? meta.sources.map((s) => `${s.fileName} (${s.format}, ${s.kind}, ${s.rows.toLocaleString('en-US')} rows, #${s.importId})`).join('; ')
    : 'no imports in this period';
  return (
    <header className="report-head">
      <div className="muted">Drawdown</div>
      <h1>{meta.title}</h1>
      <div className="period">
        Period {meta.from} to {meta.to}
        {subtitle ? ` · ${subtitle}` : ''}
      </div>
      <div className="sources">
        Generated {instant(meta.generatedAt)} · Data sources: {sources}
      </div>
    </header>
  );
}

export function Section({ title, children, newPage, id }: { title: string; children: ReactNode; newPage?: boolean; id?: string }) {
  return (
    <section className={`report-section${newPage ? ' new-page' : ''}`} aria-label={title} id={id}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export function Tiles({ items }: { items: { label: string; value: string; testId?: string }[] }) {
  return (
    <div className="report-tiles">
      {items.map((t) => (
        <div className="report-tile" key={t.label}>
          <div className="label">{t.label}</div>
          <div className="value" data-testid={t.testId}>
            {t.value}
          </div>
        </div>
      ))}
    </div>
  );
}

export interface Column<T> {
  head: string;
  cell: (row: T) => ReactNode;
  num?: boolean;
  wrap?: boolean;
}

/** A report table: header repeats on every printed page, rows never split. */
export function Table<T>({ label, columns, rows, rowKey, empty, total }: { label: string; columns: Column<T>[]; rows: T[]; rowKey: (r: T, i: number) => string; empty?: string; total?: ReactNode[] }) {
  if (rows.length === 0) return <p className="muted">{empty ?? 'None.'}</p>;
  return (
    <table className="report-table" aria-label={label}>
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.head} className={c.num ? 'num' : undefined}>
              {c.head}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={rowKey(r, i)}>
            {columns.map((c) => (
              <td key={c.head} className={c.num ? 'num' : c.wrap ? 'wrap' : undefined}>
                {c.cell(r)}
              </td>
            ))}
          </tr>
        ))}
        {total && (
          <tr className="total">
            {total.map((t, i) => (
              <td key={i} className={columns[i]?.num ? 'num' : undefined}>
                {t}
              </td>
            ))}
          </tr>
        )}
      </tbody>
    </table>
  );
}

export function Badge({ status }: { status: string }) {
  return <span className={`badge ${status}`}>{status}</span>;
}

export function Notes({ items }: { items: string[] }) {
  if (items.length === 0) return null;
  return (
    <ul className="notes">
      {items.map((n) => (
        <li key={n}>{n}</li>
      ))}
    </ul>
  );
}
