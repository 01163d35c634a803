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
import { USAGE_COLUMNS, USAGE_BOUND, USAGE_STRIDE, USAGE_IS_STRING, U, usageRow, type PreparedBatch, type FlatValue, type UsageBlock } from './store-prepare';
import { RowKeyClaims, UsageKeyClaims } from './store-keys';
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
  /** the first and last id of the usage rows written (all of them lie in between: imports.usage_first_id/usage_last_id) */
  usageIds: { first: number; last: number } | null;
}

const SECONDARY_USAGE_INDEXES = ['usage_day', 'usage_account_day', 'usage_workload_day', 'usage_key_day'];
/** the trigger of migration 2 that adds each inserted usage row to usage_daily */
const DAILY_INSERT_TRIGGER = 'usage_daily_insert';

/** One usage_daily group (migration 2's key and sums) of the rows an import wrote. */
interface DailyGroup {
  day: string;
  account: number;
  unit: string;
  workload: number;
  provider: string;
  category: string;
  currency: string;
  pricingCurrency: string;
  rows: number;
  billed: number;
  pricing: number;
}

/** usage columns bound even when a whole batch has no value in them: NOT NULL or with a default other than NULL */
const ALWAYS_BOUND: readonly boolean[] = USAGE_COLUMNS.map((_, c) =>
  [U.line, U.rowKey, U.rowCheck, U.provider, U.chargeCategory, U.periodStart, U.day, U.modelKnown, U.inputTokens, U.outputTokens,
    U.cacheReadTokens, U.cacheWriteTokens, U.currency].includes(c as never),
);

/** string columns that often hold one value for a whole file: written as a literal when a batch has one value in them */
const CONSTANT_COLUMNS: readonly boolean[] = USAGE_COLUMNS.map((_, c) =>
  [U.provider, U.chargeCategory, U.chargeClass, U.currency, U.pricingCurrency, U.pricingUnit, U.serviceName].includes(c as never),
);
/** statements per import at most before constant columns are bound like the others again */
const MAX_USAGE_INSERTS = 32;

/** A prepared usage INSERT and where each bound column's value goes in its argument array. */
interface UsageInsert {
  stmt: ReturnType<Db['prepare']>;
  args: FlatValue[];
  /** argument index of row_key (chosen by the dedup) and of account_id (-1: not bound) */
  keyAt: number;
  accountAt: number;
  /** argument index → usage cell of the string columns, and of the other numeric columns */
  strAt: Int32Array;
  strCol: Int32Array;
  numAt: Int32Array;
  numCol: Int32Array;
}

/** The SQL literal of a string column whose value is the same (and plain, short text) in every row of the batch (describeColumns ≥ 0); otherwise null. */
function constantText(strings: readonly string[], same: number): string | null {
  if (same < 0) return null;
  const v = strings[same];
  return v.length <= 64 && /^[\x20-\x7e]*$/.test(v) ? `'${v.replace(/'/g, "''")}'` : null;
}

const UPSERT_DAILY = `
INSERT INTO usage_daily (day, account_key, unit, workload_key, provider, charge_category, currency, pricing_currency, rows, billed_micros, pricing_micros)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (day, account_key, unit, workload_key, provider, charge_category, currency, pricing_currency) DO UPDATE SET
  rows = rows + excluded.rows, billed_micros = billed_micros + excluded.billed_micros, pricing_micros = pricing_micros + excluded.pricing_micros`;

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
    incidentsCreated: 0, attributed: 0, unknownModels: [], warnings: [], usageIds: null,
  };
  const errors: RowError[] = [];
  const unknownModels = new Set<string>();
  let kind: ImportKind | null = null;
  /** after the first bad row in 'reject' mode nothing more is written (the file will be refused) */
  let writing = true;
  let droppedIndexes: string[] | null = null;
  let droppedTrigger: string | null = null;

  // ---- usage -------------------------------------------------------------------------------
  let usageReady = false;
  let usageClaims: UsageKeyClaims | null = null;
  /** INSERT statements by the set of columns a batch has values in (NULLs are not bound: the column default is NULL) */
  const usageInserts = new Map<string, UsageInsert>();
  /** usage_daily groups of the rows written while its insert trigger is dropped (bulk mode), added to it in finish() */
  let daily: Map<string, DailyGroup> | null = null;
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
    if (droppedTrigger) daily = new Map();
    usageClaims = new UsageKeyClaims(db, importId);
    usageReady = true;
  }

  /**
   * The INSERT for the columns that have a value in some row of the batch (row_key always). A
   * column of CONSTANT_COLUMNS with one value in every row of the batch (an export's provider,
   * category, currency) is written as a literal instead of being bound row by row; binding a
   * string costs about as much as SQLite's whole work on a short column.
   */
  function usageInsertFor(b: UsageBlock, accounts: Float64Array) {
    const used: number[] = [];
    const literals: string[] = [];
    const columns = b.columns;
    for (let c = 0; c < USAGE_BOUND; c++) {
      let any = ALWAYS_BOUND[c];
      if (c === U.accountId) {
        for (let r = 0; r < b.rows && !any; r++) any = accounts[r] === accounts[r];
      } else if (!any) any = columns[c] !== -1;
      if (!any) continue;
      const constant = CONSTANT_COLUMNS[c] && usageInserts.size < MAX_USAGE_INSERTS ? constantText(b.strings, columns[c]) : null;
      if (constant === null) used.push(c);
      else literals.push(`${USAGE_COLUMNS[c]}=${constant}`);
    }
    const k = `${used.join(',')}|${literals.join(',')}`;
    let ins = usageInserts.get(k);
    if (!ins) {
      const names = [...used.map((c) => USAGE_COLUMNS[c]), ...literals.map((l) => l.slice(0, l.indexOf('=')))];
      const values = [...used.map(() => '?'), ...literals.map((l) => l.slice(l.indexOf('=') + 1))];
      const stmt = db.prepare(
        `INSERT INTO usage_records (import_id, ${names.join(', ')}) VALUES (${importId}, ${values.join(', ')}) ON CONFLICT (row_key) DO NOTHING`,
      );
      const at = (pick: (c: number) => boolean) => Int32Array.from(used.keys()).filter((i) => pick(used[i]));
      const strAt = at((c) => USAGE_IS_STRING[c]);
      const numAt = at((c) => !USAGE_IS_STRING[c] && c !== U.accountId && c !== U.rowKey);
      ins = {
        stmt, args: new Array<FlatValue>(used.length).fill(null), keyAt: used.indexOf(U.rowKey), accountAt: used.indexOf(U.accountId),
        strAt, strCol: strAt.map((i) => used[i]), numAt, numCol: numAt.map((i) => used[i]),
      };
      usageInserts.set(k, ins);
    }
    return ins;
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

  function purchaseBlock(v: FlatValue[], base: number, rowKey: number): void {
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
    insertBlock.run(accountId, name.slice(0, 200), unit, amount, unitPrice, billed, start, end ? end.slice(0, 10) : null, String(rowKey), opts.now);
    stats.blocksCreated++;
  }

  function writeUsage(b: UsageBlock): void {
    if (!usageReady) prepareUsage();
    const claims = usageClaims!;
    const { cells, strings, rows } = b;
    const str = (i: number): string | null => (i < 0 ? null : strings[i]);
    // credit accounts first: they decide whether account_id is bound
    const accounts = new Float64Array(rows);
    let lastProvider = -2;
    let lastBilling = -2;
    let lastAccount: number | null = null;
    for (let r = 0, o = 0; r < rows; r++, o += USAGE_STRIDE) {
      const p = cells[o + U.provider];
      const ba = cells[o + U.billingAccountId];
      if (p !== lastProvider || ba !== lastBilling) {
        lastAccount = accountFor(str(p)!, str(ba), str(cells[o + U.billingAccountName]), str(cells[o + U.currency])!);
        lastProvider = p;
        lastBilling = ba;
      }
      accounts[r] = lastAccount === null ? NaN : lastAccount;
    }
    const ins = usageInsertFor(b, accounts);
    let ids = stats.usageIds;
    const { stmt, args, keyAt, accountAt, strAt, strCol, numAt, numCol } = ins;
    const nStr = strAt.length;
    const nNum = numAt.length;
    const purchase = strings.indexOf('purchase');
    let key = 0;
    const tryInsert = (k: number): number => {
      args[keyAt] = k;
      key = k;
      const r = stmt.run(args);
      if (r.changes !== 1) return 0;
      const id = Number(r.lastInsertRowid);
      if (!ids) ids = stats.usageIds = { first: id, last: id };
      else if (id > ids.last) ids.last = id;
      else if (id < ids.first) ids.first = id;
      return id;
    };
    for (let r = 0, o = 0; r < rows; r++, o += USAGE_STRIDE) {
      for (let k = 0; k < nStr; k++) {
        const v = cells[o + strCol[k]];
        args[strAt[k]] = v < 0 ? null : strings[v];
      }
      for (let k = 0; k < nNum; k++) {
        const v = cells[o + numCol[k]];
        args[numAt[k]] = v === v ? v : null;
      }
      if (accountAt >= 0) {
        const a = accounts[r];
        args[accountAt] = a === a ? a : null;
      }
      const outcome = claims.claim(cells[o + U.keyBase], cells[o + U.rowCheck], cells[o + U.keyAltBase], tryInsert);
      if (outcome === 'duplicate') {
        stats.duplicate++;
        continue;
      }
      stats.imported++;
      if (cells[o + U.workloadId] === cells[o + U.workloadId]) stats.attributed++;
      const modelRaw = cells[o + U.modelRaw];
      if (cells[o + U.modelKnown] === 0 && modelRaw >= 0 && unknownModels.size < 50) unknownModels.add(strings[modelRaw]);
      if (daily) addDaily(daily, b, o, accounts[r]);
      if (purchase >= 0 && cells[o + U.chargeCategory] === purchase) {
        const v = usageRow(b, r);
        v[U.accountId] = accounts[r] === accounts[r] ? accounts[r] : null;
        v[U.rowKey] = key;
        purchaseBlock(v, 0, key);
      }
    }
  }

  let dailyBlock: UsageBlock | null = null;
  let dailyGroup: DailyGroup | null = null;
  const dailyIds = new Float64Array(6);
  /** a sum left the range of exact doubles: finish() recomputes usage_daily in SQL instead */
  let dailyInexact = false;

  /**
   * Adds a written row to its usage_daily group, as the insert trigger of migration 2 would:
   * key (day, account or 0, pricing currency or currency, workload or 0, provider, category,
   * currency, pricing currency or ''), sums rows, billed cost and pricing-currency cost (null as 0).
   */
  function addDaily(groups: Map<string, DailyGroup>, b: UsageBlock, o: number, account: number): void {
    const c = b.cells;
    const day = c[o + U.day];
    const acct = account === account ? account : 0;
    const unitIx = c[o + U.pricingCurrency];
    const wl = c[o + U.workloadId] === c[o + U.workloadId] ? c[o + U.workloadId] : 0;
    const prov = c[o + U.provider];
    const cat = c[o + U.chargeCategory];
    const cur = c[o + U.currency];
    let g = dailyGroup;
    const same =
      g !== null && dailyBlock === b && dailyIds[0] === day && g.account === acct && dailyIds[1] === unitIx && g.workload === wl &&
      dailyIds[2] === prov && dailyIds[3] === cat && dailyIds[4] === cur;
    if (!same) {
      const s = b.strings;
      const currency = s[cur];
      const pricingCurrency = unitIx < 0 ? '' : s[unitIx];
      const unit = unitIx < 0 ? currency : pricingCurrency;
      const k = `${s[day]}\u0000${acct}\u0000${unit}\u0000${wl}\u0000${s[prov]}\u0000${s[cat]}\u0000${currency}\u0000${pricingCurrency}`;
      g = groups.get(k) ?? null;
      if (!g) {
        g = { day: s[day], account: acct, unit, workload: wl, provider: s[prov], category: s[cat], currency, pricingCurrency, rows: 0, billed: 0, pricing: 0 };
        groups.set(k, g);
      }
      dailyGroup = g;
      dailyBlock = b;
      dailyIds[0] = day;
      dailyIds[1] = unitIx;
      dailyIds[2] = prov;
      dailyIds[3] = cat;
      dailyIds[4] = cur;
    }
    g!.rows++;
    const billed = c[o + U.billedCostMicros];
    if (billed === billed) g!.billed += billed;
    const pricing = c[o + U.pricingCurrencyCostMicros];
    if (pricing === pricing) g!.pricing += pricing;
    if (!Number.isSafeInteger(g!.billed) || !Number.isSafeInteger(g!.pricing)) dailyInexact = true;
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
    invoiceClaims ??= new RowKeyClaims(db, importId);
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
      if (batch.usage.rows) writeUsage(batch.usage);
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
        if (daily && !dailyInexact) {
          const up = db.prepare(UPSERT_DAILY);
          for (const g of daily.values()) up.run(g.day, g.account, g.unit, g.workload, g.provider, g.category, g.currency, g.pricingCurrency, g.rows, g.billed, g.pricing);
        } else db.exec(REBUILD_USAGE_DAILY);
        daily = null;
        db.exec(droppedTrigger);
        droppedTrigger = null;
      }
      stats.unknownModels = [...unknownModels];
    },
  };
}
export type ImportWriter = ReturnType<typeof createWriter>;
