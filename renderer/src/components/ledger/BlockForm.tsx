import { useState, type FormEvent } from 'react';
import { api } from '../../api/client';
import type { CreditAccount, LedgerBlock } from '../../../../shared/api/ledger';
import { Field, RunnerStatus, useRunner } from './Form';
import { amountText, parseAmount } from './format';

/**
 * Create or edit a credit block. The expiry may be left empty: OpenAI and Anthropic purchases
 * then expire 12 months after purchase (the engine applies the default); a virtual unit
 * (Token, Credit) needs its unit price in the account currency.
 */
export function BlockForm({ accounts, editing, onDone }: { accounts: CreditAccount[]; editing?: LedgerBlock; onDone(): void }) {
  const runner = useRunner();
  const first = accounts[0];
  const [accountId, setAccountId] = useState(editing?.accountId ?? first?.id ?? 0);
  const account = accounts.find((a) => a.id === accountId);
  const [name, setName] = useState(editing?.name ?? '');
  const [kind, setKind] = useState<'purchased' | 'promotional'>(editing?.kind ?? 'purchased');
  const [unit, setUnit] = useState(editing?.unit ?? account?.currency ?? 'USD');
  const [amount, setAmount] = useState(amountText(editing?.purchasedMicros));
  const [unitPrice, setUnitPrice] = useState(amountText(editing?.unitPriceMicros));
  const [costBasis, setCostBasis] = useState(amountText(editing?.costBasisMicros));
  const [purchasedOn, setPurchasedOn] = useState(editing?.purchasedOn ?? new Date().toISOString().slice(0, 10));
  const [expiresOn, setExpiresOn] = useState(editing?.expiresOn ?? '');
  const [priority, setPriority] = useState(String(editing?.priority ?? 2));
  const [sourceRef, setSourceRef] = useState(editing?.sourceRef ?? '');
  const virtual = !!account && unit.trim() !== account.currency;
  const twelveMonths = !!account && ['openai', 'anthropic'].includes(account.provider.toLowerCase()) && kind === 'purchased';

  async function submit(e: FormEvent) {
    e.preventDefault();
    const amountMicros = parseAmount(amount);
    if (amountMicros === null) {
      await runner.run(async () => ({ ok: false, error: { code: 'invalid-argument', message: 'Enter the amount as a number, e.g. 25000 or 25,000.50.' } }));
      return;
    }
    const common = {
      name: name.trim(),
      kind,
      amountMicros,
      unitPriceMicros: virtual ? parseAmount(unitPrice) : null,
      costBasisMicros: parseAmount(costBasis) ?? undefined,
      expiresOn: expiresOn === '' ? (editing ? null : undefined) : expiresOn,
      priority: Number(priority),
      sourceRef: sourceRef.trim() || null,
    };
    const saved = editing
      ? await runner.run(() => api['block-update']({ id: editing.blockId, ...common }), (b) => `Saved ${b.name}.`)
      : await runner.run(() => api['block-create']({ ...common, accountId, unit: unit.trim(), purchasedOn }), (b) => `Created ${b.name}; it expires ${b.expiresOn ?? 'never'}.`);
    if (saved) onDone();
  }

  return (
    <form className="ld-form" onSubmit={submit} aria-label={editing ? `Edit ${editing.name}` : 'New credit block'}>
      <Field label="Credit account">
        {(id) => (
          <select id={id} value={accountId} disabled={!!editing} onChange={(e) => setAccountId(Number(e.target.value))}>
            {accounts.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Name">{(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} required placeholder="OpenAI prepaid 2026-12" />}</Field>
      <Field label="Kind">
        {(id) => (
          <select id={id} value={kind} onChange={(e) => setKind(e.target.value as 'purchased' | 'promotional')}>
            <option value="purchased">purchased</option>
            <option value="promotional">promotional</option>
          </select>
        )}
      </Field>
      <Field label="Unit" hint="currency code or virtual unit">
        {(id) => <input id={id} value={unit} disabled={!!editing} onChange={(e) => setUnit(e.target.value)} required />}
      </Field>
      <Field label={`Amount (${unit || 'unit'})`}>{(id) => <input id={id} value={amount} onChange={(e) => setAmount(e.target.value)} required inputMode="decimal" />}</Field>
      {virtual && (
        <Field label={`Unit price (${account?.currency} per ${unit})`}>
          {(id) => <input id={id} value={unitPrice} onChange={(e) => setUnitPrice(e.target.value)} required inputMode="decimal" />}
        </Field>
      )}
      <Field label={`Cost basis (${account?.currency ?? 'USD'})`} hint="empty: what it cost">
        {(id) => <input id={id} value={costBasis} onChange={(e) => setCostBasis(e.target.value)} inputMode="decimal" />}
      </Field>
      <Field label="Purchased on">{(id) => <input id={id} type="date" value={purchasedOn} disabled={!!editing} onChange={(e) => setPurchasedOn(e.target.value)} required />}</Field>
      <Field label="Expires on" hint={twelveMonths && !editing ? 'empty: 12 months after purchase' : 'empty: never'}>
        {(id) => <input id={id} type="date" value={expiresOn} onChange={(e) => setExpiresOn(e.target.value)} />}
      </Field>
      <Field label="Priority" hint="lower is drawn first">
        {(id) => <input id={id} type="number" min={0} max={1000} value={priority} onChange={(e) => setPriority(e.target.value)} />}
      </Field>
      <Field label="Source reference">{(id) => <input id={id} value={sourceRef} onChange={(e) => setSourceRef(e.target.value)} placeholder="invoice number" />}</Field>
      <div className="ld-form-actions">
        <button className="primary" type="submit" disabled={runner.busy}>
          {editing ? 'Save block' : 'Create block'}
        </button>
        {editing && (
          <button type="button" onClick={onDone}>
            Cancel
          </button>
        )}
        <span className="muted">Every change is written to the audit log.</span>
      </div>
      <div style={{ gridColumn: '1 / -1' }}>
        <RunnerStatus runner={runner} />
      </div>
    </form>
  );
}
