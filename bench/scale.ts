/**
 * Scale benchmark: `node scripts/run-ts.mjs bench/scale.ts [--rows 5000000] [--keep DB] [--rebuild]
 * [--indexes after|during] [--runs 5] [--no-browser] [--no-duckdb] [--build-only]` (cwd = project
 * root; `npm run bench:scale`). BENCH_TRACE_REPORTS=1 also lists the SQL statements of the
 * reports and the ledger with their times.
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
import { fileSize, openCheck } from '../electron/engine/db/open';
import { removeAppended, touch, type Touch } from './scale-touch';
import { isHandlerName, type HandlerName } from '../shared/api';
import { addDays, addMonths } from '../shared/dates';
import { buildDatabase } from './scale-build';
import { END } from './scale-org';
import { fmtBytes, fmtMs, measure, perStatement, type Timing } from './scale-time';
import { GOAL, judge, missed, out, row, statementLine } from './scale-print';
import { checkUsageDaily } from './scale-sql';
import { dashboardSection } from './scale-dashboard';
import { DUCK_QUERIES, measureDuck } from './scale-duck';
import { browserPrerequisites, measureBrowser } from './scale-browser';

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
    buildOnly: a.includes('--build-only'),
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

/**
 * Times a handler through engine.invoke; a handler that does not exist (yet) is skipped with a
 * note. cold: each run follows a one-row write of that kind (not timed; scale-touch.ts), so what was kept until
 * such a change is computed again.
 */
async function timeHandler<N extends HandlerName>(engine: Engine, label: string, name: N, a: unknown, goal: number | null, runs: number, cold: Touch = false): Promise<(Timing & { last: unknown }) | null> {
  if (!isHandlerName(name)) {
    out(`  ${label.padEnd(44)} skipped: the handler "${name}" does not exist in this build`);
    return null;
  }
  try {
    const t = await measure(label, () => engine.invoke(name, a as never), runs, 1, cold ? () => touch(engine, cold) : undefined);
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
    if (o.buildOnly) return;

    // ---- open ---------------------------------------------------------------------------------
    out('');
    out('== open (createEngine: pragmas, quick_check unless the last session closed cleanly, migrations)');
    const walBefore = fileSize(`${dbPath}-wal`);
    const t0 = performance.now();
    const engine = createEngine({ dbPath, mode: 'cli' });
    row('createEngine', { medianMs: performance.now() - t0, runs: 1 }, null, openCheck(engine.ctx.db) === 'skipped' ? 'quick_check skipped: the last session closed cleanly' : `quick_check read the whole file${walBefore > 0 ? ' (a -wal was left behind)' : ''}`);
    const c = dbCounts(engine);
    {
      const t = performance.now();
      const diff = checkUsageDaily(engine.ctx.db);
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
    const dash = await dashboardSection(engine, o.runs, (label, name, goal, cold) => timeHandler(engine, label, name, {}, goal, o.runs, cold));
    const { ours, before } = dash;

    // ---- ledger and reports -------------------------------------------------------------------
    out('');
    out(`== ledger screens (goal < ${fmtMs(GOAL.visible)}, the screen's budget)`);
    await timeHandler(engine, 'blocks-list, first after a re-attribution', 'blocks-list', {}, GOAL.visible, o.runs, 'usage');
    await timeHandler(engine, 'ledger-get, first after a re-attribution', 'ledger-get', {}, GOAL.visible, o.runs, 'usage');
    await timeHandler(engine, 'ledger-get, repeated', 'ledger-get', {}, GOAL.visible, o.runs);
    await timeHandler(engine, 'accounts-list', 'accounts-list', {}, GOAL.visible, o.runs);

    const lastMonthFrom = `${END.slice(0, 7)}-01`;
    const twoMonthsFrom = addDays(addMonths(END, -2), 1);
    out('');
    out(`== reports (goal < ${fmtMs(GOAL.report)})`);
    out('  each run follows an edit (an account renamed): the report is computed again; what is kept over usage rows (stats groups, first model');
    out('  uses, per-key days) stays, as it does until rows are re-attributed or an import is undone. "after an import": a usage row added first');
    const reportRuns = Math.min(o.runs, 3);
    {
      // stats, first model use per key and the per-key days (usage_key_daily) are kept: once over every row, then only new rows
      const t = performance.now();
      engine.ctx.db.prepare('DELETE FROM analysis_cache').run();
      await engine.invoke('stats-get', {});
      row('stats-get, recomputed over all rows', { medianMs: performance.now() - t, runs: 1 }, null, 'once after building the database or an undo');
    }
    await timeHandler(engine, 'stats-get (exact decimal sums, kept)', 'stats-get', {}, GOAL.report, reportRuns, 'edit');
    await timeHandler(engine, `reconciliation-get ${lastMonthFrom}…${END}`, 'reconciliation-get', { from: lastMonthFrom, to: END }, GOAL.report, reportRuns);
    await timeHandler(engine, 'report-data reconciliation (last month)', 'report-data', { report: 'reconciliation', from: lastMonthFrom, to: END }, GOAL.report, reportRuns, 'edit');
    {
      const t = performance.now();
      await engine.invoke('incidents-report', { from: twoMonthsFrom, to: END });
      row('incidents-report, first model uses and per-key days not kept yet', { medianMs: performance.now() - t, runs: 1 }, null, 'once after building the database or an undo');
    }
    const inc = await timeHandler(engine, `incidents-report ${twoMonthsFrom}…${END}`, 'incidents-report', { from: twoMonthsFrom, to: END }, GOAL.report, reportRuns, 'edit');
    if (inc) {
      const r = inc.last as { incidents: { externalId: string; spikes: unknown[]; detectionLagHours: number | null }[]; unexplained: unknown[]; spikes: unknown[]; levelShifts: unknown[] };
      out(`    found: ${r.incidents.map((i) => `${i.externalId} (${i.spikes.length} spike(s), lag ${i.detectionLagHours ?? '—'} h)`).join(', ')}; ${r.spikes.length} spikes, ${r.unexplained.length} unexplained, ${r.levelShifts.length} level shifts`);
    }
    await timeHandler(engine, 'report-data incidents (2 months)', 'report-data', { report: 'incidents', from: twoMonthsFrom, to: END }, GOAL.report, reportRuns, 'edit');
    {
      // rows added, as by an import: the per-key days and first model uses are topped up from them
      await timeHandler(engine, 'incidents-report, first after an import', 'incidents-report', { from: twoMonthsFrom, to: END }, GOAL.report, reportRuns, 'append');
      out(`  (the ${removeAppended(engine)} usage rows added for it removed again: what is kept over usage rows is rebuilt once, as at the start of every run)`);
    }
    if (process.env.BENCH_TRACE_REPORTS) {
      for (const [label, fn] of [
        ['incidents-report', () => engine.invoke('incidents-report', { from: twoMonthsFrom, to: END })],
        ['reconciliation-get', () => engine.invoke('reconciliation-get', { from: lastMonthFrom, to: END })],
        ['report-data reconciliation', () => engine.invoke('report-data', { report: 'reconciliation', from: lastMonthFrom, to: END })],
        ['ledger-get', () => engine.invoke('ledger-get', {})],
        ['stats-get', () => engine.invoke('stats-get', {})],
      ] as const) {
        out(`  ${label} statements:`);
        for (const s of (await perStatement(engine.ctx.db, fn, 1)).slice(0, 8)) statementLine(s, null, 200);
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
        if (before) {
          line('  before: daily cost over usage_records', before.daily.medianMs, duck.timings.daily);
          line('  before: billed spend over usage_records', before.spend.medianMs, duck.timings.spend);
          line('  before: accounts() over usage_records', before.pooled.medianMs, duck.timings.pooled);
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
        if (b.phases) out(`  where a load goes (medians, page clock): boot to the dashboard-get request ${fmtMs(b.phases.boot)}, the request ${fmtMs(b.phases.request)}, response to ready (React render, chart) ${fmtMs(b.phases.render)}`);
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
    out(`finished in ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s; load average now ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    if (o.keep) out(`kept ${dbPath}`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
