import type { Lever, LeverKind, LeverOf, Target } from '../../../../shared/forecast/scenario';
import type { ScenarioOptions } from '../../../../shared/api/scenario-types';
import { money } from './format';

/** The levers the editor offers, in the order of the glossary's scenario entry. */
export const LEVER_KINDS: { kind: LeverKind; label: string }[] = [
  { kind: 'model-swap', label: 'Model swap' },
  { kind: 'surge', label: 'Volume surge' },
  { kind: 'new-workload', label: 'New workload' },
  { kind: 'price-change', label: 'Price change' },
  { kind: 'top-up', label: 'Top-up' },
  { kind: 'throttle', label: 'Throttle rule' },
  { kind: 'stop', label: 'Stop rule' },
  { kind: 'reallocate', label: 'Re-allocation' },
  { kind: 'split-pool', label: 'Split a pool' },
];

export const leverLabel = (k: LeverKind) => LEVER_KINDS.find((x) => x.kind === k)?.label ?? k;

/** A lever of the kind with values that already validate, so a new row never starts broken. */
export function defaultLever(kind: LeverKind, o: ScenarioOptions): Lever {
  const from = o.asOf ? nextDay(o.asOf) : undefined;
  const w0 = o.workloads.find((w) => w.models.length > 0) ?? o.workloads[0];
  const target: Target = w0 ? { kind: 'workload', workloadId: w0.id } : { kind: 'account', accountId: o.accounts[0]?.id ?? 1 };
  const used = w0?.models[0] ?? o.models[0]?.id ?? 'gpt-4o';
  const other = o.models.find((m) => m.id !== used)?.id ?? used;
  const accountId = o.accounts[0]?.id ?? 1;
  const blockId = o.blocks[0]?.id ?? 1;
  const ids = o.workloads.map((w) => w.id);
  switch (kind) {
    case 'model-swap':
      return { kind, target, from, fromModel: used, toModel: other, share: 1 };
    case 'surge':
      return { kind, target, from, rampDays: 0, factor: 2 };
    case 'new-workload':
      return { kind, name: 'New agent', accountId, from, dailyCostMicros: 50_000_000, volatility: 0.25 };
    case 'price-change':
      return { kind, model: used, from, factor: 1.2 };
    case 'top-up':
      return { kind, day: from ?? '2030-01-01', accountId, amountMicros: 10_000_000_000 };
    case 'throttle':
      return { kind, target, from, trigger: { kind: 'before-depletion', marginDays: 14 }, factor: 0.5 };
    case 'stop':
      return { kind, target, from, trigger: { kind: 'balance-below', micros: 1_000_000_000 } };
    case 'reallocate':
      return { kind, blockId, fromWorkload: ids[0] ?? 1, toWorkload: ids[1] ?? ids[0] ?? 1, amountMicros: 1_000_000_000 };
    case 'split-pool':
      return { kind, blockId, split: ids.slice(0, 2).map((workloadId) => ({ workloadId, percent: 50 })) };
  }
}

function nextDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

export function targetText(t: Target, o: ScenarioOptions): string {
  if (t.kind === 'workload') return o.workloads.find((w) => w.id === t.workloadId)?.name ?? `workload ${t.workloadId}`;
  if (t.kind === 'department') return `${t.department} department`;
  return o.accounts.find((a) => a.id === t.accountId)?.name ?? `account ${t.accountId}`;
}

const fromText = (from?: string) => (from ? ` from ${from}` : '');

/** One line per lever for the saved-scenario list. */
export function describeLever(l: Lever, o: ScenarioOptions): string {
  const acc = (id?: number) => o.accounts.find((a) => a.id === id)?.name ?? `account ${id}`;
  const blk = (id: number) => o.blocks.find((b) => b.id === id)?.name ?? `block ${id}`;
  const wl = (id: number) => o.workloads.find((w) => w.id === id)?.name ?? `workload ${id}`;
  switch (l.kind) {
    case 'model-swap':
      return `${targetText(l.target, o)}: ${Math.round(l.share * 100)}% ${l.fromModel} → ${l.toModel}${fromText(l.from)}`;
    case 'surge':
      return `${targetText(l.target, o)}: ${l.factor !== undefined ? `×${l.factor}` : `+${l.extraCallsPerDay} calls/day`}${l.rampDays ? ` over ${l.rampDays} days` : ''}${fromText(l.from)}`;
    case 'new-workload':
      return `${l.name} on ${acc(l.accountId)}: ${l.dailyCostMicros !== undefined ? `${money(l.dailyCostMicros)}/day` : `${l.model} tokens`}${fromText(l.from)}`;
    case 'price-change':
      return `${l.model} price ×${l.factor}${fromText(l.from)}`;
    case 'top-up':
      return `${money(l.amountMicros)} on ${l.blockId !== undefined ? blk(l.blockId) : acc(l.accountId)} on ${l.day}`;
    case 'throttle':
    case 'stop':
      return `${l.kind === 'stop' ? 'Stop' : `Throttle to ${Math.round(l.factor * 100)}%`} ${targetText(l.target, o)} ${l.trigger.kind === 'balance-below' ? `below ${money(l.trigger.micros)}` : `${l.trigger.marginDays} days before dry`}`;
    case 'reallocate':
      return `${money(l.amountMicros)} of ${blk(l.blockId)}: ${wl(l.fromWorkload)} → ${wl(l.toWorkload)}`;
    case 'split-pool':
      return `Split ${blk(l.blockId)} between ${l.split.length} workloads`;
  }
}

export type { Lever, LeverOf, Target };
