/**
 * Prepaid vs post-pay, per credit account, from the data — always with the reasons.
 *
 * Prepaid credit is a ceiling on exposure and a chance to throttle before the balance is gone:
 * strongest when spend is volatile, the model mix changes often or agents drive consumption,
 * or when the likely monthly spend can break the budget. Post-pay fits steady, predictable
 * spend, low-volume workloads that must never be cut off, and accounts where prepaid credit
 * expires unused. Each factor scores −1 (post-pay) … +1 (prepaid) with a weight; the verdict
 * is their weighted mean. This is a GV.RM-01 decision (NIST CSF 2.0): the reasons are the record.
 */
import { daysBetween, weekday } from '../dates';
import { mean, percentile, stdDev } from './stats';

export interface RecommendWorkload {
  id: number | null;
  name?: string;
  /** usage cost in micros per day, aligned with RecommendInput.days */
  dailyCost: ArrayLike<number>;
  /** driven by autonomous agents or tool loops */
  agentDriven: boolean;
  /** must keep running even when credit runs out */
  critical?: boolean;
}

export interface RecommendInput {
  accountId: number;
  days: readonly string[];
  workloads: RecommendWorkload[];
  /** the account's cost per model per day, aligned with days */
  modelDailyCost?: Readonly<Record<string, ArrayLike<number>>>;
  monthlyBudgetMicros?: number | null;
  /** P95 of a month's spend (e.g. from simulate()); default: from rolling 30-day sums of the history */
  p95MonthlySpendMicros?: number | null;
  /** credit expected to expire unused (from simulate()) and the credit the account holds */
  expectedWasteMicros?: number | null;
  creditHeldMicros?: number | null;
  /** a week counts as a mix change when the leading model changes or its share moves more than this (default 0.2) */
  mixShiftThreshold?: number;
  /** a critical workload is low-volume below this share of the account's spend (default 0.05) */
  lowVolumeShare?: number;
}

export type Direction = 'prepaid' | 'post-pay' | 'either';
export type Factor = 'volatility' | 'model-mix' | 'agent-share' | 'exposure' | 'critical-low-volume' | 'expiry-waste' | 'data';

export interface Reason {
  factor: Factor;
  /** the measured value (see text for its unit), null when there was no data */
  value: number | null;
  pointsTo: 'prepaid' | 'post-pay' | 'neutral';
  /** share of the verdict this factor carries, 0..1 (the weights of factors with data sum to 1) */
  weight: number;
  text: string;
}

export interface Recommendation {
  accountId: number;
  direction: Direction;
  strength: 'weak' | 'moderate' | 'strong';
  /** −1 (post-pay) … +1 (prepaid) */
  score: number;
  reasons: Reason[];
  frameworks: string[];
}

interface Scored {
  factor: Factor;
  value: number | null;
  /** −1 … +1, positive for prepaid; null: no data, left out of the score */
  lean: number | null;
  weight: number;
  text: string;
}

const clamp = (x: number, lo = -1, hi = 1) => Math.min(hi, Math.max(lo, x));
const pct = (x: number) => `${Math.round(x * 100)}%`;
const money = (micros: number) => `$${(micros / 1e6).toLocaleString('en-US', { maximumFractionDigits: 0 })}`;

export function recommend(input: RecommendInput): Recommendation {
  const total = accountDaily(input);
  const spend = total.reduce((a, b) => a + b, 0);
  const scored: Scored[] = [
    volatility(total),
    modelMix(input),
    agentShare(input, spend),
    exposure(input, total),
    criticalLowVolume(input, spend),
    expiryWaste(input),
  ];
  const withData = scored.filter((s) => s.lean !== null);
  const weightSum = withData.reduce((a, s) => a + s.weight, 0);
  const score = weightSum > 0 ? withData.reduce((a, s) => a + s.weight * s.lean!, 0) / weightSum : 0;
  const reasons: Reason[] = scored.map((s) => ({
    factor: s.factor,
    value: s.value,
    pointsTo: s.lean === null || Math.abs(s.lean) < 0.1 ? 'neutral' : s.lean > 0 ? 'prepaid' : 'post-pay',
    weight: s.lean === null || weightSum === 0 ? 0 : s.weight / weightSum,
    text: s.text,
  }));
  if (withData.length < 2 || spend <= 0) {
    reasons.push({ factor: 'data', value: input.days.length, pointsTo: 'neutral', weight: 0, text: `Only ${input.days.length} days of usage with ${money(spend)} spent: too little to lean either way with confidence.` });
  }
  reasons.sort((a, b) => b.weight - a.weight);
  const direction: Direction = withData.length >= 2 && score >= 0.15 ? 'prepaid' : withData.length >= 2 && score <= -0.15 ? 'post-pay' : 'either';
  const strength = direction === 'either' ? 'weak' : Math.abs(score) >= 0.5 ? 'strong' : Math.abs(score) >= 0.3 ? 'moderate' : 'weak';
  return { accountId: input.accountId, direction, strength, score, reasons, frameworks: ['NIST CSF 2.0 GV.RM-01', 'NIST AI RMF MANAGE 1.3'] };
}

function accountDaily(input: RecommendInput): number[] {
  const out = new Array<number>(input.days.length).fill(0);
  for (const w of input.workloads) for (let i = 0; i < out.length; i++) out[i] += Math.max(0, Number(w.dailyCost[i]) || 0);
  return out;
}

/** Coefficient of variation of daily spend over the last 90 days. */
function volatility(total: number[]): Scored {
  const recent = total.slice(-90);
  const m = mean(recent);
  if (recent.length < 14 || !(m > 0)) return { factor: 'volatility', value: null, lean: null, weight: 0.25, text: 'Not enough daily spend to measure its volatility (needs 14 days).' };
  const cv = stdDev(recent) / m;
  const lean = clamp((cv - 0.35) / 0.35);
  const text =
    lean > 0.1
      ? `Daily spend is volatile (coefficient of variation ${cv.toFixed(2)}): a prepaid ceiling caps a sudden burn before an invoice would show it.`
      : lean < -0.1
        ? `Daily spend is steady (coefficient of variation ${cv.toFixed(2)}): post-pay bills are predictable.`
        : `Daily spend varies moderately (coefficient of variation ${cv.toFixed(2)}).`;
  return { factor: 'volatility', value: cv, lean, weight: 0.25, text };
}

/** Weeks in which the leading model changed or its share moved by more than the threshold. */
export function mixChanges(days: readonly string[], modelDailyCost: Readonly<Record<string, ArrayLike<number>>>, threshold = 0.2): { weeks: number; changes: number } {
  if (days.length === 0) return { weeks: 0, changes: 0 };
  const first = days.reduce((m, d) => (d < m ? d : m), days[0]);
  const sinceMonday = weekday(first);
  const weeks = new Map<number, Map<string, number>>();
  for (const [model, costs] of Object.entries(modelDailyCost)) {
    days.forEach((d, i) => {
      const c = Number(costs[i]) || 0;
      if (c <= 0) return;
      const wk = Math.floor((daysBetween(first, d) + sinceMonday) / 7);
      const m = weeks.get(wk) ?? new Map<string, number>();
      m.set(model, (m.get(model) ?? 0) + c);
      weeks.set(wk, m);
    });
  }
  const ordered = [...weeks.keys()].sort((a, b) => a - b).map((k) => weeks.get(k)!);
  let changes = 0;
  let prev: { model: string; share: number } | null = null;
  for (const wk of ordered) {
    const sum = [...wk.values()].reduce((a, b) => a + b, 0);
    const [model, cost] = [...wk.entries()].reduce((a, b) => (b[1] > a[1] || (b[1] === a[1] && b[0] < a[0]) ? b : a));
    const share = cost / sum;
    if (prev && (prev.model !== model || Math.abs(prev.share - share) > threshold)) changes++;
    prev = { model, share };
  }
  return { weeks: ordered.length, changes };
}

function modelMix(input: RecommendInput): Scored {
  const mix = input.modelDailyCost ? mixChanges(input.days, input.modelDailyCost, input.mixShiftThreshold ?? 0.2) : { weeks: 0, changes: 0 };
  if (mix.weeks < 3) return { factor: 'model-mix', value: null, lean: null, weight: 0.15, text: 'Not enough weeks of cost per model to judge how often the model mix changes (needs 3).' };
  const rate = mix.changes / (mix.weeks - 1);
  const lean = clamp(rate / 0.3, 0, 1);
  const text =
    lean > 0.1
      ? `The model mix shifted in ${mix.changes} of ${mix.weeks - 1} week-to-week comparisons: each swap moves the burn rate, and a prepaid balance bounds what a swap can cost.`
      : `The model mix was stable (${mix.changes} shifts over ${mix.weeks} weeks).`;
  return { factor: 'model-mix', value: rate, lean, weight: 0.15, text };
}

function agentShare(input: RecommendInput, spend: number): Scored {
  if (!(spend > 0)) return { factor: 'agent-share', value: null, lean: null, weight: 0.2, text: 'No spend to attribute to agents.' };
  let agents = 0;
  for (const w of input.workloads) if (w.agentDriven) for (let i = 0; i < input.days.length; i++) agents += Math.max(0, Number(w.dailyCost[i]) || 0);
  const share = agents / spend;
  const lean = clamp((share - 0.2) / 0.4, 0, 1);
  const text =
    lean > 0.1
      ? `${pct(share)} of spend is driven by agents: a runaway tool loop multiplies the burn within hours, and a prepaid balance is the ceiling.`
      : `Agents drive ${pct(share)} of spend.`;
  return { factor: 'agent-share', value: share, lean, weight: 0.2, text };
}

function exposure(input: RecommendInput, total: number[]): Scored {
  const budget = input.monthlyBudgetMicros ?? null;
  let p95 = input.p95MonthlySpendMicros ?? null;
  if (p95 === null && total.length >= 30) {
    const sums: number[] = [];
    let run = 0;
    for (let i = 0; i < total.length; i++) {
      run += total[i] - (i >= 30 ? total[i - 30] : 0);
      if (i >= 29) sums.push(run);
    }
    p95 = percentile(sums, 0.95);
  }
  if (budget === null || !(budget > 0)) {
    return { factor: 'exposure', value: null, lean: null, weight: 0.2, text: p95 === null ? 'No monthly budget set and too little history for a P95 month.' : `No monthly budget set to compare the P95 month (${money(p95)}) with.` };
  }
  if (p95 === null) return { factor: 'exposure', value: null, lean: null, weight: 0.2, text: 'Too little history (needs 30 days) for a P95 month.' };
  const ratio = p95 / budget;
  const lean = clamp((ratio - 0.8) / 0.4);
  const text =
    lean > 0.1
      ? `A bad month (P95 ${money(p95)}) reaches ${pct(ratio)} of the ${money(budget)} budget: prepaid credit caps the exposure.`
      : lean < -0.1
        ? `Even a bad month (P95 ${money(p95)}) stays at ${pct(ratio)} of the ${money(budget)} budget: post-pay exposure is bounded.`
        : `A bad month (P95 ${money(p95)}) comes close to the ${money(budget)} budget (${pct(ratio)}).`;
  return { factor: 'exposure', value: ratio, lean, weight: 0.2, text };
}

function criticalLowVolume(input: RecommendInput, spend: number): Scored {
  const limit = input.lowVolumeShare ?? 0.05;
  const critical = input.workloads.filter((w) => w.critical);
  if (critical.length === 0) return { factor: 'critical-low-volume', value: 0, lean: null, weight: 0.15, text: 'No workload is marked critical.' };
  const low = critical.filter((w) => {
    let s = 0;
    for (let i = 0; i < input.days.length; i++) s += Math.max(0, Number(w.dailyCost[i]) || 0);
    return spend > 0 ? s / spend < limit : true;
  });
  if (low.length === 0) return { factor: 'critical-low-volume', value: 0, lean: null, weight: 0.15, text: `${critical.length} critical workload(s), none low-volume: give them an allocation of their own.` };
  const names = low.map((w) => w.name ?? `workload ${w.id}`).join(', ');
  return {
    factor: 'critical-low-volume',
    value: low.length,
    lean: -clamp(0.5 + 0.25 * low.length, 0, 1),
    weight: 0.15,
    text: `${names}: critical but low-volume (under ${pct(limit)} of spend). When prepaid credit runs dry they stop with everything else; post-pay keeps them running for little money.`,
  };
}

function expiryWaste(input: RecommendInput): Scored {
  const waste = input.expectedWasteMicros ?? null;
  const held = input.creditHeldMicros ?? null;
  if (waste === null || held === null || !(held > 0)) return { factor: 'expiry-waste', value: null, lean: null, weight: 0.15, text: 'No forecast of credit expiring unused (run a simulation).' };
  const share = waste / held;
  const lean = -clamp(share / 0.2, 0, 1);
  const text =
    lean < -0.1
      ? `${money(waste)} (${pct(share)} of the credit held) is expected to expire unused: prepaid money lost that post-pay would not spend.`
      : `Little credit is expected to expire unused (${money(waste)}, ${pct(share)}).`;
  return { factor: 'expiry-waste', value: share, lean, weight: 0.15, text };
}
