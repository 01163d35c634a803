/**
 * Applies the demo's attribution rules to its usage rows, so every workload_id written is the
 * one the rules give. Globs use * and ? like the attribution_rules table; a rule matches when
 * every non-empty field matches; the lowest priority number wins, then the earliest rule.
 */
import type { DemoRule } from './org';

export interface RuleInput {
  provider: string;
  subAccountId: string | null;
  apiKey: string | null;
  modelId: string | null;
  tags: Record<string, string> | null;
}

const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (!re) {
    const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`);
    cache.set(glob, re);
  }
  return re;
}

function fieldMatches(pattern: string | undefined, value: string | null): boolean {
  if (pattern === undefined) return true;
  return value !== null && globToRegExp(pattern).test(value);
}

export function ruleMatches(rule: DemoRule, row: RuleInput): boolean {
  if (!fieldMatches(rule.provider, row.provider)) return false;
  if (!fieldMatches(rule.projectPattern, row.subAccountId)) return false;
  if (!fieldMatches(rule.apiKeyPattern, row.apiKey)) return false;
  if (!fieldMatches(rule.modelPattern, row.modelId)) return false;
  if (rule.tagKey !== undefined) {
    const v = row.tags?.[rule.tagKey];
    if (v === undefined || !fieldMatches(rule.tagValuePattern ?? '*', v)) return false;
  }
  return true;
}

/** The workload key the rules attribute a row to, or null when no rule matches. */
export function attribute(rules: readonly DemoRule[], row: RuleInput): string | null {
  let best: DemoRule | null = null;
  for (const rule of rules) {
    if (!ruleMatches(rule, row)) continue;
    if (best === null || (rule.priority ?? 100) < (best.priority ?? 100)) best = rule;
  }
  return best?.workload ?? null;
}
