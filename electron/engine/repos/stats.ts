import type { Db } from '../db/open';
import type { Stats, StatsGroup, ChargeCategory } from '../../../shared/domain';
import { DecimalSum } from '../../../shared/money';

/**
 * Counts and billed-cost sums per provider, charge category and currency. The sums are exact
 * decimal sums of the source amount texts (so a file's total matches to the last digit it had),
 * with the sum of the stored micro-units beside them.
 */
export function readStats(db: Db): Stats {
  const count = (table: string): number => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const groups = new Map<string, { g: StatsGroup; sum: DecimalSum }>();
  const totals = new Map<string, { rows: number; sum: DecimalSum; micros: number }>();
  const rows = db
    .prepare('SELECT provider, charge_category, currency, billed_cost_text, billed_cost_micros FROM usage_records')
    .raw()
    .iterate() as IterableIterator<[string, ChargeCategory, string, string | null, number | null]>;
  for (const [provider, category, currency, text, micros] of rows) {
    const key = `${provider}\u0000${category}\u0000${currency}`;
    let e = groups.get(key);
    if (!e) {
      e = { g: { provider, chargeCategory: category, currency, rows: 0, billedCost: '0', billedCostMicros: 0 }, sum: new DecimalSum() };
      groups.set(key, e);
    }
    e.g.rows++;
    e.g.billedCostMicros += micros ?? 0;
    e.sum.add(text);
    let t = totals.get(currency);
    if (!t) totals.set(currency, (t = { rows: 0, sum: new DecimalSum(), micros: 0 }));
    t.rows++;
    t.micros += micros ?? 0;
    t.sum.add(text);
  }
  const out = [...groups.values()].map(({ g, sum }) => ({ ...g, billedCost: sum.toString() }));
  out.sort((a, b) => a.provider.localeCompare(b.provider) || a.chargeCategory.localeCompare(b.chargeCategory) || a.currency.localeCompare(b.currency));
  return {
    usageRows: count('usage_records'),
    creditAccounts: count('credit_accounts'),
    creditBlocks: count('credit_blocks WHERE retired_at IS NULL'),
    workloads: count('workloads WHERE retired_at IS NULL'),
    incidents: count('incidents'),
    imports: count("imports WHERE status = 'committed'"),
    groups: out,
    totals: [...totals.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, t]) => ({ currency, rows: t.rows, billedCost: t.sum.toString(), billedCostMicros: t.micros })),
  };
}
