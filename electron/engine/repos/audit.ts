import { createHash } from 'node:crypto';
import type { Db } from '../db/open';

/**
 * The audit log: append-only (triggers refuse UPDATE and DELETE) and hash-chained, so an edit
 * made behind the database's back (trigger dropped, file patched) breaks the chain at that row.
 */
export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  details: unknown;
}

interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: string | null;
  details_json: string;
  prev_hash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

function entryHash(prev: string, r: Omit<AuditRow, 'hash' | 'prev_hash'>): string {
  const canonical = JSON.stringify([r.seq, r.at, r.actor, r.action, r.entity, r.entity_id, r.details_json]);
  return createHash('sha256').update(prev).update('\n').update(canonical).digest('hex');
}

export function createAuditRepo(db: Db, now: () => string) {
  const last = db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  const insert = db.prepare(
    'INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, details_json, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?)',
  );
  const list = db.prepare<[number, number], AuditRow>('SELECT * FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?');
  return {
    /** Appends one entry; call inside the transaction of the change it records. */
    append(actor: string, action: string, entity: string, entityId: string | number | null, details: unknown = {}): number {
      const prev = last.get();
      const row = {
        seq: (prev?.seq ?? 0) + 1,
        at: now(),
        actor,
        action,
        entity,
        entity_id: entityId == null ? null : String(entityId),
        details_json: JSON.stringify(details ?? {}),
      };
      const prevHash = prev?.hash ?? GENESIS_HASH;
      insert.run(row.seq, row.at, row.actor, row.action, row.entity, row.entity_id, row.details_json, prevHash, entryHash(prevHash, row));
      return row.seq;
    },
    list(afterSeq = 0, limit = 500): AuditEntry[] {
      return list.all(afterSeq, limit).map((r) => ({
        seq: r.seq,
        at: r.at,
        actor: r.actor,
        action: r.action,
        entity: r.entity,
        entityId: r.entity_id,
        details: JSON.parse(r.details_json) as unknown,
      }));
    },
    /** Walks the whole chain; names the first entry whose link or content does not match. */
    verify(): { ok: true; entries: number } | { ok: false; entries: number; brokenSeq: number; reason: string } {
      let prev = GENESIS_HASH;
      let expectedSeq = 1;
      let n = 0;
      for (const r of db.prepare<[], AuditRow>('SELECT * FROM audit_log ORDER BY seq').iterate()) {
        n++;
        if (r.seq !== expectedSeq) return { ok: false, entries: n, brokenSeq: r.seq, reason: `entry ${expectedSeq} is missing` };
        if (r.prev_hash !== prev) return { ok: false, entries: n, brokenSeq: r.seq, reason: 'its link to the previous entry does not match' };
        if (entryHash(prev, r) !== r.hash) return { ok: false, entries: n, brokenSeq: r.seq, reason: 'its content was changed after it was written' };
        prev = r.hash;
        expectedSeq++;
      }
      return { ok: true, entries: n };
    },
  };
}
export type AuditRepo = ReturnType<typeof createAuditRepo>;
