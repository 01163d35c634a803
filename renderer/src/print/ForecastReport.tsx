import type { ReportData } from '../../../shared/api/report-types';
import { money, percent } from '../../../shared/report-format';
import { ReportHeader, Section, Table, Tiles, Notes } from './parts';
import { ForecastChart } from './charts';

type Data = Extract<ReportData, { report: 'forecast' }>;

export function ForecastReport({ data }: { data: Data }) {
  const f = data.forecast;
  return (
    <article className="report" data-report="forecast">
      <ReportHeader meta={data.meta} subtitle={`ledger as of ${f.asOf ?? '—'}`} />
      {f.totals.map((t) => (
        <Tiles
          key={t.unit}
          items={[
            { label: `Remaining (${t.unit})`, value: money(t.remainingMicros, t.unit), testId: `total-remaining-${t.unit}` },
            { label: `Burn per day (${t.unit})`, value: money(t.burnPerDayMicros, t.unit) },
            { label: `Expiring unused, ledger (${t.unit})`, value: money(t.expiringUnusedMicros, t.unit), testId: `total-expiring-${t.unit}` },
          ]}
        />
      ))}
      <p className="muted">{f.methodNote}</p>
      {f.chart.lines.length > 0 && (
        <div className="chart-box">
          <ForecastChart chart={f.chart} />
        </div>
      )}
      {f.simulation && (
        <Section title={`Simulated outlook (${f.simulation.paths} paths, ${f.simulation.horizonDays} days)`}>
          <Table
            label="Simulated outlook per credit account"
            rows={f.simulation.accounts}
            rowKey={(a) => `${a.accountName}-${a.unit}`}
            columns={[
              { head: 'Account', cell: (a) => a.accountName },
              { head: 'Dry P10', cell: (a) => a.p10 ?? '—' },
              { head: 'Dry P50', cell: (a) => a.p50 ?? '—' },
              { head: 'Dry P90', cell: (a) => a.p90 ?? '—' },
              { head: 'P(dry)', num: true, cell: (a) => percent(a.probDry, 0) },
              { head: 'Expected unused', num: true, cell: (a) => money(a.expectedWasteMicros, a.unit) },
              { head: 'Expected overage', num: true, cell: (a) => money(a.expectedOverageMicros, a.unit) },
            ]}
          />
          <Table
            label="Simulated outlook per credit block"
            rows={f.simulation.blocks}
            rowKey={(b) => b.name}
            columns={[
              { head: 'Block', cell: (b) => b.name, wrap: true },
              { head: 'Dry P10', cell: (b) => b.p10 ?? '—' },
              { head: 'Dry P50', cell: (b) => b.p50 ?? '—' },
              { head: 'Dry P90', cell: (b) => b.p90 ?? '—' },
              { head: 'P(dry before expiry)', num: true, cell: (b) => percent(b.probDryBeforeExpiry, 0) },
              { head: 'Expires', cell: (b) => b.expiresOn ?? 'never' },
              { head: 'Expected unused', num: true, cell: (b) => money(b.expectedWasteMicros, b.unit) },
            ]}
          />
          <Notes items={f.simulation.warnings} />
        </Section>
      )}
      <Section title="Credit accounts (ledger)">
        <Table
          label="Runway per credit account"
          rows={f.accounts}
          rowKey={(a) => `${a.accountName}-${a.unit}`}
          columns={[
            { head: 'Account', cell: (a) => a.accountName },
            { head: 'Remaining', num: true, cell: (a) => money(a.remainingMicros, a.unit) },
            { head: 'Burn / day', num: true, cell: (a) => money(a.burnPerDayMicros, a.unit) },
            { head: 'Runway', num: true, cell: (a) => (a.runwayDays === null ? '—' : `${a.runwayDays} d`) },
            { head: 'Dry on', cell: (a) => a.dryOn ?? '—' },
            { head: 'Overage', num: true, cell: (a) => money(a.overageMicros, a.unit) },
          ]}
        />
      </Section>
      <Section title="Credit blocks (ledger)">
        <Table
          label="Burn, runway and expiry per credit block"
          rows={f.blocks}
          rowKey={(b) => String(b.blockId)}
          columns={[
            { head: 'Block', cell: (b) => b.name, wrap: true },
            { head: 'Kind', cell: (b) => b.kind },
            { head: 'Remaining', num: true, cell: (b) => money(b.remainingMicros, b.unit) },
            { head: 'Burn / day', num: true, cell: (b) => money(b.burnPerDayMicros, b.unit) },
            { head: 'Runway', num: true, cell: (b) => (b.runwayDays === null ? '—' : `${b.runwayDays} d`) },
            { head: 'Dry on', cell: (b) => b.dryOn ?? '—' },
            { head: 'Expires', cell: (b) => b.expiresOn ?? 'never' },
            { head: 'Unused at expiry', num: true, cell: (b) => money(b.expiringUnusedMicros, b.unit) },
          ]}
        />
      </Section>
    </article>
  );
}
