import type { ReportData, ReconVariance, ReconPeriodRow, ValueRowView } from '../../../shared/api/report-types';
import { money, signedMoney, percent } from '../../../shared/report-format';
import { ReportHeader, Section, Table, Tiles, Notes, type Column } from './parts';
import { ValueTrendChart } from './charts';

type Data = Extract<ReportData, { report: 'reconciliation' }>;

const COMPARISON: Record<ReconVariance['comparison'], string> = {
  credits: 'Credits bought vs blocks recorded',
  invoice: 'Consumed vs invoiced',
  catalog: 'Billed vs price catalog',
};

const periodColumns: Column<ReconPeriodRow>[] = [
  { head: 'Period', cell: (r) => r.period },
  { head: 'Account', cell: (r) => r.accountName },
  { head: 'Bought', num: true, cell: (r) => money(r.creditsBoughtMicros, r.currency) },
  { head: 'Blocks', num: true, cell: (r) => money(r.blocksRecordedMicros, r.currency) },
  { head: 'Consumed', num: true, cell: (r) => money(r.consumedMicros, r.currency) },
  { head: 'Invoiced', num: true, cell: (r) => money(r.invoicedMicros, r.currency) },
  { head: 'Catalog', num: true, cell: (r) => money(r.catalogCostMicros, r.currency) },
  { head: 'Status', cell: (r) => r.status },
  { head: 'Signed off', cell: (r) => (r.signoff ? `${r.signoff.by} ${r.signoff.at.slice(0, 10)}` : '—') },
];

function VarianceBlock({ v }: { v: ReconVariance }) {
  return (
    <div className="variance" style={{ breakInside: 'avoid' }}>
      <h3>
        {v.period} · {v.accountName} · {COMPARISON[v.comparison]}
      </h3>
      <p>
        {v.expectedLabel} {money(v.expectedMicros, v.currency)} → {v.actualLabel} {money(v.actualMicros, v.currency)}: variance{' '}
        <strong>{signedMoney(v.varianceMicros, v.currency)}</strong>, of which {signedMoney(v.unexplainedMicros, v.currency)} unexplained.
      </p>
      <Table
        label={`Causes ${v.period} ${v.accountName} ${v.comparison}`}
        rowKey={(c) => c.cause}
        rows={v.causes}
        empty="No cause found."
        columns={[
          { head: 'Cause', cell: (c) => c.cause },
          { head: 'Amount', num: true, cell: (c) => signedMoney(c.amountMicros, v.currency) },
          { head: 'Explanation', wrap: true, cell: (c) => c.explanation },
        ]}
      />
    </div>
  );
}

const valueColumns: Column<ValueRowView>[] = [
  { head: 'Workload', cell: (r) => r.workloadPath },
  { head: 'Period', cell: (r) => r.period },
  { head: 'Metric', cell: (r) => r.metric },
  { head: 'Units', num: true, cell: (r) => r.units.toLocaleString('en-US') },
  { head: 'Cost', num: true, cell: (r) => money(r.costMicros) },
  { head: 'Value', num: true, cell: (r) => money(r.valueMicros) },
  { head: 'Cost / unit', num: true, cell: (r) => money(r.costPerUnitMicros) },
  { head: 'Value / cost', num: true, cell: (r) => (r.valueToCost === null ? '—' : `${r.valueToCost.toFixed(2)}×`) },
];

export function ReconciliationReport({ data }: { data: Data }) {
  const r = data.reconciliation;
  const v = data.value;
  const outside = r.variances.filter((x) => !x.withinTolerance);
  const within = r.variances.filter((x) => x.withinTolerance);
  return (
    <article className="report" data-report="reconciliation">
      <ReportHeader meta={data.meta} subtitle={`${r.periods.length} whole month(s), ${r.accounts.length} account(s)`} />
      {r.totals.map((t) => (
        <Tiles
          key={t.currency}
          items={[
            { label: `Credits bought (${t.currency})`, value: money(t.creditsBoughtMicros, t.currency), testId: `total-bought-${t.currency}` },
            { label: `Blocks recorded (${t.currency})`, value: money(t.blocksRecordedMicros, t.currency), testId: `total-blocks-${t.currency}` },
            { label: `Consumed (${t.currency})`, value: money(t.consumedMicros, t.currency), testId: `total-consumed-${t.currency}` },
            { label: `Invoiced (${t.currency})`, value: money(t.invoicedMicros, t.currency), testId: `total-invoiced-${t.currency}` },
            { label: `Catalog cost (${t.currency})`, value: money(t.catalogCostMicros, t.currency), testId: `total-catalog-${t.currency}` },
            { label: 'Reconciled rows', value: `${r.rows.filter((x) => x.reconciled).length} of ${r.rows.length}` },
          ]}
        />
      ))}
      <Section title="Per period and credit account">
        <Table label="Reconciliation per period and account" columns={periodColumns} rows={r.rows} rowKey={(x) => `${x.period}-${x.accountId}`} empty="No usage, invoices or blocks in this period." />
      </Section>
      <Section title={`Variances outside tolerance (${outside.length})`}>
        {outside.length === 0 ? <p>Every comparison is within tolerance.</p> : outside.map((x) => <VarianceBlock key={`${x.period}-${x.accountId}-${x.comparison}`} v={x} />)}
      </Section>
      <Section title={`Within tolerance (${within.length})`}>
        <Table
          label="Variances within tolerance"
          rows={within}
          rowKey={(x) => `${x.period}-${x.accountId}-${x.comparison}`}
          columns={[
            { head: 'Period', cell: (x) => x.period },
            { head: 'Account', cell: (x) => x.accountName },
            { head: 'Comparison', cell: (x) => COMPARISON[x.comparison] },
            { head: 'Expected', num: true, cell: (x) => money(x.expectedMicros, x.currency) },
            { head: 'Actual', num: true, cell: (x) => money(x.actualMicros, x.currency) },
            { head: 'Variance', num: true, cell: (x) => signedMoney(x.varianceMicros, x.currency) },
          ]}
        />
      </Section>
      <Section title="Business value" newPage>
        <p className="muted">Cost per unit of value per workload and month ({v.currency}); value = units × value per unit as entered.</p>
        {v.trends.length > 0 && <div className="chart-box"><ValueTrendChart trends={v.trends} /></div>}
        {v.outgrowing.length > 0 && (
          <>
            <h3>Cost grows faster than value</h3>
            <ul className="findings">
              {v.outgrowing.map((t) => (
                <li key={`${t.workloadId}-${t.metric}`}>{t.explanation}</li>
              ))}
            </ul>
          </>
        )}
        <Table
          label="Trends"
          rows={v.trends}
          rowKey={(t) => `${t.workloadId}-${t.metric}`}
          columns={[
            { head: 'Workload', cell: (t) => t.workloadPath },
            { head: 'Metric', cell: (t) => t.metric },
            { head: 'Cost / month', num: true, cell: (t) => percent(t.costGrowth) },
            { head: 'Value / month', num: true, cell: (t) => percent(t.valueGrowth) },
            { head: 'Cost per unit / month', num: true, cell: (t) => percent(t.costPerUnitGrowth) },
          ]}
        />
        <Table label="Value per workload and period" columns={valueColumns} rows={v.rows} rowKey={(x) => `${x.workloadId}-${x.metric}-${x.period}`} empty="No value metrics entered for this period." />
      </Section>
      <Section title="Notes">
        <Notes items={r.notes} />
      </Section>
    </article>
  );
}
