/**
 * Burn model of one workload, fitted from its daily usage cost (micros per day; top-ups and
 * purchases are not burn and must not be passed in).
 *
 *   cost(day) = base(day) × exp(σ·e(day)) × spike(day)
 *   base(day) = max(0, level + trend·D(h)) × season[weekday(day)]
 *
 * h is the number of days after the last history day, D(h) = Σ_{i≤h} φ_d^i a damped trend
 * (a year-long extrapolation of an 8-week slope would otherwise run away), e(day) a unit
 * AR(1) noise on the log scale that starts from the last observed residual, and spike(day) a
 * rare multiplicative burst (rate and size measured from the clipped days). base is a median
 * path: level, trend and weekday factors are medians (Theil–Sen and median ratios), so the
 * noise is symmetric on the log scale and the mean is above base by the usual lognormal term.
 *
 * This file fits the model; model-forecast.ts forecasts and samples from it.
 *
 * Robustness: days the caller excludes (incident windows) are dropped; the fit runs three
 * passes and clips residuals beyond k·MAD before refitting, so spikes neither lift the level
 * nor bend the trend.
 */
import { daysBetween, weekday } from '../dates';
import { madSigma, median, theilSen } from './stats';

export { basePath, dampedDays, forecast, logMoments, mixtureQuantile, planPath, quantileKey, samplePath, type Forecast, type PathPlan } from './model-forecast';

export interface ModelOptions {
  /** days of history the level, trend and noise are fitted on, back from the last history day (default 56) */
  windowDays?: number;
  /** days of history the weekday factors are fitted on (default 84: more weeks, steadier factors) */
  seasonWindowDays?: number;
  /** residuals beyond clipK × robust σ are clipped before refitting (default 3) */
  clipK?: number;
  /** per-day damping of the trend, 0..1 (default 0.99: the trend adds at most ~99 days of slope) */
  trendDamping?: number;
  /** fewer usable days than this: no weekday factors (default 21) */
  minDaysForSeasonality?: number;
  /** fewer usable days than this: no trend (default 14) */
  minDaysForTrend?: number;
}

export interface WorkloadModel {
  /** the last history day: forecasts count days from here */
  originDay: string;
  /** deseasonalised median cost per day at the origin, micros */
  level: number;
  /** change of level per day, micros per day */
  trend: number;
  trendDamping: number;
  /** multiplicative weekday factors, Monday first, averaging 1 */
  season: number[];
  /** standard error of a weekday factor (log scale): widens the daily quantiles; it cancels over a week, so paths leave it out */
  seasonSe: number;
  /** standard deviation of the log-scale daily noise */
  sigma: number;
  /** lag-1 autocorrelation of the log-scale noise, 0..0.9 */
  phi: number;
  /** the last observed standardised residual: the AR(1) noise starts here */
  lastNoise: number;
  /** relative standard error of the level at the centre of the fitted window (log scale) */
  levelSe: number;
  /** that centre, in days from the origin (≤ 0): the forecast's parameter error h days out is
   * levelSe ⊕ trendSe·(D(h) − trendCentre), since level and slope errors are correlated at the origin */
  trendCentre: number;
  /** relative standard error of the trend per day (log scale, as a share of level) */
  trendSe: number;
  /** share of days with a spike beyond clipK and the mean cost multiplier on such a day */
  spikeRate: number;
  spikeSize: number;
  /** usable days in the fit, days the caller excluded, days clipped as outliers */
  nDays: number;
  excludedDays: number;
  clippedDays: number;
}

const DEFAULTS: Required<ModelOptions> = {
  windowDays: 56,
  seasonWindowDays: 84,
  clipK: 3,
  trendDamping: 0.99,
  minDaysForSeasonality: 21,
  minDaysForTrend: 14,
};

interface Point {
  t: number;
  dow: number;
  y: number;
  /** inside the level/trend window */
  recent: boolean;
}

/** Fits the model to `history[i]` = usage cost in micros on `days[i]` (any order, gaps allowed: a missing day is unknown, not zero). */
export function fitModel(history: ArrayLike<number>, days: readonly string[], excludedDays: readonly string[] = [], options: ModelOptions = {}): WorkloadModel {
  if (history.length !== days.length) throw new RangeError(`history has ${history.length} values for ${days.length} days`);
  const opt = { ...DEFAULTS, ...options };
  const origin = days.reduce((m, d) => (d > m ? d : m), days[0] ?? '1970-01-01');
  const excluded = new Set(excludedDays);
  const pts: Point[] = [];
  let excludedCount = 0;
  for (let i = 0; i < days.length; i++) {
    const t = daysBetween(origin, days[i]);
    if (t <= -Math.max(opt.windowDays, opt.seasonWindowDays)) continue;
    if (excluded.has(days[i])) {
      excludedCount++;
      continue;
    }
    const y = Number(history[i]);
    if (!Number.isFinite(y)) continue;
    pts.push({ t, dow: weekday(days[i]), y: Math.max(0, y), recent: t > -opt.windowDays });
  }
  const model = emptyModel(origin, opt.trendDamping, pts.filter((p) => p.recent).length, excludedCount);
  if (pts.length === 0) return model;
  if (pts.every((p) => p.y === 0)) return model;
  return fitPoints(pts, opt, model);
}

function emptyModel(originDay: string, trendDamping: number, nDays: number, excludedDays: number): WorkloadModel {
  return {
    originDay,
    level: 0,
    trend: 0,
    trendDamping,
    season: [1, 1, 1, 1, 1, 1, 1],
    seasonSe: 0,
    sigma: 0,
    phi: 0,
    lastNoise: 0,
    levelSe: 0,
    trendCentre: 0,
    trendSe: 0,
    spikeRate: 0,
    spikeSize: 1,
    nDays,
    excludedDays,
    clippedDays: 0,
  };
}

/** Three passes of: weekday factors → Theil–Sen on the deseasonalised series → clip outliers. */
function fitPoints(pts: Point[], opt: Required<ModelOptions>, model: WorkloadModel): WorkloadModel {
  const n = pts.length;
  const y = pts.map((p) => p.y); // the working copy that clipping edits
  let level = median(y);
  let trend = 0;
  let season = [1, 1, 1, 1, 1, 1, 1];
  let seasonSe = 0;
  let clippedHigh: number[] = [];
  let clipped = 0;
  const nRecent = pts.filter((p) => p.recent).length;
  const useSeason = n >= opt.minDaysForSeasonality;
  const useTrend = nRecent >= opt.minDaysForTrend;
  for (let pass = 0; pass < 3; pass++) {
    if (useSeason) ({ factors: season, se: seasonSe } = weekdayFactors(pts, y, level, trend, season));
    ({ level, trend } = fitLine(pts, y, season, useTrend, level));
    // clip residuals of the original values against this pass's fit
    const fitted = pts.map((p) => Math.max(0, level + trend * p.t) * season[p.dow]);
    const res = pts.map((p, i) => p.y - fitted[i]);
    const scale = madSigma(res);
    const lim = opt.clipK * Math.max(scale, 1e-9 * Math.max(1, level));
    clippedHigh = [];
    clipped = 0;
    for (let i = 0; i < n; i++) {
      if (res[i] > lim) {
        y[i] = fitted[i] + lim;
        clippedHigh.push(i);
        clipped++;
      } else if (res[i] < -lim) {
        y[i] = Math.max(0, fitted[i] - lim);
        clipped++;
      } else y[i] = pts[i].y;
    }
  }
  level = Math.max(0, level);
  // noise and spikes are measured on the recent window only: today's volatility, not last quarter's
  const recent = pts.flatMap((p, i) => (p.recent ? [i] : []));
  const params = 2 + (useSeason ? (6 * nRecent) / n : 0);
  return finishModel(
    recent.map((i) => pts[i]),
    recent.map((i) => y[i]),
    { ...model, level, trend, season, seasonSe, clippedDays: clipped },
    clippedHigh.filter((i) => pts[i].recent).map((i) => recent.indexOf(i)),
    params,
  );
}

/**
 * Median ratio of each weekday's cost to the current line, normalised to average 1, then shrunk
 * toward flat by the share of their spread that noise alone would explain (with 8–12 points
 * per weekday, raw medians of a flat series still differ by ±10%).
 */
function weekdayFactors(pts: Point[], y: number[], level: number, trend: number, prev: number[]): { factors: number[]; se: number } {
  const ratios: number[][] = [[], [], [], [], [], [], []];
  for (let i = 0; i < pts.length; i++) {
    const base = level + trend * pts[i].t;
    if (base > 0) ratios[pts[i].dow].push(y[i] / base);
  }
  const raw = normalise(ratios.map((r, d) => (r.length >= 2 ? median(r) : prev[d])));
  if (raw.some((f) => f < 0.05)) return { factors: raw, se: 0 }; // an on/off pattern (no weekend traffic) is no noise
  const logs = raw.map(Math.log);
  const centre = logs.reduce((a, b) => a + b, 0) / 7;
  const spread = logs.reduce((a, l) => a + (l - centre) ** 2, 0) / 7;
  const within = madSigma(ratios.flatMap((r, d) => r.map((v) => Math.log((v + 0.02) / (raw[d] + 0.02)))));
  // variance of a median of n normal draws ≈ (π/2)·σ²/n
  const noise = ratios.reduce((a, r) => a + (r.length > 0 ? (Math.PI / 2) * (within * within) / r.length : 0), 0) / 7;
  const keep = spread > 0 ? Math.max(0, 1 - noise / spread) : 0;
  // mean squared error of a shrunk factor: its own noise plus the true spread it gave up
  const mse = keep * keep * noise + (1 - keep) ** 2 * Math.max(0, spread - noise);
  return { factors: normalise(logs.map((l) => Math.exp(centre + keep * (l - centre)))), se: Math.sqrt(mse) };
}

function normalise(f: number[]): number[] {
  const avg = f.reduce((a, b) => a + b, 0) / f.length;
  return avg > 0 ? f.map((v) => v / avg) : f.map(() => 1);
}

/** Theil–Sen line through the deseasonalised points (weekdays with almost no spend are skipped). */
function fitLine(pts: Point[], y: number[], season: number[], useTrend: boolean, prevLevel: number): { level: number; trend: number } {
  const xs: number[] = [];
  const zs: number[] = [];
  for (let i = 0; i < pts.length; i++) {
    const s = season[pts[i].dow];
    if (s < 0.2 || !pts[i].recent) continue;
    xs.push(pts[i].t);
    zs.push(y[i] / s);
  }
  if (zs.length === 0) return { level: prevLevel, trend: 0 };
  if (!useTrend) return { level: median(zs), trend: 0 };
  const { slope, intercept } = theilSen(xs, zs);
  return { level: intercept, trend: slope };
}

/** Noise scale, autocorrelation, parameter uncertainty and spikes from the final fit. */
function finishModel(pts: Point[], y: number[], m: WorkloadModel, clippedHigh: number[], params: number): WorkloadModel {
  const n = pts.length;
  const tiny = 1e-6 * Math.max(1, m.level);
  const fitted = pts.map((p) => Math.max(0, m.level + m.trend * p.t) * m.season[p.dow]);
  // log residuals; a day without spend counts as 1% of the fit rather than minus infinity
  const e = y.map((v, i) => Math.log(Math.max(v, 0.01 * fitted[i]) + tiny) - Math.log(fitted[i] + tiny));
  // residuals of a fit understate the noise by the parameters it spent on them; days the
  // weekday pattern says are off (no weekend traffic) carry no information about the noise
  const informative = e.filter((_, i) => m.season[pts[i].dow] >= 0.05 && fitted[i] > tiny);
  const dof = Math.sqrt(informative.length / Math.max(1, informative.length - params));
  const sigma = Math.min(2, Math.max(0.005, madSigma(informative) * dof));
  // lag-1 autocorrelation of the clipped log residuals over consecutive days
  const byT = new Map<number, number>();
  pts.forEach((p, i) => byT.set(p.t, Math.max(-3 * sigma, Math.min(3 * sigma, e[i]))));
  let sxy = 0;
  let sxx = 0;
  let pairs = 0;
  for (const [t, v] of byT) {
    const w = byT.get(t - 1);
    if (w === undefined) continue;
    sxy += v * w;
    sxx += (v * v + w * w) / 2;
    pairs++;
  }
  // lag-1 autocorrelation is biased low by about (1 + 3φ)/n in short series (Marriott–Pope)
  const rho = sxx > 0 ? sxy / sxx : 0;
  const phi = pairs >= 10 ? Math.min(0.9, Math.max(0, rho + (1 + 3 * rho) / pairs)) : 0;
  const last = pts.reduce((a, p, i) => (p.t > pts[a].t ? i : a), 0);
  const lastNoise = pts[last].t === 0 ? Math.max(-3, Math.min(3, e[last] / sigma)) : 0;
  // parameter uncertainty, inflated for autocorrelation (effective sample size)
  const inflate = Math.sqrt((1 + phi) / (1 - phi));
  const tMean = pts.reduce((a, p) => a + p.t, 0) / n;
  const sxxT = pts.reduce((a, p) => a + (p.t - tMean) ** 2, 0);
  const levelSe = (1.25 * sigma * inflate) / Math.sqrt(n);
  const trendSe = m.trend === 0 && n < 14 ? 0 : sxxT > 0 ? (1.1 * sigma * inflate) / Math.sqrt(sxxT) : 0;
  // spikes: the clipped-high days, as a rate and a mean multiplier over the lognormal mean
  const typical = Math.exp((sigma * sigma) / 2);
  let spikeRate = 0;
  let spikeSize = 1;
  if (clippedHigh.length > 0) {
    const sizes = clippedHigh.map((i) => pts[i].y / Math.max(1e-9, fitted[i] * typical)).filter((s) => s > 1 && Number.isFinite(s));
    if (sizes.length > 0) {
      spikeRate = Math.min(0.1, sizes.length / n);
      spikeSize = Math.min(50, sizes.reduce((a, b) => a + b, 0) / sizes.length);
    }
  }
  return { ...m, sigma, phi, lastNoise, levelSe, trendCentre: trendSe > 0 ? tMean : 0, trendSe, spikeRate, spikeSize };
}
