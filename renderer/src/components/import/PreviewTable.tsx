import type { ImportPreview, PreviewRow } from '../../../../shared/api/imports';
import { displayMoney } from '../../../../shared/money';

/** The first rows as they will be stored, each marked new / duplicate / rejected / skipped. */
export function PreviewTable({ preview }: { preview: ImportPreview }) {
  const c = preview.counts;
  return (
    <div>
      <p className="muted small" data-testid="preview-counts">
        First {preview.rows.length} rows: {c.new} new, {c.duplicate} duplicate, {c.rejected} rejected{c.skipped ? `, ${c.skipped} skipped` : ''}
      </p>
      <div className="table-wrap preview">
        <table className="data" aria-label={`Preview of ${preview.file.name}`}>
          <thead>
            <tr>
              <th>Line</th>
              <th>Status</th>
              <th>Stored as</th>
              <th className="num">Amount</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((r) => (
              <tr key={r.line} className={`status-${r.status}`}>
                <td>{r.line}</td>
                <td>
                  <span className={`pill pill-${r.status}`}>{r.status}</span>
                </td>
                <td>{summary(r)}</td>
                <td className="num">{amount(r)}</td>
                <td className="muted">{r.error ? `${r.error.column ? `${r.error.column}: ` : ''}${r.error.message}` : (r.reason ?? detail(r))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function summary(r: PreviewRow): string {
  const m = r.mapped;
  if (!m) return '—';
  if (m.kind === 'usage') {
    const u = m.record;
    return [u.periodStart.slice(0, 16).replace('T', ' '), u.provider, u.chargeCategory, u.modelRaw ?? u.serviceName ?? ''].filter(Boolean).join(' · ');
  }
  if (m.kind === 'invoice') return `${m.record.invoiceNumber} · ${m.record.category} · ${m.record.description ?? ''}`;
  return `${m.record.source} · ${m.record.title}`;
}

function amount(r: PreviewRow): string {
  const m = r.mapped;
  if (!m) return '';
  if (m.kind === 'usage') {
    const u = m.record;
    // sub-cent per-request costs: show the source's own digits rather than $0.00
    if (u.billedCostMicros != null) return Math.abs(u.billedCostMicros) < 10_000 && u.billedCostText ? `${u.billedCostText} ${u.currency}` : displayMoney(u.billedCostMicros, u.currency);
    if (r.catalogCostMicros != null) return `≈ ${displayMoney(r.catalogCostMicros, 'USD')} (catalog)`;
    return '';
  }
  if (m.kind === 'invoice') return displayMoney(m.record.amountMicros, m.record.currency);
  return '';
}

function detail(r: PreviewRow): string {
  const m = r.mapped;
  if (m?.kind !== 'usage') return '';
  const u = m.record;
  const tokens = u.inputTokens + u.outputTokens + u.cacheReadTokens + u.cacheWriteTokens;
  const parts = [];
  if (tokens) parts.push(`${tokens.toLocaleString('en-US')} tokens`);
  if (r.modelId) parts.push(r.modelKnown ? r.modelId : `${r.modelId} (not in catalog)`);
  else if (u.modelRaw) parts.push(`${u.modelRaw} (unknown model)`);
  if (r.workloadId) parts.push(`workload #${r.workloadId}`);
  return parts.join(' · ');
}
