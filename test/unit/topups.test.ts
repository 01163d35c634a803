import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { demoEngine, cliIo, USD, DEMO_CLOCK, type DemoEngine } from './ledger-helpers';
import { runCli } from '../../electron/cli/main';
import { openDatabase } from '../../electron/engine/db/open';

describe('top-up requests and separation of duties', () => {
  let d: DemoEngine;
  let openaiId: number;
  beforeEach(async () => {
    d = await demoEngine(DEMO_CLOCK);
    openaiId = (await d.engine.invoke('accounts-list', {})).find((a) => a.provider === 'openai')!.id;
  });
  afterEach(() => d.engine.close());

  async function remainingOn(accountId: number): Promise<number> {
    return (await d.engine.invoke('blocks-list', {})).filter((b) => b.accountId === accountId).reduce((s, b) => s + b.remainingMicros, 0);
  }

  it('a workload owner requests, an approver approves: a top-up block is created, the balance grows, every step is logged', async () => {
    await d.signIn('Omar Owner');
    const req = await d.engine.invoke('topup-request', { accountId: openaiId, amountMicros: USD(5000), reason: 'Helpdesk Copilot runway through Q1' });
    expect(req).toMatchObject({ status: 'pending', requesterName: 'Omar Owner', currency: 'USD', canDecide: false });
    expect(req.cannotDecideReason).toMatch(/You requested this top-up/);
    const before = await remainingOn(openaiId);

    await d.signIn('Felix Finance');
    expect((await d.engine.invoke('topups-list', { status: 'pending' })).find((t) => t.id === req.id)).toMatchObject({ canDecide: true, cannotDecideReason: null });
    const approved = await d.engine.invoke('topup-decide', { id: req.id, decision: 'approve', note: 'Within the Q1 budget' });
    expect(approved).toMatchObject({ status: 'approved', decidedBy: 'Felix Finance', decisionNote: 'Within the Q1 budget', decidedAt: '2026-11-25T09:00:00Z' });
    const block = (await d.engine.invoke('blocks-list', {})).find((b) => b.blockId === approved.createdBlockId)!;
    expect(block).toMatchObject({ source: 'top-up', purchasedOn: '2026-11-25', expiresOn: '2027-11-25', purchasedMicros: USD(5000), remainingMicros: USD(5000) });
    expect(await remainingOn(openaiId)).toBe(before + USD(5000));

    const log = (await d.engine.invoke('audit-list', {})).slice(-4);
    expect(log.map((e) => [e.actor, e.action])).toEqual([
      ['Omar Owner', 'topup-request'],
      ['Felix Finance', 'profile-select'],
      ['Felix Finance', 'block-create'],
      ['Felix Finance', 'topup-approve'],
    ]);
    expect(await d.engine.invoke('audit-verify', {})).toEqual({ ok: true, entries: expect.any(Number) });
    await expect(d.engine.invoke('topup-decide', { id: req.id, decision: 'reject' })).rejects.toThrow(/Already approved by Felix Finance/);
  });

  it('refuses the requester, a non-approver and an approver requesting; the database CHECK is the backstop', async () => {
    await d.signIn('Priya Patel');
    const req = await d.engine.invoke('topup-request', { accountId: openaiId, amountMicros: USD(100), reason: 'CI agent tests' });
    await expect(d.engine.invoke('topup-decide', { id: req.id, decision: 'approve' })).rejects.toThrow(/Priya Patel cannot decide top-up request \d+: You requested this top-up: someone else must approve or reject it\./);
    await d.signIn('Omar Owner');
    await expect(d.engine.invoke('topup-decide', { id: req.id, decision: 'approve' })).rejects.toThrow(/Only an approver can decide; Omar Owner is signed in as an owner/);
    await d.signIn('Sara Security');
    await expect(d.engine.invoke('topup-request', { accountId: openaiId, amountMicros: USD(100), reason: 'more' })).rejects.toThrow(/is an approver/);
    expect((await d.engine.invoke('topups-list', {})).find((t) => t.id === req.id)!.status).toBe('pending');
    // someone with the file tries to record the requester as the decider
    expect(() =>
      d.engine.ctx.db.prepare("UPDATE topup_requests SET status = 'approved', decided_by = requester_id, decided_at = 'x' WHERE id = ?").run(req.id),
    ).toThrow(/CHECK constraint failed/);
  });

  it('a rejection creates no credit; a request for a named block extends that block', async () => {
    await d.signIn('Omar Owner');
    const blocks = await d.engine.invoke('blocks-list', {});
    const target = blocks.find((b) => b.name === 'OpenAI prepaid 2026-09')!;
    const r1 = await d.engine.invoke('topup-request', { accountId: openaiId, amountMicros: USD(1000), reason: 'not needed after all' });
    const r2 = await d.engine.invoke('topup-request', { accountId: openaiId, blockId: target.blockId, amountMicros: USD(2500), reason: 'extend the current block' });
    await d.signIn('Sara Security');
    const rejected = await d.engine.invoke('topup-decide', { id: r1.id, decision: 'reject', note: 'Use the sandbox budget' });
    expect(rejected).toMatchObject({ status: 'rejected', createdBlockId: null });
    const extended = await d.engine.invoke('topup-decide', { id: r2.id, decision: 'approve' });
    expect(extended.createdBlockId).toBe(target.blockId);
    const after = (await d.engine.invoke('blocks-list', {})).find((b) => b.blockId === target.blockId)!;
    expect(after.purchasedMicros).toBe(target.purchasedMicros + USD(2500));
    expect(after.remainingMicros).toBe(target.remainingMicros + USD(2500));
    expect((await d.engine.invoke('blocks-list', {})).length).toBe(blocks.length);
    await expect(d.engine.invoke('topup-request', { accountId: openaiId, blockId: 9999, amountMicros: 1, reason: 'nope' })).rejects.toThrow(/Sara Security is an approver/);
  });

  it('keeps the audit chain verifiable after decisions; tampering makes `drawdown audit verify` exit 1 naming the entry', async () => {
    await d.signIn('Omar Owner');
    const req = await d.engine.invoke('topup-request', { accountId: openaiId, amountMicros: USD(700), reason: 'runway' });
    await d.signIn('Felix Finance');
    await d.engine.invoke('topup-decide', { id: req.id, decision: 'approve' });
    d.engine.close();

    const ok = cliIo();
    expect(await runCli(['audit', 'verify', '--db', d.dbPath], ok.io)).toBe(0);
    const entries = Number(/intact: (\d+) entries/.exec(ok.out.join('\n'))![1]);

    // someone with the file drops the append-only trigger and rewrites the approval's note
    const db = openDatabase(d.dbPath);
    const approval = db.prepare("SELECT seq FROM audit_log WHERE action = 'topup-approve' ORDER BY seq DESC LIMIT 1").get() as { seq: number };
    expect(() => db.prepare("UPDATE audit_log SET actor = 'Omar Owner' WHERE seq = ?").run(approval.seq)).toThrow(/append-only/);
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET actor = 'Omar Owner' WHERE seq = ?").run(approval.seq);
    db.close();

    const broken = cliIo();
    expect(await runCli(['audit', 'verify', '--db', d.dbPath], broken.io)).toBe(1);
    expect(broken.err.join('\n')).toMatch(new RegExp(`broken at entry ${approval.seq}: its content was changed after it was written`));
    const json = cliIo();
    expect(await runCli(['audit', 'verify', '--db', d.dbPath, '--json'], json.io)).toBe(1);
    expect(JSON.parse(json.out.join('\n'))).toMatchObject({ ok: false, brokenSeq: approval.seq, entries: expect.any(Number) });
    expect(approval.seq).toBeLessThanOrEqual(entries);
    d = await demoEngine(DEMO_CLOCK); // afterEach closes an open engine
  });
});
