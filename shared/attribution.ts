/**
 * Attribution rules: which workload a usage row belongs to. Pure (no node:, no DOM), shared by
 * the importer (attribute as rows are written), rules-apply and the live rule preview.
 *
 * A rule matches a row when every field it sets matches: provider (case-insensitive), billing
 * account, project or workspace, API key, a tag (key equal, value glob) and model (the
 * normalised id or the raw name). Patterns are globs with * and ?; a null field means "any".
 * Among matching rules the lowest priority number wins, then the rule given first, so the
 * result never depends on anything but the rule list's order.
 */

export interface AttributionRuleDef {
  workloadId: number;
  priority: number;
  provider: string | null;
  accountPattern: string | null;
  projectPattern: string | null;
  apiKeyPattern: string | null;
  tagKey: string | null;
  tagValuePattern: string | null;
  modelPattern: string | null;
  enabled?: boolean;
}

export interface AttributableRow {
  provider: string;
  billingAccountId: string | null;
  subAccountId: string | null;
  apiKey: string | null;
  modelId: string | null;
  modelRaw: string | null;
  tags: Record<string, string> | null;
}

const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string, ignoreCase = false): RegExp {
  const key = `${ignoreCase ? 'i' : 's'}${glob}`;
  let re = cache.get(key);
  if (!re) {
    const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
    // a long-lived process sees a bounded set of patterns; the cap guards against a hostile one
    if (cache.size > 10_000) cache.clear();
    cache.set(key, re);
  }
  return re;
}

function fieldMatches(pattern: string | null, value: string | null, ignoreCase = false): boolean {
  if (pattern === null) return true;
  return value !== null && globToRegExp(pattern, ignoreCase).test(value);
}

export function ruleMatches(rule: AttributionRuleDef, row: AttributableRow): boolean {
  if (rule.enabled === false) return false;
  if (!fieldMatches(rule.provider, row.provider, true)) return false;
  if (!fieldMatches(rule.accountPattern, row.billingAccountId)) return false;
  if (!fieldMatches(rule.projectPattern, row.subAccountId)) return false;
  if (!fieldMatches(rule.apiKeyPattern, row.apiKey)) return false;
  if (rule.modelPattern !== null && !fieldMatches(rule.modelPattern, row.modelId) && !fieldMatches(rule.modelPattern, row.modelRaw)) return false;
  if (rule.tagKey !== null) {
    const v = row.tags?.[rule.tagKey];
    if (v === undefined || !fieldMatches(rule.tagValuePattern ?? '*', v)) return false;
  }
  return true;
}

/** Index of the winning rule in `rules`, or -1 when none matches (the row stays unattributed). */
export function winningRule(rules: readonly AttributionRuleDef[], row: AttributableRow): number {
  let best = -1;
  for (let i = 0; i < rules.length; i++) {
    if (!ruleMatches(rules[i], row)) continue;
    if (best === -1 || rules[i].priority < rules[best].priority) best = i;
  }
  return best;
}

/** The workload the rules give a row, or null. */
export function attributeRow(rules: readonly AttributionRuleDef[], row: AttributableRow): number | null {
  const i = winningRule(rules, row);
  return i === -1 ? null : rules[i].workloadId;
}

/** Parses a stored tags_json cell; anything but a flat object of strings counts as no tags. */
export function parseTags(json: string | null): Record<string, string> | null {
  if (!json) return null;
  try {
    const v = JSON.parse(json) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== null && x !== undefined) out[k] = String(x);
    return out;
  } catch {
    return null;
  }
}
