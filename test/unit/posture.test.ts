import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { demoEngine, emptyEngine, DEMO_CLOCK, type DemoEngine } from './ledger-helpers';

describe('controls posture, computed from the data', () => {
  let d: DemoEngine;
  beforeAll(async () => {
    d = await demoEngine(DEMO_CLOCK);
  });
  afterAll(() => d.engine.close());

  const control = async (id: string) => (await d.engine.invoke('posture-get', {})).controls.find((c) => c.id === id)!;

  it('reports every control with a status, evidence, what is missing, who owns the fix and its framework mapping', async () => {
    const p = await d.engine.invoke('posture-get', {});
    expect(p.asOf).toBe('2026-11-24');
    const status = Object.fromEntries(p.controls.map((c) => [c.id, c.status]));
    expect(status).toEqual({
      'owner-of-record': 'fail',
      'thresholds-before-zero': 'pass',
      'depletion-rules': 'warn',
      'topup-separation': 'pass',
      'auto-recharge': 'fail',
      'credit-model': 'pass',
      'reconciled-last-period': 'fail',
      'pooled-attribution': 'fail',
      'unowned-keys': 'warn',
    });
    for (const c of p.controls) {
      expect(c.frameworks.csf.length + c.frameworks.aiRmf.length).toBeGreaterThan(0);
      expect(c.fixOwner).not.toBe('');
      if (c.status !== 'pass') expect(c.missing.length).toBeGreaterThan(0);
    }
    const all = p.controls.flatMap((c) => [...c.frameworks.csf, ...c.frameworks.nhi, ...c.frameworks.aiRmf]);
    for (const id of ['GV.RM-01', 'GV.RR-02', 'ID.AM-02', 'DE.CM-09', 'PR.AA-05', 'NHI1 Improper Offboarding', 'NHI2 Secret Leakage', 'NHI3 Vulnerable Third-Party NHI', 'GOVERN 2.1', 'MANAGE 2.4']) {
      expect(all).toContain(id);
    }
    for (const fn of ['GOVERN', 'MAP', 'MEASURE', 'MANAGE']) expect(all.some((x) => x.startsWith(fn))).toBe(true);
  });

  it('names the workload without an owner, its key, and who can name one', async () => {
    const c = await control('owner-of-record');
    expect(c.missing).toEqual([expect.stringMatching(/^Marketing › Content Studio › image-captioner has no owner; it drew \$[\d,.]+ in the last 30 days through key_mkt_images_prod\.$/)]);
    expect(c.fixOwner).toMatch(/^Lee Chen \(owns the application\)/);
    const captioner = (await d.engine.invoke('workloads-tree', {})).workloads.find((w) => w.agent === 'image-captioner')!;
    await d.engine.invoke('workload-update', { id: captioner.id, ownerName: 'Lee Chen' });
    expect((await control('owner-of-record')).status).toBe('pass');
  });

  it('flags the auto-recharge bought during the leaked-key incident, and the pooled account', async () => {
    const auto = await control('auto-recharge');
    expect(auto.missing[0]).toBe('Auto-recharge 2026-09-24 was bought on 2026-09-24 during incident INC-2026-0412 on OpenAI — shared production org.');
    const pooled = await control('pooled-attribution');
    expect(pooled.missing[0]).toMatch(/^OpenAI — shared production org: 12\.7% of spend .* 6 workloads share the pool with no allocation\.$/);
  });

  it('passes reconciliation once every account with usage last month is signed off', async () => {
    const c = await control('reconciled-last-period');
    expect(c.title).toContain('2026-10');
    expect(c.missing).toHaveLength(3);
    const felix = await d.profileId('Felix Finance');
    for (const a of await d.engine.invoke('accounts-list', {})) {
      d.engine.ctx.db.prepare("INSERT INTO reconciliation_signoffs (account_id, period, signed_by, signed_at) VALUES (?, '2026-10', ?, '2026-11-05T10:00:00Z')").run(a.id, felix);
    }
    expect((await control('reconciled-last-period')).status).toBe('pass');
  });

  it('fails top-up separation when a decision was not made by an approver, and thresholds when a block has none', async () => {
    const omar = await d.profileId('Omar Owner');
    d.engine.ctx.db.prepare("UPDATE topup_requests SET status = 'approved', decided_by = ?, decided_at = 'x' WHERE status = 'pending'").run(omar);
    const sep = await control('topup-separation');
    expect(sep.status).toBe('fail');
    expect(sep.missing[0]).toMatch(/was decided by Omar Owner \(owner\)/);
    const aws = (await d.engine.invoke('accounts-list', {})).find((a) => a.provider === 'aws')!;
    const b = await d.engine.invoke('block-create', { accountId: aws.id, name: 'Unwatched', kind: 'purchased', amountMicros: 50_000_000_000, purchasedOn: '2026-11-20' });
    d.engine.ctx.db.prepare("DELETE FROM thresholds WHERE (scope_kind = 'block' AND scope_id = ?) OR (scope_kind = 'account' AND scope_id = ?)").run(b.blockId, aws.id);
    const thr = await control('thresholds-before-zero');
    expect(thr.status).toBe('fail');
    expect(thr.missing).toEqual(['Unwatched (AWS Bedrock billing account) has no threshold that fires before it runs dry.']);
  });

  it('is empty on an empty database', async () => {
    const { engine } = emptyEngine();
    expect(await engine.invoke('posture-get', {})).toEqual({ asOf: null, controls: [] });
    engine.close();
  });
});
