import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { parseFile } from '../../electron/engine/import/parse-file';
import type { ParsedRow } from '../../electron/engine/import/types';
import { mapRow, parseTags, cleanAmount, tokenKind, unitScale } from '../../electron/engine/import/formats';
import { normalizeModel } from '../../shared/models';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'formats');

type Expect = Record<string, unknown> | { skip: string } | { error: { line: number; column: string | null; message: RegExp } };

async function parse(file: string, format?: string) {
  const rows: ParsedRow[] = [];
  const summary = await parseFile(path.join(FIXTURES, file), { format }, (r) => rows.push(...r));
  return { summary, rows };
}

function check(row: ParsedRow, want: Expect) {
  if ('skip' in want) {
    expect(row.result).toEqual({ ok: 'skip', reason: want.skip });
  } else if ('error' in want && typeof want.error === 'object' && want.error && 'message' in want.error) {
    const e = want.error as { line: number; column: string | null; message: RegExp };
    expect(row.result.ok).toBe(false);
    if (row.result.ok !== false) return;
    expect(row.result.error.line).toBe(e.line);
    expect(row.result.error.column).toBe(e.column);
    expect(row.result.error.message).toMatch(e.message);
  } else {
    expect(row.result.ok, JSON.stringify(row.result)).toBe(true);
    if (row.result.ok !== true) return;
    expect(row.result.mapped.record).toMatchObject(want);
  }
}

const TABLE: { file: string; format: string; kind: string; rows: Expect[] }[] = [
  {
    file: 'openai-usage.csv',
    format: 'openai-usage',
    kind: 'usage',
    rows: [
      {
        line: 2, provider: 'openai', periodStart: '2024-11-01T00:00:00Z', periodEnd: '2024-11-02T00:00:00Z', subAccountId: 'proj_abc', apiKey: 'key_123',
        userId: 'user-1', modelRaw: 'gpt-4o-2024-08-06', inputTokens: 1000, cacheReadTokens: 500, outputTokens: 300, requests: 10,
        billedCostMicros: null, billedCostText: null, currency: 'USD', chargeCategory: 'usage',
      },
      { line: 3, apiKey: 'key_456', userId: null, modelRaw: 'o3-mini-2025-01-31', inputTokens: 800, outputTokens: 1200, requests: 2, description: 'batch, service tier default' },
      { skip: 'empty bucket' },
      // start_time blank → start_time_iso; input_uncached blank → input − cached
      { line: 5, periodStart: '2024-11-02T00:00:00Z', inputTokens: 60, cacheReadTokens: 40, outputTokens: 50 },
      { error: { line: 6, column: 'input_uncached_tokens', message: /expected a whole number, found "12.5"/ } },
    ],
  },
  {
    file: 'openai-cost.csv',
    format: 'openai-cost',
    kind: 'usage',
    rows: [
      {
        line: 2, provider: 'openai', billedCostText: '0.0123456789012345', billedCostMicros: 12346, currency: 'USD', modelRaw: 'gpt-4o-2024-08-06',
        description: 'gpt-4o-2024-08-06, input', subAccountId: 'proj_abc', billingAccountId: 'org-111', billingAccountName: 'Acme',
      },
      { billedCostText: '1.25', billedCostMicros: 1_250_000 },
      { skip: 'empty bucket' },
      { error: { line: 5, column: 'amount_value', message: /expected a decimal amount/ } },
    ],
  },
  {
    file: 'anthropic-usage.csv',
    format: 'anthropic-usage',
    kind: 'usage',
    rows: [
      {
        provider: 'anthropic', periodStart: '2025-10-01T00:00:00Z', periodEnd: '2025-10-02T00:00:00Z', modelRaw: 'claude-sonnet-4-5-20250929',
        apiKey: 'prod-agent-key', subAccountId: 'Default', subAccountName: 'Default', inputTokens: 12000, cacheWriteTokens: 4000, cacheReadTokens: 50000, outputTokens: 4000,
        description: '≤ 200k, us, standard',
      },
      { line: 3, subAccountId: 'Research', inputTokens: 500, outputTokens: 250, cacheWriteTokens: 0 },
    ],
  },
  {
    file: 'anthropic-cost.csv',
    format: 'anthropic-cost',
    kind: 'usage',
    rows: [
      { provider: 'anthropic', modelRaw: 'Claude Sonnet 4.5', billedCostText: '0.036', billedCostMicros: 36000, listCostMicros: 36000, sku: 'input_no_cache', apiKey: 'prod-agent-key' },
      { billedCostMicros: 60000, sku: 'output' },
      { modelRaw: 'Claude Haiku 4.5', billedCostText: '0.00015', billedCostMicros: 150, listCostMicros: 300, sku: 'input_cache_read' },
    ],
  },
  {
    file: 'openrouter.csv',
    format: 'openrouter',
    kind: 'usage',
    rows: [
      {
        provider: 'openrouter', periodStart: '2026-02-06T18:54:30Z', billedCostText: '0.00123', billedCostMicros: 1230, inputTokens: 1000, cacheReadTokens: 200, outputTokens: 300,
        modelRaw: 'anthropic/claude-4.5-sonnet-20250929', apiKey: 'Agent key', resourceId: 'gen-1770403670-abc', requests: 1,
      },
      { billedCostMicros: 45, description: 'cancelled', userId: null },
    ],
  },
  {
    file: 'aws-cur2.csv',
    format: 'aws-cur2',
    kind: 'usage',
    rows: [
      { provider: 'aws', billingAccountId: '123456789012', subAccountId: '210987654321', inputTokens: 150000, billedCostText: '0.45', tags: { user_team: 'search', user_env: 'prod' } },
      { outputTokens: 20000 },
      { cacheReadTokens: 400000, modelRaw: 'Claude3.5Sonnet' },
      { cacheWriteTokens: 10000 },
      { inputTokens: 250000, modelRaw: 'Claude Sonnet 4.5 (Amazon Bedrock Edition)' },
      { outputTokens: 30000 },
      { cacheReadTokens: 90000, inputTokens: 0 },
      { inputTokens: 1000, region: 'us-west-2' },
      { modelRaw: null, inputTokens: 0, serviceName: 'Amazon Elastic Compute Cloud' },
      { chargeCategory: 'tax', billedCostMicros: 210000 },
      { chargeCategory: 'credit', billedCostText: '-1.00', billedCostMicros: -1_000_000 },
    ],
  },
  {
    file: 'aws-cur-legacy.csv',
    format: 'aws-cur-legacy',
    kind: 'usage',
    rows: [
      { provider: 'aws', inputTokens: 1_000_000, modelRaw: 'Claude3Haiku', tags: { 'user:CostCenter': 'CC-42', 'user:Team': 'ml' } },
      { outputTokens: 200_000, tags: null },
      { modelRaw: null, billedCostText: '0.0000012', billedCostMicros: 1, tags: { 'user:CostCenter': 'CC-7' } },
    ],
  },
  {
    file: 'azure-native.csv',
    format: 'azure-native',
    kind: 'usage',
    rows: [
      // 1500.5 × 1K
      { provider: 'azure', periodStart: '2025-10-01T00:00:00Z', inputTokens: 1_500_500, modelRaw: 'gpt 4o 0513 Input global Tokens', tags: { team: 'search', env: 'prod' }, subAccountName: 'AI Prod' },
      // 2.5 × 1M
      { inputTokens: 2_500_000, modelRaw: 'gpt-4o-mini-0718-Inp-glbl Tokens' },
      { cacheReadTokens: 40_000, inputTokens: 0 },
      { inputTokens: 750_000, modelRaw: 'GPT 5 Inpt Glbl' },
      { outputTokens: 500_000 },
      { modelRaw: null, inputTokens: 0, tags: { env: 'dev' }, billedCostText: '2.304' },
    ],
  },
  {
    file: 'azure-focus.csv',
    format: 'azure-focus',
    kind: 'usage',
    rows: [
      { provider: 'azure', inputTokens: 1_500_500, modelRaw: 'gpt 4o 0513 Input global Tokens', billedCostText: '7.5025' },
      { outputTokens: 500_000, modelRaw: 'gpt-4o-mini-0718-Outp-glbl Tokens' },
    ],
  },
  {
    file: 'focus-1.3.csv',
    format: 'focus-1.3',
    kind: 'usage',
    rows: [
      { provider: 'anthropic', inputTokens: 4_000_000, modelRaw: 'Claude Sonnet 4.5 Input Tokens', billedCostText: '12.00', tags: { team: 'agents' } },
      // lower-case currency, ChargeClass Correction, NULL cells
      { chargeCategory: 'credit', chargeClass: 'correction', currency: 'USD', billedCostMicros: -2_000_000, modelRaw: null, tags: null, sku: null },
      // Purchase in a virtual currency: a credit block valid 12 months
      {
        chargeCategory: 'purchase', pricingCurrency: 'Credits', pricingCurrencyEffectiveCostMicros: 0, pricingQuantityText: '1000', pricingUnit: 'Credits',
        periodStart: '2025-10-01T00:00:00Z', periodEnd: '2026-10-01T00:00:00Z', effectiveCostMicros: 0,
      },
    ],
  },
  {
    file: 'gcp-billing.csv',
    format: 'gcp-billing',
    kind: 'usage',
    rows: [
      {
        provider: 'gcp', periodStart: '2025-10-01T00:00:00Z', inputTokens: 1_500_000, modelRaw: 'Gemini 2.5 Flash GA Text Input - Predictions', billedCostMicros: 450_000,
        effectiveCostMicros: 300_000, tags: { team: 'search', env: 'prod' }, subAccountId: 'ai-prod',
      },
      { outputTokens: 1_000_000, effectiveCostMicros: 2_500_000 },
      { modelRaw: null, inputTokens: 0, effectiveCostMicros: 20_000, tags: { env: 'dev' } },
      { chargeCategory: 'tax', billedCostMicros: 200_000, effectiveCostMicros: null },
    ],
  },
  {
    file: 'litellm.csv',
    format: 'litellm',
    kind: 'usage',
    rows: [
      {
        provider: 'litellm', billedCostText: '0.000123', billedCostMicros: 123, inputTokens: 100, outputTokens: 50, modelRaw: 'gpt-4o-mini', serviceName: 'openai',
        subAccountId: 'team-a', tags: { prod: '', 'support-bot': '', agent_id: 'agent-7' }, periodStart: '2025-10-01T10:00:00Z',
      },
      // 1.2e-05 keeps its text, micros 12
      { billedCostText: '1.2e-05', billedCostMicros: 12, userId: 'end-user-5', tags: {} },
    ],
  },
  {
    file: 'invoice-focus.csv',
    format: 'invoice-focus',
    kind: 'invoice',
    rows: [
      {
        invoiceNumber: 'INV-1001', issuer: 'Anthropic, PBC', currency: 'USD', issuedOn: '2025-10-01', dueOn: '2025-10-31', periodStart: '2025-10-01', periodEnd: '2025-11-01',
        category: 'purchase', amountMicros: 5_000_000_000, amountText: '5000.00', description: 'Prepaid API credits',
      },
      { category: 'tax', amountText: '412.50' },
    ],
  },
  {
    file: 'invoice-stripe.csv',
    format: 'invoice-stripe',
    kind: 'invoice',
    rows: [
      { invoiceNumber: 'ACME-0001', currency: 'USD', amountMicros: 1_000_000_000, amountText: '1000.00', issuedOn: '2024-10-01', periodEnd: '2024-11-01', status: 'paid' },
      // JPY has no minor unit
      { invoiceNumber: 'ACME-0002', currency: 'JPY', amountText: '55000', amountMicros: 55_000_000_000 },
    ],
  },
  {
    file: 'invoice-xero.csv',
    format: 'invoice-xero',
    kind: 'invoice',
    rows: [
      // dd/MM/yyyy; 3 × 1250.50 exactly
      { invoiceNumber: 'INV-0042', issuer: 'OpenAI, L.L.C.', issuedOn: '2025-10-05', dueOn: '2025-11-04', amountText: '3751.50', amountMicros: 3_751_500_000, quantityText: '3' },
      { invoiceNumber: 'INV-0043', issuedOn: '2025-10-31', currency: 'USD', amountText: '999.99' },
    ],
  },
  {
    file: 'incident-github.csv',
    format: 'incident-github',
    kind: 'incident',
    rows: [
      { source: 'github', externalId: '42', detectedAt: '2025-10-03T08:15:00Z', resolvedAt: '2025-10-03T11:00:00Z', type: 'secret-leak:openai_api_key', title: 'Leaked OpenAI API Key (publicly leaked)' },
      { externalId: '43', resolvedAt: null, status: 'open, secret active' },
    ],
  },
  {
    file: 'incident-gitguardian.csv',
    format: 'incident-gitguardian',
    kind: 'incident',
    rows: [{ source: 'gitguardian', externalId: '9001', startedAt: '2025-10-02T22:10:00Z', detectedAt: '2025-10-03T07:30:00Z', severity: 'critical', title: 'Leaked OpenAI API Key' }],
  },
  {
    file: 'incident-pagerduty.csv',
    format: 'incident-pagerduty',
    kind: 'incident',
    rows: [{ source: 'pagerduty', externalId: '1234', severity: 'high', workloads: ['Support Bot'], resolvedAt: '2025-10-03T10:30:00Z' }],
  },
  {
    file: 'incident-guardduty.csv',
    format: 'incident-guardduty',
    kind: 'incident',
    rows: [{ source: 'guardduty', accounts: ['210987654321'], severity: 'high (8.0)', detectedAt: '2025-10-03T08:00:00Z' }],
  },
  {
    file: 'incident-generic.csv',
    format: 'incident-generic',
    kind: 'incident',
    rows: [
      { externalId: 'INC-7', apiKeys: ['key_123', 'key_456'], workloads: ['support-bot'], accounts: ['openai:org-111'], startedAt: '2025-10-02T20:00:00Z', detectedAt: '2025-10-03T08:15:00Z' },
      // no detected_at: the start time stands in
      { externalId: 'INC-8', apiKeys: ['key_789'], detectedAt: '2025-10-04T01:00:00Z', resolvedAt: null },
    ],
  },
];

describe('format mappers (fixtures)', () => {
  it.each(TABLE)('$file → $format', async ({ file, format, kind, rows: expected }) => {
    const { summary, rows } = await parse(file);
    expect(summary.format.id).toBe(format);
    expect(summary.format.kind).toBe(kind);
    expect(rows).toHaveLength(expected.length);
    rows.forEach((row, i) => {
      if (row.result.ok === true) expect(row.result.mapped.kind).toBe(kind);
      check(row, expected[i]);
    });
  });

  it('model names in the fixtures normalise to catalog ids', async () => {
    const want: Record<string, string> = {
      'openai-usage.csv': 'gpt-4o',
      'anthropic-usage.csv': 'claude-sonnet-4-5',
      'anthropic-cost.csv': 'claude-sonnet-4-5',
      'openrouter.csv': 'claude-sonnet-4-5',
      'aws-cur-legacy.csv': 'claude-3-haiku',
      'azure-native.csv': 'gpt-4o',
      'gcp-billing.csv': 'gemini-2.5-flash',
      'litellm.csv': 'gpt-4o-mini',
    };
    for (const [file, id] of Object.entries(want)) {
      const { rows } = await parse(file);
      const first = rows.find((r) => r.result.ok === true)!;
      if (first.result.ok !== true || first.result.mapped.kind !== 'usage') throw new Error(file);
      expect(normalizeModel(first.result.mapped.record.modelRaw!).modelId, file).toBe(id);
    }
    const { rows } = await parse('aws-cur2.csv');
    const models = rows.map((r) => (r.result.ok === true && r.result.mapped.kind === 'usage' ? normalizeModel(r.result.mapped.record.modelRaw ?? '').modelId : null));
    expect(models.slice(0, 8)).toEqual(['claude-3-5-sonnet', 'claude-3-5-sonnet', 'claude-3-5-sonnet', 'claude-3-5-sonnet', 'claude-sonnet-4-5', 'claude-sonnet-4-5', 'claude-sonnet-4-5', 'claude-sonnet-4-5']);
  });

  it('an explicit format whose columns are missing is refused clearly', async () => {
    await expect(parse('openai-cost.csv', 'anthropic-usage')).rejects.toThrow(/does not look like Anthropic Console usage: it has no usage_date_utc, usage_input_tokens_no_cache column/);
    await expect(parse('openai-cost.csv', 'nope')).rejects.toThrow(/Unknown import format "nope"/);
  });
});

describe('mapping rules', () => {
  const focusRow = (over: Record<string, string>) => ({
    BilledCost: '1.5',
    BillingCurrency: 'usd',
    ChargeCategory: 'Usage',
    ChargePeriodStart: '2024-09-01 00:00:00',
    ProviderName: 'AWS',
    ...over,
  });

  it('FOCUS: enum case drift, NULL, ChargeClass, currency case', () => {
    for (const c of ['usage', 'USAGE', 'Usage']) {
      const r = mapRow('focus-1.0', focusRow({ ChargeCategory: c }));
      expect(r.ok === true && r.mapped.kind === 'usage' && r.mapped.record.chargeCategory).toBe('usage');
    }
    const r = mapRow('focus-1.0', focusRow({ ChargeClass: 'correction', ChargeCategory: 'Credit', BilledCost: '-0.25' }));
    expect(r).toMatchObject({ ok: true, mapped: { record: { chargeClass: 'correction', chargeCategory: 'credit', billedCostMicros: -250_000, currency: 'USD', provider: 'aws' } } });
    const bad = mapRow('focus-1.0', focusRow({ ChargeCategory: 'Usagee' }));
    expect(bad).toEqual({ ok: false, error: { line: 2, column: 'ChargeCategory', message: 'ChargeCategory: expected Usage, Purchase, Tax, Credit or Adjustment, found "Usagee"' } });
    const nul = mapRow('focus-1.0', focusRow({ BilledCost: 'NULL' }));
    expect(nul).toMatchObject({ ok: false, error: { column: 'BilledCost', message: /expected an amount, found an empty cell/ } });
    const date = mapRow('focus-1.0', focusRow({ ChargePeriodStart: '2024-31-01' }));
    expect(date).toMatchObject({ ok: false, error: { column: 'ChargePeriodStart', message: /expected a date\/time .* found "2024-31-01"/ } });
  });

  it('FOCUS 1.3 ServiceProviderName wins over ProviderName; the misspelled SkuPriceid is read', () => {
    const r = mapRow('focus-1.3', focusRow({ ServiceProviderName: 'Anthropic', ProviderName: 'AWS', SkuPriceid: 'p-1' }));
    expect(r).toMatchObject({ ok: true, mapped: { record: { provider: 'anthropic', sku: 'p-1' } } });
  });

  it('tags: JSON, Azure without braces, doubled quotes, GCP key/value lists, keys kept as-is', () => {
    expect(parseTags('{"a": "1", " org": "x"}')).toEqual({ a: '1', ' org': 'x' });
    expect(parseTags('"team": "search","env": "prod"')).toEqual({ team: 'search', env: 'prod' });
    expect(parseTags('{""team"": ""ml""}')).toEqual({ team: 'ml' });
    expect(parseTags('[{"key":"k","value":"v"}]')).toEqual({ k: 'v' });
    expect(parseTags('{"n": 5, "b": true, "o": {"x": 1}}')).toEqual({ n: '5', b: 'true', o: '{"x":1}' });
    expect(parseTags('NULL')).toBeNull();
    expect(parseTags('{not json')).toBeUndefined();
    const r = mapRow('focus-1.0', focusRow({ Tags: '{broken' }));
    expect(r).toMatchObject({ ok: false, error: { column: 'Tags', message: /expected tags as a JSON object/ } });
  });

  it('amount cleaning keeps the digits as written', () => {
    expect(cleanAmount('$10,000.00 ')).toBe('10000.00');
    expect(cleanAmount('0.00 ')).toBe('0.00');
    expect(cleanAmount('(1.50)')).toBe('-1.50');
    expect(cleanAmount('1.234,56', ',')).toBe('1234.56');
    expect(cleanAmount('0,05', ',')).toBe('0.05');
    expect(cleanAmount('+3')).toBe('3');
    expect(cleanAmount('1e-5')).toBe('1e-5');
    expect(cleanAmount('12abc')).toBeNull();
    expect(cleanAmount('1,5')).toBeNull();
  });

  it('token meters and unit scales', () => {
    expect(tokenKind('USE1-MP:USE1_CacheReadInputTokenCount-Units')).toBe('cacheRead');
    expect(tokenKind('USE1-Claude3.5Sonnet-cache-write-input-token-count')).toBe('cacheWrite');
    expect(tokenKind('USW2-MP:USW2_input_tokens_standard-Units')).toBe('input');
    expect(tokenKind('gpt-4o-mini-0718-Outp-glbl Tokens')).toBe('output');
    expect(tokenKind('GPT 5 Inpt Glbl')).toBe('input');
    expect(tokenKind('gpt 4o 1120 cached Inp glbl Tokens')).toBe('cacheRead');
    expect(tokenKind('D2s v5')).toBeNull();
    expect(unitScale('1K')).toBe(1000);
    expect(unitScale('1M Tokens')).toBe(1_000_000);
    expect(unitScale('1,000 tokens')).toBe(1000);
    expect(unitScale('Tokens')).toBe(1);
    expect(unitScale('1 Hour')).toBe(1);
  });

  it('12+ digit ids stay strings', () => {
    const r = mapRow('focus-1.0', focusRow({ BillingAccountId: '001234567890123', SubAccountId: '000000000042' }));
    expect(r).toMatchObject({ ok: true, mapped: { record: { billingAccountId: '001234567890123', subAccountId: '000000000042' } } });
  });
});
