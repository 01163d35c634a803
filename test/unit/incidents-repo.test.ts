import { describe, it, expect, afterAll } from 'vitest';
import { createEngine } from '../../electron/engine/engine';
import { createIncidentsRepo } from '../../electron/engine/repos/incidents';
import { tempDbPath } from '../helpers';

/**
 * The incident analysis reads every per-key series from one pass over the window (keyWindow).
 * Each series is checked here against its definition as its own SQL query over usage_records,
 * on the demo organisation (daily and hourly exports, keys with several models and workloads).
 */
const HOURLY = `period_end IS NOT NULL AND (julianday(period_end) - julianday(period_start)) * 24 <= 1.001`;

describe('incident series per API key from one pass', () => {
  const e = createEngine({ dbPath: tempDbPath(), mode: 'test' });
  afterAll(() => e.close());
  const db = e.ctx.db;
  const q = (sql: string, ...p: unknown[]) => db.prepare(sql).all(...p);

  it('equals the per-series queries', async () => {
    await e.invoke('demo-load', {});
    const range = { historyFrom: '2026-07-01', modelFrom: '2026-08-25', hourFrom: '2026-09-20', to: '2026-10-31' };
    const w = createIncidentsRepo(db).keyWindow(range);
    expect(w.hourly.length).toBeGreaterThan(20);
    expect(new Set(w.dailyByKeyModel.map((d) => `${d.apiKey}/${d.model}`)).size).toBeGreaterThan(new Set(w.dailyByKeyModel.map((d) => d.apiKey)).size);

    expect(w.daily).toEqual(
      q(`SELECT api_key AS key, day, SUM(billed_cost_micros) AS micros FROM usage_records
         WHERE api_key IS NOT NULL AND charge_category = 'usage' AND billed_cost_micros IS NOT NULL AND day >= ? AND day <= ?
         GROUP BY api_key, day ORDER BY api_key, day`, range.historyFrom, range.to),
    );
    const byHour = (a: { hour: string; apiKey: string | null; workloadId: number | null; model: string | null }) => `${a.hour}|${a.apiKey}|${a.workloadId}|${a.model}`;
    const sortHourly = <T extends { hour: string; apiKey: string | null; workloadId: number | null; model: string | null }>(xs: T[]) => [...xs].sort((a, b) => (byHour(a) < byHour(b) ? -1 : 1));
    expect(sortHourly(w.hourly)).toEqual(
      sortHourly(q(`SELECT api_key AS apiKey, workload_id AS workloadId, COALESCE(model_id, model_raw) AS model,
           substr(period_start, 1, 13) || ':00:00Z' AS hour, SUM(COALESCE(requests, 0)) AS requests, SUM(COALESCE(billed_cost_micros, 0)) AS micros
         FROM usage_records WHERE charge_category = 'usage' AND day >= ? AND day <= ? AND ${HOURLY}
         GROUP BY api_key, workload_id, model, hour`, range.hourFrom, range.to) as never[]),
    );
    expect(w.hourly.map((h) => h.hour)).toEqual([...w.hourly.map((h) => h.hour)].sort());
    expect(w.dailyByKeyModel).toEqual(
      q(`SELECT api_key AS apiKey, COALESCE(model_id, model_raw, '') AS model, day,
           SUM(COALESCE(requests, 0)) AS requests, SUM(COALESCE(billed_cost_micros, 0)) AS micros
         FROM usage_records WHERE api_key IS NOT NULL AND charge_category = 'usage' AND day >= ? AND day <= ?
         GROUP BY api_key, model, day ORDER BY api_key, model, day`, range.modelFrom, range.to),
    );
    expect(w.keyHomes).toEqual(
      q(`SELECT api_key AS apiKey, account_id AS accountId, workload_id AS workloadId, count(*) AS n FROM usage_records
         WHERE api_key IS NOT NULL AND day >= ? AND day <= ? GROUP BY api_key, account_id, workload_id ORDER BY api_key, account_id, workload_id`, range.historyFrom, range.to),
    );
  });
});
