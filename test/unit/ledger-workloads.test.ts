import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { demoEngine, USD, DEMO_CLOCK, type DemoEngine } from './ledger-helpers';
import { attributeRow, globToRegExp, parseTags, type AttributionRuleDef, type AttributableRow } from '../../shared/attribution';

const none = { provider: null, accountPattern: null, projectPattern: null, apiKeyPattern: null, tagKey: null, tagValuePattern: null, modelPattern: null };
const rule = (workloadId: number, patch: Partial<AttributionRuleDef>, priority = 100): AttributionRuleDef => ({ ...none, workloadId, priority, ...patch });
const row = (patch: Partial<AttributableRow> = {}): AttributableRow => ({
  provider: 'openai', billingAccountId: 'org-1', subAccountId: 'proj_a', apiKey: 'key_a_prod', modelId: 'gpt-4o', modelRaw: 'gpt-4o-2024-08-06', tags: { app: 'ci-agent' }, ...patch,
});

describe('attribution matcher', () => {
  it('matches every field it sets, globs with * and ?, the provider case-insensitively', () => {
    expect(globToRegExp('key_*_prod').test('key_a_prod')).toBe(true);
    expect(globToRegExp('key_?').test('key_ab')).toBe(false);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
    expect(attributeRow([rule(1, { provider: 'OpenAI', apiKeyPattern: 'key_*' })], row())).toBe(1);
    expect(attributeRow([rule(1, { provider: 'openai', projectPattern: 'proj_b' })], row())).toBeNull();
    expect(attributeRow([rule(1, { tagKey: 'app', tagValuePattern: 'ci-*' })], row())).toBe(1);
    expect(attributeRow([rule(1, { tagKey: 'agent' })], row())).toBeNull();
    // the model matches on the normalised id or the raw name
    expect(attributeRow([rule(1, { modelPattern: 'gpt-4o-2024*' })], row())).toBe(1);
    expect(attributeRow([rule(1, { accountPattern: 'org-*' })], row({ billingAccountId: null }))).toBeNull();
    expect(attributeRow([rule(1, { provider: 'openai', enabled: false })], row())).toBeNull();
  });

  it('lets the lowest priority number win, then the rule given first', () => {
    const rules = [rule(1, { provider: 'openai' }), rule(2, { apiKeyPattern: 'key_a_*' }, 50), rule(3, { apiKeyPattern: 'key_*' }, 50)];
    expect(attributeRow(rules, row())).toBe(2);
    expect(attributeRow(rules, row({ apiKey: 'other' }))).toBe(1);
  });

  it('reads stored tags defensively', () => {
    expect(parseTags('{"a":"b","n":3}')).toEqual({ a: 'b', n: '3' });
    expect(parseTags('[1,2]')).toBeNull();
    expect(parseTags('not json')).toBeNull();
    expect(parseTags(null)).toBeNull();
  });
});

describe('workloads, attribution rules and allocations on the demo', () => {
  let d: DemoEngine;
  beforeAll(async () => {
    d = await demoEngine(DEMO_CLOCK);
  });
  afterAll(() => d.engine.close());

  it('returns the tree department › application › agent with owners, consumption and allocations', async () => {
    const t = await d.engine.invoke('workloads-tree', {});
    expect(t.departments.map((x) => x.name)).toEqual(['Engineering', 'Marketing', 'Security', 'Support']);
    const support = t.departments.find((x) => x.name === 'Support')!;
    expect(support.applications.map((a) => a.name)).toEqual(['Billing Assistant', 'Helpdesk Copilot']);
    const captioner = t.workloads.find((w) => w.agent === 'image-captioner')!;
    expect(captioner.ownerName).toBeNull();
    const review = t.workloads.find((w) => w.application === 'Code Review Bot')!;
    expect(review).toMatchObject({ ownerName: 'Priya Patel', ownerContact: 'priya.patel@example.com', allocatedMicros: USD(16_000), rules: 2 });
    expect(review.consumedMicros).toBeGreaterThan(0);
  });

  it('creates and updates workloads with an owner of record and tags, refusing duplicates', async () => {
    const w = await d.engine.invoke('workload-create', { department: 'Finance', application: 'Invoice Reader', agent: 'extractor', ownerName: 'Felix Finance', ownerContact: 'felix.finance@example.com', tags: { costCenter: 'CC-700' } });
    expect(w).toMatchObject({ environment: 'production', ownerName: 'Felix Finance', tags: { costCenter: 'CC-700' }, consumedMicros: 0 });
    await expect(d.engine.invoke('workload-create', { department: 'Finance', application: 'Invoice Reader', agent: 'extractor' })).rejects.toThrow(/already exists/);
    const captioner = (await d.engine.invoke('workloads-tree', {})).workloads.find((x) => x.agent === 'image-captioner')!;
    const owned = await d.engine.invoke('workload-update', { id: captioner.id, ownerName: 'Lee Chen', ownerContact: 'lee.chen@example.com' });
    expect(owned.ownerName).toBe('Lee Chen');
    const retired = await d.engine.invoke('workload-update', { id: w.id, retired: true });
    expect(retired.retired).toBe(true);
    const log = (await d.engine.invoke('audit-list', {})).slice(-3).map((e) => e.action);
    expect(log).toEqual(['workload-create', 'workload-update', 'workload-update']);
  });

  it('previews stored and draft rules live: spend per rule and the unattributed remainder, then applies them', async () => {
    const stored = await d.engine.invoke('rules-preview', {});
    expect(stored.currency).toBe('USD');
    expect(stored.wouldChangeRows).toBe(0);
    expect(stored.rules.reduce((s, r) => s + r.matchedMicros, 0) + stored.unattributedMicros).toBe(stored.totalMicros);
    expect(stored.topUnattributed[0]).toMatchObject({ provider: 'openai', project: 'proj_shared_sandbox' });
    const rules = await d.engine.invoke('rules-list', {});
    const docs = rules.find((r) => r.projectPattern === 'proj_eng_docs')!;
    // a draft: everything stored plus a rule for the sandbox project
    const draft = [...rules.map(({ workloadPath: _p, ...r }) => r), { workloadId: docs.workloadId, provider: 'openai', projectPattern: 'proj_shared_sandbox' }];
    const preview = await d.engine.invoke('rules-preview', { rules: draft });
    expect(preview.unattributedMicros).toBe(0);
    expect(preview.rules[preview.rules.length - 1]).toMatchObject({ ruleId: null, matchedMicros: stored.unattributedMicros });
    expect(preview.wouldChangeRows).toBeGreaterThan(0);
    // a draft rule without a condition yet matches nothing instead of failing the preview
    const half = await d.engine.invoke('rules-preview', { rules: [{ workloadId: docs.workloadId }] });
    expect(half.unattributedMicros).toBe(half.totalMicros);

    await expect(d.engine.invoke('rule-create', { workloadId: docs.workloadId })).rejects.toThrow(/at least one condition/);
    const created = await d.engine.invoke('rule-create', { workloadId: docs.workloadId, provider: 'openai', projectPattern: 'proj_shared_sandbox' });
    expect(created.workloadPath).toBe('Engineering › Docs Search › indexer');
    const applied = await d.engine.invoke('rules-apply', {});
    expect(applied.changed).toBe(preview.wouldChangeRows);
    const dash = await d.engine.invoke('dashboard-get', {});
    expect(dash.attention.some((a) => a.kind === 'unattributed')).toBe(false);

    await d.engine.invoke('rule-update', { id: created.id, enabled: false });
    expect((await d.engine.invoke('rules-preview', {})).wouldChangeRows).toBe(applied.changed);
    await d.engine.invoke('rule-delete', { id: created.id });
    expect((await d.engine.invoke('rules-apply', {})).changed).toBe(applied.changed);
    const actions = (await d.engine.invoke('audit-list', {})).slice(-5).map((e) => e.action);
    expect(actions).toEqual(['rule-create', 'rules-apply', 'rule-update', 'rule-delete', 'rules-apply']);
  });

  it('sets, lists and deletes allocations, refusing more than the block holds', async () => {
    const blocks = await d.engine.invoke('blocks-list', {});
    const b = blocks.find((x) => x.name === 'OpenAI prepaid 2026-09')!;
    const tree = await d.engine.invoke('workloads-tree', {});
    const reply = tree.workloads.find((w) => w.agent === 'reply-drafter')!;
    const copy = tree.workloads.find((w) => w.agent === 'copywriter')!;
    const a = await d.engine.invoke('allocation-set', { blockId: b.blockId, workloadId: reply.id, percentBp: 5000 });
    expect(a).toMatchObject({ effectiveMicros: USD(15_000), percentBp: 5000, amountMicros: null, workloadPath: 'Support › Helpdesk Copilot › reply-drafter' });
    await expect(d.engine.invoke('allocation-set', { blockId: b.blockId, workloadId: copy.id, amountMicros: USD(20_000) })).rejects.toThrow(/cannot hold/);
    const changed = await d.engine.invoke('allocation-set', { blockId: b.blockId, workloadId: reply.id, amountMicros: USD(5_000) });
    expect(changed.id).toBe(a.id);
    expect(changed.effectiveMicros).toBe(USD(5_000));
    await expect(d.engine.invoke('allocation-set', { blockId: b.blockId, workloadId: reply.id } as never)).rejects.toThrow(/either amountMicros or percentBp/);
    expect((await d.engine.invoke('allocations-list', { blockId: b.blockId })).map((x) => x.workloadId)).toEqual([reply.id]);
    await d.engine.invoke('allocation-delete', { id: a.id });
    expect(await d.engine.invoke('allocations-list', { blockId: b.blockId })).toEqual([]);
    expect((await d.engine.invoke('allocations-list', {})).length).toBe(6);
  });
});
