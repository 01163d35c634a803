import type { Db } from '../db/open';
import type { Stats, ChargeCategory } from '../../../shared/domain';
import { DecimalSum } from '../../../shared/money';
import { readIncremental, type IncrementalSpec } from './analysis-cache';

interface Group {
  provider: string;
  category: ChargeCategory;
  currency: string;
  rows: number;
  sum: DecimalSum;
  micros: number;
}

/**
 * Counts and billed-cost sums per provider, charge category and currency. The sums are exact
 * decimal sums of the source amount texts (so a file's total matches to the last digit it had),
 * with the sum of the stored micro-units beside them. Summing every row's text takes seconds at
 * millions of rows, so the groups live in analysis_cache and only rows added since are read.
 */
export function readStats(db: Db): Stats {
  const count = (table: string): number => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const groups = readIncremental(db, statsSpec(db));
  const totals = new Map<string, { rows: number; sum: DecimalSum; micros: number }>();
  for (const g of groups.values()) {
    let t = totals.get(g.currency);
    if (!t) totals.set(g.currency, (t = { rows: 0, sum: new DecimalSum(), micros: 0 }));
    t.rows += g.rows;
    t.micros += g.micros;
    t.sum.add(g.sum.toString());
  }
  const out = [...groups.values()].map((g) => ({ provider: g.provider, chargeCategory: g.category, currency: g.currency, rows: g.rows, billedCost: g.sum.toString(), billedCostMicros: g.micros }));
  out.sort((a, b) => a.provider.localeCompare(b.provider) || a.chargeCategory.localeCompare(b.chargeCategory) || a.currency.localeCompare(b.currency));
  return {
    // every usage row is in one group (of the same snapshot): no second count of the table
    usageRows: out.reduce((n, g) => n + g.rows, 0),
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

function statsSpec(db: Db): IncrementalSpec<Map<string, Group>> {
  const rows = db.prepare<[number, number]>(
    'SELECT provider, charge_category, currency, billed_cost_text, billed_cost_micros FROM usage_records WHERE id > ? AND id <= ?',
  );
  return {
    name: 'billed-cost-by-provider-category-currency',
    format: 1,
    empty: () => new Map(),
    fold(groups, afterId, throughId) {
      for (const [provider, category, currency, text, micros] of rows.raw().iterate(afterId, throughId) as IterableIterator<[string, ChargeCategory, string, string | null, number | null]>) {
        const key = `${provider}\u0000${category}\u0000${currency}`;
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { provider, category, currency, rows: 0, sum: new DecimalSum(), micros: 0 }));
        g.rows++;
        g.micros += micros ?? 0;
        g.sum.add(text);
      }
    },
    encode: (groups) => JSON.stringify([...groups.values()].map((g) => [g.provider, g.category, g.currency, g.rows, g.sum.toString(), g.micros])),
    decode(payload) {
      const groups = new Map<string, Group>();
      for (const [provider, category, currency, n, text, micros] of JSON.parse(payload) as [string, ChargeCategory, string, number, string, number][]) {
        const sum = new DecimalSum();
        sum.add(text);
        groups.set(`${provider}\u0000${category}\u0000${currency}`, { provider, category, currency, rows: n, sum, micros });
      }
      return groups;
    },
  };
}
