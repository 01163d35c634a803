import { useState } from 'react';
import { api } from '../../api/client';
import { useQuery } from '../../hooks/useQuery';
import type { ImportMapping, ImportKind, SavedMapping } from '../../../../shared/api/imports';

/**
 * For a file no built-in format recognises: map each source column to a canonical field, with date
 * format, decimal separator, currency and unit. Saved per header, so the same export is recognised
 * next time.
 */
export function MappingEditor({
  headers,
  initial,
  onApply,
  onSaved,
}: {
  headers: string[];
  initial?: ImportMapping | SavedMapping['mapping'];
  onApply(m: ImportMapping): void;
  onSaved(m: SavedMapping): void;
}) {
  const formats = useQuery(() => api['formats-list']({}));
  const [m, setM] = useState<ImportMapping>(initial ?? { kind: 'usage', columns: {}, dateFormat: 'auto', decimalSeparator: '.', unit: 'major' });
  const [name, setName] = useState('');
  const [msg, setMsg] = useState<string>();
  const fields = formats.data?.fields[m.kind] ?? [];
  const set = (patch: Partial<ImportMapping>) => setM((x) => ({ ...x, ...patch }));
  const missing = fields.filter((f) => f.required && !m.columns[f.field]).map((f) => f.label);

  async function save() {
    const r = await api['mapping-save']({ name: name || 'Custom mapping', headers, mapping: m });
    if (r.ok) {
      setMsg(`Saved as "${r.value.name}": files with this header will use it.`);
      onSaved(r.value);
    } else setMsg(r.error.message);
  }

  return (
    <div className="mapping" aria-label="Column mapping editor" role="group">
      <p>No built-in format matches this header. Map its columns to Drawdown's fields:</p>
      <div className="form-row">
        <label>
          Kind
          <select value={m.kind} onChange={(e) => set({ kind: e.target.value as ImportKind, columns: {} })}>
            <option value="usage">Usage and cost</option>
            <option value="invoice">Invoice lines</option>
            <option value="incident">Incidents</option>
          </select>
        </label>
        <label>
          Dates
          <select value={m.dateFormat ?? 'auto'} onChange={(e) => set({ dateFormat: e.target.value as ImportMapping['dateFormat'] })}>
            <option value="auto">auto (ISO, M/D/YY, epoch)</option>
            <option value="iso">ISO 8601</option>
            <option value="mdy">M/D/YYYY</option>
            <option value="dmy">dd/MM/yyyy</option>
            <option value="epoch-s">epoch seconds</option>
            <option value="epoch-ms">epoch milliseconds</option>
          </select>
        </label>
        <label>
          Decimal separator
          <select value={m.decimalSeparator ?? '.'} onChange={(e) => set({ decimalSeparator: e.target.value as '.' | ',' })}>
            <option value=".">point (1234.56)</option>
            <option value=",">comma (1234,56)</option>
          </select>
        </label>
        <label>
          Amounts in
          <select value={m.unit ?? 'major'} onChange={(e) => set({ unit: e.target.value as 'major' | 'minor' })}>
            <option value="major">currency units</option>
            <option value="minor">minor units (cents)</option>
          </select>
        </label>
        <label>
          Currency (if no column)
          <input value={m.currency ?? ''} size={6} onChange={(e) => set({ currency: e.target.value || undefined })} />
        </label>
      </div>
      <table className="data" aria-label="Field mapping">
        <thead>
          <tr>
            <th>Drawdown field</th>
            <th>Source column</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f) => (
            <tr key={f.field}>
              <td>
                {f.label}
                {f.required ? ' *' : ''}
              </td>
              <td>
                <select
                  aria-label={`Source column for ${f.label}`}
                  value={m.columns[f.field] ?? ''}
                  onChange={(e) => {
                    const columns = { ...m.columns };
                    if (e.target.value) columns[f.field] = e.target.value;
                    else delete columns[f.field];
                    set({ columns });
                  }}
                >
                  <option value="">— not in this file —</option>
                  {headers.map((h) => (
                    <option key={h} value={h}>
                      {h}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {missing.length > 0 && <p className="muted small">Still required: {missing.join(', ')}</p>}
      <div className="actions">
        <button className="primary" disabled={missing.length > 0} onClick={() => onApply(m)}>
          Preview with this mapping
        </button>
        <input placeholder="Mapping name" aria-label="Mapping name" value={name} onChange={(e) => setName(e.target.value)} />
        <button disabled={missing.length > 0} onClick={() => void save()}>
          Save mapping
        </button>
      </div>
      {msg && <p className="muted small">{msg}</p>}
    </div>
  );
}
