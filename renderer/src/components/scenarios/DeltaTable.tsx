import type { Outlook, ScenarioRunResult } from '../../../../shared/api/scenario-types';
import { date, money, pct, shiftText, signedMoney, signedPoints } from './format';

/** Per run and block: depletion P10/P50/P90, dry before expiry and renewal, waste; per account: overage. */
export function OutcomeTable({ runs }: { runs: Outlook[] }) {
  return (
    <div className="table-wrap">
      <table className="data sc-compact" aria-label="Outcome per run">
        <thead>
          <tr>
            <th>Run</th>
            <th>Credit block / account</th>
            <th>Runs dry P10</th>
            <th>P50</th>
            <th>P90</th>
            <th className="num">P(dry before expiry)</th>
            <th className="num">Expected waste</th>
            <th className="num">Expected overage</th>
          </tr>
        </thead>
        <tbody>
          {runs.flatMap((r, ri) => [
            ...r.blocks.map((b) => (
              <tr key={`${ri}-b${b.blockId}`} data-testid={`outcome-${ri}-block-${b.blockId}`}>
                <td>{r.label}</td>
                <td className="sc-wrap">
                  {b.name}
                  {b.expiresOn && <span className="sc-sub">expires {b.expiresOn}</span>}
                </td>
                <td>{date(b.p10)}</td>
                <td>
                  <strong>{date(b.p50)}</strong>
                </td>
                <td>{date(b.p90)}</td>
                <td className="num">{b.expiryBeyondHorizon && b.probDryBeforeExpiry === 0 ? '—' : pct(b.probDryBeforeExpiry)}</td>
                <td className="num">{money(b.expectedWasteMicros, b.unit)}</td>
                <td className="num" />
              </tr>
            )),
            ...r.accounts.map((a) => (
              <tr key={`${ri}-a${a.accountId}`} className="sc-account-row">
                <td>{r.label}</td>
                <td className="sc-wrap">
                  {a.name} (account)
                  {a.nextRenewal && (
                    <span className="sc-sub">
                      renewal {a.nextRenewal}: P(dry before) {pct(a.probDryBeforeRenewal)}
                    </span>
                  )}
                </td>
                <td>{date(a.p10)}</td>
                <td>
                  <strong>{date(a.p50)}</strong>
                </td>
                <td>{date(a.p90)}</td>
                <td className="num">{pct(a.probDryBeforeExpiry)}</td>
                <td className="num">{money(a.expectedWasteMicros, a.unit)}</td>
                <td className="num">{money(a.expectedOverageMicros, a.unit)}</td>
              </tr>
            )),
          ])}
        </tbody>
      </table>
    </div>
  );
}

/** Scenario minus baseline: depletion shift, dry-before-expiry, waste, overage. */
export function DeltaTable({ result }: { result: ScenarioRunResult }) {
  const baseBlock = new Map(result.baseline.blocks.map((b) => [b.blockId, b]));
  const baseAccount = new Map(result.baseline.accounts.map((a) => [a.accountId, a]));
  return (
    <div className="table-wrap">
      <table className="data sc-compact" aria-label="Change against the baseline">
        <thead>
          <tr>
            <th>Scenario</th>
            <th>Credit block / account</th>
            <th>P50 dry: baseline → scenario</th>
            <th>Shift</th>
            <th className="num">P(dry before expiry)</th>
            <th className="num">Waste</th>
            <th className="num">Overage</th>
          </tr>
        </thead>
        <tbody>
          {result.scenarios.flatMap((s, si) => [
            ...s.blockDeltas.map((d) => {
              const b = baseBlock.get(d.blockId)!;
              const after = s.blocks.find((x) => x.blockId === d.blockId)!;
              return (
                <tr key={`${si}-b${d.blockId}`} data-testid={`delta-${si}-block-${d.blockId}`}>
                  <td>{s.label}</td>
                  <td className="sc-wrap">{b.name}</td>
                  <td className="sc-wrap">
                    {date(b.p50)} → {date(after.p50)}
                  </td>
                  <td className={d.p50ShiftDays !== null && d.p50ShiftDays < 0 ? 'sc-worse' : d.p50ShiftDays ? 'sc-better' : ''}>{shiftText(d.p50ShiftDays)}</td>
                  <td className="num">{signedPoints(d.probDryBeforeExpiry)}</td>
                  <td className="num">{signedMoney(d.expectedWasteMicros, b.unit)}</td>
                  <td className="num" />
                </tr>
              );
            }),
            ...s.accountDeltas.map((d) => {
              const a = baseAccount.get(d.accountId)!;
              const after = s.accounts.find((x) => x.accountId === d.accountId)!;
              return (
                <tr key={`${si}-a${d.accountId}`} className="sc-account-row">
                  <td>{s.label}</td>
                  <td className="sc-wrap">{a.name} (account)</td>
                  <td className="sc-wrap">
                    {date(a.p50)} → {date(after.p50)}
                  </td>
                  <td className={d.p50ShiftDays !== null && d.p50ShiftDays < 0 ? 'sc-worse' : d.p50ShiftDays ? 'sc-better' : ''}>{shiftText(d.p50ShiftDays)}</td>
                  <td className="num">{signedPoints(d.probDryBeforeExpiry)}</td>
                  <td className="num">{signedMoney(d.expectedWasteMicros, a.unit)}</td>
                  <td className="num">{signedMoney(d.expectedOverageMicros, a.unit)}</td>
                </tr>
              );
            }),
          ])}
        </tbody>
      </table>
    </div>
  );
}
