import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../electron/cli/main';
import { createEngine } from '../../electron/engine/engine';
import { startServer } from '../../electron/server/server';
import { money, hours, instant } from '../../shared/report-format';
import { tempDbPath, tempDir } from '../helpers';

/** The PDF comes from the built renderer (npm run build) printed by the system Chromium. */
const RENDERER = path.resolve(__dirname, '..', '..', 'out', 'renderer');
const built = fs.existsSync(path.join(RENDERER, 'index.html'));
if (!built) console.warn('[report-pdf] out/renderer is missing: run "npm run build" before this test; skipping the PDF checks.');

function io(env: NodeJS.ProcessEnv = process.env) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t), env, rendererDir: RENDERER } };
}

const pdfText = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
/** pdftotext lays columns out with runs of spaces; one space is enough to find a sentence. */
const squash = (s: string) => s.replace(/[ \t]+/g, ' ');
/** …and it sometimes drops a narrow space in bold text ("9h"): compare without any whitespace. */
const flat = (s: string) => s.replace(/\s+/g, '');

describe('drawdown report (CLI)', () => {
  let db: string;
  const win = ['--from', '2026-09-01', '--to', '2026-10-31'];

  beforeAll(async () => {
    db = tempDbPath();
    const e = createEngine({ dbPath: db, mode: 'test' });
    await e.invoke('demo-load', {});
    e.close();
  });

  it.skipIf(!built)('prints the reconciliation PDF with the engine’s totals to the cent', async () => {
    const file = path.join(tempDir(), 'reconciliation.pdf');
    const a = io();
    expect(await runCli(['report', 'reconciliation', '--db', db, ...win, '--format', 'pdf', '--out', file], a.io), a.err.join('\n')).toBe(0);
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    const text = squash(pdfText(file));
    const e = createEngine({ dbPath: db, mode: 'test' });
    const r = await e.invoke('reconciliation-get', { from: '2026-09-01', to: '2026-10-31' });
    e.close();
    const t = r.totals[0];
    for (const [label, micros] of [['Consumed', t.consumedMicros], ['Catalog cost', t.catalogCostMicros], ['Blocks recorded', t.blocksRecordedMicros], ['Invoiced', t.invoicedMicros], ['Credits bought', t.creditsBoughtMicros]] as const) {
      expect(text, label).toContain(money(micros));
    }
    // every period and account row, to the cent
    for (const row of r.rows) expect(text).toContain(`${money(row.consumedMicros)} ${money(row.invoicedMicros)} ${money(row.catalogCostMicros)}`);
    expect(text).toMatch(/Page 1 of \d+/);
    expect(text).toContain('Period 2026-09-01 to 2026-10-31');
    expect(text).toContain('Data sources: demo (demo, usage, 6,972 rows, #1)');
  }, 120_000);

  it.skipIf(!built)('prints the incident PDF with the detection lag and the excess spend', async () => {
    const file = path.join(tempDir(), 'incidents.pdf');
    const a = io();
    expect(await runCli(['report', 'incidents', '--db', db, ...win, '--format', 'pdf', '--out', file], a.io), a.err.join('\n')).toBe(0);
    const text = squash(pdfText(file));
    const e = createEngine({ dbPath: db, mode: 'test' });
    const r = await e.invoke('incidents-report', { from: '2026-09-01', to: '2026-10-31' });
    e.close();
    const inc = r.incidents[0];
    expect(flat(text)).toContain(flat(`Detection lag ${hours(inc.detectionLagHours)}`));
    expect(flat(text)).toContain(flat(`Excess spend ${money(inc.excessMicros)}`));
    expect(flat(text)).toContain(flat(`Spike start ${instant(inc.spikeStart)}`));
    expect(text).toContain('Spikes without an incident (1)');
  }, 120_000);

  it('writes CSV as one file per table, and JSON', async () => {
    const dir = tempDir();
    const a = io();
    expect(await runCli(['report', 'forecast', '--db', db, ...win, '--format', 'csv', '--out', path.join(dir, 'fc.csv')], a.io)).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(['fc-accounts.csv', 'fc-blocks.csv', 'fc-burn.csv', 'fc-outlook.csv']);
    expect(fs.readFileSync(path.join(dir, 'fc-blocks.csv'), 'utf8').startsWith('\uFEFF"block","account"')).toBe(true);
    const b = io();
    expect(await runCli(['report', 'summary', '--db', db, ...win, '--format', 'json'], b.io)).toBe(0);
    expect(JSON.parse(b.out.join('\n'))).toMatchObject({ report: 'summary', meta: { title: 'Executive summary', from: '2026-09-01' } });
  }, 60_000);

  it('exits 2 on usage errors and 1 when the PDF cannot be made', async () => {
    const cases: string[][] = [
      ['report', 'ledger', '--db', db, ...win],
      ['report', 'incidents', '--db', db, '--from', '2026-10-01'],
      ['report', 'incidents', '--db', db, '--from', '2026-10-31', '--to', '2026-10-01'],
      ['report', 'incidents', '--db', db, ...win, '--format', 'xlsx'],
      ['report', 'incidents', '--db', db, ...win, '--format', 'pdf'],
    ];
    for (const args of cases) expect(await runCli(args, io().io), args.join(' ')).toBe(2);
    const missing = io({ CHROMIUM_PATH: '/nonexistent/chromium' });
    expect(await runCli(['report', 'summary', '--db', db, ...win, '--format', 'pdf', '--out', path.join(tempDir(), 'x.pdf')], missing.io)).toBe(1);
    expect(missing.err.join('\n')).toMatch(built ? /Chromium was not found at \/nonexistent\/chromium/ : /run "npm run build"/);
  });

  it.skipIf(!built)('serves /api/report-pdf-file in the browser mode: token required, arguments checked, a PDF body', async () => {
    const engine = createEngine({ dbPath: db, mode: 'browser' });
    const server = await startServer({ engine, staticDir: RENDERER });
    const url = `http://127.0.0.1:${server.port}/api/report-pdf-file`;
    const post = (body: unknown, token?: string) =>
      fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) });
    try {
      const args = { route: '/print/forecast', query: { from: '2026-09-01', to: '2026-10-31' } };
      expect((await post(args)).status).toBe(401);
      const bad = await post({ route: '/print/../../etc/passwd', query: { from: '2026-09-01', to: '2026-10-31' } }, server.token);
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/Invalid report request: route/);
      expect((await post({ ...args, query: { from: '2026-10-31', to: '2026-09-01' } }, server.token)).status).toBe(400);
      const ok = await post(args, server.token);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toBe('application/pdf');
      expect(ok.headers.get('content-disposition')).toBe('attachment; filename="drawdown-forecast-2026-09-01-2026-10-31.pdf"');
      expect(Buffer.from(await ok.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      await server.close();
      engine.close();
    }
  }, 120_000);
});
