import type { Db } from '../db/open';
import type { StoredBlock } from './blocks';

/** SQL for the credit ledger: blocks, allocations and daily usage cost in each block's unit. */

/** A stored block with its account's name, provider and pooling, as the ledger needs it. */
export type BlockRow = Omit<StoredBlock, 'sourceRef' | 'retiredAt'> & { accountName: string; provider: string; pooled: number };

export interface DailyCostRow {
  day: string;
  accountId: number;
  unit: string;
  workloadId: number | null;
  amountMicros: number;
}

export function createLedgerRepo(db: Db) {
  const blocks = db.prepare<[], BlockRow>(`
    SELECT b.id, b.account_id AS accountId, a.name AS accountName, a.provider, a.pooled, b.name, b.kind, b.unit,
           b.amount_micros AS amountMicros, b.unit_price_micros AS unitPriceMicros, b.cost_basis_micros AS costBasisMicros,
           b.purchased_on AS purchasedOn, b.expires_on AS expiresOn, b.priority, b.source
    FROM credit_blocks b JOIN credit_accounts a ON a.id = b.account_id
    WHERE b.retired_at IS NULL ORDER BY b.id`);
  const allocations = db.prepare<[], { blockId: number; workloadId: number; amountMicros: number | null; percentBp: number | null; blockAmount: number }>(`
    SELECT al.block_id AS blockId, al.workload_id AS workloadId, al.amount_micros AS amountMicros, al.percent_bp AS percentBp,
           b.amount_micros AS blockAmount
    FROM allocations al JOIN credit_blocks b ON b.id = al.block_id WHERE b.retired_at IS NULL ORDER BY al.id`);
  // Usage, credits and adjustments draw on blocks; purchases are blocks, tax is billed outside the credit.
  // Rows priced in a virtual currency draw in that unit. Read from usage_daily (migration 2), the
  // usage rows summed per day, account, workload, category and currency by triggers: the same
  // groups as summing usage_records, from a table days × workloads long instead of one row per
  // usage line (bench/scale.ts, 5 million rows: seconds → tens of milliseconds). One row per day
  // with that day's rows as JSON (150,000 result rows would cost better-sqlite3 an object each),
  // read in the primary key's order (no sort) and not grouped in SQL: a (day, account, unit,
  // workload) group spans several usage_daily rows only when it has several providers, categories
  // or currencies, and unpackDays sums them (grouped in SQL, the query took 82 ms at 5M rows; so, 43 ms).
  const dailySql = (where: string) => `
    SELECT day, json_group_array(json_array(account_key, unit, NULLIF(workload_key, 0), CASE WHEN pricing_currency <> '' THEN pricing_micros ELSE billed_micros END)) AS groups
    FROM usage_daily
    WHERE ${where} account_key <> 0 AND charge_category IN ('usage','credit','adjustment')
    GROUP BY day ORDER BY day`;
  const daily = db.prepare<[], { day: string; groups: string }>(dailySql(''));
  // the same for some days: those that usage rows added since a kept read fall on
  const dailyOn = db.prepare<[string], { day: string; groups: string }>(dailySql('day IN (SELECT value FROM json_each(?)) AND'));
  // NOT INDEXED: by the rowid range (the new rows), not a scan of the whole day index (190 ms at 5M rows)
  const daysAfter = db.prepare<[number], string>('SELECT DISTINCT day FROM usage_records NOT INDEXED WHERE id > ? ORDER BY day').pluck();
  const lastDay = db.prepare<[], { d: string | null }>('SELECT max(day) AS d FROM usage_records');
  return {
    blocks: () => blocks.all(),
    allocations: () =>
      allocations.all().map((a) => ({
        blockId: a.blockId,
        workloadId: a.workloadId,
        amountMicros: a.amountMicros ?? Math.floor((a.blockAmount * (a.percentBp ?? 0)) / 10_000),
      })),
    dailyCost: (): DailyCostRow[] => unpackDays(daily.all()),
    /**
     * A kept daily cost (sorted by day) brought up to date after usage rows with ids above
     * afterId were added and none deleted or changed: the days they fall on are read again, the
     * others kept. A new array; the kept one is not changed.
     */
    dailyCostAfter(kept: readonly DailyCostRow[], afterId: number): DailyCostRow[] {
      const days = daysAfter.all(afterId);
      const fresh = unpackDays(dailyOn.all(JSON.stringify(days)));
      const changed = new Set(days);
      const out: DailyCostRow[] = [];
      let f = 0;
      for (const row of kept) {
        while (f < fresh.length && fresh[f].day < row.day) out.push(fresh[f++]);
        if (!changed.has(row.day)) out.push(row);
      }
      while (f < fresh.length) out.push(fresh[f++]);
      return out;
    },
    lastUsageDay: () => lastDay.get()?.d ?? null,
  };
}
export type LedgerRepo = ReturnType<typeof createLedgerRepo>;

type DayRow = [accountId: number, unit: string, workloadId: number | null, amountMicros: number];

/** Canonical order within a day: account, unit, workload (none first). */
const rowOrder = (a: DayRow, b: DayRow) =>
  a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) || (a[2] === b[2] ? 0 : a[2] === null ? -1 : b[2] === null ? 1 : a[2] - b[2]);

/**
 * The per-day JSON of the daily cost query as one row per (day, account, unit, workload), in that
 * order: the rows of a group arrive as neighbours in the table's key order and are summed; a day
 * whose rows come in another order is sorted first.
 */
export function unpackDays(days: { day: string; groups: string }[]): DailyCostRow[] {
  const out: DailyCostRow[] = [];
  for (const { day, groups } of days) {
    let rows = JSON.parse(groups) as DayRow[];
    if (rows.some((r, i) => i > 0 && rowOrder(rows[i - 1], r) > 0)) rows = rows.sort(rowOrder);
    let last: DailyCostRow | undefined;
    for (const [accountId, unit, workloadId, amountMicros] of rows) {
      if (last !== undefined && last.accountId === accountId && last.unit === unit && last.workloadId === workloadId) last.amountMicros += amountMicros;
      else out.push((last = { day, accountId, unit, workloadId, amountMicros }));
      // JSON numbers are doubles: a sum past 2^53 micro-units would come back rounded, so refuse it
      if (!Number.isSafeInteger(last.amountMicros)) throw new RangeError(`daily cost on ${day} is out of range: ${last.amountMicros}`);
    }
  }
  return out;
}
