import type { Db } from '../db/open';

/** SQL for workloads, attribution rules and the usage groups rules are matched against. */

export interface StoredWorkload {
  id: number;
  department: string;
  application: string;
  agent: string | null;
  environment: string;
  ownerName: string | null;
  ownerContact: string | null;
  critical: number;
  tagsJson: string;
  retiredAt: string | null;
  rules: number;
}

export interface StoredRule {
  id: number;
  workloadId: number;
  priority: number;
  provider: string | null;
  accountPattern: string | null;
  projectPattern: string | null;
  apiKeyPattern: string | null;
  tagKey: string | null;
  tagValuePattern: string | null;
  modelPattern: string | null;
  enabled: number;
}

/** Usage rows summed per distinct attribution input: the preview matches groups, not rows. */
export interface UsageGroup {
  provider: string;
  billingAccountId: string | null;
  subAccountId: string | null;
  apiKey: string | null;
  modelId: string | null;
  modelRaw: string | null;
  tagsJson: string | null;
  currency: string;
  workloadId: number | null;
  rows: number;
  micros: number;
}

const WORKLOAD_SELECT = `
  SELECT w.id, w.department, w.application, w.agent, w.environment, w.owner_name AS ownerName, w.owner_contact AS ownerContact,
         w.critical, w.tags_json AS tagsJson, w.retired_at AS retiredAt,
         (SELECT count(*) FROM attribution_rules r WHERE r.workload_id = w.id) AS rules
  FROM workloads w`;

const RULE_SELECT = `
  SELECT id, workload_id AS workloadId, priority, provider, account_pattern AS accountPattern, project_pattern AS projectPattern,
         api_key_pattern AS apiKeyPattern, tag_key AS tagKey, tag_value_pattern AS tagValuePattern, model_pattern AS modelPattern, enabled
  FROM attribution_rules`;

const GROUP_COLUMNS = 'provider, billing_account_id, sub_account_id, api_key, model_id, model_raw, tags_json';

export function createWorkloadsRepo(db: Db) {
  const all = db.prepare<[], StoredWorkload>(`${WORKLOAD_SELECT} ORDER BY w.department, w.application, w.agent, w.environment`);
  const one = db.prepare<[number], StoredWorkload>(`${WORKLOAD_SELECT} WHERE w.id = ?`);
  const insert = db.prepare(`
    INSERT INTO workloads (department, application, agent, environment, owner_name, owner_contact, critical, tags_json, created_at)
    VALUES (@department, @application, @agent, @environment, @ownerName, @ownerContact, @critical, @tagsJson, @at)`);
  const update = db.prepare(`
    UPDATE workloads SET department = @department, application = @application, agent = @agent, environment = @environment,
           owner_name = @ownerName, owner_contact = @ownerContact, critical = @critical, tags_json = @tagsJson, retired_at = @retiredAt
    WHERE id = @id`);
  const clash = db.prepare<[string, string, string | null, string, number], { id: number }>(
    'SELECT id FROM workloads WHERE department = ? AND application = ? AND agent IS ? AND environment = ? AND id <> ?',
  );
  const rules = db.prepare<[], StoredRule>(`${RULE_SELECT} ORDER BY priority, id`);
  const rule = db.prepare<[number], StoredRule>(`${RULE_SELECT} WHERE id = ?`);
  const insertRule = db.prepare(`
    INSERT INTO attribution_rules (workload_id, priority, provider, account_pattern, project_pattern, api_key_pattern, tag_key,
                                   tag_value_pattern, model_pattern, enabled, created_at)
    VALUES (@workloadId, @priority, @provider, @accountPattern, @projectPattern, @apiKeyPattern, @tagKey, @tagValuePattern, @modelPattern, @enabled, @at)`);
  const updateRule = db.prepare(`
    UPDATE attribution_rules SET workload_id = @workloadId, priority = @priority, provider = @provider, account_pattern = @accountPattern,
           project_pattern = @projectPattern, api_key_pattern = @apiKeyPattern, tag_key = @tagKey, tag_value_pattern = @tagValuePattern,
           model_pattern = @modelPattern, enabled = @enabled
    WHERE id = @id`);
  const deleteRule = db.prepare('DELETE FROM attribution_rules WHERE id = ?');
  const groups = db.prepare<[], UsageGroup>(`
    SELECT provider, billing_account_id AS billingAccountId, sub_account_id AS subAccountId, api_key AS apiKey, model_id AS modelId,
           model_raw AS modelRaw, tags_json AS tagsJson, currency, workload_id AS workloadId, count(*) AS rows,
           COALESCE(SUM(billed_cost_micros), 0) AS micros
    FROM usage_records WHERE charge_category = 'usage'
    GROUP BY ${GROUP_COLUMNS}, currency, workload_id`);
  const attributionInputs = db.prepare<[], Omit<UsageGroup, 'currency' | 'workloadId' | 'rows' | 'micros'>>(`
    SELECT DISTINCT provider, billing_account_id AS billingAccountId, sub_account_id AS subAccountId, api_key AS apiKey, model_id AS modelId,
           model_raw AS modelRaw, tags_json AS tagsJson
    FROM usage_records`);
  return {
    list: () => all.all(),
    get: (id: number) => one.get(id),
    insert: (w: Omit<StoredWorkload, 'id' | 'retiredAt' | 'rules'>, at: string): number => Number(insert.run({ ...w, at }).lastInsertRowid),
    update: (w: Omit<StoredWorkload, 'rules'>) => update.run(w),
    clash: (department: string, application: string, agent: string | null, environment: string, exceptId = 0) =>
      clash.get(department, application, agent, environment, exceptId),
    rules: () => rules.all(),
    rule: (id: number) => rule.get(id),
    insertRule: (r: Omit<StoredRule, 'id'>, at: string): number => Number(insertRule.run({ ...r, at }).lastInsertRowid),
    updateRule: (r: StoredRule) => updateRule.run(r),
    deleteRule: (id: number) => deleteRule.run(id).changes > 0,
    usageGroups: () => groups.all(),
    attributionInputs: () => attributionInputs.all(),
    /**
     * Sets workload_id on every usage row of each distinct attribution input in one statement
     * (UPDATE … FROM a temp table), so re-attributing a million rows is one pass, not a million.
     */
    reattribute(map: (Omit<UsageGroup, 'currency' | 'workloadId' | 'rows' | 'micros'> & { workloadId: number | null })[]): number {
      db.exec(`CREATE TEMP TABLE IF NOT EXISTS attribution_map (provider TEXT, billing_account_id TEXT, sub_account_id TEXT, api_key TEXT,
               model_id TEXT, model_raw TEXT, tags_json TEXT, workload_id INTEGER)`);
      db.exec('DELETE FROM temp.attribution_map');
      const put = db.prepare('INSERT INTO temp.attribution_map VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      for (const m of map) put.run(m.provider, m.billingAccountId, m.subAccountId, m.apiKey, m.modelId, m.modelRaw, m.tagsJson, m.workloadId);
      const r = db
        .prepare(
          `UPDATE usage_records AS u SET workload_id = m.workload_id FROM temp.attribution_map AS m
           WHERE u.provider = m.provider AND u.billing_account_id IS m.billing_account_id AND u.sub_account_id IS m.sub_account_id
             AND u.api_key IS m.api_key AND u.model_id IS m.model_id AND u.model_raw IS m.model_raw AND u.tags_json IS m.tags_json
             AND u.workload_id IS NOT m.workload_id`,
        )
        .run();
      db.exec('DELETE FROM temp.attribution_map');
      return r.changes;
    },
    usageRowCount: (): number => (db.prepare('SELECT count(*) AS n FROM usage_records').get() as { n: number }).n,
  };
}
export type WorkloadsRepo = ReturnType<typeof createWorkloadsRepo>;
