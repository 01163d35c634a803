import { describe, it, expect, afterAll } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createEngine } from '../../electron/engine/engine';
import { createIncidentsRepo } from '../../electron/engine/repos/incidents';
import { readStats } from '../../electron/engine/repos/stats';
import { DecimalSum } from '../../shared/money';
import type { ImportFileResult } from '../../shared/api/imports';
import type { Job } from '../../shared/domain';
import { sharedData, tempDbPath, tempDir } from '../helpers';

/**
 * analysis_cache keeps results over all usage rows and tops them up with the rows added since.
 * Every step below changes the rows the way the app does (imports, undo, an undo followed by an
 * import that reuses the freed ids) and compares the cached answer with the same question asked
 * of usage_records directly.
 */
const HEADER = 'start_time,end_time,project_id,num_model_requests,api_key_id,model,input_tokens,output_tokens';

function file(dir: string, name: string, rows: { day: number; key: string; model: string }[]): string {
  const lines = rows.map((r, i) => {
    const t = Date.UTC(2026, 0, 1 + r.day) / 1000 + i * 60;
    return [t, t + 60, 'proj_a', 2, r.key, r.model, 1000 + i, 100 + i].join(',');
  });
  const p = path.join(dir, name);
  fs.writeFileSync(p, [HEADER, ...lines].join('\n') + '\n');
  return p;
}

describe('analysis cache: first model use per key', () => {
  const dir = tempDir();
  const e = createEngine({ dbPath: tempDbPath(), mode: 'test' });
  afterAll(() => e.close());
  const db = e.ctx.db;
  const importFile = async (p: string, format = 'openai-usage'): Promise<ImportFileResult> => {
    const job = await e.invoke('import-start', { fileRef: e.ctx.files.register(p).ref, format });
    const done: Job = await e.ctx.jobs.wait(job.id, undefined, 5);
    if (done.state !== 'done') throw new Error(`import ${done.state}: ${done.message}`);
    return done.result as ImportFileResult;
  };
  const direct = (to: string) =>
    db
      .prepare(
        `SELECT api_key AS apiKey, COALESCE(model_id, model_raw) AS model, MIN(period_start) AS firstAt FROM usage_records
         WHERE api_key IS NOT NULL AND COALESCE(model_id, model_raw) IS NOT NULL AND charge_category = 'usage' AND day <= ?
         GROUP BY api_key, model ORDER BY api_key, model`,
      )
      .all(to);
  const cached = (to: string) => createIncidentsRepo(db).firstUse(to);
  /** the stats groups summed row by row from usage_records */
  const directStats = () => {
    const groups = new Map<string, { rows: number; sum: DecimalSum; micros: number }>();
    for (const r of db.prepare('SELECT provider, charge_category AS c, currency, billed_cost_text AS t, billed_cost_micros AS m FROM usage_records').all() as { provider: string; c: string; currency: string; t: string | null; m: number | null }[]) {
      const k = `${r.provider}/${r.c}/${r.currency}`;
      const g = groups.get(k) ?? { rows: 0, sum: new DecimalSum(), micros: 0 };
      g.rows++;
      g.sum.add(r.t);
      g.micros += r.m ?? 0;
      groups.set(k, g);
    }
    return [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([k, g]) => [k, g.rows, g.sum.toString(), g.micros]);
  };
  const stats = () => readStats(db).groups.map((g) => [`${g.provider}/${g.chargeCategory}/${g.currency}`, g.rows, g.billedCost, g.billedCostMicros]);
  const covered = () => db.prepare("SELECT covered_id AS id FROM analysis_cache WHERE name = 'first-model-use-per-key'").get() as { id: number } | undefined;
  const maxId = () => db.prepare('SELECT max(id) AS n FROM usage_records').pluck().get() as number;
  const rows = (n: number, day0: number, models: string[]) => Array.from({ length: n }, (_, i) => ({ day: day0 + (i % 5), key: `key_${i % 3}`, model: models[i % models.length] }));

  it('answers like usage_records through imports, undo, and ids reused after an undo', async () => {
    const a = await importFile(file(dir, 'a.csv', rows(30, 0, ['gpt-4o-2024-08-06'])));
    expect(cached('2026-12-31')).toEqual(direct('2026-12-31'));
    expect(covered()?.id).toBe(maxId());
    expect(cached('2026-01-02')).toEqual(direct('2026-01-02')); // pairs first used after `to` are left out

    // billed costs with more decimals than micro-units hold: the official FOCUS sample
    await importFile(sharedData('focus-sample', 'focus_sample_1.0.csv'), 'focus-1.0');
    expect(stats()).toEqual(directStats());
    expect(stats().some(([, , text]) => String(text).replace(/^\d+\.?/, '').length > 6)).toBe(true);

    // new rows: a key moves to another model later; the cache is topped up, not rebuilt
    const b = await importFile(file(dir, 'b.csv', rows(12, 20, ['gpt-4o-2024-08-06', 'o3'])));
    expect(cached('2026-12-31')).toEqual(direct('2026-12-31'));
    expect(cached('2026-12-31').some((u) => u.model === 'o3')).toBe(true);
    expect(stats()).toEqual(directStats());
    expect(covered()?.id).toBe(maxId());

    // undo the latest import, then import as many rows again: the new rows reuse the freed ids
    const freed = maxId();
    await e.invoke('import-undo', { importId: b.importId! });
    const c = await importFile(file(dir, 'c.csv', rows(12, 40, ['o4-mini'])));
    expect(maxId()).toBe(freed);
    expect(cached('2026-12-31')).toEqual(direct('2026-12-31'));
    expect(cached('2026-12-31').some((u) => u.model === 'o3')).toBe(false);
    expect(stats()).toEqual(directStats());

    // undo an older import: its first uses move to the remaining rows
    await e.invoke('import-undo', { importId: a.importId! });
    expect(cached('2026-12-31')).toEqual(direct('2026-12-31'));
    expect(stats()).toEqual(directStats());
    expect(c.rowsImported).toBe(12);

    // rows removed some other way than an undo: the row count no longer adds up
    cached('2026-12-31');
    db.prepare('DELETE FROM usage_records WHERE id = (SELECT min(id) FROM usage_records)').run();
    expect(cached('2026-12-31')).toEqual(direct('2026-12-31'));
  });

  it('still answers from a read-only connection, without keeping the result', async () => {
    const ro = new (await import('better-sqlite3')).default(e.ctx.dbPath, { readonly: true });
    try {
      db.prepare('DELETE FROM analysis_cache').run();
      const got = createIncidentsRepo(ro as never).firstUse('2026-12-31');
      expect(got).toEqual(direct('2026-12-31'));
      expect(db.prepare('SELECT count(*) FROM analysis_cache').pluck().get()).toBe(0);
    } finally {
      ro.close();
    }
  });
});
