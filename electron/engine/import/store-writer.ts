/**
 * Writes prepared batches inside the import's open transaction: usage rows (one prepared
 * INSERT, dedup by row_key), credit accounts resolved or created from (provider, billing
 * account), credit blocks from FOCUS Purchase rows, invoices and their lines, incidents and
 * their targets. Counts what it did and keeps the first row errors. Never commits: the pipeline
 * owns the transaction.
 */
import type { Db } from '../db/open';
import type { RowError } from './types';
import type { ImportKind } from './types';
import { USAGE_COLUMNS, USAGE_BOUND, USAGE_STRIDE, U, type PreparedBatch, type FlatValue } from './store-prepare';
import { RowKeyClaims, usageKeyBase } from './store-keys';
import type { RejectsWriter } from './store-rejects';
import type { InvoiceLineRecord, IncidentRecord } from '../../../shared/domain';
import { parseDecimal } from '../../../shared/money';
import { MAX_LISTED_ERRORS } from '../../../shared/api/imports';
import { REBUILD_USAGE_DAILY } from '../db/migrations/002-usage-daily';

export interface WriterOptions {
  importId: number;
  onError: 'reject' | 'skip';
  now: string;
  rejects: RejectsWriter | null;
  /** bulk mode: drop the secondary usage indexes and the usage_daily trigger, rebuild both in finish() (same transaction) */
  deferIndexes?: boolean;
}

export interface WriterStats {
  rows: number;
  imported: number;
  duplicate: number;
  rejected: number;
  skipped: number;
  accountsCreated: number;
  blocksCreated: number;
  invoicesCreated: number;
  incidentsCreated: number;
  attributed: number;
  unknownModels: string[];
  warnings: string[];
}

const SECONDARY_USAGE_INDEXES = ['usage_day', 'usage_import', 'usage_account_day', 'usage_workload_day', 'usage_key_day'];
/** the trigger of migration 2 that adds each inserted usage row to usage_daily */
const DAILY_INSERT_TRIGGER = 'usage_daily_insert';

const isCurrencyCode = (s: string) => /^[A-Z]{3}$/.test(s);

/** value (micros of the amount) ÷ quantity text → micros per unit, half-even; null when the quantity is not a positive number. */
export function unitPriceMicros(amountMicros: number, quantityText: string): number | null {
  const q = parseDecimal(quantityText);
  if (!q || q.units <= 0n) return null;
  // amount / (units / 10^scale) = amount × 10^scale / units
  const num = BigInt(amountMicros) * 10n ** BigInt(q.scale);
  const neg = num < 0n;
  const abs = neg ? -num : num;
  let quot = abs / q.units;
  const rem = abs % q.units;
  if (rem * 2n > q.units || (rem * 2n === q.units && quot % 2n === 1n)) quot += 1n;
  const v = neg ? -quot : quot;
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(v);
}

/** quantity text → micro-units of the quantity; null when not a positive amount. */
function quantityMicros(text: string): number | null {
  const q = parseDecimal(text);
  if (!q || q.units <= 0n) return null;
  const v = q.scale <= 6 ? q.units * 10n ** BigInt(6 - q.scale) : q.units / 10n ** BigInt(q.scale - 6);
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(v);
}

export function createWriter(db: Db, opts: WriterOptions) {
  const { importId } = opts;
  const stats: WriterStats = {
    rows: 0, imported: 0, duplicate: 0, rejected: 0, skipped: 0, accountsCreated: 0, blocksCreated: 0, invoicesCreated: 0,
    incidentsCreated: 0, attributed: 0, unknownModels: [], warnings: [],
  };
  const errors: RowError[] = [];
  const unknownModels = new Set<string>();
  let kind: ImportKind | null = null;
  /** after the first bad row in 'reject' mode nothing more is written (the file will be refused) */
  let writing = true;
  let droppedIndexes: string[] | null = null;
  let droppedTrigger: string | null = null;

  // ---- usage -------------------------------------------------------------------------------
  let usageInsert: ReturnType<Db['prepare']> | null = null;
  let usageClaims: RowKeyClaims | null = null;
  const accountIds = new Map<string, number | null>();
  // providers typed by hand in the ledger may differ in case from the export's ('OpenAI' / 'openai')
  const findAccount = db.prepare<[string, string, string], { id: number }>(
    'SELECT id FROM credit_accounts WHERE lower(provider) = lower(?) AND external_id = ? ORDER BY provider = ? DESC, id LIMIT 1',
  );
  const insertAccount = db.prepare('INSERT INTO credit_accounts (provider, external_id, name, currency, created_at) VALUES (?, ?, ?, ?, ?)');
  const accountsOfProvider = db.prepare<[string], { id: number }>('SELECT id FROM credit_accounts WHERE lower(provider) = lower(?) LIMIT 2');
  const insertBlock = db.prepare(
    `INSERT INTO credit_blocks (account_id, name, kind, unit, amount_micros, unit_price_micros, cost_basis_micros, purchased_on, expires_on,
       priority, source, source_ref, import_id, created_at)
     VALUES (?, ?, 'purchased', ?, ?, ?, ?, ?, ?, 0, 'focus-purchase', ?, ${importId}, ?)`,
  );

  /**
   * Bulk mode: the secondary indexes are dropped and rebuilt once (sorted) in finish(), and the
   * per-row trigger that keeps usage_daily (migration 2) is dropped and usage_daily rebuilt in one
   * statement — all inside the import's transaction, so a crash or a rollback restores both.
   */
  function deferIndexes(): void {
    const rows = db
      .prepare<[], { type: string; name: string; sql: string }>(
        `SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'usage_records' AND sql IS NOT NULL AND type IN ('index', 'trigger')`,
      )
      .all()
      .filter((r) => (r.type === 'index' && SECONDARY_USAGE_INDEXES.includes(r.name)) || (r.type === 'trigger' && r.name === DAILY_INSERT_TRIGGER));
    for (const r of rows) db.exec(`DROP ${r.type === 'index' ? 'INDEX' : 'TRIGGER'} "${r.name}"`);
    droppedIndexes = rows.filter((r) => r.type === 'index').map((r) => r.sql);
    droppedTrigger = rows.find((r) => r.type === 'trigger')?.sql ?? null;
  }

  function prepareUsage(): void {
    if (opts.deferIndexes) deferIndexes();
    usageInsert = db.prepare(
      `INSERT INTO usage_records (import_id, ${USAGE_COLUMNS.join(', ')}) VALUES (${importId}${', ?'.repeat(USAGE_BOUND)}) ON CONFLICT (row_key) DO NOTHING`,
    );
    usageClaims = new RowKeyClaims(db, 'usage_records', importId);
  }

  /** credit account of (provider, billing account): found, or created with the account's name; without an account id, the provider's only account if it has exactly one. */
  function accountFor(provider: string, externalId: string | null, name: string | null, currency: string): number | null {
    const key = `${provider}\u0000${externalId ?? ''}`;
    const hit = accountIds.get(key);
    if (hit !== undefined) return hit;
    let id: number | null;
    if (externalId === null) {
      const list = accountsOfProvider.all(provider);
      id = list.length === 1 ? list[0].id : null;
    } else {
      id = findAccount.get(provider, externalId, provider)?.id ?? null;
      if (id === null) {
        const cur = isCurrencyCode(currency) ? currency : 'USD';
        id = Number(insertAccount.run(provider, externalId, name?.trim() || externalId, cur, opts.now).lastInsertRowid);
        stats.accountsCreated++;
      }
    }
    accountIds.set(key, id);
    return id;
  }

  function purchaseBlock(v: FlatValue[], base: number, rowKey: string): void {
    const accountId = v[base + U.accountId] as number | null;
    const billed = v[base + U.billedCostMicros] as number | null;
    const effective = v[base + U.effectiveCostMicros] as number | null;
    const line = v[base + U.line] as number;
    if (billed === null || billed < 0) return; // a refund of a purchase is not a block
    if (effective !== null && effective !== 0) return; // paid for a service term, not credits (FOCUS: prepaid credits have EffectiveCost 0)
    if (accountId === null) {
      if (stats.warnings.length < 20) stats.warnings.push(`line ${line}: a purchase without a billing account was not made a credit block`);
      return;
    }
    const currency = v[base + U.currency] as string;
    const pricingUnit = v[base + U.pricingUnit] as string | null;
    const qtyText = v[base + U.pricingQuantityText] as string | null;
    let unit = currency;
    let amount = billed;
    let unitPrice: number | null = null;
    if (pricingUnit !== null && qtyText !== null && !isCurrencyCode(pricingUnit.trim()) && pricingUnit.trim() !== currency) {
      const qty = quantityMicros(qtyText);
      if (qty !== null && qty > 0) {
        unit = pricingUnit.trim();
        amount = qty;
        unitPrice = unitPriceMicros(billed, qtyText);
      }
    }
    const start = (v[base + U.periodStart] as string).slice(0, 10);
    const end = v[base + U.periodEnd] as string | null;
    const description = v[base + U.description] as string | null;
    const provider = v[base + U.provider] as string;
    const name = description?.trim() || `${provider} purchase of ${start}`;
    insertBlock.run(accountId, name.slice(0, 200), unit, amount, unitPrice, billed, start, end ? end.slice(0, 10) : null, rowKey, opts.now);
    stats.blocksCreated++;
  }

  function writeUsage(v: FlatValue[]): void {
    if (!usageInsert) prepareUsage();
    const ins = usageInsert!;
    const claims = usageClaims!;
    for (let base = 0; base < v.length; base += USAGE_STRIDE) {
      v[base + U.accountId] = accountFor(
        v[base + U.provider] as string,
        v[base + U.billingAccountId] as string | null,
        v[base + U.billingAccountName] as string | null,
        v[base + U.currency] as string,
      );
      const args = v.slice(base, base + USAGE_BOUND);
      let key = '';
      const outcome = claims.claim(usageKeyBase(v[base + U.day] as string, v[base + U.contentHash] as string), (k) => {
        args[U.rowKey] = k;
        key = k;
        return ins.run(args).changes === 1;
      });
      if (outcome === 'duplicate') {
        stats.duplicate++;
        continue;
      }
      stats.imported++;
      if (args[U.workloadId] !== null) stats.attributed++;
      if (args[U.modelKnown] === 0 && args[U.modelRaw] !== null && unknownModels.size < 50) unknownModels.add(args[U.modelRaw] as string);
      if (args[U.chargeCategory] === 'purchase') {
        v[base + U.rowKey] = key;
        purchaseBlock(v, base, key);
      }
    }
  }

  // ---- invoices ----------------------------------------------------------------------------
  let invoiceClaims: RowKeyClaims | null = null;
  const invoiceIds = new Map<string, number>();
  const insertInvoice = db.prepare(
    `INSERT INTO invoices (import_id, invoice_number, issuer, account_id, billing_account_id, currency, issued_on, period_start, period_end, due_on, status, created_at)
     VALUES (${importId}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertLine = db.prepare(
    `INSERT INTO invoice_lines (invoice_id, import_id, line, row_key, description, category, amount_micros, amount_text, quantity_text)
     VALUES (?, ${importId}, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (row_key) DO NOTHING`,
  );
  const lineExists = db.prepare<[string], { id: number }>('SELECT id FROM invoice_lines WHERE row_key = ?');
  const accountByExternal = db.prepare<[string], { id: number }>('SELECT id FROM credit_accounts WHERE external_id = ? LIMIT 2');

  function invoiceFor(r: InvoiceLineRecord): number {
    const key = `${r.invoiceNumber}\u0000${r.issuer ?? ''}\u0000${r.billingAccountId ?? ''}\u0000${r.currency}`;
    let id = invoiceIds.get(key);
    if (id === undefined) {
      let accountId: number | null = null;
      if (r.billingAccountId !== null) {
        const list = accountByExternal.all(r.billingAccountId);
        accountId = list.length === 1 ? list[0].id : null;
      }
      id = Number(
        insertInvoice.run(r.invoiceNumber, r.issuer, accountId, r.billingAccountId, r.currency, r.issuedOn, r.periodStart, r.periodEnd, r.dueOn, r.status, opts.now)
          .lastInsertRowid,
      );
      invoiceIds.set(key, id);
      stats.invoicesCreated++;
    }
    return id;
  }

  function writeInvoices(list: PreparedBatch['invoices']): void {
    invoiceClaims ??= new RowKeyClaims(db, 'invoice_lines', importId);
    for (const { contentHash, record: r } of list) {
      // the invoice row is made only for a line that is new, so a re-sent invoice leaves no empty one
      const outcome = invoiceClaims.claim(contentHash, (k) => {
        if (lineExists.get(k)) return false;
        return insertLine.run(invoiceFor(r), r.line, k, r.description, r.category, r.amountMicros, r.amountText, r.quantityText).changes === 1;
      });
      if (outcome === 'new') stats.imported++;
      else stats.duplicate++;
    }
  }

  // ---- incidents ---------------------------------------------------------------------------
  const insertIncident = db.prepare(
    `INSERT INTO incidents (import_id, source, external_id, title, type, severity, status, started_at, detected_at, resolved_at, created_at)
     VALUES (${importId}, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (source, external_id) DO NOTHING`,
  );
  const insertTarget = db.prepare('INSERT OR IGNORE INTO incident_targets (incident_id, kind, value) VALUES (?, ?, ?)');

  function writeIncident(r: IncidentRecord): void {
    const res = insertIncident.run(r.source, r.externalId, r.title, r.type, r.severity, r.status, r.startedAt, r.detectedAt, r.resolvedAt, opts.now);
    if (res.changes !== 1) {
      stats.duplicate++;
      return;
    }
    const id = Number(res.lastInsertRowid);
    for (const k of r.apiKeys) if (k.trim()) insertTarget.run(id, 'api_key', k.trim());
    for (const w of r.workloads) if (w.trim()) insertTarget.run(id, 'workload', w.trim());
    for (const a of r.accounts) if (a.trim()) insertTarget.run(id, 'account', a.trim());
    stats.imported++;
    stats.incidentsCreated++;
  }

  return {
    stats,
    errors,
    get kind(): ImportKind | null {
      return kind;
    },

    write(batch: PreparedBatch): void {
      stats.rows += batch.rows;
      stats.skipped += batch.skipped;
      if (batch.kind) kind = batch.kind;
      for (const r of batch.rejected) {
        stats.rejected++;
        if (errors.length < MAX_LISTED_ERRORS) errors.push(r.error);
        if (opts.onError === 'skip' && opts.rejects && r.cells) opts.rejects.add(r.cells, r.error);
      }
      if (opts.onError === 'reject' && stats.rejected > 0) writing = false;
      if (!writing) return;
      if (batch.usage.length) writeUsage(batch.usage);
      if (batch.invoices.length) writeInvoices(batch.invoices);
      for (const i of batch.incidents) writeIncident(i.record);
    },

    /** Rebuilds deferred indexes (inside the transaction) and closes the stats. */
    finish(): void {
      if (droppedIndexes) {
        for (const sql of droppedIndexes) db.exec(sql);
        droppedIndexes = null;
      }
      if (droppedTrigger) {
        db.exec(REBUILD_USAGE_DAILY);
        db.exec(droppedTrigger);
        droppedTrigger = null;
      }
      stats.unknownModels = [...unknownModels];
    },
  };
}
export type ImportWriter = ReturnType<typeof createWriter>;
