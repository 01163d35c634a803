import type { ScenarioOptions } from '../../../../shared/api/scenario-types';
import type { Lever, LeverOf, Trigger } from '../../../../shared/forecast/scenario';
import { DateField, ModelSelect, NumberField, Select, TargetField, TextField } from './fields';
import { toMicros } from './format';

/**
 * The fields of one lever. Amounts are typed in dollars and kept as micro-units; shares as
 * percentages and kept as 0..1. The engine validates the whole scenario again on save.
 */
export function LeverFields({ lever, options, onChange }: { lever: Lever; options: ScenarioOptions; onChange(l: Lever): void }) {
  const set = <K extends Lever['kind']>(l: LeverOf<K>, patch: Partial<LeverOf<K>>) => onChange({ ...l, ...patch } as Lever);
  const usd = (micros: number | undefined) => (micros === undefined ? undefined : micros / 1e6);
  const accounts = options.accounts.map((a) => ({ value: a.id, label: a.name }));
  const blocks = options.blocks.map((b) => ({ value: b.id, label: b.name }));
  const workloads = options.workloads.map((w) => ({ value: w.id, label: w.name }));
  const l = lever;
  switch (l.kind) {
    case 'model-swap':
      return (
        <>
          <TargetField value={l.target} options={options} onChange={(target) => set(l, { target })} />
          <DateField label="From" value={l.from} optional onChange={(from) => set(l, { from })} />
          <ModelSelect label="From model" value={l.fromModel} options={options} onChange={(fromModel) => set(l, { fromModel })} />
          <ModelSelect label="To model" value={l.toModel} options={options} onChange={(toModel) => set(l, { toModel })} />
          <NumberField label="Share of traffic (%)" value={Math.round(l.share * 1000) / 10} min={0} max={100} onChange={(v) => set(l, { share: v / 100 })} />
        </>
      );
    case 'surge':
      return (
        <>
          <TargetField value={l.target} options={options} onChange={(target) => set(l, { target })} />
          <DateField label="From" value={l.from} optional onChange={(from) => set(l, { from })} />
          <DateField label="Until (exclusive)" value={l.until} optional onChange={(until) => set(l, { until })} />
          <NumberField label="Ramp (days)" value={l.rampDays} min={0} step={1} onChange={(rampDays) => set(l, { rampDays })} />
          <Select
            label="Surge as"
            value={l.factor !== undefined ? 'factor' : 'calls'}
            options={[{ value: 'factor', label: '× spend' }, { value: 'calls', label: 'extra calls a day' }]}
            onChange={(m) => onChange(m === 'factor' ? { ...l, factor: 2, extraCallsPerDay: undefined, costPerCallMicros: undefined } : { ...l, factor: undefined, extraCallsPerDay: 10_000, costPerCallMicros: 2_000 })}
          />
          {l.factor !== undefined ? (
            <NumberField label="Multiplier (×k)" value={l.factor} min={0} onChange={(factor) => set(l, { factor })} />
          ) : (
            <>
              <NumberField label="Extra calls a day" value={l.extraCallsPerDay} min={0} step={1} onChange={(extraCallsPerDay) => set(l, { extraCallsPerDay })} />
              <NumberField label="Cost per call ($)" value={usd(l.costPerCallMicros)} min={0} onChange={(v) => set(l, { costPerCallMicros: toMicros(v) })} />
            </>
          )}
        </>
      );
    case 'new-workload':
      return (
        <>
          <TextField label="Name" value={l.name} onChange={(name) => set(l, { name })} />
          <Select label="Account" value={l.accountId} options={accounts} onChange={(accountId) => set(l, { accountId })} />
          <DateField label="From" value={l.from} optional onChange={(from) => set(l, { from })} />
          <NumberField label="Spend a day ($)" value={usd(l.dailyCostMicros)} min={0} onChange={(v) => set(l, { dailyCostMicros: toMicros(v) })} />
          <NumberField label="Volatility (σ, log scale)" value={l.volatility} min={0} max={2} onChange={(volatility) => set(l, { volatility })} />
        </>
      );
    case 'price-change':
      return (
        <>
          <ModelSelect label="Model" value={l.model} options={options} onChange={(model) => set(l, { model })} />
          <DateField label="From" value={l.from} optional onChange={(from) => set(l, { from })} />
          <NumberField label="Price ×" value={l.factor} min={0} onChange={(factor) => set(l, { factor })} />
        </>
      );
    case 'top-up':
      return (
        <>
          <DateField label="Day" value={l.day} onChange={(day) => set(l, { day: day ?? l.day })} />
          <Select
            label="Like block / on account"
            value={l.blockId !== undefined ? `b${l.blockId}` : `a${l.accountId}`}
            options={[...blocks.map((b) => ({ value: `b${b.value}`, label: `Like ${b.label}` })), ...accounts.map((a) => ({ value: `a${a.value}`, label: a.label }))]}
            onChange={(v) => onChange({ ...l, blockId: v.startsWith('b') ? Number(v.slice(1)) : undefined, accountId: v.startsWith('a') ? Number(v.slice(1)) : undefined })}
          />
          <NumberField label="Amount ($)" value={usd(l.amountMicros)} min={0} onChange={(v) => set(l, { amountMicros: toMicros(v) })} />
        </>
      );
    case 'throttle':
    case 'stop':
      return (
        <>
          <TargetField value={l.target} options={options} onChange={(target) => onChange({ ...l, target })} />
          <DateField label="Armed from" value={l.from} optional onChange={(from) => onChange({ ...l, from })} />
          <TriggerFields trigger={l.trigger} onChange={(trigger) => onChange({ ...l, trigger })} />
          {l.kind === 'throttle' && <NumberField label="Keep (% of spend)" value={Math.round(l.factor * 100)} min={0} max={100} onChange={(v) => set(l, { factor: v / 100 })} />}
        </>
      );
    case 'reallocate':
      return (
        <>
          <Select label="Block" value={l.blockId} options={blocks} onChange={(blockId) => set(l, { blockId })} />
          <Select label="From workload" value={l.fromWorkload} options={workloads} onChange={(fromWorkload) => set(l, { fromWorkload })} />
          <Select label="To workload" value={l.toWorkload} options={workloads} onChange={(toWorkload) => set(l, { toWorkload })} />
          <NumberField label="Amount ($)" value={usd(l.amountMicros)} min={0} onChange={(v) => set(l, { amountMicros: toMicros(v) })} />
        </>
      );
    case 'split-pool':
      return (
        <>
          <Select label="Block" value={l.blockId} options={blocks} onChange={(blockId) => set(l, { blockId })} />
          {l.split.map((s, i) => (
            <span key={i} className="sc-split">
              <Select label={`Workload ${i + 1}`} value={s.workloadId} options={workloads} onChange={(workloadId) => set(l, { split: l.split.map((x, j) => (j === i ? { ...x, workloadId } : x)) })} />
              <NumberField label="Share (%)" value={s.percent} min={0} max={100} onChange={(percent) => set(l, { split: l.split.map((x, j) => (j === i ? { workloadId: x.workloadId, percent } : x)) })} />
            </span>
          ))}
          <button type="button" className="small" onClick={() => set(l, { split: [...l.split, { workloadId: workloads[0]?.value ?? 1, percent: 0 }] })}>
            Add a share
          </button>
        </>
      );
  }
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
