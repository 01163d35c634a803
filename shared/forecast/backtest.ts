/**
 * Backtest: fit the burn model on the history before a cut day, forecast the days after, and
 * score it against the two forecasts people use today:
 *   - month-to-date straight line: this month's average daily spend so far, carried forward
 *     (on the 1st, last month's average: the line resets every month);
 *   - trailing 30-day average.
 * By default the naive methods are updated every day with the actuals up to the day before (as a
 * spreadsheet is), while our model keeps the single fit from the cut: the comparison favours
 * them. `naive: 'as-of-cut'` freezes them at the cut instead.
 */
import { addDays, dayMs, monthOf } from '../dates';
import { fitModel, forecast, type ModelOptions, type WorkloadModel } from './model';

export interface BacktestInput {
  /** usage cost in micros per day, aligned with days */
  history: ArrayLike<number>;
  days: readonly string[];
  /** first held-out day: the fit sees only the days before it */
  cutDay: string;
  /** held-out days to score (default: every day from the cut on) */
  horizonDays?: number;
  /** left out of the fit and of the scores (incident windows) */
  excludedDays?: readonly string[];
  naive?: 'daily' | 'as-of-cut';
  modelOptions?: ModelOptions;
}

export interface MethodScore {
  /** mean absolute error, micros per day */
  mae: number;
  /** Σ|error| / Σ actual */
  wape: number;
  /** mean |error| / actual over days with spend; null when no day had spend */
  mape: number | null;
  /** (Σ forecast − Σ actual) / Σ actual: how far off the total is */
  bias: number;
}

export interface BacktestResult {
  cutDay: string;
  scoredDays: number;
  model: MethodScore;
  mtd: MethodScore;
  trailing30: MethodScore;
  /** share of scored days whose actual lies within the model's P10–P90 */
  coverage: number;
  fitted: WorkloadModel;
  series: { days: string[]; actual: number[]; model: number[]; p10: number[]; p90: number[]; mtd: number[]; trailing30: number[] };
}

export function backtest(input: BacktestInput): BacktestResult {
  const { history, days, cutDay } = input;
  if (history.length !== days.length) throw new RangeError(`history has ${history.length} values for ${days.length} days`);
  const byDay = new Map<string, number>();
  days.forEach((d, i) => byDay.set(d, Number(history[i])));
  const excluded = new Set(input.excludedDays ?? []);
  const trainDays = days.filter((d) => d < cutDay);
  const trainValues = trainDays.map((d) => byDay.get(d)!);
  const fitted = fitModel(trainValues, trainDays, input.excludedDays ?? [], input.modelOptions);
  const lastDay = days.reduce((m, d) => (d > m ? d : m), cutDay);
  const span = Math.round((dayMs(lastDay) - dayMs(cutDay)) / 86_400_000) + 1;
  const horizon = Math.max(0, Math.min(input.horizonDays ?? span, span));
  const fc = forecast(fitted, cutDay, horizon, [0.1, 0.5, 0.9]);
  const series: BacktestResult['series'] = { days: [], actual: [], model: [], p10: [], p90: [], mtd: [], trailing30: [] };
  const asOfCut = input.naive === 'as-of-cut';
  for (let i = 0; i < horizon; i++) {
    const day = fc.days[i];
    const actual = byDay.get(day);
    if (actual === undefined || !Number.isFinite(actual) || excluded.has(day)) continue;
    const infoDay = asOfCut ? cutDay : day; // the naive methods know the actuals before this day
    series.days.push(day);
    series.actual.push(actual);
    series.model.push(fc.quantiles.p50[i]);
    series.p10.push(fc.quantiles.p10[i]);
    series.p90.push(fc.quantiles.p90[i]);
    series.mtd.push(monthToDateRate(byDay, infoDay));
    series.trailing30.push(trailingAverage(byDay, infoDay, 30));
  }
  let inside = 0;
  series.actual.forEach((y, i) => {
    if (y >= series.p10[i] && y <= series.p90[i]) inside++;
  });
  return {
    cutDay,
    scoredDays: series.days.length,
    model: score(series.actual, series.model),
    mtd: score(series.actual, series.mtd),
    trailing30: score(series.actual, series.trailing30),
    coverage: series.days.length > 0 ? inside / series.days.length : Number.NaN,
    fitted,
    series,
  };
}

/**
 * The month-to-date average per day from the actuals before `infoDay` in the month of
 * `forDay` (default: infoDay's month); on a month's first day, last month's average.
 */
export function monthToDateRate(byDay: Map<string, number>, infoDay: string, forDay: string = infoDay): number {
  const month = monthOf(forDay);
  let sum = 0;
  let n = 0;
  for (let d = `${month}-01`; d < infoDay && monthOf(d) === month; d = addDays(d, 1)) {
    const v = byDay.get(d);
    if (v !== undefined && Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  if (n > 0) return sum / n;
  // nothing known in this month yet: last month's average (what the line shows on the 1st)
  const prevMonthDay = addDays(`${month}-01`, -1);
  const prevMonth = monthOf(prevMonthDay);
  for (let d = prevMonthDay; monthOf(d) === prevMonth; d = addDays(d, -1)) {
    const v = byDay.get(d);
    if (v !== undefined && Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return n > 0 ? sum / n : 0;
}

/** Average of the known actuals over the `window` days before `infoDay`. */
export function trailingAverage(byDay: Map<string, number>, infoDay: string, window: number): number {
  let sum = 0;
  let n = 0;
  for (let k = 1; k <= window; k++) {
    const v = byDay.get(addDays(infoDay, -k));
    if (v !== undefined && Number.isFinite(v)) {
      sum += v;
      n++;
    }
  }
  return n > 0 ? sum / n : 0;
}

export function score(actual: readonly number[], predicted: readonly number[]): MethodScore {
  let abs = 0;
  let sumY = 0;
  let sumF = 0;
  let ape = 0;
  let nPos = 0;
  for (let i = 0; i < actual.length; i++) {
    const e = Math.abs(predicted[i] - actual[i]);
    abs += e;
    sumY += actual[i];
    sumF += predicted[i];
    if (actual[i] > 0) {
      ape += e / actual[i];
      nPos++;
    }
  }
  const n = actual.length;
  return {
    mae: n > 0 ? abs / n : Number.NaN,
    wape: sumY > 0 ? abs / sumY : Number.NaN,
    mape: nPos > 0 ? ape / nPos : null,
    bias: sumY > 0 ? (sumF - sumY) / sumY : Number.NaN,
  };
}
