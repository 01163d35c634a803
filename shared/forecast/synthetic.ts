/**
 * Synthetic daily cost series with a known process, for backtests, tests, benchmarks and demo
 * data: level + linear trend, multiplicative weekday pattern, AR(1) lognormal noise and
 * injected spikes.
 */
import { addDays } from '../dates';
import { weekday } from '../dates';
import { Rng } from './rng';

export interface SyntheticSpec {
  startDay: string;
  days: number;
  /** micros per day on day 0 (before the weekday factor) */
  level: number;
  /** micros per day added each day */
  trend?: number;
  /** Monday-first multiplicative factors (default: flat) */
  season?: readonly number[];
  /** log-scale noise sd (default 0.2) */
  sigma?: number;
  /** AR(1) coefficient of the log noise (default 0) */
  phi?: number;
  /** share of days with a spike (default 0) and the spike multiplier range (default 3..8) */
  spikeRate?: number;
  spikeMin?: number;
  spikeMax?: number;
}

export interface SyntheticSeries {
  days: string[];
  values: number[];
  /** indexes of the spike days */
  spikes: number[];
}

/** Whole micros, non-negative, reproducible per seed. */
export function syntheticSeries(spec: SyntheticSpec, seed: number | string): SyntheticSeries {
  const rng = new Rng(seed);
  const season = spec.season ?? [1, 1, 1, 1, 1, 1, 1];
  const sigma = spec.sigma ?? 0.2;
  const phi = spec.phi ?? 0;
  const innov = Math.sqrt(1 - phi * phi);
  const days: string[] = [];
  const values: number[] = [];
  const spikes: number[] = [];
  let e = rng.normal();
  for (let i = 0; i < spec.days; i++) {
    const day = addDays(spec.startDay, i);
    e = phi * e + innov * rng.normal();
    const base = Math.max(0, spec.level + (spec.trend ?? 0) * i) * season[weekday(day)];
    let v = base * Math.exp(sigma * e);
    if (rng.uniform() < (spec.spikeRate ?? 0)) {
      const lo = spec.spikeMin ?? 3;
      const hi = spec.spikeMax ?? 8;
      v *= lo + (hi - lo) * rng.uniform();
      spikes.push(i);
    }
    days.push(day);
    values.push(Math.round(v));
  }
  return { days, values, spikes };
}
