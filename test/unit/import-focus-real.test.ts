import fs from 'node:fs';
import { describe, it, expect } from 'vitest';
import { parseFile } from '../../electron/engine/import/parse-file';
import type { ParsedRow } from '../../electron/engine/import/types';
import type { UsageRecord } from '../../shared/domain';
import { DecimalSum } from '../../shared/money';
import { sharedData } from '../helpers';

async function usage(file: string, chunkBytes?: number) {
  const rows: ParsedRow[] = [];
  const summary = await parseFile(file, { chunkBytes }, (r) => rows.push(...r));
  const records: UsageRecord[] = [];
  for (const r of rows) if (r.result.ok === true && r.result.mapped.kind === 'usage') records.push(r.result.mapped.record);
  return { summary, rows, records };
}

const sample = sharedData('focus-sample', 'focus_sample_1.0.csv');
const vc = (s: string) => sharedData('focus-spec-scenarios', 'saas_examples', `virtual_currency_pricing_model_${s}.csv`);

describe('official FOCUS 1.0 sample', () => {
  it('parses as focus-1.0: 1000 rows, categories, exact BilledCost sum', async () => {
    const { summary, rows, records } = await usage(sample);
    expect(summary.format.id).toBe('focus-1.0');
    expect(summary.rowsRead).toBe(1000);
    expect(summary.headers).toHaveLength(44);
    expect(summary.encoding).toBe('utf-8');
    expect(rows.filter((r) => r.result.ok !== true)).toEqual([]);
    expect(records).toHaveLength(1000);

    const byCat: Record<string, number> = {};
    for (const r of records) byCat[r.chargeCategory] = (byCat[r.chargeCategory] ?? 0) + 1;
    expect(byCat).toEqual({ usage: 997, adjustment: 2, credit: 1 });
    expect(new Set(records.map((r) => r.currency))).toEqual(new Set(['USD']));
    expect(records.every((r) => r.chargeClass === null)).toBe(true);

    const total = new DecimalSum();
    for (const r of records) total.add(r.billedCostText);
    expect(total.toString()).toBe('20.52022672899');
  });

  it('per provider and category sums match the data README', async () => {
    const { records } = await usage(sample);
    const sums = new Map<string, DecimalSum>();
    for (const r of records) {
      const k = `${r.provider} ${r.chargeCategory}`;
      if (!sums.has(k)) sums.set(k, new DecimalSum());
      sums.get(k)!.add(r.billedCostText);
    }
    expect(Object.fromEntries([...sums].map(([k, s]) => [k, s.toString()]))).toEqual({
      'aws usage': '20.62033861840',
      'aws credit': '-2.61370000000',
      'microsoft usage': '1.97651418586',
      'oracle usage': '0.26507392473',
      'oracle adjustment': '0.27200000000',
    });
    // micro-units rounded once per row stay within half a micro per row of the exact sum
    const micros = records.reduce((a, r) => a + r.billedCostMicros!, 0);
    expect(Math.abs(micros - 20_520_227)).toBeLessThanOrEqual(records.length / 2);
    const effective = records.reduce((a, r) => a + (r.effectiveCostMicros ?? 0), 0);
    expect(Math.abs(effective - 14_976_514)).toBeLessThanOrEqual(records.length / 2);
  });

  it('quirks: space timestamps as UTC, 12-digit ids as strings, tag keys kept as-is, no NULL leaks', async () => {
    const { records, rows } = await usage(sample);
    for (const r of records) {
      expect(r.periodStart >= '2024-09-01T00:00:00Z' && r.periodStart < '2024-10-01T00:00:00Z').toBe(true);
      expect(r.periodEnd! > r.periodStart).toBe(true);
      expect(r.periodEnd! <= '2024-10-01T00:00:00Z').toBe(true);
    }
    const ids = records.map((r) => r.billingAccountId).filter((x): x is string => x !== null);
    expect(ids.every((x) => typeof x === 'string')).toBe(true);
    expect(ids).toContain('1234567890123');
    const longIds = records.filter((r) => r.subAccountId !== null && r.subAccountId.length >= 12);
    expect(longIds.length).toBeGreaterThan(0);
    for (const r of longIds) expect(rows.find((row) => row.line === r.line)!.cells).toContain(r.subAccountId);
    expect(records.some((r) => r.tags !== null && Object.keys(r.tags).includes(' org'))).toBe(true);
    const values = records.flatMap((r) => Object.values(r));
    expect(values).not.toContain('NULL');
    // refund rows: negative quantities and costs are read, not rejected
    const refunds = records.filter((r) => r.chargeCategory === 'usage' && r.billedCostText!.startsWith('-'));
    expect(refunds).toHaveLength(12);
    expect(refunds.every((r) => r.pricingQuantityText!.startsWith('-') && r.billedCostMicros! <= 0)).toBe(true);
    expect(refunds.find((r) => r.billedCostText === '-0.14900000000')?.billedCostMicros).toBe(-149_000);
  });

  it('gives the same rows and hashes at any chunk size', async () => {
    const a = await usage(sample);
    const b = await usage(sample, 777);
    expect(b.summary).toEqual(a.summary);
    expect(b.rows).toEqual(a.rows);
  });
});

describe('FOCUS 1.2 virtual-currency scenario (prepaid tokens)', () => {
  it('a1: the Purchase of 100000 Token valid 2025-04-01 → 2026-04-01 (BOM, CRLF, no final newline)', async () => {
    const bytes = fs.readFileSync(vc('a1'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.includes('\r\n')).toBe(true);
    expect(bytes[bytes.length - 1]).not.toBe(0x0a);

    const { summary, records } = await usage(vc('a1'));
    expect(summary.format.id).toBe('focus-1.2');
    expect(summary.headers[0]).toBe('BilledCost');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      chargeCategory: 'purchase',
      pricingQuantityText: '100000',
      pricingUnit: 'Token',
      periodStart: '2025-04-01T00:00:00Z',
      periodEnd: '2026-04-01T00:00:00Z',
      billedCostText: '200000.00',
      billedCostMicros: 200_000_000_000,
      effectiveCostMicros: 0,
      currency: 'USD',
      // PricingCurrency is USD = the billing currency: not a virtual currency on this row
      pricingCurrency: null,
      provider: 'acmecorp',
      billingAccountId: '12345',
    });
  });

  it('a2: the first day of usage draws 245 + 10 + 360 = 615 Token', async () => {
    const { records } = await usage(vc('a2'));
    expect(records).toHaveLength(3);
    expect(records.map((r) => r.pricingCurrency)).toEqual(['Token', 'Token', 'Token']);
    expect(records.map((r) => r.pricingCurrencyEffectiveCostMicros)).toEqual([245_000_000, 10_000_000, 360_000_000]);
    expect(records.reduce((a, r) => a + r.pricingCurrencyEffectiveCostMicros!, 0)).toBe(615_000_000);
    const list = new DecimalSum();
    for (const r of records) list.add(String(r.listCostMicros! / 1_000_000));
    expect(list.toString()).toBe('1230');
    expect(records.every((r) => r.periodStart === '2025-04-01T00:00:00Z' && r.periodEnd === '2025-04-02T00:00:00Z')).toBe(true);
  });

  it('b1: "0.00 " with a trailing space is zero; c: overage and renewal purchases', async () => {
    const b1 = await usage(vc('b1'));
    expect(b1.records[0]).toMatchObject({ effectiveCostMicros: 0, billedCostText: '100000.00' });
    const c = await usage(vc('c'));
    expect(c.records.map((r) => [r.pricingQuantityText, r.pricingUnit, r.periodStart.slice(0, 10), r.periodEnd!.slice(0, 10), r.billedCostText])).toEqual([
      ['1500', 'Token', '2025-04-01', '2025-10-01', '3000.00'],
      ['25000', 'Token', '2025-10-01', '2026-04-01', '50000.00'],
    ]);
  });

  it('every scenario file parses without errors', async () => {
    for (const s of ['a1', 'a2', 'b1', 'b2', 'b3', 'c']) {
      const { rows } = await usage(vc(s));
      expect(rows.filter((r) => r.result.ok !== true), s).toEqual([]);
    }
  });
});
