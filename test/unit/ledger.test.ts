import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { demoEngine, emptyEngine, cliIo, USD, DEMO_CLOCK, type DemoEngine } from './ledger-helpers';
import { runCli } from '../../electron/cli/main';
import { EXPIRING_BLOCK } from '../../electron/engine/demo/credits';

describe('ledger on the demo organisation', () => {
  let d: DemoEngine;
  beforeAll(async () => {
    d = await demoEngine(DEMO_CLOCK);
  });
  afterAll(() => d.engine.close());

  it('the dashboard names the expiring block, the pooled account with unattributed spend and the leaked-key spike alert', async () => {
    const dash = await d.engine.invoke('dashboard-get', {});
    const expiring = dash.attention.find((a) => a.kind === 'expiring');
    expect(expiring?.title).toContain(EXPIRING_BLOCK);
    expect(expiring?.detail).toMatch(/will expire unused on 2026-12-15/);
    const pooled = dash.attention.find((a) => a.kind === 'unattributed');
    expect(pooled?.title).toMatch(/^OpenAI — shared production org: 12\.7% of spend is unattributed; \d+ workloads share the pool$/);
    const spike = dash.attention.find((a) => a.kind === 'alert' && /2026-09-24/.test(a.title));
    expect(spike?.title).toMatch(/OpenAI — shared production org burned at .* on 2026-09-24, .*mostly on API key key_mkt_content_prod/);
    // the auto-recharge bought during the spike is named beside it
    expect(spike?.detail).toMatch(/Auto-recharge 2026-09-24 \(\$2,000\.00\) was bought the same day/);
    expect(dash.attention.some((a) => a.kind === 'approval' && /1 top-up request/.test(a.title))).toBe(true);
    expect(dash.attention.some((a) => a.kind === 'overage' && /AWS Bedrock/.test(a.title))).toBe(true);
  });

  it('lists blocks whose consumed + remaining + expired equals purchased, with burn, runway and a waste forecast', async () => {
    const blocks = await d.engine.invoke('blocks-list', {});
    expect(blocks).toHaveLength(12);
    for (const b of blocks) expect(b.consumedMicros + b.remainingMicros + b.expiredMicros).toBe(b.purchasedMicros);
    const promo = blocks.find((b) => b.name === EXPIRING_BLOCK)!;
    expect(promo.wasteForecastMicros).toBeGreaterThan(USD(5000));
    expect(promo.wasteForecastMicros).toBeLessThanOrEqual(promo.remainingMicros);
    expect(promo.forecastDryOn).toBeNull();
    // a purchased block waiting behind the promotional one gets a dry day from the forecast, not "never"
    const waiting = blocks.find((b) => b.name === 'Anthropic prepaid 2026-04')!;
    expect(waiting.forecastDryOn! > '2026-12-15').toBe(true);
    expect(waiting.runwayDays).toBeGreaterThan(21);
    for (const b of blocks.filter((x) => x.remainingMicros === 0)) expect(b.wasteForecastMicros).toBe(0);
  });

  it('ledger-get gives per block, per account (overage) and per workload figures, and --at cuts the history', async () => {
    const l = await d.engine.invoke('ledger-get', {});
    expect(l.asOf).toBe('2026-11-24');
    const aws = l.accounts.find((a) => a.name.startsWith('AWS'))!;
    expect(aws.overageMicros).toBeGreaterThan(0);
    const unattributed = l.workloads.find((w) => w.workloadId === null)!;
    expect(unattributed.path).toBe('unattributed');
    const review = l.workloads.find((w) => w.path === 'Engineering › Code Review Bot')!;
    expect(review.allocatedMicros).toBe(USD(16_000));
    const before = await d.engine.invoke('ledger-get', { at: '2026-01-31' });
    expect(before.asOf).toBe('2026-01-31');
    const b1 = before.blocks.find((b) => b.name === 'OpenAI prepaid 2025-11')!;
    expect(b1.remainingMicros).toBeGreaterThan(0);
    expect(before.accounts.find((a) => a.name.startsWith('AWS'))!.overageMicros).toBe(0);
  });

  it('draws a burn-down per block and per account with threshold lines and expiry markers', async () => {
    const blocks = await d.engine.invoke('blocks-list', {});
    const b = blocks.find((x) => x.name === 'OpenAI startup credits')!;
    const view = await d.engine.invoke('block-burn', { blockId: b.blockId });
    expect(view.thresholds.map((t) => t.label)).toEqual(['50% consumed', '75% consumed', '90% consumed']);
    expect(view.thresholds[0].balanceMicros).toBe(USD(1250));
    expect(view.expiries).toEqual([{ day: '2026-02-28', label: 'OpenAI startup credits expires' }]);
    expect(view.days[0]).toBe('2025-11-11');
    // the promotional block expires after the last usage day: the forecast carries the chart to its expiry
    const promo = blocks.find((x) => x.name === EXPIRING_BLOCK)!;
    const pv = await d.engine.invoke('block-burn', { blockId: promo.blockId });
    expect(pv.days[0]).toBe('2026-08-18');
    expect(pv.expiries).toEqual([{ day: '2026-12-15', label: `${EXPIRING_BLOCK} expires` }]);
    expect(pv.forecastDays[0]).toBe('2026-11-25');
    const beforeExpiry = pv.forecastDays.indexOf('2026-12-14');
    expect(pv.lines[0].forecastMicros[beforeExpiry]).toBe(promo.wasteForecastMicros);
    expect(pv.lines[0].forecastMicros[beforeExpiry + 1]).toBe(0);
    const account = await d.engine.invoke('block-burn', { accountId: b.accountId });
    expect(account.lines[0].name).toMatch(/total$/);
    expect(account.lines.length).toBe(1 + blocks.filter((x) => x.accountId === b.accountId).length);
    expect(account.thresholds.some((t) => /days of runway/.test(t.label))).toBe(true);
    await expect(d.engine.invoke('block-burn', {} as never)).rejects.toThrow(/either blockId or accountId/);
  });

  it('creates blocks with a 12-month default expiry for OpenAI and Anthropic purchases, default thresholds, and logs every change', async () => {
    const accounts = await d.engine.invoke('accounts-list', {});
    const openai = accounts.find((a) => a.provider === 'openai')!;
    const aws = accounts.find((a) => a.provider === 'aws')!;
    const auditBefore = (await d.engine.invoke('audit-list', {})).length;
    const b = await d.engine.invoke('block-create', { accountId: openai.id, name: 'Manual test block', kind: 'purchased', amountMicros: USD(1000), purchasedOn: '2026-11-25' });
    expect(b.expiresOn).toBe('2027-11-25');
    expect(b.source).toBe('manual');
    expect(b.costBasisMicros).toBe(USD(1000));
    const own = (await d.engine.invoke('thresholds-list', {})).filter((t) => t.scopeKind === 'block' && t.scopeId === b.blockId);
    expect(own.map((t) => t.value).sort((x, y) => x - y)).toEqual([50, 75, 90, 100]);
    const overridden = await d.engine.invoke('block-create', { accountId: openai.id, name: 'Override', kind: 'purchased', amountMicros: USD(10), purchasedOn: '2026-11-25', expiresOn: '2027-03-01' });
    expect(overridden.expiresOn).toBe('2027-03-01');
    const awsBlock = await d.engine.invoke('block-create', { accountId: aws.id, name: 'AWS credit', kind: 'promotional', amountMicros: USD(10), purchasedOn: '2026-11-25' });
    expect(awsBlock.expiresOn).toBeNull();
    expect(awsBlock.costBasisMicros).toBe(0);
    await expect(d.engine.invoke('block-create', { accountId: openai.id, name: 'Tokens', kind: 'purchased', unit: 'Token', amountMicros: USD(100), purchasedOn: '2026-11-25' })).rejects.toThrow(/unit price/);
    const tokens = await d.engine.invoke('block-create', { accountId: openai.id, name: 'Tokens', kind: 'purchased', unit: 'Token', amountMicros: USD(100_000), unitPriceMicros: USD(2), purchasedOn: '2026-11-25' });
    expect(tokens.costBasisMicros).toBe(USD(200_000));
    await expect(d.engine.invoke('block-create', { accountId: openai.id, name: 'Bad', kind: 'purchased', amountMicros: 1, purchasedOn: '2026-11-25', expiresOn: '2026-11-01' })).rejects.toThrow(/must be after/);

    const updated = await d.engine.invoke('block-update', { id: b.blockId, amountMicros: USD(1500), priority: 1 });
    expect(updated.purchasedMicros).toBe(USD(1500));
    expect(updated.remainingMicros).toBe(USD(1500));
    await d.engine.invoke('block-retire', { id: overridden.blockId, reason: 'entered twice' });
    expect((await d.engine.invoke('blocks-list', {})).some((x) => x.blockId === overridden.blockId)).toBe(false);
    await expect(d.engine.invoke('block-retire', { id: overridden.blockId })).rejects.toThrow(/already retired/);

    const entries = (await d.engine.invoke('audit-list', {})).slice(auditBefore);
    expect(entries.map((e) => e.action)).toEqual(['block-create', 'block-create', 'block-create', 'block-create', 'block-update', 'block-retire']);
    expect(entries[4].details).toMatchObject({ before: { amountMicros: USD(1000), priority: 2 }, after: { amountMicros: USD(1500), priority: 1 } });
    expect((await d.engine.invoke('audit-verify', {})).ok).toBe(true);
  });

  it('updates an account (pooled, auto-recharge, budget) with an audit entry', async () => {
    const openai = (await d.engine.invoke('accounts-list', {})).find((a) => a.provider === 'openai')!;
    expect(openai).toMatchObject({ pooled: true, autoRecharge: true });
    expect(openai.unattributedMicros / openai.spendMicros).toBeCloseTo(0.127, 3);
    const a = await d.engine.invoke('account-update', { id: openai.id, autoRecharge: false, monthlyBudgetMicros: USD(15_000) });
    expect(a).toMatchObject({ pooled: true, autoRecharge: false, monthlyBudgetMicros: USD(15_000) });
    const last = (await d.engine.invoke('audit-list', {})).pop()!;
    expect(last).toMatchObject({ action: 'account-update', actor: 'Ada Analyst', entityId: String(openai.id) });
  });
});

describe('drawdown CLI: ledger, alerts, audit verify', () => {
  it('prints the ledger and the alerts as JSON and verifies the audit chain', async () => {
    const { engine, dbPath } = emptyEngine();
    engine.close();
    expect(await runCli(['demo', '--db', dbPath], cliIo().io)).toBe(0);
    const l = cliIo();
    expect(await runCli(['ledger', '--db', dbPath, '--json'], l.io)).toBe(0);
    const ledger = JSON.parse(l.out.join('\n'));
    expect(ledger.blocks).toHaveLength(12);
    expect(ledger.blocks[0]).toEqual(expect.objectContaining({ purchasedMicros: expect.any(Number), consumedMicros: expect.any(Number), remainingMicros: expect.any(Number), expiredMicros: expect.any(Number) }));
    expect(ledger.workloads.some((w: { allocationLeftMicros: number }) => typeof w.allocationLeftMicros === 'number')).toBe(true);
    const at = cliIo();
    expect(await runCli(['ledger', '--db', dbPath, '--at', '2026-01-31', '--json'], at.io)).toBe(0);
    expect(JSON.parse(at.out.join('\n')).asOf).toBe('2026-01-31');
    const bad = cliIo();
    expect(await runCli(['ledger', '--db', dbPath, '--at', '31/01/2026'], bad.io)).toBe(2);
    expect(bad.err.join('\n')).toMatch(/YYYY-MM-DD/);

    const a = cliIo();
    expect(await runCli(['alerts', '--db', dbPath, '--json'], a.io)).toBe(0);
    const alerts = JSON.parse(a.out.join('\n'));
    // the demo already evaluated its thresholds: running again raises nothing new
    expect(alerts.raised).toBe(0);
    expect(alerts.alerts.some((x: { kind: string; firedOn: string }) => x.kind === 'burn-spike' && x.firedOn === '2026-09-24')).toBe(true);

    const v = cliIo();
    expect(await runCli(['audit', 'verify', '--db', dbPath], v.io)).toBe(0);
    expect(v.out.join('\n')).toMatch(/intact: \d+ entries/);
    expect(await runCli(['audit', '--db', dbPath], cliIo().io)).toBe(2);
    expect(await runCli(['audit', 'frobnicate', '--db', dbPath], cliIo().io)).toBe(2);
  });
});
