/**
 * The reference an analyst would otherwise reach for: the same usage rows in DuckDB
 * (@duckdb/node-api, in memory), loaded with COPY from a CSV this module writes from the SQLite
 * file (the sqlite_scanner extension is not available offline), and the dashboard's aggregations
 * written for DuckDB: daily cost per account, unit and workload; billed spend by provider; the
 * unattributed share of each pooled account. Results are read into JavaScript values, as
 * better-sqlite3's .all() does on our side.
 */
import fs from 'node:fs';
import type { Db } from '../electron/engine/db/open';
import { load, median } from './scale-time';

const COLUMNS = ['day', 'provider', 'account_id', 'workload_id', 'api_key', 'charge_category', 'currency', 'pricing_currency', 'billed_cost_micros', 'pricing_currency_cost_micros'] as const;
const TYPES: Record<(typeof COLUMNS)[number], string> = {
  day: 'DATE', provider: 'VARCHAR', account_id: 'BIGINT', workload_id: 'BIGINT', api_key: 'VARCHAR', charge_category: 'VARCHAR',
  currency: 'VARCHAR', pricing_currency: 'VARCHAR', billed_cost_micros: 'BIGINT', pricing_currency_cost_micros: 'BIGINT',
};

export const DUCK_QUERIES = {
  daily: `
    SELECT day, account_id, COALESCE(pricing_currency, currency) AS unit, workload_id,
           SUM(CASE WHEN pricing_currency IS NOT NULL THEN COALESCE(pricing_currency_cost_micros, 0) ELSE COALESCE(billed_cost_micros, 0) END) AS amount
    FROM usage WHERE account_id IS NOT NULL AND charge_category IN ('usage', 'credit', 'adjustment')
    GROUP BY day, account_id, unit, workload_id ORDER BY day`,
  spend: `SELECT provider, currency, SUM(COALESCE(billed_cost_micros, 0)) AS billed FROM usage GROUP BY provider, currency ORDER BY provider, currency`,
  pooled: `
    SELECT a.id, a.name, count(DISTINCT u.workload_id) AS workloads,
           COALESCE(SUM(u.billed_cost_micros) FILTER (WHERE u.charge_category = 'usage'), 0) AS spend,
           COALESCE(SUM(u.billed_cost_micros) FILTER (WHERE u.charge_category = 'usage' AND u.workload_id IS NULL), 0) AS unattributed
    FROM accounts a LEFT JOIN usage u ON u.account_id = a.id GROUP BY a.id, a.name ORDER BY a.name`,
};

export interface DuckResult {
  exportMs: number;
  csvBytes: number;
  loadMs: number;
  /** DuckDB's worker threads (its default: one per core) */
  threads: string;
  /** medians after a warm-up, ms */
  timings: Record<keyof typeof DUCK_QUERIES, { query: number; withJs: number; rows: number }>;
}

/** Writes the usage columns the dashboard aggregates to a CSV, streaming from SQLite. */
function exportCsv(db: Db, file: string): number {
  const fd = fs.openSync(file, 'w');
  try {
    let buf = `${COLUMNS.join(',')}\n`;
    const quote = (v: unknown) => (v === null ? '' : typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v));
    const rows = db.prepare(`SELECT ${COLUMNS.join(', ')} FROM usage_records`).raw().iterate() as IterableIterator<unknown[]>;
    for (const r of rows) {
      buf += `${r.map(quote).join(',')}\n`;
      if (buf.length > 1 << 22) {
        fs.writeSync(fd, buf);
        buf = '';
      }
    }
    fs.writeSync(fd, buf);
  } finally {
    fs.closeSync(fd);
  }
  return fs.statSync(file).size;
}

export async function measureDuck(db: Db, csvFile: string, runs: number): Promise<DuckResult> {
  const { DuckDBInstance } = load<typeof import('@duckdb/node-api')>('@duckdb/node-api');
  const t0 = performance.now();
  const csvBytes = exportCsv(db, csvFile);
  const exportMs = performance.now() - t0;
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  try {
    const t1 = performance.now();
    await con.run(`CREATE TABLE usage (${COLUMNS.map((c) => `${c} ${TYPES[c]}`).join(', ')})`);
    await con.run(`COPY usage FROM '${csvFile.replace(/'/g, "''")}' (HEADER true, NULLSTR '')`);
    await con.run('CREATE TABLE accounts (id BIGINT, name VARCHAR, pooled INTEGER)');
    const app = await con.createAppender('accounts');
    for (const a of db.prepare<[], { id: number; name: string; pooled: number }>('SELECT id, name, pooled FROM credit_accounts').all()) {
      app.appendBigInt(BigInt(a.id));
      app.appendVarchar(a.name);
      app.appendInteger(a.pooled);
      app.endRow();
    }
    app.closeSync();
    const loadMs = performance.now() - t1;
    const timings = {} as DuckResult['timings'];
    const threads = (await con.runAndReadAll("SELECT current_setting('threads') AS t")).getRowsJS()[0][0];
    for (const [name, sql] of Object.entries(DUCK_QUERIES) as [keyof typeof DUCK_QUERIES, string][]) {
      // query: the result materialised inside DuckDB; withJs: and read into JavaScript rows, as .all() does
      const query: number[] = [];
      const withJs: number[] = [];
      let rows = 0;
      for (let i = 0; i <= runs; i++) {
        const t0 = performance.now();
        const reader = await con.runAndReadAll(sql);
        const t1 = performance.now();
        rows = reader.getRowsJS().length;
        const t2 = performance.now();
        if (i === 0) continue; // warm-up
        query.push(t1 - t0);
        withJs.push(t2 - t0);
      }
      timings[name] = { query: median(query), withJs: median(withJs), rows };
    }
    return { exportMs, csvBytes, loadMs, threads: String(threads), timings };
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}
