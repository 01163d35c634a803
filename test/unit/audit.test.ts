import { describe, it, expect } from 'vitest';
import { openDatabase } from '../../electron/engine/db/open';
import { createAuditRepo } from '../../electron/engine/repos/audit';
import { tempDbPath } from '../helpers';

describe('audit log', () => {
  it('is append-only and hash-chained; tampering names the first broken entry', () => {
    const db = openDatabase(tempDbPath());
    let t = 0;
    const audit = createAuditRepo(db, () => `2026-01-01T00:00:0${t++}Z`);
    for (let i = 0; i < 5; i++) audit.append('Ada', 'block-create', 'credit_block', i, { amount: i * 10 });
    expect(audit.verify()).toEqual({ ok: true, entries: 5 });
    expect(() => db.prepare('UPDATE audit_log SET actor = ? WHERE seq = 3').run('Mallory')).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 3').run()).toThrow(/append-only/);
    // someone with the file drops the trigger and edits a row
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare('UPDATE audit_log SET details_json = ? WHERE seq = 3').run('{"amount":999}');
    const v = audit.verify();
    expect(v.ok).toBe(false);
    expect(v).toMatchObject({ brokenSeq: 3, reason: expect.stringMatching(/changed/) });
    db.close();
  });
});
