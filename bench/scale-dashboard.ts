/**
 * The dashboard at scale, through the real handler: dashboard-get end to end, every SQL
 * statement it runs (traced on the engine's connection), the other calls the page makes on load,
 * its aggregations one by one (now, and over usage_records as before migration 2), and the
 * payload it sends.
 */
import type { Engine } from '../electron/engine/engine';
import { createBlocksRepo } from '../electron/engine/repos/blocks';
import { createLedgerRepo } from '../electron/engine/repos/ledger';
import { fmtBytes, fmtMs, measure, perStatement, type Timing } from './scale-time';
import { GOAL, judge, out, row, short, statementLine } from './scale-print';
import { TOUCH_USAGE, TOUCH_USAGE_ROW, removeAppended, touch, type Touch } from './scale-touch';
import { ACCOUNT_SELECT_BEFORE, DAILY_BEFORE_SQL, SPEND_SQL, hasUsageDaily, sameRows, type DailyRow } from './scale-sql';

export interface DashboardFigures {
  /** the three aggregations the DuckDB section compares with, as the app runs them now */
  ours: { daily: Timing; spend: Timing; pooled: Timing };
  before: { daily: Timing; spend: Timing; pooled: Timing } | null;
}

export async function dashboardSection(
  engine: Engine,
  runs: number,
  timeHandler: (label: string, name: 'dashboard-get' | 'app-info', goal: number, cold?: Touch) => Promise<(Timing & { last: unknown }) | null>,
): Promise<DashboardFigures> {
  const db = engine.ctx.db;
  out('');
  out(`== dashboard (goal: each query < ${GOAL.query} ms; median after a warm-up)`);
  out('  each run follows a one-row write: "after an edit", to another table (an account): the drawdown is computed again over the usage read kept;');
  out('  "after an import", a usage row added: the days it falls on are read again; "after a re-attribution", a usage row moved to or from');
  out('  a workload (as rules do): the usage is read again in full, the spend by provider stays (see also: after an undo, in the README)');
  await timeHandler('dashboard-get, first after an edit', 'dashboard-get', GOAL.query, 'edit');
  await timeHandler('dashboard-get, first after an import', 'dashboard-get', GOAL.query, 'append');
  out(`  (the ${removeAppended(engine)} usage rows added for it removed again)`);
  const dash = await timeHandler('dashboard-get, first after a re-attribution', 'dashboard-get', GOAL.query, 'usage');
  await timeHandler('dashboard-get, repeated (data unchanged)', 'dashboard-get', GOAL.query);
  const statements = (await perStatement(db, () => (touch(engine, 'usage'), engine.invoke('dashboard-get', {})), runs)).filter((s) => s.sql !== TOUCH_USAGE && s.sql !== TOUCH_USAGE_ROW);
  const sqlMs = statements.reduce((s, x) => s + x.medianMs, 0);
  out(`  SQL statements dashboard-get runs after a re-attribution (median per run over ${runs} runs; ×calls per run):`);
  for (const s of statements) {
    statementLine(s, GOAL.query);
    judge(`dashboard SQL: ${short(s.sql, 80)}`, s.medianMs, GOAL.query);
  }
  if (dash) out(`    ${fmtMs(Math.max(0, dash.medianMs - sqlMs)).padStart(9)}            engine work outside SQL (drawdown, forecast, attention), by difference, first after a re-attribution`);
  const loadCalls = await perStatement(db, async () => {
    await engine.invoke('app-info', {});
    await engine.invoke('profiles-list', {});
  }, runs);
  out('  other calls the dashboard page makes on load (app-info, profiles-list), statements over 0.5 ms:');
  for (const s of loadCalls.filter((x) => x.medianMs >= 0.5)) {
    statementLine(s, GOAL.query);
    judge(`load SQL: ${short(s.sql, 80)}`, s.medianMs, GOAL.query);
  }
  await timeHandler('app-info', 'app-info', GOAL.query);

  const figures = await aggregations(engine, runs);
  if (dash) payload(dash.last);
  return figures;
}

/** The aggregations one by one, now and (with usage_daily) as they were over usage_records. */
async function aggregations(engine: Engine, runs: number): Promise<DashboardFigures> {
  const db = engine.ctx.db;
  out('  the dashboard aggregations (compared with DuckDB below):');
  const daily = hasUsageDaily(db);
  const ledgerRepo = createLedgerRepo(db);
  const blocksRepo = createBlocksRepo(db);
  const spendSql = db.prepare(daily ? SPEND_SQL.daily : SPEND_SQL.rows);
  const ours = {
    daily: await measure('daily', () => ledgerRepo.dailyCost(), runs),
    spend: await measure('spend', () => spendSql.all(), runs),
    pooled: await measure('pooled', () => blocksRepo.accounts(), runs),
  };
  const from = daily ? 'usage_daily' : 'usage_records';
  row('daily cost per account, unit, workload', ours.daily, GOAL.query, `${(ours.daily.last as unknown[]).length.toLocaleString('en-US')} groups; repos/ledger dailyCost over ${from}`);
  row('billed spend by provider', ours.spend, GOAL.query, `services/dashboard over ${from}`);
  row('unattributed share per account', ours.pooled, GOAL.query, `repos/blocks accounts() over ${from}`);
  const figures: DashboardFigures = { ours, before: null };
  if (!daily) return figures;
  // the same aggregations as they were before migration 2, over every usage row
  const beforeRuns = Math.min(runs, 3);
  const dailyBefore = db.prepare(DAILY_BEFORE_SQL);
  const spendBefore = db.prepare(SPEND_SQL.rows);
  const pooledBefore = db.prepare(ACCOUNT_SELECT_BEFORE);
  const d0 = await measure('daily before', () => dailyBefore.all(), beforeRuns);
  const s0 = await measure('spend before', () => spendBefore.all(), beforeRuns);
  const p0 = await measure('pooled before', () => pooledBefore.all(), beforeRuns);
  const sameDaily = sameRows(d0.last as DailyRow[], ours.daily.last as DailyRow[]);
  row('  before: daily cost over usage_records', d0, GOAL.query, sameDaily ? 'same groups and sums as over usage_daily' : 'DIFFERENT from usage_daily!');
  row('  before: billed spend over usage_records', s0, GOAL.query, JSON.stringify(s0.last) === JSON.stringify(ours.spend.last) ? 'same sums' : 'DIFFERENT sums!');
  row('  before: accounts() over usage_records', p0, GOAL.query, JSON.stringify(p0.last) === JSON.stringify(ours.pooled.last) ? 'same rows' : 'DIFFERENT rows!');
  figures.before = { daily: d0, spend: s0, pooled: p0 };
  return figures;
}

function payload(last: unknown): void {
  const d = last as { burn: { days: string[]; balanceMicros: number[] }[] };
  const bytes = Buffer.byteLength(JSON.stringify(d));
  const burnBytes = Buffer.byteLength(JSON.stringify(d.burn));
  const points = d.burn.reduce((s, b) => s + b.balanceMicros.length, 0);
  const max = Math.max(0, ...d.burn.map((b) => b.balanceMicros.length));
  out(`  dashboard-get payload: ${fmtBytes(bytes)} JSON, of which burn-down ${fmtBytes(burnBytes)} (${d.burn.length} series, ${points.toLocaleString('en-US')} points, max ${max} per series)`);
}
