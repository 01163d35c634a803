import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../electron/engine/db/open';
import { runImport, type ParseFn } from '../../electron/engine/import/pipeline';
import { fastCatalogCost } from '../../electron/engine/import/store-prepare';
import { unitPriceMicros } from '../../electron/engine/import/store-writer';
import { RejectsWriter, csvCell } from '../../electron/engine/import/store-rejects';
import { resolveImportWorker } from '../../electron/engine/import/run';
import { rejectsPathFor } from '../../electron/cli/commands/import';
import { catalogCostMicros, type PriceEntry } from '../../shared/catalog';
import type { ParsedRow, ParseSummary } from '../../electron/engine/import/types';
import type { UsageRecord } from '../../shared/domain';
import { REBUILD_USAGE_DAILY } from '../../electron/engine/db/migrations/002-usage-daily';
import { usageKey, usageKeyParts } from '../../electron/engine/import/store-keys';
import { tempDbPath, tempDir } from '../helpers';

function usage(line: number, over: Partial<UsageRecord> = {}): UsageRecord {
  return {
    line, provider: 'openai', billingAccountId: 'org-1', billingAccountName: 'Acme', subAccountId: 'proj', subAccountName: null, apiKey: 'key',
    userId: null, chargeCategory: 'usage', chargeClass: null, periodStart: '2025-01-01T00:00:00Z', periodEnd: '2025-01-02T00:00:00Z',
    serviceName: null, modelRaw: 'gpt-4o', inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, cacheWriteTokens: 0, requests: 1,
    billedCostMicros: 1000 + line, billedCostText: `0.00${1000 + line}`, effectiveCostMicros: null, listCostMicros: null, currency: 'USD',
    pricingCurrency: null, pricingCurrencyEffectiveCostMicros: null, pricingQuantityText: null, pricingUnit: null, tags: null, sku: null,
    region: null, resourceId: null, description: null, ...over,
  };
}

/** A parser stand-in: rows given as content hashes (identical hash = identical row), in batches, with a pause between them. */
function fakeParser(hashes: string[], opts: { batch?: number; bad?: number[]; onBatch?: (i: number) => void } = {}): ParseFn {
  return async (_path, o, onRows) => {
    const size = opts.batch ?? 2;
    for (let i = 0; i < hashes.length; i += size) {
      if (o.signal?.aborted) throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
      const rows: ParsedRow[] = hashes.slice(i, i + size).map((h, k) => {
        const line = i + k + 2;
        const result: ParsedRow['result'] = opts.bad?.includes(line)
          ? { ok: false, error: { line, column: 'cost', message: 'not a number' } }
          : { ok: true, mapped: { kind: 'usage', record: usage(line) } };
        return { line, contentHash: h, cells: [h, String(line)], result };
      });
      onRows(rows);
      o.onProgress?.({ rows: i + rows.length, bytes: i + rows.length, totalBytes: hashes.length });
      opts.onBatch?.(i);
      await new Promise((r) => setTimeout(r, 1));
    }
    const summary: ParseSummary = {
      format: { id: 'fake', label: 'Fake', kind: 'usage' }, headers: ['hash', 'line'], encoding: 'utf-8', delimiter: ',', rowsRead: hashes.length,
      bytes: hashes.length, byteHash: `b-${hashes.join('')}`, contentHash: `c-${hashes.join('')}`,
    };
    return summary;
  };
}

function setup() {
  const dbPath = tempDbPath();
  const db = openDatabase(dbPath);
  const file = path.join(path.dirname(dbPath), 'x.csv');
  fs.writeFileSync(file, 'x\n');
  const run = (hashes: string[], o: Partial<Parameters<typeof runImport>[0]> & { bad?: number[]; batch?: number; onBatch?: (i: number) => void } = {}) => {
    const { bad, batch, onBatch, ...rest } = o;
    return runImport({ db, file: { path: file, name: 'x.csv' }, actor: 'tester', parse: fakeParser(hashes, { bad, batch, onBatch }), catalogFile: null, ...rest });
  };
  // usage keys are the integers of (day, hash, occurrence), shown here as hash#occurrence; the fake rows are all on 2025-01-01
  const names = new Map<number, string>();
  const keys = () =>
    (db.prepare('SELECT row_key FROM usage_records ORDER BY id').all() as { row_key: number }[]).map((r) => names.get(r.row_key) ?? String(r.row_key));
  const name = (hash: string, upTo: number) => {
    const p = usageKeyParts('2025-01-01', hash);
    for (let j = 1; j <= upTo; j++) names.set(usageKey(p.base, j), `${hash}#${j}`);
  };
  return { db, run, keys, name, dbPath };
}

describe('pipeline with an injected parser', () => {
  it('numbers identical rows within a file and treats re-sent rows as duplicates', async () => {
    const { run, keys, name } = setup();
    for (const h of ['h1', 'h2', 'h3', 'h4']) name(h, 5);
    const a = await run(['h1', 'h2', 'h1', 'h3', 'h1']);
    expect(a).toMatchObject({ status: 'committed', rowsImported: 5, rowsDuplicate: 0 });
    expect(keys()).toEqual(['h1#1', 'h2#1', 'h1#2', 'h3#1', 'h1#3']);
    // a later export: h1 four times (three known), h2 once (known), h4 new
    const b = await run(['h1', 'h4', 'h1', 'h2', 'h1', 'h1']);
    expect(b).toMatchObject({ status: 'committed', rowsImported: 2, rowsDuplicate: 4 });
    expect(keys().slice(5).sort()).toEqual(['h1#4', 'h4#1']);
    // the same rows again in another order: all known
    const c = await run(['h4', 'h1', 'h1', 'h1', 'h1', 'h2', 'h3']);
    expect(c).toMatchObject({ rowsImported: 0, rowsDuplicate: 7 });
  });

  it('a long run of identical rows stays linear and exact', async () => {
    const { run, keys } = setup();
    const many = Array.from({ length: 3000 }, () => 'same');
    const r = await run(many, { batch: 250 });
    expect(r.rowsImported).toBe(3000);
    expect(new Set(keys()).size).toBe(3000);
    const again = await run([...many, 'same'], { batch: 250 });
    expect(again).toMatchObject({ rowsImported: 1, rowsDuplicate: 3000 });
  });

  it('cancelling rolls everything back and rejects with an AbortError', async () => {
    const { run, db } = setup();
    const controller = new AbortController();
    const hashes = Array.from({ length: 40 }, (_, i) => `r${i}`);
    const p = run(hashes, { signal: controller.signal, onBatch: (i) => i >= 10 && controller.abort() });
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(db.inTransaction).toBe(false);
    expect((db.prepare('SELECT count(*) AS n FROM usage_records').get() as { n: number }).n).toBe(0);
    expect((db.prepare('SELECT count(*) AS n FROM imports').get() as { n: number }).n).toBe(0);
    expect((db.prepare('SELECT count(*) AS n FROM credit_accounts').get() as { n: number }).n).toBe(0);
  });

  it('reject mode refuses at the end and writes nothing; skip mode keeps the good rows', async () => {
    const { run, db, dbPath } = setup();
    const r = await run(['a', 'b', 'c', 'd'], { bad: [3] });
    expect(r).toMatchObject({ status: 'refused', rowsRejected: 1, errorsTotal: 1 });
    expect(r.errors).toEqual([{ line: 3, column: 'cost', message: 'not a number' }]);
    expect((db.prepare('SELECT count(*) AS n FROM usage_records').get() as { n: number }).n).toBe(0);
    const rejects = path.join(path.dirname(dbPath), 'out', 'rej.csv');
    const s = await run(['a', 'b', 'c', 'd'], { bad: [3], onError: 'skip', rejectsPath: rejects });
    expect(s).toMatchObject({ status: 'committed', rowsImported: 3, rowsRejected: 1, rejectsFile: rejects });
    expect(fs.readFileSync(rejects, 'utf8')).toBe('hash,line,drawdown_error\r\nb,3,"line 3, column cost: not a number"\r\n');
    expect(fs.readdirSync(path.dirname(rejects))).toEqual(['rej.csv']);
  });

  it('a database error is not mistaken for a refusal: the transaction rolls back and the error surfaces', async () => {
    const { db, dbPath } = setup();
    const file = path.join(path.dirname(dbPath), 'x.csv');
    const broken: ParseFn = async (_p, _o, onRows) => {
      onRows([{ line: 2, contentHash: 'x', cells: [], result: { ok: true, mapped: { kind: 'usage', record: usage(2, { chargeCategory: 'nonsense' as never }) } } }]);
      throw new Error('unreachable');
    };
    await expect(runImport({ db, file: { path: file, name: 'x.csv' }, actor: 't', parse: broken, catalogFile: null })).rejects.toThrow(/CHECK constraint/);
    expect(db.inTransaction).toBe(false);
    expect((db.prepare('SELECT count(*) AS n FROM imports').get() as { n: number }).n).toBe(0);
  });

  it('bulk mode adds exactly what the usage_daily trigger would: groups by day, account, unit, workload, provider, category, currency', async () => {
    const { db, dbPath } = setup();
    const file = path.join(path.dirname(dbPath), 'x.csv');
    db.prepare("INSERT INTO workloads (department, application, created_at) VALUES ('eng', 'w', '2025-01-01T00:00:00Z')").run();
    const wl = (db.prepare('SELECT id FROM workloads').get() as { id: number }).id;
    db.prepare("INSERT INTO attribution_rules (workload_id, priority, api_key_pattern, created_at) VALUES (?, 1, 'key-w', '2025-01-01T00:00:00Z')").run(wl);
    const variant = (i: number): Partial<UsageRecord> => ({
      periodStart: `2025-01-0${1 + (i % 3)}T00:00:00Z`,
      provider: i % 5 === 0 ? 'anthropic' : 'openai',
      billingAccountId: i % 4 === 0 ? null : `org-${i % 2}`,
      apiKey: i % 3 === 0 ? 'key-w' : 'key',
      chargeCategory: i % 7 === 0 ? 'credit' : 'usage',
      currency: i % 6 === 0 ? 'EUR' : 'USD',
      pricingCurrency: i % 8 === 0 ? 'Token' : null,
      pricingCurrencyEffectiveCostMicros: i % 8 === 0 ? 7 * i : null,
      billedCostMicros: i % 9 === 0 ? null : 1000 * i - 3,
    });
    const parse: ParseFn = async (_p, _o, onRows) => {
      for (let b = 0; b < 4; b++) {
        onRows(
          Array.from({ length: 60 }, (_, k) => {
            const i = b * 60 + k;
            return { line: i + 2, contentHash: `v${i}`, cells: [], result: { ok: true, mapped: { kind: 'usage', record: usage(i + 2, variant(i)) } } } as ParsedRow;
          }),
        );
      }
      return {
        format: { id: 'fake', label: 'Fake', kind: 'usage' }, headers: [], encoding: 'utf-8', delimiter: ',', rowsRead: 240, bytes: 1, byteHash: 'b', contentHash: 'c-daily',
      } as ParseSummary;
    };
    // rows already there (through the trigger), then a bulk import on top
    await runImport({ db, file: { path: file, name: 'x.csv' }, actor: 't', parse: async (_p, _o, on) => {
      on([{ line: 2, contentHash: 'pre', cells: [], result: { ok: true, mapped: { kind: 'usage', record: usage(2, variant(3)) } } }]);
      return { format: { id: 'fake', label: 'Fake', kind: 'usage' }, headers: [], encoding: 'utf-8', delimiter: ',', rowsRead: 1, bytes: 1, byteHash: 'b0', contentHash: 'c-pre' };
    }, catalogFile: null, deferIndexes: false });
    const r = await runImport({ db, file: { path: file, name: 'x.csv' }, actor: 't', parse, catalogFile: null, deferIndexes: true });
    expect(r.rowsImported).toBe(240);
    expect(r.rowsAttributed).toBe(80);
    const snapshot = () => db.prepare('SELECT * FROM usage_daily ORDER BY 1, 2, 3, 4, 5, 6, 7, 8').all();
    const written = snapshot();
    expect(written.length).toBeGreaterThan(20);
    db.exec('BEGIN');
    db.exec(REBUILD_USAGE_DAILY);
    const recomputed = snapshot();
    db.exec('ROLLBACK');
    expect(written).toEqual(recomputed);
  });

  it('bulk mode drops and rebuilds the secondary indexes and the usage_daily trigger inside the transaction; the schema ends identical', async () => {
    const { run, db } = setup();
    const schema = () => db.prepare("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name").all();
    const before = schema();
    const daily = () => db.prepare('SELECT sum(rows) AS r, sum(billed_micros) AS b FROM usage_daily').get() as { r: number | null; b: number | null };
    const usage = () => db.prepare('SELECT count(*) AS r, sum(billed_cost_micros) AS b FROM usage_records').get() as { r: number; b: number };
    await run(['x1', 'x2'], { deferIndexes: false });
    const bulk = await run(Array.from({ length: 50 }, (_, i) => `b${i}`), { deferIndexes: true });
    expect(bulk.rowsImported).toBe(50);
    expect(schema()).toEqual(before);
    expect(daily()).toEqual(usage());
    // refused and cancelled bulk imports restore them too (rollback)
    const refused = await run(['c1', 'c2', 'c3'], { deferIndexes: true, bad: [3] });
    expect(refused.status).toBe('refused');
    expect(schema()).toEqual(before);
    // and the trigger works again for the next row-by-row import
    await run(['d1'], { deferIndexes: false });
    expect(daily()).toEqual(usage());
    expect(usage().r).toBe(53);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('creates one credit account per (provider, billing account) and reuses it', async () => {
    const { run, db } = setup();
    await run(['a', 'b']);
    await run(['c']);
    expect(db.prepare('SELECT provider, external_id, name, currency FROM credit_accounts').all()).toEqual([
      { provider: 'openai', external_id: 'org-1', name: 'Acme', currency: 'USD' },
    ]);
  });
});

describe('store helpers', () => {
  const entry = (i: number, o: number, cr: number | null, cw: number | null): PriceEntry => ({
    provider: 'p', modelId: 'm', displayName: null, family: null, inputPerMTokMicros: i, outputPerMTokMicros: o, cacheReadPerMTokMicros: cr,
    cacheWritePerMTokMicros: cw, effectiveFrom: '2024-01-01',
  });

  it('the fast catalog cost equals catalogCostMicros (exact bigint, half-even once)', () => {
    const price = fc.integer({ min: 0, max: 200_000_000 });
    const tokens = fc.oneof(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: 0, max: 2_000_000_000_000 }));
    fc.assert(
      fc.property(price, price, fc.option(price, { nil: null }), fc.option(price, { nil: null }), tokens, tokens, tokens, tokens, (i, o, cr, cw, a, b, c, d) => {
        const e = entry(i, o, cr, cw);
        expect(fastCatalogCost(e, a, b, c, d)).toBe(catalogCostMicros(e, { input: a, output: b, cacheRead: c, cacheWrite: d }));
      }),
      { numRuns: 3000 },
    );
    // half-even ties
    expect(fastCatalogCost(entry(500_000, 0, null, null), 1, 0, 0, 0)).toBe(0);
    expect(fastCatalogCost(entry(1_500_000, 0, null, null), 1, 0, 0, 0)).toBe(2);
    expect(fastCatalogCost(entry(2_500_000, 0, null, null), 1, 0, 0, 0)).toBe(2);
  });

  it('unit price = cost ÷ quantity, half-even', () => {
    expect(unitPriceMicros(200_000_000_000, '100000')).toBe(2_000_000);
    expect(unitPriceMicros(3_000_000_000, '1500')).toBe(2_000_000);
    expect(unitPriceMicros(10_000_000, '3')).toBe(3_333_333);
    expect(unitPriceMicros(5, '2')).toBe(2);
    expect(unitPriceMicros(7, '2')).toBe(4);
    expect(unitPriceMicros(1_000_000, '0.5')).toBe(2_000_000);
    expect(unitPriceMicros(1, '0')).toBeNull();
    expect(unitPriceMicros(1, 'x')).toBeNull();
  });

  it('writes rejects as RFC 4180 with the header only known at the end, spilling large files to disk', () => {
    const dir = tempDir();
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(' padded')).toBe('" padded"');
    expect(csvCell('=1+1')).toBe('=1+1');
    const w = new RejectsWriter(path.join(dir, 'r.csv'));
    const big = 'x'.repeat(5000);
    for (let i = 0; i < 600; i++) w.add([String(i), big], { line: i + 2, column: null, message: 'bad' });
    const out = w.finish(['id', 'text'])!;
    const lines = fs.readFileSync(out, 'utf8').split('\r\n');
    expect(lines[0]).toBe('id,text,drawdown_error');
    expect(lines).toHaveLength(602);
    expect(lines[600]).toBe(`599,${big},line 601: bad`);
    expect(fs.readdirSync(dir)).toEqual(['r.csv']);
    const none = new RejectsWriter(path.join(dir, 'none.csv'));
    expect(none.finish(['a'])).toBeNull();
    expect(fs.existsSync(path.join(dir, 'none.csv'))).toBe(false);
  });

  it('--rejects PATH: a folder, a file for one input, a per-input name for several', () => {
    const dir = tempDir();
    expect(rejectsPathFor(dir, 'in/usage.csv', 2, '/db/x.db', 'now')).toBe(path.join(dir, 'usage.rejects.csv'));
    expect(rejectsPathFor(path.join(dir, 'r.csv'), 'in/usage.csv', 1, '/db/x.db', 'now')).toBe(path.join(dir, 'r.csv'));
    expect(rejectsPathFor(path.join(dir, 'r.csv'), 'in/usage.csv', 2, '/db/x.db', 'now')).toBe(path.join(dir, 'r.usage.csv'));
    expect(rejectsPathFor(undefined, 'in/usage.csv', 1, '/db/x.db', '2025-01-01T00:00:00Z')).toBe('/db/rejects/2025-01-01T000000Z-usage.rejects.csv');
  });

  it('finds no worker file when running from sources, and honours an explicit one', () => {
    expect(resolveImportWorker(undefined, {})).toBeNull();
    expect(resolveImportWorker(null, { DRAWDOWN_IMPORT_WORKER: __filename })).toBeNull();
    expect(resolveImportWorker(undefined, { DRAWDOWN_IMPORT_WORKER: __filename })).toBe(__filename);
  });
});
