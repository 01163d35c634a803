/**
 * Turns the demo streams into usage rows: one row per day per stream, with weekly
 * seasonality, a mild growth trend and noise; the model swap; the leaked key's hourly rows
 * and the attacker's surge; the quiet spike. Pure: no database, no clock.
 */
import { rescaleHalfEven } from '../../../shared/money';
import { addDays, daysBetween, weekday } from '../../../shared/dates';
import { noise, type Rng } from './prng';
import {
  ACCOUNTS, DEMO_END, DEMO_START, LEAK, MODELS, QUIET_SPIKE, STREAMS, WEEK_PROFILES,
  type AccountKey, type DemoStream, type ModelId,
} from './org';

export interface DemoUsageRow {
  account: AccountKey;
  provider: string;
  billingAccountId: string;
  subAccountId: string;
  subAccountName: string;
  apiKey: string;
  periodStart: string;
  periodEnd: string;
  day: string;
  serviceName: string;
  modelRaw: string;
  modelId: ModelId;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  requests: number;
  billedMicros: number;
  catalogMicros: number;
  tags: Record<string, string> | null;
  region: string | null;
  resourceId: string | null;
}

interface Tokens {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/** UTC share of a day's traffic per hour for office workloads (Europe and US business hours). */
const DIURNAL = [12, 10, 9, 9, 10, 14, 22, 34, 48, 58, 62, 64, 63, 64, 66, 66, 63, 57, 50, 45, 40, 34, 27, 19];
const DIURNAL_SUM = DIURNAL.reduce((a, b) => a + b, 0);
const HOLIDAYS = { from: '2025-12-24', to: '2026-01-01' };

/** exact cost of a token mix at per-million prices, rounded half-even once */
export function costMicros(t: Tokens, model: ModelId, cacheWritePerMTok?: number): number {
  const p = MODELS[model];
  const units =
    BigInt(t.input) * BigInt(p.input) +
    BigInt(t.output) * BigInt(p.output) +
    BigInt(t.cacheRead) * BigInt(p.cacheRead) +
    BigInt(t.cacheWrite) * BigInt(cacheWritePerMTok ?? p.cacheWrite);
  return Number(rescaleHalfEven(units, 6, 0));
}

/** micros per uncached input token, with the stream's mix of the other token kinds */
function costPerInputToken(model: ModelId, mix: DemoStream['mix']): number {
  const p = MODELS[model];
  return (p.input + mix.output * p.output + mix.cacheRead * p.cacheRead + mix.cacheWrite * p.cacheWrite) / 1e6;
}

function dayFactor(s: DemoStream, day: string, index: number, rng: Rng): number {
  let f = WEEK_PROFILES[s.week][weekday(day)] * (1 + (s.growth * index) / 364) * noise(rng, 0.16);
  if (s.week !== 'batch' && day >= HOLIDAYS.from && day <= HOLIDAYS.to) f *= 0.55;
  if (s.apiKey === QUIET_SPIKE.apiKey && (QUIET_SPIKE.days as readonly string[]).includes(day)) f *= QUIET_SPIKE.factor;
  return f;
}

function tokensFor(s: DemoStream, usd: number, rng: Rng): Tokens {
  const input = Math.max(1, Math.round((usd * 1e6) / costPerInputToken(s.model, s.mix)));
  return {
    input,
    output: Math.round(input * s.mix.output * noise(rng, 0.1)),
    cacheRead: Math.round(input * s.mix.cacheRead * noise(rng, 0.1)),
    cacheWrite: Math.round(input * s.mix.cacheWrite * noise(rng, 0.1)),
  };
}

function split(t: Tokens, weight: number, total: number): Tokens {
  const part = (n: number) => Math.round((n * weight) / total);
  return { input: part(t.input), output: part(t.output), cacheRead: part(t.cacheRead), cacheWrite: part(t.cacheWrite) };
}

const hh = (h: number) => String(h).padStart(2, '0');

class RowBuilder {
  readonly rows: DemoUsageRow[] = [];

  add(s: DemoStream, apiKey: string, model: ModelId, t: Tokens, start: string, end: string, requests?: number): DemoUsageRow {
    const account = ACCOUNTS.find((a) => a.key === s.account)!;
    const modelRaw = MODELS[model].raw[s.account]!;
    const all = t.input + t.cacheRead + t.cacheWrite;
    const row: DemoUsageRow = {
      account: s.account,
      provider: account.provider,
      billingAccountId: account.externalId,
      subAccountId: s.projectId,
      subAccountName: s.projectName,
      apiKey,
      periodStart: start,
      periodEnd: end,
      day: start.slice(0, 10),
      serviceName: account.serviceName,
      modelRaw,
      modelId: model,
      inputTokens: t.input,
      outputTokens: t.output,
      cacheReadTokens: t.cacheRead,
      cacheWriteTokens: t.cacheWrite,
      requests: requests ?? Math.max(1, Math.round(all / s.promptTokens)),
      billedMicros: costMicros(t, model, s.billedCacheWritePerMTok),
      catalogMicros: costMicros(t, model),
      tags: s.tags ?? null,
      region: s.account === 'aws' ? 'us-east-1' : null,
      resourceId: s.account === 'aws' ? `arn:aws:bedrock:us-east-1::foundation-model/${modelRaw}` : null,
    };
    this.rows.push(row);
    return row;
  }
}

/** The leaked key's day: its own traffic hour by hour (rotated at LEAK.rotateHour) plus the attacker on gpt-4o. */
function leakDay(b: RowBuilder, s: DemoStream, day: string, t: Tokens, history: number[], rng: Rng): void {
  const prior = history.slice(-28);
  const hourlyBaselineUsd = prior.reduce((a, c) => a + c, 0) / prior.length / 24 / 1e6;
  const attackMix = { output: 0.45, cacheRead: 0, cacheWrite: 0 };
  const attacker: DemoStream = { ...s, model: LEAK.attackModel, mix: attackMix, promptTokens: 1500 };
  for (let h = 0; h < 24; h++) {
    const start = `${day}T${hh(h)}:00:00Z`;
    const end = h === 23 ? `${addDays(day, 1)}T00:00:00Z` : `${day}T${hh(h + 1)}:00:00Z`;
    const key = h < LEAK.rotateHour ? LEAK.apiKey : LEAK.rotatedKey;
    b.add(s, key, s.model, split(t, DIURNAL[h], DIURNAL_SUM), start, end);
    const multiple = LEAK.hourlyMultiple[h];
    if (multiple > 0) {
      const at = tokensFor(attacker, hourlyBaselineUsd * multiple * noise(rng, 0.1), rng);
      b.add(attacker, LEAK.apiKey, LEAK.attackModel, at, start, end, LEAK.probeRequests[h] || undefined);
    }
  }
}

/** All demo usage, ordered by day, then stream, then hour. */
export function generateUsage(rng: Rng): DemoUsageRow[] {
  const b = new RowBuilder();
  const history = STREAMS.map(() => [] as number[]);
  const days = daysBetween(DEMO_START, DEMO_END) + 1;
  for (let i = 0; i < days; i++) {
    const day = addDays(DEMO_START, i);
    const end = `${addDays(day, 1)}T00:00:00Z`;
    STREAMS.forEach((s, k) => {
      if (s.from && day < s.from) return;
      const t = tokensFor(s, s.baseUsd * dayFactor(s, day, i, rng), rng);
      const model = s.swap && day >= s.swap.on ? s.swap.to : s.model;
      if (s.apiKey === LEAK.apiKey && day === LEAK.day) {
        leakDay(b, s, day, t, history[k], rng);
        history[k].push(costMicros(t, model));
        return;
      }
      const key = s.apiKey === LEAK.apiKey && day > LEAK.day ? LEAK.rotatedKey : s.apiKey;
      history[k].push(b.add(s, key, model, t, `${day}T00:00:00Z`, end).billedMicros);
    });
  }
  return b.rows;
}
