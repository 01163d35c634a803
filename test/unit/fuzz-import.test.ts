/**
 * The importer fuzz suite at a small count, so the normal vitest run covers it (the full count runs
 * with `node scripts/test-fuzz.mjs`). Every importer (each format of the registry and the custom
 * mapping) gets hostile files through the real pipeline; see test/fuzz/harness.ts for what is
 * checked on each. DRAWDOWN_FUZZ_UNIT_RUNS sets the total number of random cases (default 200).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { FuzzHarness } from '../fuzz/harness';
import { buildCase, caseArb, plainCase, type FuzzCase } from '../fuzz/cases';
import { importerIds, importerSamples, sampleOf } from '../fuzz/samples';
import { allProfiles } from '../fuzz/profile';
import { FORMATS, listFormats } from '../../electron/engine/import/formats';
import { runImport } from '../../electron/engine/import/pipeline';
import { FORMULA_SQL } from '../fuzz/hostile';

const RUNS = Math.max(24, Number(process.env.DRAWDOWN_FUZZ_UNIT_RUNS ?? 200));
const PER_IMPORTER = Math.ceil(RUNS / importerIds().length);
const SEED = Number(process.env.DRAWDOWN_FUZZ_SEED ?? 20_251_001);

let h: FuzzHarness;
beforeAll(() => {
  h = new FuzzHarness({ batchSize: 60 });
});
afterAll(() => h.dispose());

const col = (importer: string, name: string) => {
  const i = sampleOf(importer).header.indexOf(name);
  if (i < 0) throw new Error(`${importer} has no column ${name}`);
  return i;
};

describe('importer fuzzing: the samples and the registry', () => {
  it('covers every format of the registry, plus the custom mapping', () => {
    expect(importerIds()).toEqual([...listFormats().map((f) => f.id), 'custom']);
    expect(importerIds()).toHaveLength(FORMATS.length + 1);
  });

  it("commits each importer's own fixture (so every importer's commit path is reachable)", async () => {
    // a fresh database per case: FOCUS 1.0–1.2 read the same file, which would otherwise be a duplicate
    const fresh = new FuzzHarness({ batchSize: 1 });
    try {
      for (const s of importerSamples()) {
        const c = plainCase(s.id, { rows: s.rows.map((_, base) => ({ base, edits: [], extra: 0, id: String(9_000_000 + base) })) });
        const o = await fresh.run(c);
        expect(o.failures, s.id).toEqual([]);
        expect(o.status, `${s.id}: ${o.message}`).toBe('committed');
        expect(o.rowsRejected, s.id).toBe(0);
      }
    } finally {
      fresh.dispose();
    }
  });

  it('no importer escapes or strips formula/SQL text on the way in (that is the CSV export\'s job)', () => {
    let verbatim = 0;
    for (const p of allProfiles()) {
      for (const f of p.findings) {
        if (f.outcome === 'verbatim') verbatim++;
        const v = f.value.trim().toLowerCase();
        for (const s of (f.stored ?? []).map((x) => x.toLowerCase())) {
          const what = `${p.sample.id}.${f.column}: ${JSON.stringify(f.value)} → ${JSON.stringify(s)}`;
          // a leading =, +, -, @ or tab dropped, or the value quoted/escaped
          expect(s.includes(v.slice(1)) && !s.includes(v), `stripped: ${what}`).toBe(false);
          expect(s.includes(`'${v}`) || s.includes(v.replace(/'/g, "''")) && v.includes("'") && !s.includes(v), `escaped: ${what}`).toBe(false);
        }
      }
    }
    expect(verbatim).toBeGreaterThan(500);
  });
});

describe('importer fuzzing: random hostile files per importer', () => {
  for (const id of importerIds()) {
    it(`${id}: committed whole or refused with a line and a reason`, async () => {
      let committed = 0;
      await fc.assert(
        fc.asyncProperty(caseArb(id), async (c: FuzzCase) => {
          const o = await h.run(c);
          if (o.status === 'committed') committed++;
          expect(o.failures, o.label).toEqual([]);
        }),
        { numRuns: PER_IMPORTER, seed: SEED + id.length * 1009 + id.charCodeAt(0) },
      );
      expect(committed).toBeGreaterThanOrEqual(0);
    }, 120_000);
  }
});

describe('importer fuzzing: targeted hostile files', () => {
  it('stores formula and SQL-looking text verbatim (read back from the database)', async () => {
    const project = col('openai-usage', 'project_id');
    const model = col('openai-usage', 'model');
    for (let k = 0; k < FORMULA_SQL.length; k++) {
      const value = FORMULA_SQL[k];
      const c = plainCase('openai-usage', { rows: [{ base: k % 2, edits: [{ col: project, value: { k: 'formula', v: value } }], extra: 0, id: '1' }] });
      const o = await h.run(c);
      expect(o.failures, value).toEqual([]);
      expect(o.status, `${value}: ${o.message}`).toBe('committed');
      expect(h.found(value.trim()), value).toBe(true);
    }
    const c = plainCase('openai-usage', { rows: [{ base: 0, edits: [{ col: model, value: { k: 'formula', v: "gpt-4o'; DROP TABLE price_catalog;--" } }], extra: 0, id: '1' }] });
    const o = await h.run(c);
    expect(o.failures).toEqual([]);
    expect(o.status).toBe('committed');
    expect(h.found("gpt-4o'; DROP TABLE price_catalog;--")).toBe(true);
    // and an incident title, through UTF-16 with a BOM and CRLF line ends
    const title = col('incident-generic', 'title');
    const inc = plainCase('incident-generic', {
      encoding: 'utf-16le-bom',
      eol: 'crlf',
      rows: [{ base: 0, edits: [{ col: title, value: { k: 'formula', v: "=cmd|' /C calc'!A0\u001b[0m\u0000" } }], extra: 0, id: '77' }],
    });
    const oi = await h.run(inc);
    expect(oi.failures).toEqual([]);
    expect(oi.status, oi.message).toBe('committed');
    expect(h.found("=cmd|' /C calc'!A0\u001b[0m\u0000")).toBe(true);
  });

  it('a 10 MB cell in a text column is committed and stored whole; a 17 MB one is refused naming line 2 and the reason', async () => {
    const project = col('openai-usage', 'project_id');
    const ok = plainCase('openai-usage', { shape: 'huge', mode: 'clean', huge: { chars: 10 << 20, ch: '=', col: project, quoted: true } });
    const built = buildCase(ok);
    expect(built.verbatim.some((v) => v.length === 10 << 20)).toBe(true);
    const o = await h.runBuilt(ok, built);
    expect(o.failures).toEqual([]);
    expect(o.status, o.message).toBe('committed');
    expect(o.verbatimChecked).toBeGreaterThanOrEqual(1);

    const tooBig = plainCase('openai-usage', { shape: 'huge', mode: 'clean', huge: { chars: 17 << 20, ch: 'x', col: project, quoted: true } });
    const r = await h.run(tooBig);
    expect(r.failures).toEqual([]);
    expect(r.status).toBe('refused');
    expect(r.errors[0]).toMatchObject({ line: 2 });
    expect(r.errors[0].message).toMatch(/longer than/);
    expect(r.message).toMatch(/line 2/);
  }, 60_000);

  it('10,000 columns are read; 20,001 are refused at the header with a reason', async () => {
    const wide = await h.run(plainCase('aws-cur2', { shape: 'wide', mode: 'clean', wideColumns: 10_000 }));
    expect(wide.failures).toEqual([]);
    expect(wide.status, wide.message).toBe('committed');
    const wider = await h.run(plainCase('aws-cur2', { shape: 'wide', mode: 'clean', wideColumns: 20_001 }));
    expect(wider.failures).toEqual([]);
    expect(wider.status).toBe('refused');
    expect(wider.message).toMatch(/line 1/);
    expect(wider.message).toMatch(/more than 20000 columns/);
  }, 60_000);

  it('out-of-range amounts and dates are rejected with the line, the column and a reason', async () => {
    const cost = col('openai-cost', 'amount_value');
    const start = col('openai-cost', 'start_time');
    for (const [c, v, re] of [
      [cost, '1e400', /amount_value/],
      [cost, 'NaN', /amount_value/],
      [cost, '9'.repeat(40), /amount_value/],
      [start, '99999999999999999999', /start_time/],
    ] as const) {
      const o = await h.run(plainCase('openai-cost', { rows: [{ base: 0, edits: [], extra: 0, id: '1' }, { base: 1, edits: [{ col: c, value: { k: 'amount', v } }], extra: 0, id: '1' }] }));
      expect(o.failures, v).toEqual([]);
      expect(o.status, v).toBe('refused');
      expect(o.errors[0].line, v).toBe(3);
      expect(o.errors[0].column ?? o.errors[0].message, v).toMatch(re);
    }
    const day = col('incident-generic', 'detected_at');
    const o = await h.run(plainCase('incident-generic', { rows: [{ base: 0, edits: [{ col: day, value: { k: 'date', v: '99999-01-01' } }], extra: 0, id: '5' }] }));
    expect(o.status).toBe('refused');
    expect(o.errors[0]).toMatchObject({ line: 2, column: 'detected_at' });
  });

  // Found by the fuzzer (node scripts/test-fuzz.mjs --seed 7, gcp-billing case 103): a credits cell out of
  // the integer range once crashed the INSERT; it must be a rejected row with a reason.
  it('a GCP credits cell out of range (1e400) is a rejected row with a reason, not a crash', async () => {
    const credits = col('gcp-billing', 'credits');
    for (const v of ['1e400', '[{"name":"x","amount":-1' + '0'.repeat(40) + ',"type":"PROMOTION"}]']) {
      const o = await h.run(plainCase('gcp-billing', { rows: [{ base: 0, edits: [{ col: credits, value: { k: 'amount', v } }], extra: 0, id: '1' }] }));
      expect(o.failures, v).toEqual([]);
      expect(o.status, v).toBe('refused');
      expect(o.errors[0], v).toMatchObject({ line: 2, column: 'credits' });
    }
  });

  it('broken quoting, mixed line ends, other encodings, NUL and ESC, random bytes: refused or committed, never half', async () => {
    const variants: Partial<FuzzCase>[] = [
      { quoting: 'broken', broken: { how: 'unterminated', at: 5 } },
      { quoting: 'broken', broken: { how: 'stray', at: 17 } },
      { quoting: 'broken', broken: { how: 'after-close', at: 0 } },
      { quoting: 'none', rows: [{ base: 0, edits: [{ col: 1, value: { k: 'csv', v: 'a"b,c\r\nd' } }], extra: 0, id: '1' }] },
      { eol: 'mixed', eolSeeds: [0, 1, 2, 1], rows: [0, 1, 2].map((base) => ({ base, edits: [], extra: 0, id: String(base) })) },
      { encoding: 'windows-1252', rows: [{ base: 0, edits: [{ col: 1, value: { k: 'text', v: 'Müller € ‰' } }], extra: 0, id: '1' }] },
      { encoding: 'invalid-utf-8', invalidBytes: [{ at: 40, seq: 5 }, { at: 3, seq: 0 }] },
      { encoding: 'utf-16be-bom', eol: 'cr' },
      { encoding: 'utf-16le' },
      { rows: [{ base: 0, edits: [{ col: 0, value: { k: 'control', v: '\u0000' } }, { col: 2, value: { k: 'control', v: '\u001b[31m' } }], extra: 0, id: '1' }] },
      { shape: 'garbage', garbage: { bytes: [0xff, 0xfe, 0x00, 0x22, 0x0a, 0x0d, 0x2c, 0x00, 0x80], withHeader: true } },
      { shape: 'garbage', garbage: { bytes: Array.from({ length: 500 }, (_, i) => (i * 37) % 256), withHeader: false } },
      { shape: 'empty' },
      { shape: 'header-only' },
      { shape: 'random-header', randomHeader: ['=cmd', '', '', '\u0000'], randomRows: [['1', '2', '3', '4']] },
    ];
    for (const id of ['openai-usage', 'invoice-stripe', 'incident-github', 'custom']) {
      for (const v of variants) {
        const o = await h.run(plainCase(id, v));
        expect(o.failures, o.label).toEqual([]);
        expect(['committed', 'refused', 'duplicate'], o.label).toContain(o.status);
      }
    }
  });
});

describe('the fuzz harness catches what it is meant to catch (planted faults)', () => {
  const planted = (importFn: typeof runImport) => new FuzzHarness({ importFn });
  const c = plainCase('openai-usage');

  it('an import that throws', async () => {
    const p = planted(async () => {
      throw new Error('boom');
    });
    const o = await p.run(c);
    p.dispose();
    expect(o.failures.join('\n')).toMatch(/runImport threw: Error: boom/);
  });

  it('a refused import that still wrote rows, or left its transaction open', async () => {
    const p = planted(async (opts) => {
      opts.db.exec('BEGIN');
      opts.db.prepare("INSERT INTO settings (key, value) VALUES ('planted', 'x')").run();
      const r = await runImport({ ...opts, file: { path: opts.file.path, name: opts.file.name }, db: opts.db, format: 'no-such-format' }).catch(() => null);
      return r ?? ({ status: 'refused', message: 'x was refused', errors: [], errorsTotal: 0, rowsRejected: 0 } as never);
    });
    const o = await p.run(c);
    p.dispose();
    const text = o.failures.join('\n');
    expect(text).toMatch(/transaction was left open|rows were written/);
  });

  it('a rejection without a line or a reason, and a schema change', async () => {
    const p = planted(async (opts) => {
      opts.db.exec('CREATE TABLE planted (x)');
      const r = await runImport({ ...opts, format: 'no-such-format' });
      return { ...r, rowsRejected: 1, errorsTotal: 1, errors: [{ line: 0, column: null, message: '' }] };
    });
    const o = await p.run(c);
    p.dispose();
    const text = o.failures.join('\n');
    expect(text).toMatch(/rejection with line 0/);
    expect(text).toMatch(/without a reason/);
    expect(text).toMatch(/sqlite_master changed/);
  });

  it('hostile text that was "sanitised" on the way in', async () => {
    const project = col('openai-usage', 'project_id');
    const p = planted(async (opts) => {
      const r = await runImport(opts);
      opts.db.prepare("UPDATE usage_records SET sub_account_id = substr(sub_account_id, 2) WHERE sub_account_id LIKE '=%'").run();
      return r;
    });
    const o = await p.run(plainCase('openai-usage', { rows: [{ base: 0, edits: [{ col: project, value: { k: 'formula', v: "=cmd|' /C calc'!A0" } }], extra: 0, id: '1' }] }));
    p.dispose();
    expect(o.status).toBe('committed');
    expect(o.failures.join('\n')).toMatch(/not stored verbatim/);
  });
});
