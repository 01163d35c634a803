import type { ScenarioOptions } from '../../../../shared/api/scenario-types';
import type { Lever, LeverKind, LeverOf, Trigger } from '../../../../shared/forecast/scenario';
import { DateField, ModelSelect, NumberField, Select, TargetField, TextField } from './fields';
import { toMicros } from './format';

type Props<K extends LeverKind> = { l: LeverOf<K>; o: ScenarioOptions; onChange(l: Lever): void };

const usd = (micros: number | undefined) => (micros === undefined ? undefined : micros / 1e6);
const accountsOf = (o: ScenarioOptions) => o.accounts.map((a) => ({ value: a.id, label: a.name }));
const blocksOf = (o: ScenarioOptions) => o.blocks.map((b) => ({ value: b.id, label: b.name }));
const workloadsOf = (o: ScenarioOptions) => o.workloads.map((w) => ({ value: w.id, label: w.name }));

/**
 * The fields of one lever. Amounts are typed in dollars and kept as micro-units; shares as
 * percentages and kept as 0..1. The engine validates the whole scenario again on save.
 */
export function LeverFields({ lever, options, onChange }: { lever: Lever; options: ScenarioOptions; onChange(l: Lever): void }) {
  const p = { o: options, onChange };
  switch (lever.kind) {
    case 'model-swap':
      return <SwapFields l={lever} {...p} />;
    case 'surge':
      return <SurgeFields l={lever} {...p} />;
    case 'new-workload':
      return <NewWorkloadFields l={lever} {...p} />;
    case 'price-change':
      return <PriceFields l={lever} {...p} />;
    case 'top-up':
      return <TopUpFields l={lever} {...p} />;
    case 'throttle':
    case 'stop':
      return <RuleFields l={lever} {...p} />;
    case 'reallocate':
      return <ReallocateFields l={lever} {...p} />;
    case 'split-pool':
      return <SplitFields l={lever} {...p} />;
  }
}

function SwapFields({ l, o, onChange }: Props<'model-swap'>) {
  const set = (patch: Partial<LeverOf<'model-swap'>>) => onChange({ ...l, ...patch });
  return (
    <>
      <TargetField value={l.target} options={o} onChange={(target) => set({ target })} />
      <DateField label="From" value={l.from} optional onChange={(from) => set({ from })} />
      <ModelSelect label="From model" value={l.fromModel} options={o} onChange={(fromModel) => set({ fromModel })} />
      <ModelSelect label="To model" value={l.toModel} options={o} onChange={(toModel) => set({ toModel })} />
      <NumberField label="Share of traffic (%)" value={Math.round(l.share * 1000) / 10} min={0} max={100} onChange={(v) => set({ share: v / 100 })} />
    </>
  );
}

/** ×k with a ramp, or N extra calls a day at a cost per call. */
function SurgeFields({ l, o, onChange }: Props<'surge'>) {
  const set = (patch: Partial<LeverOf<'surge'>>) => onChange({ ...l, ...patch });
  return (
    <>
      <TargetField value={l.target} options={o} onChange={(target) => set({ target })} />
      <DateField label="From" value={l.from} optional onChange={(from) => set({ from })} />
      <DateField label="Until (exclusive)" value={l.until} optional emptyMeans="no end" onChange={(until) => set({ until })} />
      <NumberField label="Ramp (days)" value={l.rampDays} min={0} step={1} onChange={(rampDays) => set({ rampDays })} />
      <Select
        label="Surge as"
        value={l.factor !== undefined ? 'factor' : 'calls'}
        options={[{ value: 'factor', label: '× spend' }, { value: 'calls', label: 'extra calls a day' }]}
        onChange={(m) => set(m === 'factor' ? { factor: 2, extraCallsPerDay: undefined, costPerCallMicros: undefined } : { factor: undefined, extraCallsPerDay: 10_000, costPerCallMicros: 2_000 })}
      />
      {l.factor !== undefined ? (
        <NumberField label="Multiplier (×k)" value={l.factor} min={0} onChange={(factor) => set({ factor })} />
      ) : (
        <>
          <NumberField label="Extra calls a day" value={l.extraCallsPerDay} min={0} step={1} onChange={(extraCallsPerDay) => set({ extraCallsPerDay })} />
          <NumberField label="Cost per call ($)" value={usd(l.costPerCallMicros)} min={0} onChange={(v) => set({ costPerCallMicros: toMicros(v) })} />
        </>
      )}
    </>
  );
}

function NewWorkloadFields({ l, o, onChange }: Props<'new-workload'>) {
  const set = (patch: Partial<LeverOf<'new-workload'>>) => onChange({ ...l, ...patch });
  return (
    <>
      <TextField label="Name" value={l.name} onChange={(name) => set({ name })} />
      <Select label="Account" value={l.accountId} options={accountsOf(o)} onChange={(accountId) => set({ accountId })} />
      <DateField label="From" value={l.from} optional onChange={(from) => set({ from })} />
      <NumberField label="Spend a day ($)" value={usd(l.dailyCostMicros)} min={0} onChange={(v) => set({ dailyCostMicros: toMicros(v) })} />
      <NumberField label="Volatility (σ, log scale)" value={l.volatility} min={0} max={2} onChange={(volatility) => set({ volatility })} />
    </>
  );
}

function PriceFields({ l, o, onChange }: Props<'price-change'>) {
  const set = (patch: Partial<LeverOf<'price-change'>>) => onChange({ ...l, ...patch });
  return (
    <>
      <ModelSelect label="Model" value={l.model} options={o} onChange={(model) => set({ model })} />
      <DateField label="From" value={l.from} optional onChange={(from) => set({ from })} />
      <NumberField label="Price ×" value={l.factor} min={0} onChange={(factor) => set({ factor })} />
    </>
  );
}

/** A new block like an existing one (same account, priority and kind) or on an account. */
function TopUpFields({ l, o, onChange }: Props<'top-up'>) {
  const set = (patch: Partial<LeverOf<'top-up'>>) => onChange({ ...l, ...patch });
  const where = [...blocksOf(o).map((b) => ({ value: `b${b.value}`, label: `Like ${b.label}` })), ...accountsOf(o).map((a) => ({ value: `a${a.value}`, label: a.label }))];
  return (
    <>
      <DateField label="Day" value={l.day} onChange={(day) => set({ day: day ?? l.day })} />
      <Select
        label="Like block / on account"
        value={l.blockId !== undefined ? `b${l.blockId}` : `a${l.accountId}`}
        options={where}
        onChange={(v) => set({ blockId: v.startsWith('b') ? Number(v.slice(1)) : undefined, accountId: v.startsWith('a') ? Number(v.slice(1)) : undefined })}
      />
      <NumberField label="Amount ($)" value={usd(l.amountMicros)} min={0} onChange={(v) => set({ amountMicros: toMicros(v) })} />
    </>
  );
}

/** Throttle or stop a workload when the account's balance says so. */
function RuleFields({ l, o, onChange }: { l: LeverOf<'throttle'> | LeverOf<'stop'>; o: ScenarioOptions; onChange(l: Lever): void }) {
  return (
    <>
      <TargetField value={l.target} options={o} onChange={(target) => onChange({ ...l, target })} />
      <DateField label="Armed from" value={l.from} optional onChange={(from) => onChange({ ...l, from })} />
      <TriggerFields trigger={l.trigger} onChange={(trigger) => onChange({ ...l, trigger })} />
      {l.kind === 'throttle' && <NumberField label="Keep (% of spend)" value={Math.round(l.factor * 100)} min={0} max={100} onChange={(v) => onChange({ ...l, factor: v / 100 })} />}
    </>
  );
}

function ReallocateFields({ l, o, onChange }: Props<'reallocate'>) {
  const set = (patch: Partial<LeverOf<'reallocate'>>) => onChange({ ...l, ...patch });
  return (
    <>
      <Select label="Block" value={l.blockId} options={blocksOf(o)} onChange={(blockId) => set({ blockId })} />
      <Select label="From workload" value={l.fromWorkload} options={workloadsOf(o)} onChange={(fromWorkload) => set({ fromWorkload })} />
      <Select label="To workload" value={l.toWorkload} options={workloadsOf(o)} onChange={(toWorkload) => set({ toWorkload })} />
      <NumberField label="Amount ($)" value={usd(l.amountMicros)} min={0} onChange={(v) => set({ amountMicros: toMicros(v) })} />
    </>
  );
}

/** What is left of a block split into allocations, a percentage per workload. */
function SplitFields({ l, o, onChange }: Props<'split-pool'>) {
  const split = (next: LeverOf<'split-pool'>['split']) => onChange({ ...l, split: next });
  const workloads = workloadsOf(o);
  return (
    <>
      <Select label="Block" value={l.blockId} options={blocksOf(o)} onChange={(blockId) => onChange({ ...l, blockId })} />
      {l.split.map((s, i) => (
        <span key={i} className="sc-split">
          <Select label={`Workload ${i + 1}`} value={s.workloadId} options={workloads} onChange={(workloadId) => split(l.split.map((x, j) => (j === i ? { ...x, workloadId } : x)))} />
          <NumberField label="Share (%)" value={s.percent} min={0} max={100} onChange={(percent) => split(l.split.map((x, j) => (j === i ? { workloadId: x.workloadId, percent } : x)))} />
        </span>
      ))}
      <button type="button" className="small" onClick={() => split([...l.split, { workloadId: workloads[0]?.value ?? 1, percent: 0 }])}>
        Add a share
      </button>
    </>
  );
}

function TriggerFields({ trigger, onChange }: { trigger: Trigger; onChange(t: Trigger): void }) {
  return (
    <>
      <Select
        label="When"
        value={trigger.kind}
        options={[{ value: 'before-depletion', label: 'days before the account runs dry' }, { value: 'balance-below', label: 'balance falls below' }]}
        onChange={(k) => onChange(k === 'before-depletion' ? { kind: k, marginDays: 14 } : { kind: k, micros: 1_000_000_000 })}
      />
      {trigger.kind === 'before-depletion' ? (
        <NumberField label="Safety margin (days)" value={trigger.marginDays} min={0} step={1} onChange={(marginDays) => onChange({ kind: 'before-depletion', marginDays })} />
      ) : (
        <NumberField label="Balance ($)" value={trigger.micros / 1e6} min={0} onChange={(v) => onChange({ kind: 'balance-below', micros: toMicros(v) })} />
      )}
    </>
  );
}
