import type { EngineContext } from '../context';
import { createReconciliationRepo } from '../repos/reconciliation';
import { createValueRepo } from '../repos/value';
import { reconcile, valueReport, withinTolerance } from '../../../shared/reconcile';
import { addDays, addMonths } from '../../../shared/dates';
import { RefusedError, NotFoundError } from '../errors';
import type { Reconciliation, ReconPeriodRow, ReconTotals, ReconVariance, Signoff, ValueMetricEntry, ValueReport } from '../../../shared/api/report-types';

export const TOLERANCE = { absMicros: 10_000, relative: 0.001 };

/** The whole months a window touches: reconciliation compares invoices and usage per calendar month. */
export function monthWindow(from: string, to: string): { from: string; to: string; periods: string[] } {
  const first = `${from.slice(0, 7)}-01`;
  const last = addDays(addMonths(`${to.slice(0, 7)}-01`, 1), -1);
  const periods: string[] = [];
  for (let d = first; d <= last; d = addMonths(d, 1)) periods.push(d.slice(0, 7));
  return { from: first, to: last, periods };
}

/** Credits bought vs blocks, consumed vs invoiced, billed vs catalog, per period and account, with causes. */
export function buildReconciliation(ctx: EngineContext, from: string, to: string, accountId?: number): Reconciliation {
  const repo = createReconciliationRepo(ctx.db);
  const win = monthWindow(from, to);
  const accounts = repo.accounts();
  if (accountId !== undefined && !accounts.some((a) => a.id === accountId)) throw new NotFoundError(`Credit account ${accountId}`);
  const blocks = repo.blocks(win.from, win.to, accountId);
  const report = reconcile(
    { usage: repo.usage(win.from, win.to, accountId), invoices: repo.invoiceLines(win.from, win.to, accountId), blocks: blocks.blocks, catalog: repo.catalog() },
    { tolerance: TOLERANCE },
  );
  const name = new Map(accounts.map((a) => [String(a.id), a.name]));
  const signed = new Map(repo.signoffs().map((s) => [`${s.accountId}|${s.period}`, s]));
  const variances: ReconVariance[] = report.variances.map((v) => {
    const summary = report.summary.find((s) => s.period === v.period && s.accountId === v.accountId);
    return {
      ...v, accountId: Number(v.accountId), accountName: name.get(v.accountId) ?? v.accountId, currency: summary?.currency ?? 'USD',
      causes: v.causes.map((c) => ({ cause: c.cause, amountMicros: c.amountMicros, rows: c.rows, explanation: c.explanation })),
    };
  });
  const rows: ReconPeriodRow[] = report.summary.map((s) => {
    const so = signed.get(`${s.accountId}|${s.period}`);
    const own = variances.filter((v) => v.period === s.period && v.accountId === Number(s.accountId));
    const reconciled = own.every((v) => v.withinTolerance);
    return {
      period: s.period, accountId: Number(s.accountId), accountName: name.get(s.accountId) ?? s.accountId, currency: s.currency,
      currencies: s.currencies, creditsBoughtMicros: s.creditsBoughtMicros, blocksRecordedMicros: s.blocksRecordedMicros,
      consumedMicros: s.consumedMicros, invoicedMicros: s.invoicedMicros, usageBilledMicros: s.usageBilledMicros,
      catalogCostMicros: s.catalogCostMicros, unpricedRows: s.unpricedRows,
      reconciled,
      status: reconciled ? 'reconciled' : own.every((v) => v.withinTolerance || explained(v)) ? 'explained' : 'variance',
      signoff: so ? { by: so.signedBy, at: so.signedAt, note: so.note } : null,
    };
  });
  return {
    from: win.from, to: win.to, periods: win.periods,
    accounts: accounts.filter((a) => accountId === undefined || a.id === accountId).map((a) => ({ accountId: a.id, accountName: a.name, provider: a.provider })),
    rows, variances, totals: totals(rows), tolerance: TOLERANCE, notes: notes(ctx, win, blocks.unpriced),
  };
}

/** A variance beyond tolerance whose causes account for it: what is left unexplained is within tolerance. */
function explained(v: ReconVariance): boolean {
  return withinTolerance(v.unexplainedMicros, v.expectedMicros, TOLERANCE);
}

function totals(rows: ReconPeriodRow[]): ReconTotals[] {
  const by = new Map<string, ReconTotals>();
  for (const r of rows) {
    const t = by.get(r.currency) ?? { currency: r.currency, creditsBoughtMicros: 0, blocksRecordedMicros: 0, consumedMicros: 0, invoicedMicros: 0, catalogCostMicros: 0, usageBilledMicros: 0 };
    t.creditsBoughtMicros += r.creditsBoughtMicros;
    t.blocksRecordedMicros += r.blocksRecordedMicros;
    t.consumedMicros += r.consumedMicros;
    t.invoicedMicros += r.invoicedMicros;
    t.catalogCostMicros += r.catalogCostMicros;
    t.usageBilledMicros += r.usageBilledMicros;
    by.set(r.currency, t);
  }
  return [...by.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

function notes(ctx: EngineContext, win: { from: string; to: string }, unpricedBlocks: number[]): string[] {
  const repo = createReconciliationRepo(ctx.db);
  const out = [`Reconciled per calendar month from ${win.from} to ${win.to}; tolerance ${TOLERANCE.absMicros / 1e6} or ${TOLERANCE.relative * 100} % of the expected amount, whichever is larger.`];
  const orphans = repo.usageWithoutAccount(win.from, win.to);
  if (orphans > 0) out.push(`${orphans} usage row(s) are not tied to a credit account and are not reconciled.`);
  const invoices = repo.invoicesWithoutAccount();
  if (invoices > 0) out.push(`${invoices} invoice(s) are not tied to a credit account and are not reconciled.`);
  if (unpricedBlocks.length) out.push(`Credit block(s) ${unpricedBlocks.join(', ')} are in a virtual unit without a unit price and are left out of "blocks recorded".`);
  out.push('The catalog cost is the bundled models.dev price list plus the prices recorded in the database; catalog prices are in USD.');
  return out;
}

/** Marks a period of an account reconciled, by the signed-in profile; logged. Feeds the controls posture. */
export function signOff(ctx: EngineContext, accountId: number, period: string, note: string | undefined): Signoff {
  const repo = createReconciliationRepo(ctx.db);
  const profileId = ctx.currentProfileId();
  const profile = profileId === null ? undefined : ctx.profiles.get(profileId);
  if (!profile) throw new RefusedError('Select your profile before signing off: a sign-off records who reconciled the period.');
  const account = repo.accounts().find((a) => a.id === accountId);
  if (!account) throw new NotFoundError(`Credit account ${accountId}`);
  const existing = repo.signoffs().find((s) => s.accountId === accountId && s.period === period);
  if (existing) throw new RefusedError(`${account.name} ${period} was already signed off by ${existing.signedBy} at ${existing.signedAt}.`, 'conflict');
  const at = ctx.now();
  const id = ctx.db.transaction(() => {
    const rowId = repo.insertSignoff(accountId, period, profile.id, at, note ?? null);
    ctx.audit.append(profile.name, 'reconciliation-signoff', 'reconciliation', `${accountId}:${period}`, { accountId, period, note: note ?? null });
    return rowId;
  })();
  return { id, accountId, accountName: account.name, period, signedBy: profile.name, signedAt: at, note: note ?? null };
}

export function setValueMetric(ctx: EngineContext, e: { workloadId: number; period: string; metric: string; units: number; valuePerUnitMicros: number }): ValueMetricEntry {
  const repo = createValueRepo(ctx.db);
  if (!repo.workloadExists(e.workloadId)) throw new NotFoundError(`Workload ${e.workloadId}`);
  const before = repo.get(e.workloadId, e.period, e.metric);
  ctx.db.transaction(() => {
    repo.set(e, ctx.now());
    ctx.audit.append(ctx.actor(), 'value-metric-set', 'value_metric', `${e.workloadId}:${e.period}:${e.metric}`, {
      ...e, previous: before ? { units: before.units, valuePerUnitMicros: before.valuePerUnitMicros } : null,
    });
  })();
  return repo.get(e.workloadId, e.period, e.metric)!;
}

/** Cost per unit of value per workload and month, its trend, and workloads whose cost outgrows their value. */
export function buildValueReport(ctx: EngineContext, from: string, to: string): ValueReport {
  const repo = createValueRepo(ctx.db);
  const win = monthWindow(from, to);
  const currency = repo.mainCurrency();
  const metrics = repo.list(null, win.periods[0], win.periods[win.periods.length - 1]);
  const costs = repo.costs(currency, win.from, win.to);
  const paths = repo.workloadPaths();
  const r = valueReport(
    costs.map((c) => ({ workloadId: String(c.workloadId), period: c.period, costMicros: c.costMicros })),
    metrics.map((m) => ({ workloadId: String(m.workloadId), period: m.period, metric: m.metric, units: m.units, valuePerUnitMicros: m.valuePerUnitMicros })),
  );
  const path = (id: string) => paths.get(Number(id)) ?? `workload ${id}`;
  // The shared explanation names the workload by id; the report names it by path.
  const trend = (t: (typeof r.trends)[number]) => ({ ...t, workloadId: Number(t.workloadId), workloadPath: path(t.workloadId), explanation: t.explanation.replace(t.workloadId, path(t.workloadId)) });
  return {
    from: win.from, to: win.to, currency,
    rows: r.rows.map((x) => ({ ...x, workloadId: Number(x.workloadId), workloadPath: path(x.workloadId) })),
    trends: r.trends.map(trend),
    outgrowing: r.outgrowing.map(trend),
  };
}
