import type { Db } from '../db/open';
import { attributeRow, type AttributableRow, type AttributionRuleDef } from '../../../shared/attribution';

/**
 * Attribution rules as the importer applies them: enabled rules of workloads that are not
 * retired, lowest priority number first, then the oldest rule. The pure matcher lives in
 * shared/attribution.ts so the ledger UI previews exactly what the importer does.
 */
export interface StoredRule extends AttributionRuleDef {
  id: number;
}

interface RuleRow {
  id: number;
  workload_id: number;
  priority: number;
  provider: string | null;
  account_pattern: string | null;
  project_pattern: string | null;
  api_key_pattern: string | null;
  tag_key: string | null;
  tag_value_pattern: string | null;
  model_pattern: string | null;
}

const blank = (s: string | null): string | null => (s === null || s.trim() === '' ? null : s);

/** The rules in force, in the order the matcher breaks ties (priority, then id). */
export function loadAttributionRules(db: Db): StoredRule[] {
  const rows = db
    .prepare<[], RuleRow>(
      `SELECT r.id, r.workload_id, r.priority, r.provider, r.account_pattern, r.project_pattern, r.api_key_pattern,
              r.tag_key, r.tag_value_pattern, r.model_pattern
       FROM attribution_rules r JOIN workloads w ON w.id = r.workload_id
       WHERE r.enabled = 1 AND w.retired_at IS NULL
       ORDER BY r.priority, r.id`,
    )
    .all();
  return rows.map((r) => ({
    id: r.id,
    workloadId: r.workload_id,
    priority: r.priority,
    provider: blank(r.provider),
    accountPattern: blank(r.account_pattern),
    projectPattern: blank(r.project_pattern),
    apiKeyPattern: blank(r.api_key_pattern),
    tagKey: r.tag_key === null || r.tag_key === '' ? null : r.tag_key,
    tagValuePattern: blank(r.tag_value_pattern),
    modelPattern: blank(r.model_pattern),
    enabled: true,
  }));
}

/**
 * A matcher over a fixed rule list with a memo: usage exports repeat the same few combinations
 * of provider, account, project, key, model and tags, so most rows cost one map lookup.
 */
export function createAttributor(rules: readonly AttributionRuleDef[]): (row: AttributableRow, tagsJson: string | null) => number | null {
  if (rules.length === 0) return () => null;
  const memo = new Map<string, number | null>();
  return (row, tagsJson) => {
    const key = `${row.provider}\u0001${row.billingAccountId}\u0001${row.subAccountId}\u0001${row.apiKey}\u0001${row.modelId}\u0001${row.modelRaw}\u0001${tagsJson}`;
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const w = attributeRow(rules, row);
    if (memo.size >= 50_000) memo.clear();
    memo.set(key, w);
    return w;
  };
}
