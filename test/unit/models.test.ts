import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { normalizeModel } from '../../shared/models';
import { catalogCostMicros, findPrice, priceRow, type PriceCatalog, type PriceEntry } from '../../shared/catalog';
import { tokenCostMicros } from '../../shared/money';
import { sharedData } from '../helpers';

const catalog = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'resources', 'prices', 'catalog.json'), 'utf8')) as PriceCatalog;

describe('normalizeModel', () => {
  it.each([
    ['claude-sonnet-4-5', 'claude-sonnet-4-5'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['Claude Sonnet 4.5', 'claude-sonnet-4-5'],
    ['anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5'],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5'],
    ['global.anthropic.claude-haiku-4-5-20251001-v1:0', 'claude-haiku-4-5'],
    ['Claude Sonnet 4.5 (Amazon Bedrock Edition)', 'claude-sonnet-4-5'],
    ['claude-sonnet-4-5@20250929', 'claude-sonnet-4-5'],
    ['anthropic/claude-4.5-sonnet-20250929', 'claude-sonnet-4-5'],
    ['anthropic/claude-sonnet-4.5', 'claude-sonnet-4-5'],
    ['arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0', 'claude-3-5-sonnet'],
    ['claude-3-5-sonnet-20241022', 'claude-3-5-sonnet'],
    ['Claude 3.5 Sonnet', 'claude-3-5-sonnet'],
    ['Claude Sonnet 3.5 v2', 'claude-3-5-sonnet'],
    ['USE1-Claude3.5Sonnet-input-tokens', 'claude-3-5-sonnet'],
    ['claude-3-haiku-20240307', 'claude-3-haiku'],
    ['claude-sonnet-4-20250514', 'claude-sonnet-4-0'],
    ['Claude Opus 4.1', 'claude-opus-4-1'],
    ['claude-sonnet-5', 'claude-sonnet-5'],
    ['gpt 4o 0513 Input global Tokens', 'gpt-4o'],
    ['gpt-4o-mini-0718-Inp-glbl Tokens', 'gpt-4o-mini'],
    ['gpt 4o 1120 cached Inp glbl Tokens', 'gpt-4o'],
    ['GPT 5 Inpt Glbl', 'gpt-5'],
    ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['gpt-4o-2024-08-06', 'gpt-4o'],
    ['gpt-4.1-nano-2025-04-14', 'gpt-4.1-nano'],
    ['gpt-35-turbo', 'gpt-3.5-turbo'],
    ['gpt-5-chat-latest', 'gpt-5-chat-latest'],
    ['openai/gpt-4o-mini', 'gpt-4o-mini'],
    ['openai.gpt-oss-120b-1:0', 'gpt-oss-120b'],
    ['o3-mini-2025-01-31', 'o3-mini'],
    ['o3 mini 0131 Inp glbl', 'o3-mini'],
    ['o1', 'o1'],
    ['text-embedding-3-small', 'text-embedding-3-small'],
    ['Gemini 2.5 Flash GA Text Input - Predictions', 'gemini-2.5-flash'],
    ['Gemini 2.0 Flash Lite Text Output', 'gemini-2.0-flash-lite'],
    ['gemini-2.5-flash-lite', 'gemini-2.5-flash-lite'],
    ['gemini-1.5-pro-002', 'gemini-1.5-pro'],
    ['google/gemini-2.5-pro', 'gemini-2.5-pro'],
    ['amazon.nova-pro-v1:0', 'nova-pro'],
    ['Nova Pro', 'nova-pro'],
    ['mistral-large-2411', 'mistral-large-2411'],
  ])('%s → %s', (raw, id) => {
    expect(normalizeModel(raw)).toEqual({ modelId: id, raw });
  });

  it('unrecognisable text → null, raw kept (trimmed)', () => {
    expect(normalizeModel('  Some SKU description  ')).toEqual({ modelId: null, raw: 'Some SKU description' });
    expect(normalizeModel('')).toEqual({ modelId: null, raw: '' });
    expect(normalizeModel('D2s v5')).toEqual({ modelId: null, raw: 'D2s v5' });
  });

  it('the provider hint keeps o-series matching to OpenAI-ish sources', () => {
    expect(normalizeModel('o3', 'openai').modelId).toBe('o3');
    expect(normalizeModel('Storage o3 class', 'gcp').modelId).toBeNull();
  });
});

describe('price catalog', () => {
  it('catalog.json is built from the models.dev extract with its source and MIT notice', () => {
    expect(catalog.sourceCommit).toBe('f3fc6922');
    expect(catalog.date).toBe('2026-07-02');
    expect(catalog.source).toMatch(/models\.dev/);
    expect(catalog.licence).toMatch(/MIT License[\s\S]*Copyright \(c\) 2025 models\.dev[\s\S]*Permission is hereby granted/);
    const csvRows = fs.readFileSync(sharedData('prices', 'models-dev-prices.csv'), 'utf8').trim().split('\n').length - 1;
    expect(catalog.models).toHaveLength(csvRows);
    for (const m of catalog.models) {
      expect(Number.isSafeInteger(m.inputPerMTokMicros) && Number.isSafeInteger(m.outputPerMTokMicros)).toBe(true);
      expect(m.effectiveFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    const sonnet = catalog.models.find((m) => m.provider === 'anthropic' && m.modelId === 'claude-sonnet-4-5-20250929')!;
    expect(sonnet).toEqual({
      provider: 'anthropic',
      modelId: 'claude-sonnet-4-5-20250929',
      displayName: 'Claude Sonnet 4.5',
      family: 'claude-sonnet',
      inputPerMTokMicros: 3_000_000,
      outputPerMTokMicros: 15_000_000,
      cacheReadPerMTokMicros: 300_000,
      cacheWritePerMTokMicros: 3_750_000,
      effectiveFrom: '2025-09-29',
    });
    expect(catalog.models.find((m) => m.modelId === 'amazon.nova-micro-v1:0')!.cacheReadPerMTokMicros).toBe(8750);
  });

  it('finds a price by canonical id, preferring the billing provider and exact ids', () => {
    expect(findPrice(catalog, 'claude-sonnet-4-5', '2025-10-01')).toMatchObject({ provider: 'anthropic', modelId: 'claude-sonnet-4-5' });
    expect(findPrice(catalog, 'claude-sonnet-4-5', '2025-10-01', 'aws')).toMatchObject({ provider: 'amazon-bedrock', modelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0' });
    expect(findPrice(catalog, 'gpt-4o', '2025-01-01')).toMatchObject({ provider: 'openai', modelId: 'gpt-4o', inputPerMTokMicros: 2_500_000 });
    expect(findPrice(catalog, 'gpt-4o-mini', '2025-01-01', 'azure')).toMatchObject({ provider: 'azure', modelId: 'gpt-4o-mini' });
    expect(findPrice(catalog, 'claude-3-5-sonnet', '2025-01-01')).toMatchObject({ provider: 'anthropic', inputPerMTokMicros: 3_000_000 });
    expect(findPrice(catalog, 'gemini-2.5-flash', '2025-10-01', 'gcp')).toMatchObject({ provider: 'google-vertex', modelId: 'gemini-2.5-flash' });
    expect(findPrice(catalog, 'gemini-2.5-flash-preview', '2025-10-01')).toMatchObject({ provider: 'google', modelId: 'gemini-2.5-flash' });
    // a raw spelling is normalised too
    expect(findPrice(catalog, 'Claude Haiku 4.5', '2025-12-01')).toMatchObject({ provider: 'anthropic', inputPerMTokMicros: 1_000_000 });
    expect(findPrice(catalog, 'no-such-model', '2025-01-01')).toBeNull();
  });

  it('picks the latest effective price on or before the day, else the earliest', () => {
    const entry = (effectiveFrom: string, input: number): PriceEntry => ({
      provider: 'openai', modelId: 'gpt-x', displayName: null, family: null, inputPerMTokMicros: input, outputPerMTokMicros: 0,
      cacheReadPerMTokMicros: null, cacheWritePerMTokMicros: null, effectiveFrom,
    });
    const list = [entry('2025-01-01', 10), entry('2025-06-01', 5), entry('2024-01-01', 20)];
    expect(findPrice(list, 'gpt-x', '2025-07-01')!.inputPerMTokMicros).toBe(5);
    expect(findPrice(list, 'gpt-x', '2025-03-01')!.inputPerMTokMicros).toBe(10);
    expect(findPrice(list, 'gpt-x', '2023-01-01')!.inputPerMTokMicros).toBe(20);
  });

  it('catalog cost: exact sum of the four token kinds, rounded once; missing cache prices fall back to input', () => {
    const sonnet = findPrice(catalog, 'claude-sonnet-4-5', '2025-10-01')!;
    const tokens = { input: 12000, output: 4000, cacheRead: 50000, cacheWrite: 4000 };
    // 12000×3 + 4000×15 + 50000×0.3 + 4000×3.75 = 0.036 + 0.06 + 0.015 + 0.015 = $0.126
    expect(catalogCostMicros(sonnet, tokens)).toBe(126_000);
    expect(catalogCostMicros(sonnet, tokens)).toBe(
      tokenCostMicros(12000, 3_000_000) + tokenCostMicros(4000, 15_000_000) + tokenCostMicros(50000, 300_000) + tokenCostMicros(4000, 3_750_000),
    );
    const gpt4 = findPrice(catalog, 'gpt-4', '2025-01-01')!;
    expect(gpt4.cacheReadPerMTokMicros).toBeNull();
    expect(catalogCostMicros(gpt4, { input: 1000, cacheRead: 1000 })).toBe(tokenCostMicros(2000, gpt4.inputPerMTokMicros));
    // one token of a cheap model: below a micro-unit rounds half-even
    const nano = findPrice(catalog, 'gpt-5-nano', '2025-10-01')!;
    expect(catalogCostMicros(nano, { input: 1 })).toBe(0);
    expect(catalogCostMicros(nano, { input: 10, output: 1 })).toBe(1);
  });

  it('priceRow: raw model name → canonical id, entry and cost; unknown → null', () => {
    expect(priceRow(catalog, 'gpt-4o-mini-0718-Inp-glbl Tokens', '2025-10-01', { input: 2_500_000 }, 'azure')).toMatchObject({ modelId: 'gpt-4o-mini', costMicros: 375_000 });
    expect(priceRow(catalog, 'mystery-model-9000', '2025-10-01', { input: 1 })).toMatchObject({ modelId: 'mystery-model-9000', entry: null, costMicros: null });
    expect(priceRow(catalog, null, '2025-10-01', {})).toEqual({ modelId: null, entry: null, costMicros: null });
  });
});
