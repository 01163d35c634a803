import type { ReportData } from '../../../shared/api/report-types';
import { money, hours } from '../../../shared/report-format';
import { ReportHeader, Section, Table, Tiles, Badge } from './parts';

type Data = Extract<ReportData, { report: 'summary' }>;

export function SummaryReport({ data }: { data: Data }) {
  const s = data.summary;
  const counts = { pass: 0, warn: 0, fail: 0 };
  for (const c of s.posture.controls) counts[c.status] += 1;
  return (
    <article className="report" data-report="summary">
      <ReportHeader meta={data.meta} subtitle={`ledger as of ${s.asOf ?? '—'}`} />
      <Tiles items={s.headline.map((h) => ({ label: h.label, value: h.value, testId: `headline-${h.label}` }))} />
      <Section title="Findings">
        <ul className="findings">
          {s.findings.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
      </Section>
      <Section title="Where things stand">
        <Table
          label="Status"
          rows={[
            { area: 'Reconciliation', status: `${s.reconciliation.reconciled} of ${s.reconciliation.rows} period·account rows within tolerance; ${s.reconciliation.signedOff} signed off`, amount: money(s.reconciliation.unexplainedMicros, s.reconciliation.currency) + ' unexplained' },
            { area: 'Incidents', status: `${s.incidents.count} recorded, ${s.incidents.withSpend} with spend impact; mean detection lag ${hours(s.incidents.meanLagHours)}`, amount: money(s.incidents.excessMicros) + ' excess' },
            { area: 'Spikes without incident', status: `${s.incidents.unexplainedSpikes} to review as possible undetected compromise`, amount: '' },
            { area: 'Auto-recharge during incidents', status: s.incidents.autoRechargeMicros > 0 ? 'bought while an incident ran' : 'none', amount: money(s.incidents.autoRechargeMicros) },
            { area: 'Controls', status: `${counts.pass} pass, ${counts.warn} warn, ${counts.fail} fail`, amount: '' },
          ]}
          rowKey={(r) => r.area}
          columns={[
            { head: 'Area', cell: (r) => r.area },
            { head: 'Status', cell: (r) => r.status, wrap: true },
            { head: 'Amount', num: true, cell: (r) => r.amount },
          ]}
        />
        <Table
          label="Billed usage in the period"
          rows={s.spend}
          rowKey={(x) => `${x.provider}-${x.currency}`}
          columns={[
            { head: 'Provider', cell: (x) => x.provider },
            { head: 'Currency', cell: (x) => x.currency },
            { head: 'Billed usage in the period', num: true, cell: (x) => money(x.billedCostMicros, x.currency) },
          ]}
        />
      </Section>
      <Section title="Controls posture" newPage>
        <p className="muted">
          {s.postureSource === 'posture-get' ? 'From the controls posture of the ledger, computed from the data.' : 'Minimal posture from reconciliation and incident evidence only.'}
        </p>
        <Table
          label="Controls posture"
          rows={s.posture.controls}
          rowKey={(c) => c.id}
          columns={[
            { head: 'Control', cell: (c) => c.title, wrap: true },
            { head: 'Status', cell: (c) => <Badge status={c.status} /> },
            { head: 'Evidence and what is missing', wrap: true, cell: (c) => [c.evidence, ...c.missing.slice(0, 3), c.missing.length > 3 ? `… ${c.missing.length - 3} more` : ''].filter(Boolean).join(' ') },
            { head: 'Fix owner', cell: (c) => c.fixOwner, wrap: true },
          ]}
        />
      </Section>
      <Section title="Framework mapping">
        <Table
          label="Framework mapping"
          rows={s.frameworks}
          rowKey={(f) => `${f.framework}-${f.id}`}
          columns={[
            { head: 'Framework', cell: (f) => f.framework },
            { head: 'Reference', cell: (f) => f.id },
            { head: 'What it asks', cell: (f) => f.title, wrap: true },
            { head: 'Drawdown control', cell: (f) => f.drawdownControl, wrap: true },
            { head: 'Status', cell: (f) => <Badge status={f.status} /> },
          ]}
        />
      </Section>
    </article>
  );
}
