import type { Db } from '../db/open';
import type { TopupStatus } from '../../../shared/api/ledger-types';

/** SQL for top-up and renewal requests. The table's CHECK keeps decided_by apart from requester_id. */

export interface StoredTopup {
  id: number;
  kind: 'top-up' | 'renewal';
  requesterId: number;
  requesterName: string;
  accountId: number;
  accountName: string;
  blockId: number | null;
  blockName: string | null;
  workloadId: number | null;
  amountMicros: number;
  currency: string;
  reason: string;
  status: TopupStatus;
  decidedById: number | null;
  decidedBy: string | null;
  decidedByRole: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  createdBlockId: number | null;
  createdAt: string;
}

const SELECT = `
  SELECT t.id, t.kind, t.requester_id AS requesterId, rp.name AS requesterName, t.account_id AS accountId, a.name AS accountName,
         t.block_id AS blockId, b.name AS blockName, t.workload_id AS workloadId, t.amount_micros AS amountMicros, t.currency, t.reason,
         t.status, t.decided_by AS decidedById, dp.name AS decidedBy, dp.role AS decidedByRole, t.decided_at AS decidedAt,
         t.decision_note AS decisionNote, t.created_block_id AS createdBlockId, t.created_at AS createdAt
  FROM topup_requests t
  JOIN profiles rp ON rp.id = t.requester_id
  JOIN credit_accounts a ON a.id = t.account_id
  LEFT JOIN credit_blocks b ON b.id = t.block_id
  LEFT JOIN profiles dp ON dp.id = t.decided_by`;

export function createTopupsRepo(db: Db) {
  const all = db.prepare<[], StoredTopup>(`${SELECT} ORDER BY t.status = 'pending' DESC, t.created_at DESC, t.id DESC`);
  const byStatus = db.prepare<[string], StoredTopup>(`${SELECT} WHERE t.status = ? ORDER BY t.created_at DESC, t.id DESC`);
  const one = db.prepare<[number], StoredTopup>(`${SELECT} WHERE t.id = ?`);
  const insert = db.prepare(`
    INSERT INTO topup_requests (requester_id, account_id, block_id, workload_id, kind, amount_micros, currency, reason, status, created_at)
    VALUES (@requesterId, @accountId, @blockId, @workloadId, @kind, @amountMicros, @currency, @reason, 'pending', @at)`);
  // "AND status = 'pending'" makes a decision race-free: the second decider changes nothing
  const decide = db.prepare(`
    UPDATE topup_requests SET status = @status, decided_by = @decidedBy, decided_at = @at, decision_note = @note, created_block_id = @createdBlockId
    WHERE id = @id AND status = 'pending'`);
  return {
    list: (status?: TopupStatus) => (status ? byStatus.all(status) : all.all()),
    get: (id: number) => one.get(id),
    insert: (t: { requesterId: number; accountId: number; blockId: number | null; workloadId: number | null; kind: string; amountMicros: number; currency: string; reason: string }, at: string): number =>
      Number(insert.run({ ...t, at }).lastInsertRowid),
    decide: (d: { id: number; status: 'approved' | 'rejected'; decidedBy: number; at: string; note: string | null; createdBlockId: number | null }): boolean =>
      decide.run(d).changes > 0,
  };
}
export type TopupsRepo = ReturnType<typeof createTopupsRepo>;
