/**
 * Forecasts from a fitted WorkloadModel (model.ts): the daily mean and quantiles in closed
 * form, and the Monte Carlo sampler of one workload's path (the simulation runs the same
 * recurrence for many workloads at once in simulate-path.ts).
 */
import { addDays, daysBetween, weekday } from '../dates';
import type { WorkloadModel } from './model';
import type { Rng } from './rng';
import { normalCdf } from './stats';

/** Σ_{i=1..h} φ^i: how many days of trend have accumulated h days after the origin. */
export function dampedDays(phi: number, h: number): number {
  if (h <= 0) return 0;
  if (phi >= 1) return h;
  return (phi * (1 - phi ** h)) / (1 - phi);
}

/** The median path before noise: max(0, level + trend·D(h)) × weekday factor, for day `day`. */
export function basePath(model: WorkloadModel, startDay: string, horizonDays: number): Float64Array {
  const out = new Float64Array(horizonDays);
  const h0 = daysBetween(model.originDay, startDay);
  const dow0 = weekday(startDay);
  for (let i = 0; i < horizonDays; i++) {
    const lin = model.level + model.trend * dampedDays(model.trendDamping, h0 + i);
    out[i] = Math.max(0, lin) * model.season[(dow0 + i) % 7];
  }
  return out;
}

export interface Forecast {
  days: string[];
  /** expected cost per day (micros, fractional) */
  mean: number[];
  /** requested quantiles of the daily cost, keyed "p10", "p50", … */
  quantiles: Record<string, number[]>;
}

/**
 * Daily forecast from startDay: the mean and the quantiles of each day's cost. The quantiles
 * include the noise that persists from the last residual, the level and trend uncertainty,
 * and the spike mixture.
 */
export function forecast(model: WorkloadModel, startDay: string, horizonDays: number, qs: readonly number[] = [0.1, 0.5, 0.9]): Forecast {
  const base = basePath(model, startDay, horizonDays);
  const h0 = daysBetween(model.originDay, startDay);
  const days: string[] = [];
  const mean: number[] = [];
  const quantiles: Record<string, number[]> = {};
  for (const q of qs) quantiles[quantileKey(q)] = [];
  const spikeMean = 1 + model.spikeRate * (model.spikeSize - 1);
  for (let i = 0; i < horizonDays; i++) {
    const h = h0 + i;
    const { shift, variance } = logMoments(model, h);
    days.push(addDays(startDay, i));
    mean.push(base[i] * Math.exp(shift + variance / 2) * spikeMean);
    for (const q of qs) quantiles[quantileKey(q)].push(base[i] * mixtureQuantile(q, shift, Math.sqrt(variance), model.spikeRate, model.spikeSize));
  }
  return { days, mean, quantiles };
}

export function quantileKey(q: number): string {
  return `p${Math.round(q * 100)}`;
}

/** Location and variance of log(cost / base) h days after the origin. */
export function logMoments(model: WorkloadModel, h: number): { shift: number; variance: number } {
  const { sigma, phi } = model;
  const decay = h > 0 ? phi ** h : 1;
  const d = dampedDays(model.trendDamping, h);
  const noiseVar = sigma * sigma * (1 - decay * decay);
  return {
    shift: sigma * decay * model.lastNoise,
    variance: noiseVar + model.levelSe ** 2 + (model.trendSe * (d - model.trendCentre)) ** 2 + model.seasonSe ** 2,
  };
}

/** Quantile of exp(shift + sd·Z) × (spike with probability p ? size : 1), by bisection on the log scale. */
export function mixtureQuantile(q: number, shift: number, sd: number, p: number, size: number): number {
  const ls = Math.log(Math.max(1, size));
  if (sd < 1e-9) return Math.exp(shift + (q > 1 - p ? ls : 0));
  const cdf = (x: number) => (1 - p) * normalCdf((x - shift) / sd) + p * normalCdf((x - shift - ls) / sd);
  let lo = shift - 9 * sd;
  let hi = shift + ls + 9 * sd;
  for (let k = 0; k < 60; k++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < q) lo = mid;
    else hi = mid;
  }
  return Math.exp((lo + hi) / 2);
}

// ---------------------------------------------------------------------------------------
// Sampling

/** Everything a sampler needs for one workload over one horizon, precomputed once. */
export interface PathPlan {
  /** median path before noise, one value per day */
  base: Float64Array;
  /** D(h) per day, for the trend shock */
  damped: Float64Array;
  /** D(h) = φ_d·(1 + D(h−1)): the damping and D on the day before the start, so samplers can run the recurrence */
  trendDamping: number;
  dampedBefore: number;
  sigma: number;
  phi: number;
  /** sqrt(1 − φ²): innovation scale keeping the AR(1) noise at unit variance */
  innovation: number;
  /** AR(1) state at the day before the start: startNoise + startNoiseSd·N(0,1) (decayed from the last residual) */
  startNoise: number;
  startNoiseSd: number;
  levelSe: number;
  trendSe: number;
  trendCentre: number;
  spikeRate: number;
  spikeSize: number;
}

export function planPath(model: WorkloadModel, startDay: string, horizonDays: number): PathPlan {
  const h0 = daysBetween(model.originDay, startDay);
  // the trend shock grows from the origin, or from the start when the start is not after it
  const damped = new Float64Array(horizonDays);
  for (let i = 0; i < horizonDays; i++) damped[i] = dampedDays(model.trendDamping, Math.max(h0, 1) + i);
  const gap = Math.max(0, h0 - 1); // days between the origin and the day before the start
  return {
    base: basePath(model, startDay, horizonDays),
    damped,
    trendDamping: model.trendDamping,
    dampedBefore: dampedDays(model.trendDamping, Math.max(h0, 1) - 1),
    sigma: model.sigma,
    phi: model.phi,
    innovation: Math.sqrt(1 - model.phi * model.phi),
    startNoise: model.lastNoise * model.phi ** gap,
    startNoiseSd: Math.sqrt(1 - model.phi ** (2 * gap)),
    levelSe: model.levelSe,
    trendSe: model.trendSe,
    trendCentre: model.trendCentre,
    spikeRate: model.spikeRate,
    spikeSize: model.spikeSize,
  };
}

/**
 * One Monte Carlo path of daily cost into out[0..horizon). `z` is scratch for the normals
 * (length ≥ horizon); pass one in to avoid allocating per path. The simulation runs the same
 * recurrence over many workloads at once; this is the one-workload reference.
 */
export function samplePath(plan: PathPlan, rng: Rng, out: Float64Array, z: Float64Array = new Float64Array(plan.base.length)): void {
  const n = plan.base.length;
  rng.fillNormal(z, 0, n);
  const levelDraw = rng.normal();
  const slope = rng.normal() * plan.trendSe;
  // the level error is drawn at the window centre; moved to the origin it picks up the slope error
  const level = levelDraw * plan.levelSe - slope * plan.trendCentre;
  // the gap before the first spike, then between spikes (geometric skip-ahead)
  let nextSpike = plan.spikeRate > 0 ? rng.geometric(plan.spikeRate) : Number.POSITIVE_INFINITY;
  let e = plan.startNoise + plan.startNoiseSd * rng.normal();
  for (let i = 0; i < n; i++) {
    e = plan.phi * e + plan.innovation * z[i];
    let c = plan.base[i] * Math.exp(plan.sigma * e + level + slope * plan.damped[i]);
    if (i === nextSpike) {
      c *= plan.spikeSize;
      nextSpike = i + 1 + rng.geometric(plan.spikeRate);
    }
    out[i] = c;
  }
}
