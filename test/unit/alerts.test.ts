import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { demoEngine, emptyEngine, USD, DEMO_CLOCK, type DemoEngine } from './ledger-helpers';
import { peakHours } from '../../electron/engine/services/spend-series';

describe('alerts on the demo organisation', () => {
  let d: DemoEngine;
  beforeAll(async () => {
    d = await demoEngine(DEMO_CLOCK);
  });
  afterAll(() => d.engine.close());

  it('demo-load evaluates the thresholds: the burn-spike rule on the pooled OpenAI account fires on the leaked-key day', async () => {
    const alerts = await d.engine.invoke('alerts-list', {});
    const spikes = alerts.filter((a) => a.kind === 'burn-spike');
    const leak = spikes.find((a) => a.firedOn === '2026-09-24');
    expect(leak).toMatchObject({ scopeKind: 'account', scopeName: 'OpenAI — shared production org', period: '2026-09' });
    expect(leak!.message).toMatch(/between \d\d:00 and \d\d:59 UTC on 2026-09-24, [3-9]\.\dx its baseline .*mostly on API key key_mkt_content_prod/);
    // a ledger that starts at the first purchase does not count the days before any usage as "normal"
    expect(spikes.filter((a) => a.firedOn < '2026-01-01')).toEqual([]);
    // the stop rule with its two-day safety margin fired on the Code Review Bot
    expect(alerts.some((a) => a.scopeKind === 'workload' && a.scopeName === 'Engineering › Code Review Bot' && /Rule action: stop/.test(a.message))).toBe(true);
  });

  it('fires once per threshold per period: evaluating again raises nothing', async () => {
    const before = (await d.engine.invoke('alerts-list', {})).length;
    const again = await d.engine.invoke('alerts-evaluate', {});
    expect(again.evaluated).toBeGreaterThan(50);
    expect(again.raised).toEqual([]);
    expect((await d.engine.invoke('alerts-list', {})).length).toBe(before);
  });

  it('acknowledges an alert as the signed-in profile, logged, and only once', async () => {
    const leak = (await d.engine.invoke('alerts-list', { open: true })).find((a) => a.kind === 'burn-spike' && a.firedOn === '2026-09-24')!;
    await d.signIn('Sara Security');
    const ack = await d.engine.invoke('alert-acknowledge', { id: leak.id, note: 'INC-2026-0412: key revoked and rotated' });
    expect(ack).toMatchObject({ acknowledgedBy: 'Sara Security', acknowledgedAt: '2026-11-25T09:00:00Z' });
    await expect(d.engine.invoke('alert-acknowledge', { id: leak.id })).rejects.toThrow(/already acknowledged by Sara Security/);
    expect((await d.engine.invoke('alerts-list', { open: true })).some((a) => a.id === leak.id)).toBe(false);
    const last = (await d.engine.invoke('audit-list', {})).pop()!;
    expect(last).toMatchObject({ actor: 'Sara Security', action: 'alert-acknowledge', entityId: String(leak.id), details: { note: 'INC-2026-0412: key revoked and rotated' } });
    // once acknowledged, the spike leaves the dashboard
    const dash = await d.engine.invoke('dashboard-get', {});
    expect(dash.attention.some((a) => a.ref?.kind === 'alert' && a.ref.id === leak.id)).toBe(false);
  });

  it('says in plain English when each depletion rule would have fired and how long before the credit ran dry', async () => {
    const report = await d.engine.invoke('depletion-rules-report', {});
    const stop = report.find((r) => r.action === 'stop')!;
    expect(stop.sentence).toMatch(/^The stop rule would have cut Engineering › Code Review Bot off on 2026-\d\d-\d\d/);
    expect(stop.sentence).toMatch(/Its allocation on Anthropic prepaid 2026-04 ran out on 2026-\d\d-\d\d, \d+ days? after the rule fired\./);
    expect(stop.daysBefore).toBeGreaterThanOrEqual(0);
    const alert = report.find((r) => r.action === 'alert' && r.scopeName === 'OpenAI prepaid 2025-11' && r.sentence.startsWith('The 90% alert'))!;
    expect(alert.sentence).toMatch(/would have fired on 2026-\d\d-\d\d, \d+ days before OpenAI prepaid 2025-11 ran dry on 2026-03-03\./);
    expect(report[0].action).toBe('stop');
  });

  it('sets thresholds and depletion rules with validation and an audit entry', async () => {
    const blocks = await d.engine.invoke('blocks-list', {});
    const b = blocks.find((x) => x.name === 'OpenAI prepaid 2026-09')!;
    const t = await d.engine.invoke('threshold-set', { scopeKind: 'block', scopeId: b.blockId, kind: 'runway-days', value: 30, action: 'throttle', safetyMarginDays: 3 });
    expect(t).toMatchObject({ scopeName: 'OpenAI prepaid 2026-09', action: 'throttle', safetyMarginDays: 3, enabled: true });
    const off = await d.engine.invoke('threshold-set', { id: t.id, scopeKind: 'block', scopeId: b.blockId, kind: 'runway-days', value: 30, enabled: false });
    expect(off).toMatchObject({ id: t.id, action: 'throttle', enabled: false });
    await expect(d.engine.invoke('threshold-set', { scopeKind: 'block', scopeId: b.blockId, kind: 'percent-consumed', value: 150 })).rejects.toThrow(/1 to 100/);
    await expect(d.engine.invoke('threshold-set', { scopeKind: 'account', scopeId: 999, kind: 'runway-days', value: 7 })).rejects.toThrow(/not found/);
    expect((await d.engine.invoke('audit-list', {})).slice(-2).map((e) => e.action)).toEqual(['threshold-set', 'threshold-set']);
  });
});

describe('alerts without a signed-in profile', () => {
  it('refuses to acknowledge, and evaluates nothing on an empty database', async () => {
    const { engine } = emptyEngine();
    expect(await engine.invoke('alerts-evaluate', {})).toEqual({ evaluated: 0, raised: [] });
    engine.ctx.db.exec(`INSERT INTO alerts (threshold_id, scope_kind, scope_id, kind, period, fired_on, severity, message) VALUES (NULL, 'account', 1, 'burn-spike', '2026-01', '2026-01-02', 'warning', 'x')`);
    await expect(engine.invoke('alert-acknowledge', { id: 1 })).rejects.toThrow(/Sign in as a profile/);
    engine.close();
  });
});

describe('peak hours', () => {
  it('finds the busiest hour, spreading daily rows evenly, and skips days without hourly rows', () => {
    const peaks = peakHours([
      { day: '2026-09-23', hour: null, micros: USD(240) },
      { day: '2026-09-24', hour: null, micros: USD(240) },
      { day: '2026-09-24', hour: '09', micros: USD(40) },
      { day: '2026-09-24', hour: '10', micros: USD(30) },
    ]);
    expect(peaks).toEqual([{ day: '2026-09-24', hour: '09', ratePerDayMicros: USD(1200), dayTotalMicros: USD(310) }]);
  });
});
