import type { Db } from '../db/open';
import type { ChargeCategory } from '../../../shared/domain';
import type { PriceEntry } from '../../../shared/catalog';
import type { ReconBlock, ReconInvoiceLine, ReconUsageRow } from '../../../shared/reconcile';
import type { DataSource, Signoff } from '../../../shared/api/report-types';
import fs from 'node:fs';
import path from 'node:path';

/**
 * SQL for reconciliation. Usage is aggregated in SQL per account, day, model, category and
 * currency (millions of rows become thousands of groups). Rows with and without cached tokens
 * and negative rows stay in separate groups, because reconcile() assigns a cause per row and
 * those are what tell the causes apart.
 */

interface UsageGroup {
  accountId: number;
  day: string;
  provider: string;
  model: string | null;
  chargeCategory: ChargeCategory;
  currency: string;
  billed: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export function createReconciliationRepo(db: Db) {
  const usage = db.prepare<[string, string, number | null, number | null], UsageGroup>(`
    SELECT account_id AS accountId, day, provider, model_raw AS model, charge_category AS chargeCategory, currency,
           SUM(billed_cost_micros) AS billed, SUM(input_tokens) AS input, SUM(output_tokens) AS output,
           SUM(cache_read_tokens) AS cacheRead, SUM(cache_write_tokens) AS cacheWrite
    FROM usage_records
    WHERE account_id IS NOT NULL AND billed_cost_micros IS NOT NULL AND day >= ? AND day <= ? AND (? IS NULL OR account_id = ?)
    GROUP BY account_id, day, provider, model_raw, charge_category, currency,
             (cache_read_tokens + cache_write_tokens > 0), (billed_cost_micros < 0)`);
  const unaccounted = db.prepare<[string, string], { n: number }>(
    'SELECT count(*) AS n FROM usage_records WHERE account_id IS NULL AND day >= ? AND day <= ?',
  );
  // An invoice belongs to the month it covers, or the month it was issued when it names no period.
  const invoices = db.prepare<[string, string, number | null, number | null], ReconInvoiceLine & { accountNum: number }>(`
    SELECT i.account_id AS accountNum, i.invoice_number AS invoiceNumber, l.category, i.currency, l.amount_micros AS amountMicros,
           i.period_start AS periodStart, i.period_end AS periodEnd, i.issued_on AS issuedOn
    FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
    WHERE i.account_id IS NOT NULL AND substr(COALESCE(i.period_start, i.issued_on), 1, 7) BETWEEN substr(?, 1, 7) AND substr(?, 1, 7)
      AND (? IS NULL OR i.account_id = ?)
    ORDER BY i.id, l.line`);
  const unlinkedInvoices = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM invoices WHERE account_id IS NULL');
  const blocks = db.prepare<[string, string, number | null, number | null], { accountId: number; id: number; purchasedOn: string; amount: number; unit: string; unitPrice: number | null; currency: string }>(`
    SELECT b.account_id AS accountId, b.id, b.purchased_on AS purchasedOn, b.amount_micros AS amount, b.unit,
           b.unit_price_micros AS unitPrice, a.currency
    FROM credit_blocks b JOIN credit_accounts a ON a.id = b.account_id
    WHERE b.retired_at IS NULL AND b.purchased_on >= ? AND b.purchased_on <= ? AND (? IS NULL OR b.account_id = ?)
    ORDER BY b.id`);
  const accounts = db.prepare<[], { id: number; name: string; provider: string; currency: string }>(
    'SELECT id, name, provider, currency FROM credit_accounts ORDER BY name',
  );
  const catalogRows = db.prepare<[], PriceEntry>(`
    SELECT provider, model_id AS modelId, display_name AS displayName, family, input_per_mtok_micros AS inputPerMTokMicros,
           output_per_mtok_micros AS outputPerMTokMicros, cache_read_per_mtok_micros AS cacheReadPerMTokMicros,
           cache_write_per_mtok_micros AS cacheWritePerMTokMicros, effective_from AS effectiveFrom
    FROM price_catalog ORDER BY id`);
  const signoffs = db.prepare<[], Signoff>(`
    SELECT s.id, s.account_id AS accountId, a.name AS accountName, s.period, p.name AS signedBy, s.signed_at AS signedAt, s.note
    FROM reconciliation_signoffs s JOIN profiles p ON p.id = s.signed_by JOIN credit_accounts a ON a.id = s.account_id
    ORDER BY s.period DESC, a.name`);
  const signoffOf = db.prepare<[number, string], { id: number }>('SELECT id FROM reconciliation_signoffs WHERE account_id = ? AND period = ?');
  const insertSignoff = db.prepare('INSERT INTO reconciliation_signoffs (account_id, period, signed_by, signed_at, note) VALUES (?, ?, ?, ?, ?)');
  const sources = db.prepare<[string, string, string, string, string, string], DataSource>(`
    SELECT id AS importId, file_name AS fileName, format, kind, rows_imported AS rows, finished_at AS finishedAt FROM imports
    WHERE status = 'committed' AND (
      id IN (SELECT DISTINCT import_id FROM usage_records WHERE day >= ? AND day <= ?)
      OR id IN (SELECT DISTINCT import_id FROM invoices WHERE COALESCE(period_start, issued_on) <= ? AND COALESCE(period_end, period_start, issued_on) >= ?)
      OR id IN (SELECT DISTINCT import_id FROM incidents WHERE substr(detected_at, 1, 10) <= ? AND substr(COALESCE(resolved_at, detected_at), 1, 10) >= ?))
    ORDER BY id`);

  const acct = (id: number | undefined) => [id ?? null, id ?? null] as const;
  return {
    /** Usage groups as reconcile() rows; accountId is the credit account's id as text. */
    usage(from: string, to: string, accountId?: number): ReconUsageRow[] {
      return usage.all(from, to, ...acct(accountId)).map((g) => ({
        accountId: String(g.accountId), periodStart: g.day, provider: g.provider, model: g.model, chargeCategory: g.chargeCategory,
        currency: g.currency, billedCostMicros: g.billed, inputTokens: g.input, outputTokens: g.output,
        cacheReadTokens: g.cacheRead, cacheWriteTokens: g.cacheWrite,
      }));
    },
    usageWithoutAccount: (from: string, to: string) => unaccounted.get(from, to)?.n ?? 0,
    invoiceLines(from: string, to: string, accountId?: number): ReconInvoiceLine[] {
      return invoices.all(from, to, ...acct(accountId)).map(({ accountNum, ...l }) => ({ ...l, accountId: String(accountNum) }));
    },
    invoicesWithoutAccount: () => unlinkedInvoices.get()?.n ?? 0,
    /** Blocks at their value in the account currency; virtual units without a unit price are left out and named. */
    blocks(from: string, to: string, accountId?: number): { blocks: ReconBlock[]; unpriced: number[] } {
      const out: ReconBlock[] = [];
      const unpriced: number[] = [];
      for (const b of blocks.all(from, to, ...acct(accountId))) {
        const virtual = b.unit.toUpperCase() !== b.currency.toUpperCase() && !/^[A-Z]{3}$/.test(b.unit);
        if (virtual && b.unitPrice === null) unpriced.push(b.id);
        else {
          // amount (micro-units of the unit) × price (account micros per unit) / 1e6, exactly, half-even
          const amount = virtual ? Number(halfEvenDiv(BigInt(b.amount) * BigInt(b.unitPrice ?? 0), 1_000_000n)) : b.amount;
          out.push({ accountId: String(b.accountId), blockId: b.id, purchasedOn: b.purchasedOn, amountMicros: amount, currency: virtual ? b.currency : b.unit });
        }
      }
      return { blocks: out, unpriced };
    },
    accounts: () => accounts.all(),
    /** The bundled models.dev catalog plus the prices recorded in the database (later entries win by date). */
    catalog: (): PriceEntry[] => [...bundledCatalog(), ...catalogRows.all()],
    signoffs: () => signoffs.all(),
    signoffExists: (accountId: number, period: string) => signoffOf.get(accountId, period) !== undefined,
    insertSignoff(accountId: number, period: string, profileId: number, at: string, note: string | null): number {
      return Number(insertSignoff.run(accountId, period, profileId, at, note).lastInsertRowid);
    },
    /** Imports whose rows fall in the window: the report's data sources. */
    sources: (from: string, to: string) => sources.all(from, to, to, from, to, from),
  };
}
export type ReconciliationRepo = ReturnType<typeof createReconciliationRepo>;

function halfEvenDiv(n: bigint, d: bigint): bigint {
  const neg = n < 0n;
  const a = neg ? -n : n;
  let q = a / d;
  const r2 = (a % d) * 2n;
  if (r2 > d || (r2 === d && q % 2n === 1n)) q += 1n;
  return neg ? -q : q;
}

let cached: PriceEntry[] | null = null;

/**
 * The bundled catalog (resources/prices/catalog.json) is read at run time from wherever this
 * build runs: the packaged app's resources, beside out/cli or out/main, or the source tree.
 */
export function bundledCatalog(): PriceEntry[] {
  if (cached) return cached;
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  const candidates = [
    process.env.DRAWDOWN_CATALOG,
    resources && path.join(resources, 'prices', 'catalog.json'),
    path.resolve(__dirname, '..', '..', 'resources', 'prices', 'catalog.json'),
    path.resolve(__dirname, '..', '..', '..', 'resources', 'prices', 'catalog.json'),
    path.resolve('resources', 'prices', 'catalog.json'),
  ].filter((p): p is string => !!p);
  const file = candidates.find((p) => fs.existsSync(p));
  cached = file ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { models: PriceEntry[] }).models : [];
  return cached;
}
