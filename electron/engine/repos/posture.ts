import type { Db } from '../db/open';

/** SQL for the evidence behind the controls posture; the verdicts are made in services/posture.ts. */

export interface UnownedWorkload {
  id: number;
  department: string;
  application: string;
  agent: string | null;
  environment: string;
  apiKeys: string | null;
  spendMicros: number;
  /** the owner of another workload of the same application: who can most likely name one */
  siblingOwner: string | null;
}

export function createPostureRepo(db: Db) {
  const unowned = db.prepare<[string], UnownedWorkload>(`
    SELECT w.id, w.department, w.application, w.agent, w.environment,
           (SELECT group_concat(DISTINCT u.api_key) FROM usage_records u WHERE u.workload_id = w.id AND u.api_key IS NOT NULL) AS apiKeys,
           (SELECT COALESCE(SUM(billed_cost_micros), 0) FROM usage_records u WHERE u.workload_id = w.id AND u.day >= ?) AS spendMicros,
           (SELECT s.owner_name FROM workloads s WHERE s.application = w.application AND s.department = w.department
              AND s.owner_name IS NOT NULL AND trim(s.owner_name) <> '' ORDER BY s.id LIMIT 1) AS siblingOwner
    FROM workloads w
    WHERE w.retired_at IS NULL AND (w.owner_name IS NULL OR trim(w.owner_name) = '')
      AND EXISTS (SELECT 1 FROM usage_records u WHERE u.workload_id = w.id)
    ORDER BY w.department, w.application, w.agent`);
  const drawing = db.prepare<[], { n: number }>(
    'SELECT count(*) AS n FROM workloads w WHERE w.retired_at IS NULL AND EXISTS (SELECT 1 FROM usage_records u WHERE u.workload_id = w.id)',
  );
  const unattributedKeys = db.prepare<[string], { apiKey: string; accountName: string; micros: number }>(`
    SELECT u.api_key AS apiKey, a.name AS accountName, SUM(COALESCE(u.billed_cost_micros, 0)) AS micros
    FROM usage_records u JOIN credit_accounts a ON a.id = u.account_id
    WHERE u.workload_id IS NULL AND u.api_key IS NOT NULL AND u.day >= ? AND u.charge_category = 'usage'
    GROUP BY u.api_key, a.name ORDER BY micros DESC LIMIT 10`);
  const decided = db.prepare<[], { id: number; requesterId: number; decidedBy: number; role: string; requester: string; decider: string }>(`
    SELECT t.id, t.requester_id AS requesterId, t.decided_by AS decidedBy, dp.role, rp.name AS requester, dp.name AS decider
    FROM topup_requests t JOIN profiles rp ON rp.id = t.requester_id JOIN profiles dp ON dp.id = t.decided_by
    WHERE t.status <> 'pending'`);
  const unapprovedTopupBlocks = db.prepare<[], { id: number; name: string }>(`
    SELECT b.id, b.name FROM credit_blocks b
    WHERE b.source = 'top-up' AND b.retired_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM topup_requests t WHERE t.created_block_id = b.id AND t.status = 'approved')`);
  const rechargeDuringIncident = db.prepare<[], { blockName: string; purchasedOn: string; accountName: string; incident: string }>(`
    SELECT DISTINCT b.name AS blockName, b.purchased_on AS purchasedOn, a.name AS accountName, i.external_id AS incident
    FROM credit_blocks b
    JOIN credit_accounts a ON a.id = b.account_id
    JOIN incident_targets t ON t.kind = 'account' AND t.value = a.external_id
    JOIN incidents i ON i.id = t.incident_id
    WHERE b.retired_at IS NULL
      AND b.purchased_on >= substr(COALESCE(i.started_at, i.detected_at), 1, 10)
      AND b.purchased_on <= substr(COALESCE(i.resolved_at, i.detected_at), 1, 10)`);
  const accountsWithUsage = db.prepare<[string, string], { id: number; name: string }>(`
    SELECT DISTINCT a.id, a.name FROM credit_accounts a JOIN usage_records u ON u.account_id = a.id
    WHERE u.day >= ? AND u.day < ? ORDER BY a.name`);
  const signoffs = db.prepare<[string], { accountId: number; signedBy: string; signedAt: string }>(`
    SELECT s.account_id AS accountId, p.name AS signedBy, s.signed_at AS signedAt
    FROM reconciliation_signoffs s JOIN profiles p ON p.id = s.signed_by WHERE s.period = ?`);
  const criticalWithoutStop = db.prepare<[], { id: number; department: string; application: string; agent: string | null; ownerName: string | null }>(`
    SELECT w.id, w.department, w.application, w.agent, w.owner_name AS ownerName FROM workloads w
    WHERE w.critical = 1 AND w.retired_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM thresholds t WHERE t.scope_kind = 'workload' AND t.scope_id = w.id AND t.enabled = 1 AND t.action IN ('throttle','stop'))
    ORDER BY w.id`);
  const profilesByRole = db.prepare<[string], { name: string }>('SELECT name FROM profiles WHERE role = ? ORDER BY name');
  return {
    unownedDrawing: (since: string) => unowned.all(since),
    drawingWorkloads: () => drawing.get()?.n ?? 0,
    unattributedKeys: (since: string) => unattributedKeys.all(since),
    decidedTopups: () => decided.all(),
    unapprovedTopupBlocks: () => unapprovedTopupBlocks.all(),
    rechargeDuringIncident: () => rechargeDuringIncident.all(),
    accountsWithUsage: (from: string, toExclusive: string) => accountsWithUsage.all(from, toExclusive),
    signoffs: (period: string) => signoffs.all(period),
    criticalWithoutStop: () => criticalWithoutStop.all(),
    profileNames: (role: string): string[] => profilesByRole.all(role).map((p) => p.name),
  };
}
export type PostureRepo = ReturnType<typeof createPostureRepo>;
