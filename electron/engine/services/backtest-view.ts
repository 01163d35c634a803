/**
 * backtest-get: for every workload (and each account's unattributed usage), fit the burn model on
 * the days before a cut, forecast the days after, and score it against the two forecasts people
 * use today (month-to-date straight line, trailing 30-day average) with the forecast engineer's
 * backtest(). Scores are pooled over every workload-day so a large workload weighs more.
 */
import type { EngineContext } from '../context';
import { createForecastInputRepo } from '../repos/scenarios';
import { workloadHistories } from './forecast-input';
import { workloadPath } from './ledger-report';
import { backtest, type BacktestResult } from '../../../shared/forecast/backtest';
import { addDays, daysBetween } from '../../../shared/dates';
import type { BacktestMethods, BacktestScore, BacktestView, BacktestWorkload } from '../../../shared/api/scenario-types';
import { RefusedError } from '../errors';

/** Held out by default: eight weeks, enough to see a trend and several weekly cycles. */
export const DEFAULT_HELD_OUT_DAYS = 56;
/** The fit needs at least four weeks before the cut. */
const MIN_TRAINING_DAYS = 28;

export function backtestView(ctx: EngineContext, cutDate?: string): BacktestView {
  const repo = createForecastInputRepo(ctx.db);
  const { first, last } = repo.usageRange();
  if (!first || !last) throw new RefusedError('There is no usage to backtest yet: import usage exports or load the demo organisation.');
  const cutDay = cutDate ?? addDays(last, -(DEFAULT_HELD_OUT_DAYS - 1));
  if (daysBetween(first, cutDay) < MIN_TRAINING_DAYS || cutDay > last) {
    throw new RefusedError(`Choose a cut date between ${addDays(first, MIN_TRAINING_DAYS)} and ${last}: the fit needs ${MIN_TRAINING_DAYS} days of history before it and at least one day after.`, 'invalid-argument');
  }
  const names = new Map(repo.workloads().map((w) => [w.id, workloadPath(w)]));
  const accounts = new Map(repo.accounts().map((a) => [a.id, a.name]));
  const series = workloadHistories(repo.dailyUsage(first, last), repo.incidentDays(first, last), last);
  const rows: { w: BacktestWorkload; r: BacktestResult }[] = [];
  for (const s of series) {
    if (daysBetween(s.historyDays[0], cutDay) < MIN_TRAINING_DAYS) continue; // too new to judge
    const r = backtest({ history: s.history, days: s.historyDays, cutDay, excludedDays: s.excludedDays });
    if (r.scoredDays === 0) continue;
    const name = s.id === null ? `Unattributed (${accounts.get(s.accountId) ?? s.accountId})` : (names.get(s.id) ?? `Workload ${s.id}`);
    rows.push({ w: { workloadId: s.id, accountId: s.accountId, name, ...pooled([r]) }, r });
  }
  return {
    cutDay,
    lastDay: last,
    overall: pooled(rows.map((x) => x.r)),
    workloads: rows.map((x) => x.w).sort((a, b) => b.actualMicros - a.actualMicros),
    series: orgSeries(rows.map((x) => x.r)),
    note:
      'Fitted on the days before the cut and forecast once from it; the naive methods are updated every day with the actuals up to the day before (as a spreadsheet is), which favours them. ' +
      'Incident days are left out of the fit and the scores.',
  };
}

/** Sums of absolute errors, forecasts and actuals over every scored day of every result. */
export function pooled(results: BacktestResult[]): BacktestMethods {
  const acc = { n: 0, inside: 0, actual: 0, model: [0, 0], mtd: [0, 0], trailing30: [0, 0] };
  const add = (slot: number[], f: number, y: number) => {
    slot[0] += Math.abs(f - y);
    slot[1] += f;
  };
  for (const r of results) {
    const s = r.series;
    for (let i = 0; i < s.days.length; i++) {
      const y = s.actual[i];
      acc.n++;
      acc.actual += y;
      if (y >= s.p10[i] && y <= s.p90[i]) acc.inside++;
      add(acc.model, s.model[i], y);
      add(acc.mtd, s.mtd[i], y);
      add(acc.trailing30, s.trailing30[i], y);
    }
  }
  const score = ([abs, sumF]: number[]): BacktestScore => ({
    mae: acc.n > 0 ? abs / acc.n : 0,
    wape: acc.actual > 0 ? abs / acc.actual : 0,
    bias: acc.actual > 0 ? (sumF - acc.actual) / acc.actual : 0,
  });
  return {
    model: score(acc.model),
    mtd: score(acc.mtd),
    trailing30: score(acc.trailing30),
    coverage: acc.n > 0 ? acc.inside / acc.n : 0,
    scoredDays: acc.n,
    actualMicros: acc.actual,
  };
}

/** The organisation's daily total of actuals and of each method's forecast, for the chart. */
function orgSeries(results: BacktestResult[]): BacktestView['series'] {
  const byDay = new Map<string, number[]>();
  for (const r of results) {
    const s = r.series;
    s.days.forEach((d, i) => {
      const v = byDay.get(d) ?? [0, 0, 0, 0];
      v[0] += s.actual[i];
      v[1] += s.model[i];
      v[2] += s.mtd[i];
      v[3] += s.trailing30[i];
      byDay.set(d, v);
    });
  }
  const days = [...byDay.keys()].sort();
  const col = (k: number) => days.map((d) => Math.round(byDay.get(d)![k]));
  return { days, actual: col(0), model: col(1), mtd: col(2), trailing30: col(3) };
}
