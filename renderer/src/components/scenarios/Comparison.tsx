import { Card } from '../ui';
import type { FanSeries, Outlook, ScenarioRunResult } from '../../../../shared/api/scenario-types';
import { DepletionChart, DepletionHistogramChart, FanChart, WasteOverageChart, runColour } from './charts';
import { DeltaTable, OutcomeTable } from './DeltaTable';
import { useScenariosStore } from './store';

/** Every block of the comparison: the baseline's, then the ones a scenario's top-up adds. */
function blocksOf(r: ScenarioRunResult): { id: number; name: string }[] {
  const seen = new Map<number, string>();
  for (const o of [r.baseline, ...r.scenarios]) for (const b of o.blocks) if (!seen.has(b.blockId)) seen.set(b.blockId, b.name);
  return [...seen].map(([id, name]) => ({ id, name }));
}

/**
 * The days worth drawing for a block: up to a little after the last day any run's P90 balance
 * is above zero (a block that runs dry in six weeks would otherwise be a flat line for a year).
 */
export function chartWindow(runs: Outlook[], blockId: number, horizon: number): number {
  let last = 0;
  for (const r of runs) {
    const fan = r.blocks.find((b) => b.blockId === blockId)?.fan;
    if (!fan) continue;
    for (let d = fan.p90.length - 1; d >= 0; d--) if (fan.p90[d] > 0) { last = Math.max(last, d); break; }
  }
  return Math.min(horizon, Math.max(30, Math.ceil(last * 1.2) + 7));
}

const cut = (f: FanSeries, n: number): FanSeries => ({ p10: f.p10.slice(0, n), p50: f.p50.slice(0, n), p90: f.p90.slice(0, n) });

/** Side-by-side comparison of the baseline and the scenarios of the last run. */
export function Comparison({ result }: { result: ScenarioRunResult }) {
  const { blockId, pickBlock } = useScenariosStore();
  const runs: Outlook[] = [result.baseline, ...result.scenarios];
  const blocks = blocksOf(result);
  const current = blocks.find((b) => b.id === blockId) ?? blocks[0];
  const yMax = current ? Math.max(0, ...runs.flatMap((r) => r.blocks.filter((b) => b.blockId === current.id).flatMap((b) => b.fan.p90))) : 0;
  const n = current ? chartWindow(runs, current.id, result.horizonDays) : result.horizonDays;
  const days = result.days.slice(0, n);
  const baseFan = current && result.baseline.blocks.find((b) => b.blockId === current.id)?.fan;
  const warnings = runs.flatMap((r) => r.warnings.map((w) => `${r.label}: ${w}`));
  return (
    <section className="sc-comparison" aria-label="Comparison with the baseline">
      <Card
        title={`Comparison: ${runs.map((r) => r.label).join(' · ')}`}
        actions={
          current && (
            <label className="sc-field sc-inline">
              <span>Credit block</span>
              <select value={current.id} onChange={(e) => pickBlock(Number(e.target.value))} aria-label="Credit block shown in the charts">
                {blocks.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.name}
                  </option>
                ))}
              </select>
            </label>
          )
        }
      >
        <p className="muted small">
          From {result.startDay} for {result.horizonDays} days · {result.paths.toLocaleString('en-US')} paths · seed {result.seed} · history to {result.asOf} · simulated in {(result.elapsedMs / 1000).toFixed(1)} s
        </p>
        {warnings.length > 0 && (
          <ul className="sc-warnings">
            {warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        )}
        {current ? (
          <>
            <h3>
              Balance of {current.name} over time (P10–P90 band, P50 line){n < result.horizonDays && <span className="muted small"> · first {n} of {result.horizonDays} days: the block is empty after</span>}
            </h3>
            <div className="sc-fans">
              {runs.map((r, i) => {
                const b = r.blocks.find((x) => x.blockId === current.id);
                return (
                  <figure key={i} className="sc-fan">
                    <figcaption>
                      <span className="sc-swatch" style={{ background: runColour(i) }} aria-hidden />
                      {r.label}
                    </figcaption>
                    {b ? (
                      <FanChart days={days} fan={cut(b.fan, n)} baseline={i > 0 && baseFan ? cut(baseFan, n) : undefined} colour={runColour(i)} yMax={yMax} label={`Fan chart: ${current.name}, ${r.label}`} />
                    ) : (
                      <p className="muted">This block is not part of this run.</p>
                    )}
                  </figure>
                );
              })}
            </div>
            <div className="sc-grid-2 sc-charts">
              <div>
                <h3>When {current.name} runs dry</h3>
                <DepletionChart runs={runs} blockId={current.id} days={days} />
              </div>
              <div>
                <h3>Waste and overage over the horizon</h3>
                <WasteOverageChart runs={runs} />
              </div>
            </div>
            <div className="sc-charts">
              <h3>Depletion dates of {current.name} by week</h3>
              <DepletionHistogramChart runs={runs} blockId={current.id} name={current.name} />
            </div>
          </>
        ) : (
          <p className="muted">No credit block has credit left to forecast.</p>
        )}
      </Card>
      <Card title="Outcome per run">
        <OutcomeTable runs={runs} />
      </Card>
      {result.scenarios.length > 0 && (
        <Card title="Change against the baseline">
          <DeltaTable result={result} />
        </Card>
      )}
    </section>
  );
}
