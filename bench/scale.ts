/**
 * Scale benchmark: `node scripts/run-ts.mjs bench/scale.ts [--rows 5000000] [--keep DB] [--rebuild]
 * [--indexes after|during] [--runs 5] [--no-browser] [--no-duckdb]` (cwd = project root;
 * `npm run bench:scale`).
 *
 * Builds a database of N usage rows over two years (200 workloads under 10 departments, 2,000
 * API keys, 5 credit accounts, ~40 credit blocks with allocations, attribution rules, invoices,
 * incidents with spikes), then times through the real handlers (engine.invoke): the dashboard
 * end to end and every SQL statement it issues, the ledger, stats, a reconciliation report for
 * the last month and an incident report for the last two months; the same dashboard
 * aggregations in DuckDB over the same rows; and a browser-mode dashboard load in Chromium
 * (needs `npm run build`). Each figure is a median after a warm-up, printed with its goal.
 *
 * --keep DB builds into DB and keeps it; when DB already holds a benchmark database it is reused
 * (add --rebuild to build it again).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine, type Engine } from '../electron/engine/engine';
import { isHandlerName, type HandlerName } from '../shared/api';
import { createBlocksRepo } from '../electron/engine/repos/blocks';
import { createLedgerRepo } from '../electron/engine/repos/ledger';
import { addDays, addMonths } from '../shared/dates';
import { buildDatabase } from './scale-build';
import { END } from './scale-org';
import { fmtBytes, fmtMs, measure, perStatement, substituteSql, verdict, type Timing } from './scale-time';
import { DUCK_QUERIES, measureDuck } from './scale-duck';
import { browserPrerequisites, measureBrowser } from './scale-browser';

const GOAL = { query: 200, visible: 1500, report: 3000 };

function args() {
  const a = process.argv.slice(2);
  const get = (name: string) => {
    const i = a.indexOf(name);
    return i >= 0 ? a[i + 1] : undefined;
  };
  const indexes = get('--indexes') ?? 'after';
  if (indexes !== 'after' && indexes !== 'during') throw new Error('--indexes is "after" or "during"');
  return {
    rows: Number((get('--rows') ?? '5000000').replace(/_/g, '')),
    keep: get('--keep'),
    rebuild: a.includes('--rebuild'),
    indexes: indexes as 'after' | 'during',
    runs: Number(get('--runs') ?? '5'),
    browser: !a.includes('--no-browser'),
    duckdb: !a.includes('--no-duckdb'),
  };
}

/** Peak RSS of this process, sampled, per phase. */
const rss = {
  peak: 0,
  phases: [] as { name: string; bytes: number }[],
  timer: null as NodeJS.Timeout | null,
  start() {
    this.timer = setInterval(() => (this.peak = Math.max(this.peak, process.memoryUsage().rss)), 50);
    this.timer.unref();
  },
  mark(name: string) {
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
    this.phases.push({ name, bytes: this.peak });
    this.peak = process.memoryUsage().rss;
  },
};

const out = (s = '') => console.log(s);
const row = (label: string, t: { medianMs: number; minMs?: number; maxMs?: number; runs?: number }, goalMs: number | null, note = '') => {
  const spread = t.minMs !== undefined && t.runs && t.runs > 1 ? ` (${fmtMs(t.minMs)}–${fmtMs(t.maxMs!)}, n=${t.runs})` : t.runs === 1 ? ' (n=1)' : '';
  const goal = goalMs === null ? ''.padEnd(16) : `goal < ${fmtMs(goalMs)}`.padEnd(16);
  const v = goalMs === null ? '    ' : verdict(t.medianMs, goalMs);
  out(`  ${label.padEnd(44)} ${fmtMs(t.medianMs).padStart(9)}${spread.padEnd(26)} ${goal} ${v}${note ? `  ${note}` : ''}`);
};

interface Missed {
  what: string;
  ms: number;
  goal: number;
}
const missed: Missed[] = [];
const judge = (what: string, ms: number, goal: number) => {
  if (ms >= goal) missed.push({ what, ms, goal });
};

/** Times a handler through engine.invoke; a handler that does not exist (yet) is skipped with a note. */
async function timeHandler<N extends HandlerName>(engine: Engine, label: string, name: N, a: unknown, goal: number | null, runs: number): Promise<(Timing & { last: unknown }) | null> {
  if (!isHandlerName(name)) {
    out(`  ${label.padEnd(44)} skipped: the handler "${name}" does not exist in this build`);
    return null;
  }
  try {
    const t = await measure(label, () => engine.invoke(name, a as never), runs);
    row(label, t, goal);
    if (goal !== null) judge(label, t.medianMs, goal);
    return t;
  } catch (e) {
    out(`  ${label.padEnd(44)} failed: ${(e as Error).message.slice(0, 200)}`);
    return null;
  }
}

function dbCounts(engine: Engine) {
  const n = (sql: string) => (engine.ctx.db.prepare(sql).get() as { n: number }).n;
  return {
    usage: n('SELECT max(id) AS n FROM usage_records'),
    workloads: n('SELECT count(*) AS n FROM workloads'),
    keys: n('SELECT count(*) AS n FROM (SELECT DISTINCT api_key FROM usage_records WHERE api_key IS NOT NULL)'),
    blocks: n('SELECT count(*) AS n FROM credit_blocks'),
    accounts: n('SELECT count(*) AS n FROM credit_accounts'),
    allocations: n('SELECT count(*) AS n FROM allocations'),
    rules: n('SELECT count(*) AS n FROM attribution_rules'),
    incidents: n('SELECT count(*) AS n FROM incidents'),
    invoices: n('SELECT count(*) AS n FROM invoices'),
    first: (engine.ctx.db.prepare('SELECT min(day) AS d FROM usage_records').get() as { d: string }).d,
    last: (engine.ctx.db.prepare('SELECT max(day) AS d FROM usage_records').get() as { d: string }).d,
  };
}

/** repos/blocks.ts accounts() with its usage subqueries over usage_daily: proposed to that file's owner. */
export const PROPOSED_ACCOUNT_SELECT = `
  SELECT a.id, a.provider, a.external_id AS externalId, a.name, a.currency, a.pooled, a.auto_recharge AS autoRecharge,
         a.monthly_budget_micros AS monthlyBudgetMicros,
         (SELECT count(*) FROM credit_blocks b WHERE b.account_id = a.id AND b.retired_at IS NULL) AS blocks,
         (SELECT count(DISTINCT workload_key) FROM usage_daily d WHERE d.account_key = a.id AND d.workload_key <> 0) AS workloads,
         (SELECT COALESCE(SUM(billed_micros), 0) FROM usage_daily d WHERE d.account_key = a.id AND d.charge_category = 'usage') AS spendMicros,
         (SELECT COALESCE(SUM(billed_micros), 0) FROM usage_daily d WHERE d.account_key = a.id AND d.charge_category = 'usage' AND d.workload_key = 0) AS unattributedMicros
  FROM credit_accounts a ORDER BY a.name`;

/** The usage subqueries of repos/blocks.ts ACCOUNT_SELECT, and what PROPOSED_ACCOUNT_SELECT puts in their place. */
const ACCOUNT_SUBQUERIES: readonly (readonly [string, string])[] = [
  [
    '(SELECT count(DISTINCT workload_id) FROM usage_records u WHERE u.account_id = a.id AND u.workload_id IS NOT NULL) AS workloads',
    '(SELECT count(DISTINCT workload_key) FROM usage_daily d WHERE d.account_key = a.id AND d.workload_key <> 0) AS workloads',
  ],
  [
    "(SELECT COALESCE(SUM(billed_cost_micros), 0) FROM usage_records u WHERE u.account_id = a.id AND u.charge_category = 'usage') AS spendMicros",
    "(SELECT COALESCE(SUM(billed_micros), 0) FROM usage_daily d WHERE d.account_key = a.id AND d.charge_category = 'usage') AS spendMicros",
  ],
  [
    "(SELECT COALESCE(SUM(billed_cost_micros), 0) FROM usage_records u WHERE u.account_id = a.id AND u.charge_category = 'usage' AND u.workload_id IS NULL) AS unattributedMicros",
    "(SELECT COALESCE(SUM(billed_micros), 0) FROM usage_daily d WHERE d.account_key = a.id AND d.charge_category = 'usage' AND d.workload_key = 0) AS unattributedMicros",
  ],
];

/** The dashboard's spend by provider over the pre-aggregate (now) and over every usage row (before migration 2). */
const SPEND_SQL = {
  daily: 'SELECT provider, currency, SUM(billed_micros) AS billedCostMicros FROM usage_daily GROUP BY provider, currency ORDER BY provider, currency',
  rows: 'SELECT provider, currency, SUM(COALESCE(billed_cost_micros, 0)) AS billedCostMicros FROM usage_records GROUP BY provider, currency ORDER BY provider, currency',
};

/** repos/ledger.ts dailyCost before migration 2. */
const DAILY_BEFORE_SQL = `
  SELECT day, account_id AS accountId, COALESCE(pricing_currency, currency) AS unit, workload_id AS workloadId,
         SUM(CASE WHEN pricing_currency IS NOT NULL THEN COALESCE(pricing_currency_cost_micros, 0) ELSE COALESCE(billed_cost_micros, 0) END) AS amountMicros
  FROM usage_records
  WHERE account_id IS NOT NULL AND charge_category IN ('usage','credit','adjustment')
  GROUP BY day, account_id, unit, workload_id
  ORDER BY day`;

type DailyRow = { day: string; accountId: number; unit: string; workloadId: number | null; amountMicros: number };

function sameRows(a: DailyRow[], b: DailyRow[]): boolean {
  const key = (r: DailyRow) => `${r.day}|${r.accountId}|${r.unit}|${r.workloadId}|${r.amountMicros}`;
  const x = a.map(key).sort();
  const y = b.map(key).sort();
  return x.length === y.length && x.every((k, i) => k === y[i]);
}

/** The pre-aggregate against a fresh GROUP BY over usage_records: groups that differ (0 when exact). */
function checkUsageDaily(engine: Engine): number | null {
  const db = engine.ctx.db;
  if (!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'usage_daily'`).get()) return null;
  const row = db
    .prepare<[], { n: number }>(
      `WITH fresh AS (
         SELECT day, COALESCE(account_id, 0) AS a, COALESCE(pricing_currency, currency) AS u, COALESCE(workload_id, 0) AS w, provider, charge_category AS c, currency,
                COALESCE(pricing_currency, '') AS pc, count(*) AS rows, SUM(COALESCE(billed_cost_micros, 0)) AS billed, SUM(COALESCE(pricing_currency_cost_micros, 0)) AS pricing
         FROM usage_records GROUP BY 1, 2, 3, 4, 5, 6, 7, 8),
       kept AS (SELECT day, account_key AS a, unit AS u, workload_key AS w, provider, charge_category AS c, currency, pricing_currency AS pc, rows, billed_micros AS billed,
                       pricing_micros AS pricing FROM usage_daily)
       SELECT (SELECT count(*) FROM (SELECT * FROM fresh EXCEPT SELECT * FROM kept)) + (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM fresh)) AS n`,
    )
    .get();
  return row?.n ?? null;
}

const short = (sql: string, n = 150) => (sql.length > n ? `${sql.slice(0, n - 1)}…` : sql);

async function main(): Promise<void> {
  const o = args();
  rss.start();
  const root = process.cwd();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drawdown-scale-'));
  const dbPath = path.resolve(o.keep ?? path.join(dir, 'scale.db'));
  const started = new Date();
  try {
    out(`Drawdown scale benchmark — ${started.toISOString()} — ${os.cpus().length} CPU(s) ${os.cpus()[0]?.model ?? ''}, ${fmtBytes(os.totalmem())} RAM, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
    out(`command: node scripts/run-ts.mjs bench/scale.ts ${process.argv.slice(2).join(' ')}`.trimEnd());
    out('');

    // ---- build --------------------------------------------------------------------------------
    const reuse = !!o.keep && !o.rebuild && fs.existsSync(dbPath) && fs.statSync(dbPath).size > 0;
    if (reuse) {
      out(`== build: reusing ${dbPath} (${fmtBytes(fs.statSync(dbPath).size)}); --rebuild to build it again`);
    } else {
      for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) fs.rmSync(f, { force: true });
      out(`== build: ${o.rows.toLocaleString('en-US')} usage rows into ${dbPath} (secondary indexes ${o.indexes === 'after' ? 'dropped for the load, recreated after' : 'kept during the load'})`);
      const b = await buildDatabase(dbPath, { rows: o.rows, indexes: o.indexes, log: out });
      out(`  build total                                ${b.seconds.toFixed(1)} s, database ${fmtBytes(fs.statSync(dbPath).size)}`);
    }
    rss.mark('build');

    // ---- open ---------------------------------------------------------------------------------
    out('');
    out('== open (createEngine: pragmas, quick_check, migrations)');
    const t0 = performance.now();
    const engine = createEngine({ dbPath, mode: 'cli' });
    row('createEngine', { medianMs: performance.now() - t0, runs: 1 }, null, 'quick_check reads the whole file');
    const c = dbCounts(engine);
    {
      const t = performance.now();
      const diff = checkUsageDaily(engine);
      if (diff !== null) row('check: usage_daily = GROUP BY usage_records', { medianMs: performance.now() - t, runs: 1 }, null, diff === 0 ? 'exact' : `${diff} groups differ!`);
    }
    out(`  ${c.usage.toLocaleString('en-US')} usage rows ${c.first} … ${c.last}; ${c.workloads} workloads, ${c.keys} API keys, ${c.accounts} accounts, ${c.blocks} blocks, ${c.allocations} allocations, ${c.rules} rules, ${c.incidents} incidents, ${c.invoices} invoices`);
    if (isHandlerName('alerts-evaluate')) {
      const t = performance.now();
      try {
        const r = await engine.invoke('alerts-evaluate', {});
        row('alerts-evaluate (once, fills the alerts)', { medianMs: performance.now() - t, runs: 1 }, null, `${r.raised.length} raised`);
      } catch (e) {
        out(`  alerts-evaluate failed: ${(e as Error).message.slice(0, 200)}`);
      }
    }

    // ---- dashboard ----------------------------------------------------------------------------
    out('');
    out(`== dashboard (goal: each query < ${GOAL.query} ms; median after a warm-up)`);
    const dash = await timeHandler(engine, 'dashboard-get (end to end)', 'dashboard-get', {}, GOAL.query, o.runs);
    const statements = await perStatement(engine.ctx.db, () => engine.invoke('dashboard-get', {}), o.runs);
    const sqlMs = statements.reduce((s, x) => s + x.medianMs, 0);
    out(`  SQL statements dashboard-get runs (median per run over ${o.runs} runs; ×calls per run):`);
    for (const s of statements) {
      out(`    ${fmtMs(s.medianMs).padStart(9)} ×${String(s.calls).padEnd(3)} ${verdict(s.medianMs, GOAL.query)}  ${short(s.sql)}`);
      judge(`dashboard SQL: ${short(s.sql, 80)}`, s.medianMs, GOAL.query);
    }
    if (dash) out(`    ${fmtMs(Math.max(0, dash.medianMs - sqlMs)).padStart(9)}            engine work outside SQL (drawdown, forecast, attention), by difference`);
    const loadCalls = await perStatement(engine.ctx.db, async () => {
      await engine.invoke('app-info', {});
      await engine.invoke('profiles-list', {});
    }, o.runs);
    out('  other calls the dashboard page makes on load (app-info, profiles-list), per statement:');
    for (const s of loadCalls.filter((x) => x.medianMs >= 0.5)) {
      out(`    ${fmtMs(s.medianMs).padStart(9)} ×${String(s.calls).padEnd(3)} ${verdict(s.medianMs, GOAL.query)}  ${short(s.sql)}`);
      judge(`load SQL: ${short(s.sql, 80)}`, s.medianMs, GOAL.query);
    }
    await timeHandler(engine, 'app-info', 'app-info', {}, GOAL.query, o.runs);

    // the dashboard's aggregations one by one, as the app runs them now and as it ran them over
    // usage_records before migration 2 (these are what DuckDB is compared with)
    out('  the dashboard aggregations (compared with DuckDB below):');
    const db = engine.ctx.db;
    const hasDaily = !!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'usage_daily'`).get();
    const ledgerRepo = createLedgerRepo(db);
    const blocksRepo = createBlocksRepo(db);
    const spendSql = db.prepare(hasDaily ? SPEND_SQL.daily : SPEND_SQL.rows);
    let proposedPooled: Timing | null = null;
    let before: { daily: Timing; spend: Timing } | null = null;
    let projected: Timing | null = null;
    const ours = {
      daily: await measure('daily', () => ledgerRepo.dailyCost(), o.runs),
      spend: await measure('spend', () => spendSql.all(), o.runs),
      pooled: await measure('pooled', () => blocksRepo.accounts(), o.runs),
    };
    const from = hasDaily ? 'usage_daily' : 'usage_records';
    row('daily cost per account, unit, workload', ours.daily, GOAL.query, `${(ours.daily.last as unknown[]).length.toLocaleString('en-US')} groups; repos/ledger dailyCost over ${from}`);
    row('billed spend by provider', ours.spend, GOAL.query, `services/dashboard over ${from}`);
    row('unattributed share per account', ours.pooled, GOAL.query, 'repos/blocks accounts(), as it is (over usage_records)');
    if (hasDaily) {
      const proposed = db.prepare(PROPOSED_ACCOUNT_SELECT);
      const t = await measure('proposed', () => proposed.all(), o.runs);
      const same = JSON.stringify(t.last) === JSON.stringify(ours.pooled.last);
      row('  proposed accounts() over usage_daily', t, GOAL.query, same ? 'same rows as accounts()' : 'DIFFERENT rows from accounts()!');
      proposedPooled = t;
      const beforeRuns = Math.min(o.runs, 3);
      const dailyBefore = db.prepare(DAILY_BEFORE_SQL);
      const spendBefore = db.prepare(SPEND_SQL.rows);
      const d0 = await measure('daily before', () => dailyBefore.all(), beforeRuns);
      const s0 = await measure('spend before', () => spendBefore.all(), beforeRuns);
      const sameDaily = sameRows(d0.last as DailyRow[], ours.daily.last as DailyRow[]);
      row('  before: daily cost over usage_records', d0, GOAL.query, sameDaily ? 'same groups and sums as over usage_daily' : 'DIFFERENT from usage_daily!');
      row('  before: billed spend over usage_records', s0, GOAL.query, JSON.stringify(s0.last) === JSON.stringify(ours.spend.last) ? 'same sums' : 'DIFFERENT sums!');
      before = { daily: d0, spend: s0 };
    }

    // the dashboard and ledger screens as they would be with the proposed repos/blocks.ts change
    if (hasDaily) {
      const sub = substituteSql(db, ACCOUNT_SUBQUERIES);
      try {
        out('  projected with the proposed repos/blocks.ts accounts() over usage_daily (SQL substituted at prepare time):');
        const t = await measure('projected', () => engine.invoke('dashboard-get', {}), o.runs);
        row('  dashboard-get (end to end), projected', t, GOAL.query, sub.hits() ? `${sub.hits()} statement(s) substituted` : 'nothing substituted: repos/blocks.ts has changed');
        const stmts = await perStatement(db, () => engine.invoke('dashboard-get', {}), o.runs);
        const sql = stmts.reduce((x, y) => x + y.medianMs, 0);
        out(`    of which SQL ${fmtMs(sql)} (slowest: ${fmtMs(stmts[0]?.medianMs ?? 0)} ${short(stmts[0]?.sql ?? '', 70)}), engine work outside SQL ${fmtMs(Math.max(0, t.medianMs - sql))}`);
        projected = t;
      } finally {
        sub.restore();
      }
    }

    // ---- payload ------------------------------------------------------------------------------
    let payload: { bytes: number; burnBytes: number; points: number; series: number } | null = null;
    if (dash) {
      const d = dash.last as { burn: { days: string[]; balanceMicros: number[] }[] };
      const json = JSON.stringify(d);
      payload = {
        bytes: Buffer.byteLength(json),
        burnBytes: Buffer.byteLength(JSON.stringify(d.burn)),
        points: d.burn.reduce((s, b) => s + b.balanceMicros.length, 0),
        series: d.burn.length,
      };
      out(`  dashboard-get payload: ${fmtBytes(payload.bytes)} JSON, of which burn-down ${fmtBytes(payload.burnBytes)} (${payload.series} series, ${payload.points.toLocaleString('en-US')} points, max ${Math.max(0, ...d.burn.map((b) => b.balanceMicros.length))} per series)`);
    }

    // ---- ledger and reports -------------------------------------------------------------------
    out('');
    out(`== ledger screens (goal < ${fmtMs(GOAL.visible)}, the screen's budget)`);
    await timeHandler(engine, 'blocks-list', 'blocks-list', {}, GOAL.visible, o.runs);
    await timeHandler(engine, 'ledger-get', 'ledger-get', {}, GOAL.visible, o.runs);
    await timeHandler(engine, 'accounts-list', 'accounts-list', {}, GOAL.visible, o.runs);

    const lastMonthFrom = `${END.slice(0, 7)}-01`;
    const twoMonthsFrom = addDays(addMonths(END, -2), 1);
    out('');
    out(`== reports (goal < ${fmtMs(GOAL.report)})`);
    const reportRuns = Math.min(o.runs, 3);
    await timeHandler(engine, 'stats-get (exact decimal sums, all rows)', 'stats-get', {}, GOAL.report, reportRuns);
    await timeHandler(engine, `reconciliation-get ${lastMonthFrom}…${END}`, 'reconciliation-get', { from: lastMonthFrom, to: END }, GOAL.report, reportRuns);
    await timeHandler(engine, 'report-data reconciliation (last month)', 'report-data', { report: 'reconciliation', from: lastMonthFrom, to: END }, GOAL.report, reportRuns);
    const inc = await timeHandler(engine, `incidents-report ${twoMonthsFrom}…${END}`, 'incidents-report', { from: twoMonthsFrom, to: END }, GOAL.report, reportRuns);
    if (inc) {
      const r = inc.last as { incidents: { externalId: string; spikes: unknown[]; detectionLagHours: number | null }[]; unexplained: unknown[]; spikes: unknown[]; levelShifts: unknown[] };
      out(`    found: ${r.incidents.map((i) => `${i.externalId} (${i.spikes.length} spike(s), lag ${i.detectionLagHours ?? '—'} h)`).join(', ')}; ${r.spikes.length} spikes, ${r.unexplained.length} unexplained, ${r.levelShifts.length} level shifts`);
    }
    await timeHandler(engine, 'report-data incidents (2 months)', 'report-data', { report: 'incidents', from: twoMonthsFrom, to: END }, GOAL.report, reportRuns);
    if (process.env.BENCH_TRACE_REPORTS) {
      for (const [label, fn] of [
        ['incidents-report', () => engine.invoke('incidents-report', { from: twoMonthsFrom, to: END })],
        ['reconciliation-get', () => engine.invoke('reconciliation-get', { from: lastMonthFrom, to: END })],
        ['report-data reconciliation', () => engine.invoke('report-data', { report: 'reconciliation', from: lastMonthFrom, to: END })],
        ['ledger-get', () => engine.invoke('ledger-get', {})],
        ['stats-get', () => engine.invoke('stats-get', {})],
      ] as const) {
        out(`  ${label} statements:`);
        for (const s of (await perStatement(engine.ctx.db, fn, 1)).slice(0, 8)) out(`    ${fmtMs(s.medianMs).padStart(9)} ×${String(s.calls).padEnd(3)} ${short(s.sql, 200)}`);
      }
    }
    rss.mark('queries');

    // ---- DuckDB -------------------------------------------------------------------------------
    if (o.duckdb) {
      out('');
      out('== DuckDB (@duckdb/node-api, in memory) over the same rows: the dashboard aggregations');
      try {
        const duck = await measureDuck(engine.ctx.db, path.join(dir, 'usage.csv'), o.runs);
        out(`  export from SQLite to CSV ${fmtMs(duck.exportMs)} (${fmtBytes(duck.csvBytes)}), DuckDB COPY load ${fmtMs(duck.loadMs)}, ${duck.threads} DuckDB thread(s)`);
        out(`  DuckDB "query": result materialised in DuckDB; "+ to JS": and read into JavaScript rows (as better-sqlite3's .all() is on our side)`);
        out(`  ${'aggregation'.padEnd(44)} ${'ours'.padStart(9)} ${'DuckDB'.padStart(9)} ${'+ to JS'.padStart(9)}   ours ÷ DuckDB (query / + to JS)`);
        const line = (label: string, ms: number, d: { query: number; withJs: number; rows: number }, note = '') =>
          out(`  ${label.padEnd(44)} ${fmtMs(ms).padStart(9)} ${fmtMs(d.query).padStart(9)} ${fmtMs(d.withJs).padStart(9)}   ${(ms / d.query).toFixed(2)} / ${(ms / d.withJs).toFixed(2)}${note}`);
        for (const k of Object.keys(DUCK_QUERIES) as (keyof typeof DUCK_QUERIES)[]) {
          const label = { daily: 'daily cost per account, unit, workload', spend: 'billed spend by provider', pooled: 'unattributed share per account' }[k];
          line(label, ours[k].medianMs, duck.timings[k], `  (${duck.timings[k].rows.toLocaleString('en-US')} rows)`);
        }
        if (proposedPooled) line('  unattributed share, proposed accounts()', proposedPooled.medianMs, duck.timings.pooled);
        if (before) {
          line('  before: daily cost over usage_records', before.daily.medianMs, duck.timings.daily);
          line('  before: billed spend over usage_records', before.spend.medianMs, duck.timings.spend);
        }
      } catch (e) {
        out(`  DuckDB not run: ${(e as Error).message}`);
      }
      rss.mark('duckdb');
    }
    engine.close();

    // ---- browser ------------------------------------------------------------------------------
    out('');
    out(`== browser mode in Chromium (goal: dashboard visible < ${fmtMs(GOAL.visible)})`);
    const missing = browserPrerequisites(root);
    if (!o.browser) out('  skipped (--no-browser)');
    else if (missing) out(`  skipped: ${missing}`);
    else {
      try {
        const b = await measureBrowser(root, dbPath, o.runs);
        row('serve start (open + quick_check, to URL)', { medianMs: b.serverStartMs, runs: 1 }, null);
        row('navigation → dashboard ready + block table', { medianMs: b.medianMs, minMs: Math.min(...b.loadsMs), maxMs: Math.max(...b.loadsMs), runs: b.loadsMs.length }, GOAL.visible);
        judge('browser dashboard visible', b.medianMs, GOAL.visible);
        if (b.dashboardRequestMs !== null) out(`  dashboard-get over HTTP, as the page saw it: ${fmtMs(b.dashboardRequestMs)} median, ${b.dashboardBytes === null ? '?' : fmtBytes(b.dashboardBytes)} body`);
        if (b.serverPeakRssBytes) out(`  serve process peak RSS ${fmtBytes(b.serverPeakRssBytes)}`);
      } catch (e) {
        out(`  failed: ${(e as Error).message.slice(0, 400)}`);
      }
    }

    // ---- summary ------------------------------------------------------------------------------
    out('');
    out('== memory');
    for (const p of rss.phases) out(`  peak RSS during ${p.name.padEnd(10)} ${fmtBytes(p.bytes)}`);
    out(`  maxRSS of this process             ${fmtBytes(process.resourceUsage().maxRSS * 1024)}`);
    out('');
    out(missed.length === 0 ? '== every figure met its goal' : `== ${missed.length} figure(s) missed their goal:`);
    for (const m of missed) out(`  MISS ${m.what}: ${fmtMs(m.ms)} (goal < ${fmtMs(m.goal)})`);
    if (projected) out(`  (dashboard-get with the proposed repos/blocks.ts accounts(): ${fmtMs(projected.medianMs)})`);
    out(`finished in ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s`);
  } finally {
    if (!o.keep) fs.rmSync(dir, { recursive: true, force: true });
    else {
      fs.rmSync(dir, { recursive: true, force: true });
      out(`kept ${dbPath}`);
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
