import { describe, it, expect, afterEach } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createEngine, type Engine } from '../../electron/engine/engine';
import type { ImportFileResult } from '../../shared/api/imports';
import type { Job } from '../../shared/domain';
import { catalogCostMicros, findPrice } from '../../shared/catalog';
import { loadPriceCatalog } from '../../electron/engine/repos/catalog';
import { sharedData, tempDbPath, tempDir } from '../helpers';

const OPENAI_HEADER =
  'start_time,end_time,start_time_iso,end_time_iso,project_id,num_model_requests,user_id,api_key_id,model,batch,service_tier,input_tokens,output_tokens,input_cached_tokens,input_uncached_tokens,input_text_tokens,output_text_tokens,input_cached_text_tokens,input_audio_tokens,input_cached_audio_tokens,output_audio_tokens,input_image_tokens,input_cached_image_tokens,output_image_tokens';

/** One OpenAI usage bucket row; `i` makes it distinct. */
function openaiRow(i: number, o: { project?: string; model?: string; output?: string } = {}): string {
  const t = 1735689600 + i * 60;
  const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', '+00:00');
  const input = 1000 + i;
  return [
    t, t + 60, iso(t), iso(t + 60), o.project ?? `proj_${i % 3}`, '3.0', `user-${i % 2}`, `key_${i % 4}`, o.model ?? 'gpt-4o-2024-08-06', 'FALSE', 'default',
    `${input}.0`, o.output ?? `${200 + i}.0`, '100.0', `${input - 100}.0`, `${input}.0`, `${200 + i}.0`, '100.0', '0.0', '0.0', '0.0', '0.0', '0.0', '0.0',
  ].join(',');
}

function writeCsv(dir: string, name: string, lines: string[], eol = '\n'): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, lines.join(eol) + eol);
  return p;
}

const engines: Engine[] = [];
function engine(): Engine {
  const e = createEngine({ dbPath: tempDbPath(), mode: 'test' });
  engines.push(e);
  return e;
}
afterEach(() => {
  for (const e of engines.splice(0)) e.close();
});

async function importFile(e: Engine, file: string, args: { format?: string; onError?: 'reject' | 'skip'; dryRun?: boolean } = {}): Promise<ImportFileResult> {
  const ref = e.ctx.files.register(file);
  const job = await e.invoke('import-start', { fileRef: ref.ref, ...args });
  const done: Job = await e.ctx.jobs.wait(job.id, undefined, 5);
  if (done.state !== 'done') throw new Error(`import job ${done.state}: ${done.message}`);
  return done.result as ImportFileResult;
}

const count = (e: Engine, sql: string, ...params: unknown[]) => (e.ctx.db.prepare(sql).get(...params) as { n: number }).n;
const usageRows = (e: Engine) => count(e, 'SELECT count(*) AS n FROM usage_records');
const saas = (f: string) => sharedData('focus-spec-scenarios', 'saas_examples', f);

describe('import pipeline: the official FOCUS sample', () => {
  it('imports 1000 rows with the totals of the data README, to the last digit', async () => {
    const e = engine();
    const r = await importFile(e, sharedData('focus-sample', 'focus_sample_1.0.csv'));
    expect(r.status).toBe('committed');
    expect(r.format).toBe('focus-1.0');
    expect(r.rowsRead).toBe(1000);
    expect(r.rowsImported).toBe(1000);
    expect(r.rowsRejected).toBe(0);
    expect(r.importId).toBeGreaterThan(0);
    const s = await e.invoke('stats-get', {});
    expect(s.usageRows).toBe(1000);
    expect(s.imports).toBe(1);
    expect(s.totals).toHaveLength(1);
    expect(s.totals[0]).toMatchObject({ currency: 'USD', rows: 1000, billedCost: '20.52022672899' });
    // each row is rounded half-even once; the stored sum stays well under a cent from the exact one (20.520227)
    expect(Math.abs(s.totals[0].billedCostMicros - 20_520_227)).toBeLessThan(100);
    const group = (provider: string, cat: string) => s.groups.find((g) => g.provider === provider && g.chargeCategory === cat);
    expect(group('aws', 'usage')?.billedCost).toBe('20.62033861840');
    expect(group('aws', 'credit')?.billedCost).toBe('-2.61370000000');
    expect(group('microsoft', 'usage')?.billedCost).toBe('1.97651418586');
    expect(group('oracle', 'usage')?.billedCost).toBe('0.26507392473');
    expect(group('oracle', 'adjustment')?.billedCost).toBe('0.27200000000');
    expect(s.groups.reduce((n, g) => n + g.rows, 0)).toBe(1000);
    expect(count(e, "SELECT count(*) AS n FROM usage_records WHERE charge_category = 'usage'")).toBe(997);
    // 12-digit account ids stay strings and every row has its credit account
    expect(count(e, 'SELECT count(*) AS n FROM usage_records WHERE account_id IS NULL')).toBe(0);
    expect(r.accountsCreated).toBe(s.creditAccounts);
    expect(count(e, "SELECT count(*) AS n FROM credit_accounts WHERE typeof(external_id) = 'text'")).toBe(s.creditAccounts);
    // history and audit
    const list = await e.invoke('imports-list', {});
    expect(list.total).toBe(1);
    expect(list.imports[0]).toMatchObject({ id: r.importId, fileName: 'focus_sample_1.0.csv', format: 'focus-1.0', kind: 'usage', status: 'committed', rowsRead: 1000, rowsImported: 1000, runBy: 'system' });
    expect(list.imports[0].contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(e.ctx.audit.list().some((a) => a.action === 'import' && a.entityId === String(r.importId))).toBe(true);
    expect(e.ctx.audit.verify().ok).toBe(true);
  });

  it('re-importing the same content (identical, BOM added, CRLF) adds 0 rows and names the earlier import', async () => {
    const e = engine();
    const dir = tempDir();
    const original = fs.readFileSync(sharedData('focus-sample', 'focus_sample_1.0.csv'), 'utf8');
    const first = await importFile(e, sharedData('focus-sample', 'focus_sample_1.0.csv'));
    const variants = {
      'identical.csv': original,
      'bom.csv': `\uFEFF${original}`,
      'crlf.csv': original.replace(/\r?\n/g, '\r\n'),
      'bom-crlf-no-final-newline.csv': `\uFEFF${original.replace(/\r?\n/g, '\r\n').replace(/\r\n$/, '')}`,
    };
    for (const [name, text] of Object.entries(variants)) {
      const p = path.join(dir, name);
      fs.writeFileSync(p, text);
      const r = await importFile(e, p);
      expect(r.status, name).toBe('duplicate');
      expect(r.rowsImported).toBe(0);
      expect(r.importId).toBeNull();
      expect(r.duplicateOf).toMatchObject({ importId: first.importId, fileName: 'focus_sample_1.0.csv' });
      expect(r.duplicateOf?.finishedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      expect(r.message).toMatch(new RegExp(`import #${first.importId}`));
    }
    expect(usageRows(e)).toBe(1000);
    expect(count(e, 'SELECT count(*) AS n FROM imports')).toBe(1);
  });
});

describe('import pipeline: prepaid credits in a virtual currency (FOCUS 1.2 scenarios)', () => {
  it('a1 then a2: a 100,000-Token block valid 2025-04-01 → 2026-04-01 with 615 Token drawn from it', async () => {
    const e = engine();
    const a1 = await importFile(e, saas('virtual_currency_pricing_model_a1.csv'));
    expect(a1).toMatchObject({ status: 'committed', rowsImported: 1, blocksCreated: 1, accountsCreated: 1 });
    const a2 = await importFile(e, saas('virtual_currency_pricing_model_a2.csv'));
    expect(a2).toMatchObject({ status: 'committed', rowsImported: 3, blocksCreated: 0, accountsCreated: 0 });
    const blocks = e.ctx.db.prepare('SELECT * FROM credit_blocks').all() as Record<string, unknown>[];
    expect(blocks).toHaveLength(1);
    expect(blocks[0]).toMatchObject({
      kind: 'purchased', unit: 'Token', amount_micros: 100_000_000_000, unit_price_micros: 2_000_000, cost_basis_micros: 200_000_000_000,
      purchased_on: '2025-04-01', expires_on: '2026-04-01', source: 'focus-purchase', import_id: a1.importId,
    });
    // usage in the block's account, priced in Token: 245 + 10 + 360
    const used = e.ctx.db
      .prepare("SELECT sum(pricing_currency_cost_micros) AS s, count(DISTINCT account_id) AS a FROM usage_records WHERE pricing_currency = 'Token'")
      .get() as { s: number; a: number };
    expect(used).toEqual({ s: 615_000_000, a: 1 });
    const dash = await e.invoke('dashboard-get', {});
    const b = dash.blocks.find((x) => x.unit === 'Token');
    expect(b).toMatchObject({ purchasedMicros: 100_000_000_000, consumedMicros: 615_000_000, purchasedOn: '2025-04-01', expiresOn: '2026-04-01' });
  });

  it('c: an overage purchase and a renewal become two more blocks of the same account', async () => {
    const e = engine();
    await importFile(e, saas('virtual_currency_pricing_model_a1.csv'));
    await importFile(e, saas('virtual_currency_pricing_model_a2.csv'));
    const c = await importFile(e, saas('virtual_currency_pricing_model_c.csv'));
    expect(c).toMatchObject({ status: 'committed', rowsImported: 2, blocksCreated: 2 });
    const blocks = e.ctx.db.prepare('SELECT unit, amount_micros AS amount, purchased_on AS f, expires_on AS t, account_id AS a FROM credit_blocks ORDER BY id').all();
    expect(blocks).toEqual([
      { unit: 'Token', amount: 100_000_000_000, f: '2025-04-01', t: '2026-04-01', a: 1 },
      { unit: 'Token', amount: 1_500_000_000, f: '2025-04-01', t: '2025-10-01', a: 1 },
      { unit: 'Token', amount: 25_000_000_000, f: '2025-10-01', t: '2026-04-01', a: 1 },
    ]);
    // re-sending the purchase file makes no second block
    const again = await importFile(e, saas('virtual_currency_pricing_model_c.csv'));
    expect(again.status).toBe('duplicate');
    expect(count(e, 'SELECT count(*) AS n FROM credit_blocks')).toBe(3);
  });
});

describe('import pipeline: dedup', () => {
  it('overlapping exports add exactly the new rows; identical rows in one file are both kept', async () => {
    const e = engine();
    const dir = tempDir();
    const rows = Array.from({ length: 10 }, (_, i) => openaiRow(i));
    const twin = openaiRow(100);
    const a = writeCsv(dir, 'a.csv', [OPENAI_HEADER, ...rows, twin, twin]);
    const ra = await importFile(e, a);
    expect(ra).toMatchObject({ status: 'committed', rowsRead: 12, rowsImported: 12, rowsDuplicate: 0 });
    // B: the second half of A, the twin once, then 4 new rows
    const b = writeCsv(dir, 'b.csv', [OPENAI_HEADER, ...rows.slice(5), twin, ...Array.from({ length: 4 }, (_, i) => openaiRow(50 + i))]);
    const rb = await importFile(e, b);
    expect(rb).toMatchObject({ status: 'committed', rowsRead: 10, rowsImported: 4, rowsDuplicate: 6 });
    // C: the twin three times: two are known, the third is new
    const c = writeCsv(dir, 'c.csv', [OPENAI_HEADER, twin, twin, twin]);
    const rc = await importFile(e, c);
    expect(rc).toMatchObject({ status: 'committed', rowsImported: 1, rowsDuplicate: 2 });
    expect(usageRows(e)).toBe(17);
    // the twin's three occurrences sit at consecutive keys of its identity, with its check
    const keys = e.ctx.db.prepare('SELECT row_key, row_check FROM usage_records ORDER BY row_key').all() as { row_key: number; row_check: number }[];
    expect(keys.every((k) => Number.isSafeInteger(k.row_key) && k.row_key >= 0 && k.row_check > 0)).toBe(true);
    const twinKey = keys.find((k) => keys.some((o) => o.row_key === k.row_key + 1 && o.row_check === k.row_check));
    expect(twinKey && keys.filter((k) => k.row_check === twinKey.row_check).map((k) => k.row_key - twinKey.row_key)).toEqual([0, 1, 2]);
  });

  it('the preview marks rows new, duplicate and rejected, and names an earlier import of the same bytes', async () => {
    const e = engine();
    const dir = tempDir();
    const a = writeCsv(dir, 'a.csv', [OPENAI_HEADER, openaiRow(1), openaiRow(2)]);
    await importFile(e, a);
    const b = writeCsv(dir, 'b.csv', [OPENAI_HEADER, openaiRow(1), openaiRow(3), openaiRow(4, { output: 'lots' }), ',,,,,,,,,,,,,,,,,,,,,,,']);
    const pv = await e.invoke('import-preview', { fileRef: e.ctx.files.register(b).ref });
    expect(pv.format?.id).toBe('openai-usage');
    expect(pv.rows.map((r) => r.status)).toEqual(['duplicate', 'new', 'rejected', 'skipped']);
    expect(pv.counts).toEqual({ new: 1, duplicate: 1, rejected: 1, skipped: 1 });
    expect(pv.rows[2].error).toMatchObject({ line: 4, column: 'output_tokens' });
    expect(pv.rows[1]).toMatchObject({ modelId: 'gpt-4o', modelKnown: true });
    expect(pv.rows[1].catalogCostMicros).toBeGreaterThan(0);
    expect(pv.alreadyImported).toBeNull();
    const again = await e.invoke('import-preview', { fileRef: e.ctx.files.register(a).ref });
    expect(again.alreadyImported?.fileName).toBe('a.csv');
  });
});

describe('import pipeline: bad rows', () => {
  function badFile(): { file: string; dir: string } {
    const dir = tempDir();
    const file = writeCsv(dir, 'bad.csv', [OPENAI_HEADER, openaiRow(1), openaiRow(2, { output: 'twelve' }), openaiRow(3), openaiRow(4, { output: '=HYPERLINK("x")' })]);
    return { file, dir };
  }

  it('onError reject (default): the file is refused, nothing is written, errors name line and column', async () => {
    const e = engine();
    const { file } = badFile();
    const r = await importFile(e, file);
    expect(r.status).toBe('refused');
    expect(r).toMatchObject({ rowsRead: 4, rowsImported: 0, rowsRejected: 2, errorsTotal: 2, importId: null });
    expect(r.errors).toHaveLength(2);
    expect(r.errors[0]).toMatchObject({ line: 3, column: 'output_tokens' });
    expect(r.errors[0].message).toMatch(/twelve/);
    expect(r.errors[1]).toMatchObject({ line: 5, column: 'output_tokens' });
    expect(r.message).toMatch(/Nothing was written/);
    expect(usageRows(e)).toBe(0);
    expect(count(e, 'SELECT count(*) AS n FROM imports')).toBe(0);
    expect(count(e, 'SELECT count(*) AS n FROM credit_accounts')).toBe(0);
  });

  it('onError skip: the good rows are committed and the bad ones saved verbatim to a rejects file beside the database', async () => {
    const e = engine();
    const { file } = badFile();
    const r = await importFile(e, file, { onError: 'skip' });
    expect(r).toMatchObject({ status: 'committed', rowsRead: 4, rowsImported: 2, rowsRejected: 2 });
    expect(r.rejectsFile).toBeTruthy();
    expect(path.dirname(r.rejectsFile!)).toBe(path.join(path.dirname(e.ctx.dbPath), 'rejects'));
    const text = fs.readFileSync(r.rejectsFile!, 'utf8');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe(`${OPENAI_HEADER},drawdown_error`);
    expect(lines[1].startsWith(openaiRow(2, { output: 'twelve' }).split(',').slice(0, 12).join(','))).toBe(true);
    expect(lines[1]).toMatch(/,"?line 3, column output_tokens: .*twelve/);
    // a formula-looking cell is kept verbatim (quoted because of its quotes), not neutralised
    expect(lines[2]).toContain('"=HYPERLINK(""x"")"');
    expect(lines[3]).toBe('');
    expect(usageRows(e)).toBe(2);
    const hist = await e.invoke('imports-list', {});
    expect(hist.imports[0]).toMatchObject({ rowsRejected: 2, errorCount: 2 });
    expect(hist.imports[0].errors[0]).toMatchObject({ line: 3, column: 'output_tokens' });
    // the rejects file re-imports once fixed (its extra column is ignored)
    const fixed = path.join(path.dirname(r.rejectsFile!), 'fixed.csv');
    fs.writeFileSync(fixed, text.replace('twelve', '12.0').replace('"=HYPERLINK(""x"")"', '7.0'));
    const again = await importFile(e, fixed);
    expect(again).toMatchObject({ status: 'committed', rowsImported: 2 });
  });

  it('a file no format recognises is refused with the reason', async () => {
    const e = engine();
    const dir = tempDir();
    const r = await importFile(e, writeCsv(dir, 'odd.csv', ['colour,shape', 'red,round']));
    expect(r.status).toBe('refused');
    expect(r.message).toMatch(/No import format recognises this file/);
    expect(count(e, 'SELECT count(*) AS n FROM imports')).toBe(0);
  });

  it('a dry run reports what would happen and writes nothing', async () => {
    const e = engine();
    const r = await importFile(e, sharedData('focus-sample', 'focus_sample_1.0.csv'), { dryRun: true });
    expect(r).toMatchObject({ status: 'dry-run', rowsImported: 1000, importId: null });
    expect(usageRows(e)).toBe(0);
    expect(count(e, 'SELECT count(*) AS n FROM imports')).toBe(0);
    expect(count(e, 'SELECT count(*) AS n FROM credit_accounts')).toBe(0);
  });
});

describe('import pipeline: models, catalog cost and attribution', () => {
  it('normalises models, flags unknown ones, computes the catalog cost and attributes rows by the rules', async () => {
    const e = engine();
    const db = e.ctx.db;
    const w = Number(
      db.prepare("INSERT INTO workloads (department, application, agent, environment, created_at) VALUES ('Support', 'Copilot', NULL, 'production', 'x')").run().lastInsertRowid,
    );
    const w2 = Number(db.prepare("INSERT INTO workloads (department, application, agent, environment, created_at) VALUES ('Ops', 'Bot', NULL, 'production', 'x')").run().lastInsertRowid);
    db.prepare("INSERT INTO attribution_rules (workload_id, priority, provider, project_pattern, created_at) VALUES (?, 100, 'OpenAI', 'proj_a*', 'x')").run(w);
    // more specific rule with a better (lower) priority wins for key_9
    db.prepare("INSERT INTO attribution_rules (workload_id, priority, provider, api_key_pattern, created_at) VALUES (?, 10, 'openai', 'key_9', 'x')").run(w2);
    const dir = tempDir();
    const file = writeCsv(dir, 'u.csv', [
      OPENAI_HEADER,
      openaiRow(1, { project: 'proj_alpha' }),
      openaiRow(2, { project: 'proj_beta' }),
      openaiRow(3, { project: 'proj_alpha', model: 'totally-unknown-model-x' }),
      openaiRow(4, { project: 'proj_alpha' }).replace('key_0', 'key_9'),
    ]);
    const r = await importFile(e, file);
    expect(r).toMatchObject({ status: 'committed', rowsImported: 4, rowsAttributed: 3, unknownModels: ['totally-unknown-model-x'] });
    const rows = db.prepare('SELECT line, model_raw, model_id, model_known, workload_id, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, day, catalog_cost_micros, billed_cost_micros FROM usage_records ORDER BY line').all() as Record<string, number | string | null>[];
    expect(rows.map((x) => x.workload_id)).toEqual([w, null, w, w2]);
    expect(rows[0]).toMatchObject({ model_raw: 'gpt-4o-2024-08-06', model_id: 'gpt-4o', model_known: 1, billed_cost_micros: null });
    expect(rows[2]).toMatchObject({ model_known: 0, catalog_cost_micros: null });
    const catalog = loadPriceCatalog(db);
    expect(catalog.length).toBeGreaterThan(100);
    const entry = findPrice(catalog, 'gpt-4o', rows[0].day as string, 'openai')!;
    expect(rows[0].catalog_cost_micros).toBe(
      catalogCostMicros(entry, { input: rows[0].input_tokens as number, output: rows[0].output_tokens as number, cacheRead: rows[0].cache_read_tokens as number, cacheWrite: 0 }),
    );
  });
});

describe('import pipeline: undo', () => {
  it('removes exactly the batch, atomically, and logs it; the file can then be imported again', async () => {
    const e = engine();
    const sample = await importFile(e, sharedData('focus-sample', 'focus_sample_1.0.csv'));
    const a1 = await importFile(e, saas('virtual_currency_pricing_model_a1.csv'));
    const a2 = await importFile(e, saas('virtual_currency_pricing_model_a2.csv'));
    expect(usageRows(e)).toBe(1004);
    const u = await e.invoke('import-undo', { importId: a1.importId! });
    expect(u).toEqual({ importId: a1.importId, fileName: 'virtual_currency_pricing_model_a1.csv', removed: { usageRecords: 1, invoiceLines: 0, invoices: 0, incidents: 0, creditBlocks: 1 } });
    expect(usageRows(e)).toBe(1003);
    expect(count(e, 'SELECT count(*) AS n FROM usage_records WHERE import_id = ?', sample.importId)).toBe(1000);
    expect(count(e, 'SELECT count(*) AS n FROM usage_records WHERE import_id = ?', a2.importId)).toBe(3);
    expect(count(e, 'SELECT count(*) AS n FROM credit_blocks')).toBe(0);
    const list = await e.invoke('imports-list', {});
    expect(list.imports.find((i) => i.id === a1.importId)).toMatchObject({ status: 'undone' });
    expect(list.imports.find((i) => i.id === a1.importId)?.undoneAt).toBeTruthy();
    const entry = e.ctx.audit.list().find((x) => x.action === 'import-undo');
    expect(entry).toMatchObject({ entity: 'import', entityId: String(a1.importId), actor: 'system' });
    expect(e.ctx.audit.verify().ok).toBe(true);
    await expect(e.invoke('import-undo', { importId: a1.importId! })).rejects.toThrow(/already undone/);
    await expect(e.invoke('import-undo', { importId: 999 })).rejects.toThrow(/not found/);
    const again = await importFile(e, saas('virtual_currency_pricing_model_a1.csv'));
    expect(again).toMatchObject({ status: 'committed', rowsImported: 1, blocksCreated: 1 });
  });

  it('refuses to undo an import whose credit block has an allocation, and changes nothing', async () => {
    const e = engine();
    const a1 = await importFile(e, saas('virtual_currency_pricing_model_a1.csv'));
    const db = e.ctx.db;
    const w = Number(db.prepare("INSERT INTO workloads (department, application, created_at) VALUES ('R&D', 'Agent', 'x')").run().lastInsertRowid);
    const block = (db.prepare('SELECT id FROM credit_blocks').get() as { id: number }).id;
    db.prepare("INSERT INTO allocations (block_id, workload_id, percent_bp, created_at) VALUES (?, ?, 5000, 'x')").run(block, w);
    await expect(e.invoke('import-undo', { importId: a1.importId! })).rejects.toThrow(/in use .*1 allocation/);
    expect(usageRows(e)).toBe(1);
    expect(count(e, "SELECT count(*) AS n FROM imports WHERE status = 'committed'")).toBe(1);
    expect(e.ctx.audit.list().some((x) => x.action === 'import-undo')).toBe(false);
  });
});

describe('import pipeline: cancel', () => {
  it('a cancelled import leaves nothing behind and the job says so', async () => {
    const e = engine();
    const dir = tempDir();
    const p = path.join(dir, 'big.csv');
    const lines = [OPENAI_HEADER];
    for (let i = 0; i < 60_000; i++) lines.push(openaiRow(i));
    fs.writeFileSync(p, lines.join('\n') + '\n');
    const ref = e.ctx.files.register(p);
    const job = await e.invoke('import-start', { fileRef: ref.ref });
    let cancelled = false;
    const end = await e.ctx.jobs.wait(
      job.id,
      (j) => {
        if (!cancelled && j.progress.rows > 0) {
          cancelled = true;
          void e.invoke('job-cancel', { id: job.id });
        }
      },
      2,
    );
    expect(cancelled).toBe(true);
    expect(end.state).toBe('cancelled');
    expect(end.message).toMatch(/nothing was written/i);
    expect(usageRows(e)).toBe(0);
    expect(count(e, 'SELECT count(*) AS n FROM imports')).toBe(0);
    expect((e.ctx.db.pragma('integrity_check', { simple: true }) as string)).toBe('ok');
    // and the same file then imports normally
    const r = await importFile(e, p);
    expect(r).toMatchObject({ status: 'committed', rowsImported: 60_000 });
  });
});

describe('import pipeline: invoices, incidents and saved mappings', () => {
  it('imports invoice lines into invoices and incidents with their targets; overlapping files add only new ones', async () => {
    const e = engine();
    const dir = tempDir();
    const inv = writeCsv(dir, 'invoices.csv', [
      'id,number,created,currency,subtotal,tax,total,amount_paid,status,period_start,period_end',
      'in_1,INV-001,1735689600,usd,10000,0,10000,10000,paid,1735689600,1738368000',
      'in_2,INV-002,1738368000,usd,25050,0,25050,25050,paid,1738368000,1740787200',
    ]);
    const r = await importFile(e, inv);
    expect(r).toMatchObject({ status: 'committed', kind: 'invoice', format: 'invoice-stripe' });
    expect(r.rowsImported).toBe(2);
    expect(count(e, 'SELECT count(*) AS n FROM invoices')).toBe(2);
    const lines = count(e, 'SELECT count(*) AS n FROM invoice_lines');
    expect(lines).toBeGreaterThanOrEqual(2);
    // an overlapping invoice export: the known invoice adds nothing (no empty invoice either), the new one is added
    const inv2 = writeCsv(dir, 'invoices2.csv', [
      'id,number,created,currency,subtotal,tax,total,amount_paid,status,period_start,period_end',
      'in_2,INV-002,1738368000,usd,25050,0,25050,25050,paid,1738368000,1740787200',
      'in_3,INV-003,1740787200,usd,5000,0,5000,5000,open,1740787200,1743465600',
    ]);
    const r2 = await importFile(e, inv2);
    expect(r2).toMatchObject({ status: 'committed', rowsImported: 1, rowsDuplicate: 1, invoicesCreated: 1 });
    expect(count(e, 'SELECT count(*) AS n FROM invoices')).toBe(3);
    expect(count(e, 'SELECT count(*) AS n FROM invoice_lines')).toBe(lines + lines / 2);
    const inc = writeCsv(dir, 'incidents.csv', [
      'id,title,type,severity,started_at,detected_at,resolved_at,api_keys,workloads',
      'INC-1,Leaked key on GitHub,leaked-key,high,2025-03-01T10:00:00Z,2025-03-02T09:00:00Z,2025-03-02T12:00:00Z,key_1;key_2,Support/Copilot',
      'INC-2,Agent loop,abuse,medium,2025-03-05T10:00:00Z,2025-03-05T11:00:00Z,,key_3,',
    ]);
    const ri = await importFile(e, inc);
    expect(ri).toMatchObject({ status: 'committed', kind: 'incident', rowsImported: 2, incidentsCreated: 2 });
    expect(count(e, "SELECT count(*) AS n FROM incident_targets WHERE kind = 'api_key'")).toBe(3);
    const inc2 = writeCsv(dir, 'incidents2.csv', [
      'id,title,type,severity,started_at,detected_at,resolved_at,api_keys,workloads',
      'INC-2,Agent loop,abuse,medium,2025-03-05T10:00:00Z,2025-03-05T11:00:00Z,,key_3,',
      'INC-3,Stale key,stale,low,2025-04-01T00:00:00Z,2025-04-01T00:00:00Z,,key_9,',
    ]);
    const ri2 = await importFile(e, inc2);
    expect(ri2).toMatchObject({ rowsImported: 1, rowsDuplicate: 1 });
    const u = await e.invoke('import-undo', { importId: ri.importId! });
    expect(u.removed.incidents).toBe(2);
    expect(count(e, 'SELECT count(*) AS n FROM incident_targets')).toBe(1);
    const ui = await e.invoke('import-undo', { importId: r.importId! });
    expect(ui.removed.invoices).toBe(2);
    expect(count(e, 'SELECT count(*) AS n FROM invoice_lines')).toBe(lines / 2);
  });

  it('a mapping saved for an unknown header is used automatically when that header returns', async () => {
    const e = engine();
    const dir = tempDir();
    const header = ['Datum', 'Kosten', 'Waehrung', 'Modell'];
    const file = writeCsv(dir, 'eu.csv', [header.join(';'), '01/03/2025;12,50;EUR;gpt-4o', '02/03/2025;1.234,56;EUR;gpt-4o-mini']);
    const pv = await e.invoke('import-preview', { fileRef: e.ctx.files.register(file).ref });
    expect(pv.format).toBeNull();
    expect(pv.savedMapping).toBeNull();
    await expect(
      e.invoke('mapping-save', { name: 'bad', headers: header, mapping: { kind: 'usage', columns: { periodStart: 'Nope' } } }),
    ).rejects.toThrow(/cannot be saved/);
    const mapping = { kind: 'usage' as const, columns: { periodStart: 'Datum', billedCost: 'Kosten', currency: 'Waehrung', model: 'Modell' }, dateFormat: 'dmy' as const, decimalSeparator: ',' as const, provider: 'openai' };
    const saved = await e.invoke('mapping-save', { name: 'EU sheet', headers: header, mapping });
    expect(saved).toMatchObject({ name: 'EU sheet', kind: 'usage' });
    expect((await e.invoke('mappings-list', {})).mappings).toHaveLength(1);
    const pv2 = await e.invoke('import-preview', { fileRef: e.ctx.files.register(file).ref });
    expect(pv2.savedMapping?.id).toBe(saved.id);
    expect(pv2.format?.id).toBe('custom');
    const r = await importFile(e, file);
    expect(r).toMatchObject({ status: 'committed', format: 'custom', rowsImported: 2 });
    const rows = e.ctx.db.prepare('SELECT day, billed_cost_micros AS m, currency FROM usage_records ORDER BY line').all();
    expect(rows).toEqual([
      { day: '2025-03-01', m: 12_500_000, currency: 'EUR' },
      { day: '2025-03-02', m: 1_234_560_000, currency: 'EUR' },
    ]);
  });

  it('formats-list names every format and the mapping fields', async () => {
    const e = engine();
    const f = await e.invoke('formats-list', {});
    const ids = f.formats.map((x) => x.id);
    for (const id of ['focus-1.0', 'focus-1.3', 'openai-usage', 'anthropic-cost', 'invoice-stripe', 'incident-generic']) expect(ids).toContain(id);
    expect(f.fields.usage.find((x) => x.field === 'periodStart')?.required).toBe(true);
  });
});
