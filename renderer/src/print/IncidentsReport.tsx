import type { IncidentView, ReportData, SpikeView } from '../../../shared/api/report-types';
import { money, hours, instant } from '../../../shared/report-format';
import { ReportHeader, Section, Table, Tiles, Notes, type Column } from './parts';
import { TimelineChart } from './charts';

type Data = Extract<ReportData, { report: 'incidents' }>;

export const spikeColumns: Column<SpikeView>[] = [
  { head: 'Series', cell: (s) => s.label },
  { head: 'Account', cell: (s) => s.accountName ?? '—' },
  { head: 'Start', cell: (s) => `${instant(s.startAt)} (${s.startBasis})` },
  { head: 'End', cell: (s) => instant(s.endAt) },
  { head: 'Spend', num: true, cell: (s) => money(s.spendMicros) },
  { head: 'Baseline', num: true, cell: (s) => money(s.baselineMicros) },
  { head: 'Excess', num: true, cell: (s) => money(s.excessMicros) },
];

type Matched = IncidentView['spikes'][number];
const matchedColumns: Column<Matched>[] = [
  ...spikeColumns.map((c) => ({ ...c, cell: (m: Matched) => c.cell(m.spike) })),
  { head: 'Matched by', cell: (m) => m.matchedBy.join(', ') },
];

/** One incident: the facts, the spikes it explains, the top-ups in its window, and its timeline. */
export function IncidentBlock({ i, newPage }: { i: IncidentView; newPage?: boolean }) {
  return (
    <Section title={`${i.externalId} · ${i.title}`} newPage={newPage} id={`incident-${i.id}`}>
      <dl className="facts">
        <dt>Incident start</dt>
        <dd>{instant(i.startedAt)}</dd>
        <dt>Spike start</dt>
        <dd data-testid="spike-start">{instant(i.spikeStart)}</dd>
        <dt>Detected</dt>
        <dd>{instant(i.detectedAt)}</dd>
        <dt>Detection lag</dt>
        <dd data-testid="detection-lag">{hours(i.detectionLagHours)}</dd>
        <dt>Resolved</dt>
        <dd>{instant(i.resolvedAt)}</dd>
        <dt>Excess spend</dt>
        <dd data-testid="excess">{money(i.excessMicros)}</dd>
        <dt>Top-ups in window</dt>
        <dd>{money(i.topUpMicros)}</dd>
        <dt>Of which auto-recharge</dt>
        <dd>{money(i.autoRechargeMicros)}</dd>
        <dt>Targets</dt>
        <dd style={{ gridColumn: 'span 3', fontWeight: 400 }}>{[...i.targets.apiKeys, ...i.targets.workloads, ...i.targets.accounts].join(' · ') || '—'}</dd>
      </dl>
      {!i.spendImpact && <p>No spend spike matches this incident: no measurable spend impact.</p>}
      {i.timeline && (
        <div className="chart-box">
          <TimelineChart timeline={i.timeline} label={`Daily spend against baseline around ${i.externalId}`} />
        </div>
      )}
      {i.hourly && (
        <div className="chart-box">
          <TimelineChart timeline={i.hourly} label={`Hourly spend against baseline during ${i.externalId}`} height={200} />
        </div>
      )}
      {i.timeline && <p className="muted">Series: {i.timeline.seriesLabels.join(', ')}. Dashed line: seasonal baseline{i.hourly ? ' (hourly: the day’s baseline spread over 24 hours)' : ''}.</p>}
      {i.spikes.length > 0 && (
        <Table label={`Spikes matched to ${i.externalId}`} columns={matchedColumns} rows={i.spikes} rowKey={(m) => m.spike.id} />
      )}
      {i.topUps.length > 0 && (
        <Table
          label={`Top-ups during ${i.externalId}`}
          rows={i.topUps}
          rowKey={(t) => String(t.blockId)}
          columns={[
            { head: 'Top-up', cell: (t) => t.blockName },
            { head: 'Account', cell: (t) => t.accountName },
            { head: 'Bought on', cell: (t) => t.purchasedOn },
            { head: 'Kind', cell: (t) => t.kind },
            { head: 'Amount', num: true, cell: (t) => money(t.amountMicros, t.unit) },
          ]}
        />
      )}
    </Section>
  );
}

export function IncidentsReport({ data }: { data: Data }) {
  const r = data.incidents;
  const withSpend = r.incidents.filter((i) => i.spendImpact);
  return (
    <article className="report" data-report="incidents">
      <ReportHeader meta={data.meta} />
      <Tiles
        items={[
          { label: 'Incidents', value: `${r.incidents.length} (${withSpend.length} with spend impact)` },
          { label: 'Excess spend in incidents', value: money(withSpend.reduce((s, i) => s + i.excessMicros, 0)), testId: 'total-excess' },
          { label: 'Spikes without an incident', value: String(r.unexplained.length), testId: 'unexplained-count' },
          { label: 'Excess without an incident', value: money(r.unexplained.reduce((s, u) => s + u.excessMicros, 0)) },
          { label: 'Level shifts (not spikes)', value: String(r.levelShifts.length) },
          { label: 'Credit bought in the period', value: money(r.topUps.reduce((s, t) => s + t.amountMicros, 0)) },
        ]}
      />
      <Section title="How spikes were found">
        <Notes items={r.method} />
      </Section>
      {r.incidents.map((i, k) => (
        <IncidentBlock key={i.id} i={i} newPage={k > 0 && i.spendImpact} />
      ))}
      <Section title={`Spikes without an incident (${r.unexplained.length})`} newPage>
        <Table
          label="Spikes without an incident"
          rows={r.unexplained}
          rowKey={(u) => u.id}
          empty="Every spike in the period is covered by a recorded incident."
          columns={[
            { head: 'Series', cell: (u) => u.label, wrap: true },
            { head: 'Start', cell: (u) => instant(u.startAt) },
            { head: 'End', cell: (u) => instant(u.endAt) },
            { head: 'Excess', num: true, cell: (u) => money(u.excessMicros) },
            { head: 'Top-ups', num: true, cell: (u) => money(u.topUps.reduce((s, t) => s + t.amountMicros, 0)) },
          ]}
        />
        <Notes items={r.unexplained.map((u) => u.explanation)} />
      </Section>
      <Section title={`Incidents without spend impact (${r.incidentsWithoutSpend.length})`}>
        <Table label="Incidents without spend impact" rows={r.incidentsWithoutSpend} rowKey={(i) => String(i.id)} empty="Every incident in the period moved spend." columns={[{ head: 'Incident', cell: (i) => i.externalId }, { head: 'Title', cell: (i) => i.title, wrap: true }]} />
      </Section>
      <Section title={`Level shifts (${r.levelShifts.length})`}>
        <p className="muted">Spend that rose and stayed up (a model swap, a new workload): a change to review for value, not a spike.</p>
        <Table
          label="Level shifts"
          rows={r.levelShifts}
          rowKey={(l) => l.spike.id}
          columns={[
            { head: 'Series', cell: (l) => l.spike.label },
            { head: 'From', cell: (l) => l.spike.start },
            { head: 'Daily before', num: true, cell: (l) => money(l.preMicros) },
            { head: 'During', num: true, cell: (l) => money(l.runMicros) },
            { head: 'After', num: true, cell: (l) => money(l.postMicros) },
            { head: 'Explained by', wrap: true, cell: (l) => l.explainedBy ?? '—' },
          ]}
        />
      </Section>
      <Section title="Signs of a compromised key">
        <h3>First use of a model by a key ({r.newModels.length})</h3>
        <Notes items={r.newModels.map((f) => f.explanation)} />
        <h3>Probe then burst ({r.probes.length})</h3>
        <Notes items={r.probes.map((p) => p.explanation)} />
      </Section>
    </article>
  );
}
