import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { detectFormat, bestFormat, focusVersion, headerSignature } from '../../electron/engine/import/detect';
import { parseCsv } from '../../electron/engine/import/csv';
import { FORMAT_IDS, listFormats } from '../../electron/engine/import/formats';
import { sharedData } from '../helpers';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'formats');

function headerOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  return parseCsv(text.slice(0, 20_000)).records[0].cells;
}

const split = (s: string) => s.split(',');

describe('format detection', () => {
  it('lists every documented format id', () => {
    expect(FORMAT_IDS).toEqual(
      expect.arrayContaining([
        'focus-1.0', 'focus-1.1', 'focus-1.2', 'focus-1.3', 'azure-focus', 'openai-usage', 'openai-cost', 'anthropic-usage', 'anthropic-cost',
        'openrouter', 'aws-cur2', 'aws-cur-legacy', 'azure-native', 'gcp-billing', 'litellm', 'invoice-focus', 'invoice-stripe', 'invoice-xero',
        'incident-github', 'incident-gitguardian', 'incident-pagerduty', 'incident-guardduty', 'incident-generic', 'custom',
      ]),
    );
    expect(listFormats().find((f) => f.id === 'invoice-xero')?.kind).toBe('invoice');
    expect(listFormats().find((f) => f.id === 'incident-github')?.kind).toBe('incident');
  });

  it.each([
    ['openai-usage.csv', 'openai-usage'],
    ['openai-cost.csv', 'openai-cost'],
    ['anthropic-usage.csv', 'anthropic-usage'],
    ['anthropic-cost.csv', 'anthropic-cost'],
    ['openrouter.csv', 'openrouter'],
    ['aws-cur2.csv', 'aws-cur2'],
    ['aws-cur-legacy.csv', 'aws-cur-legacy'],
    ['azure-native.csv', 'azure-native'],
    ['azure-focus.csv', 'azure-focus'],
    ['focus-1.3.csv', 'focus-1.3'],
    ['gcp-billing.csv', 'gcp-billing'],
    ['litellm.csv', 'litellm'],
    ['invoice-focus.csv', 'invoice-focus'],
    ['invoice-stripe.csv', 'invoice-stripe'],
    ['invoice-xero.csv', 'invoice-xero'],
    ['incident-github.csv', 'incident-github'],
    ['incident-gitguardian.csv', 'incident-gitguardian'],
    ['incident-pagerduty.csv', 'incident-pagerduty'],
    ['incident-guardduty.csv', 'incident-guardduty'],
    ['incident-generic.csv', 'incident-generic'],
  ])('%s → %s', (file, id) => {
    const best = bestFormat(headerOf(path.join(FIXTURES, file)));
    expect(best?.format.id).toBe(id);
    expect(best!.confidence).toBeGreaterThan(0.5);
  });

  it('real FOCUS files: versions by their columns', () => {
    expect(bestFormat(headerOf(sharedData('focus-sample', 'focus_sample_1.0.csv')))?.format.id).toBe('focus-1.0');
    expect(bestFormat(headerOf(sharedData('focus-spec-scenarios', 'saas_examples', 'virtual_currency_pricing_model_a1.csv')))?.format.id).toBe('focus-1.2');
    expect(bestFormat(headerOf(sharedData('focus-spec-scenarios', 'saas_examples', 'simple_agreements', 'simple_saas_agreements_a1.csv')))?.format.id).toBe(
      'focus-1.1',
    );
    // SkuPriceid (sic) and x_CommitmentDiscountUnitPrice do not get in the way
    expect(
      bestFormat(headerOf(sharedData('focus-spec-scenarios', 'commitment_discount_flexibility', 'one_hundred_percent_utilization_without_commitment_discount_flexibility.csv')))
        ?.format.id,
    ).toBe('focus-1.1');
  });

  it('FOCUS version markers', () => {
    const base = ['BilledCost', 'ChargePeriodStart', 'ChargeCategory', 'ProviderName'];
    expect(focusVersion(base)).toBe('1.0');
    expect(focusVersion([...base, 'ServiceSubcategory'])).toBe('1.1');
    expect(focusVersion([...base, 'PricingCurrency'])).toBe('1.2');
    expect(focusVersion([...base, 'InvoiceId'])).toBe('1.2');
    expect(focusVersion([...base, 'ServiceProviderName', 'InvoiceId'])).toBe('1.3');
  });

  it('is case-insensitive, trims, strips a BOM and ranks Azure FOCUS', () => {
    expect(bestFormat(['\uFEFF billedcost ', 'CHARGEPERIODSTART', 'chargeCategory'])?.format.id).toBe('focus-1.0');
    const azure = detectFormat(['BilledCost', 'ChargePeriodStart', 'ChargeCategory', 'x_SkuMeterName']);
    expect(azure[0].format.id).toBe('azure-focus');
    expect(azure[1].format.id).toBe('focus-1.0');
    const skuMeter = detectFormat(['BilledCost', 'ChargePeriodStart', 'ChargeCategory', 'SkuMeter']);
    expect(skuMeter.map((c) => c.format.id)).toEqual(['focus-1.1', 'azure-focus']);
    expect(skuMeter[0].confidence).toBeGreaterThan(skuMeter[1].confidence);
  });

  it('invoice and incident shapes', () => {
    expect(bestFormat(split('BilledCost,BillingCurrency,InvoiceDetailId,InvoiceId,ChargeCategory'))?.format.id).toBe('invoice-focus');
    expect(bestFormat(split('id,number,created,currency,total,amount_paid,status,period_start,period_end'))?.format.id).toBe('invoice-stripe');
    expect(bestFormat(split('*ContactName,*InvoiceNumber,*InvoiceDate,*UnitAmount'))?.format.id).toBe('invoice-xero');
    expect(bestFormat(split('number,secret_type,resolution'))?.format.id).toBe('incident-github');
    expect(bestFormat(split('id,detector,triggered_at'))?.format.id).toBe('incident-gitguardian');
    expect(bestFormat(split('id,incident_number,title,urgency,service.summary'))?.format.id).toBe('incident-pagerduty');
    expect(bestFormat(split('id,type,severity,createdAt,accountId'))?.format.id).toBe('incident-guardduty');
    expect(bestFormat(split('id,title,started_at'))?.format.id).toBe('incident-generic');
  });

  it('unknown headers → null (the mapping editor opens)', () => {
    expect(bestFormat(split('Datum,Projekt,Betrag'))).toBeNull();
    expect(detectFormat(['amount_value'])).toEqual([]);
    expect(bestFormat([])).toBeNull();
  });

  it('header signature ignores order, case and BOM', () => {
    expect(headerSignature(['\uFEFFb', 'A'])).toBe(headerSignature(['a', ' B ']));
    expect(headerSignature(['a', 'b'])).not.toBe(headerSignature(['a', 'c']));
    expect(headerSignature(['a'])).toMatch(/^[0-9a-f]{64}$/);
  });
});
