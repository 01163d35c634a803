import type { EngineContext } from '../context';
import type { AttributionRule, RulePreview } from '../../../shared/api/ledger-types';
import type { RuleFieldsInput } from '../../../shared/api/ledger';
import { createWorkloadsRepo, type StoredRule, type UsageGroup } from '../repos/workloads';
import { workloadPath } from './ledger-report';
import { winningRule, parseTags, type AttributionRuleDef, type AttributableRow } from '../../../shared/attribution';
import { NotFoundError, RefusedError } from '../errors';

/**
 * Attribution rules: CRUD, the live preview and re-attribution. The preview sums usage per
 * distinct attribution input in SQL (provider, account, project, key, model, tags: a few hundred
 * groups even for millions of rows) and runs the pure matcher on the groups.
 */

const DEFAULT_PRIORITY = 100;

function toDef(r: StoredRule): AttributionRuleDef {
  return { ...r, enabled: r.enabled === 1 };
}

function toRule(r: StoredRule, paths: Map<number, string>): AttributionRule {
  return { ...r, enabled: r.enabled === 1, workloadPath: paths.get(r.workloadId) ?? `workload #${r.workloadId}` };
}

function paths(ctx: EngineContext): Map<number, string> {
  return new Map(createWorkloadsRepo(ctx.db).list().map((w) => [w.id, workloadPath(w)]));
}

export function listRules(ctx: EngineContext): AttributionRule[] {
  const p = paths(ctx);
  return createWorkloadsRepo(ctx.db).rules().map((r) => toRule(r, p));
}

function normalise(input: Partial<RuleFieldsInput>, base?: StoredRule): Omit<StoredRule, 'id'> {
  const pick = (k: keyof StoredRule & keyof RuleFieldsInput) => (input[k] === undefined ? (base ? base[k] : null) : input[k]) as string | null;
  const rule = {
    workloadId: input.workloadId ?? base?.workloadId ?? 0,
    priority: input.priority ?? base?.priority ?? DEFAULT_PRIORITY,
    provider: pick('provider'),
    accountPattern: pick('accountPattern'),
    projectPattern: pick('projectPattern'),
    apiKeyPattern: pick('apiKeyPattern'),
    tagKey: pick('tagKey'),
    tagValuePattern: pick('tagValuePattern'),
    modelPattern: pick('modelPattern'),
    enabled: input.enabled === undefined ? (base?.enabled ?? 1) : Number(input.enabled),
  };
  const fields = [rule.provider, rule.accountPattern, rule.projectPattern, rule.apiKeyPattern, rule.tagKey, rule.modelPattern];
  // a rule with no condition would swallow every row of every provider
  if (fields.every((f) => f === null)) throw new RefusedError('An attribution rule needs at least one condition (provider, account, project, API key, tag or model).');
  if (rule.tagValuePattern !== null && rule.tagKey === null) throw new RefusedError('A tag value pattern needs the tag key it applies to.');
  return rule;
}

function requireWorkload(ctx: EngineContext, id: number): void {
  if (!createWorkloadsRepo(ctx.db).get(id)) throw new NotFoundError(`Workload ${id}`);
}

export function createRule(ctx: EngineContext, input: RuleFieldsInput): AttributionRule {
  const rule = normalise(input);
  requireWorkload(ctx, rule.workloadId);
  const repo = createWorkloadsRepo(ctx.db);
  const id = ctx.db.transaction(() => {
    const newId = repo.insertRule(rule, ctx.now());
    ctx.audit.append(ctx.actor(), 'rule-create', 'attribution_rule', newId, rule);
    return newId;
  })();
  return toRule(repo.rule(id)!, paths(ctx));
}

export function updateRule(ctx: EngineContext, input: Partial<RuleFieldsInput> & { id: number }): AttributionRule {
  const repo = createWorkloadsRepo(ctx.db);
  const before = repo.rule(input.id);
  if (!before) throw new NotFoundError(`Attribution rule ${input.id}`);
  const next = { ...normalise(input, before), id: input.id };
  requireWorkload(ctx, next.workloadId);
  ctx.db.transaction(() => {
    repo.updateRule(next);
    ctx.audit.append(ctx.actor(), 'rule-update', 'attribution_rule', input.id, { before, after: next });
  })();
  return toRule(repo.rule(input.id)!, paths(ctx));
}

export function deleteRule(ctx: EngineContext, id: number): { id: number } {
  const repo = createWorkloadsRepo(ctx.db);
  const before = repo.rule(id);
  if (!before) throw new NotFoundError(`Attribution rule ${id}`);
  ctx.db.transaction(() => {
    repo.deleteRule(id);
    ctx.audit.append(ctx.actor(), 'rule-delete', 'attribution_rule', id, before);
  })();
  return { id };
}

function asRow(g: Pick<UsageGroup, 'provider' | 'billingAccountId' | 'subAccountId' | 'apiKey' | 'modelId' | 'modelRaw' | 'tagsJson'>): AttributableRow {
  return { provider: g.provider, billingAccountId: g.billingAccountId, subAccountId: g.subAccountId, apiKey: g.apiKey, modelId: g.modelId, modelRaw: g.modelRaw, tags: parseTags(g.tagsJson) };
}

/**
 * The stored rules in matching order (priority, then id: "given first" means "created first"),
 * with the rules of retired workloads switched off, exactly as the importer applies them.
 */
function storedDefs(ctx: EngineContext): { defs: AttributionRuleDef[]; ids: (number | null)[] } {
  const repo = createWorkloadsRepo(ctx.db);
  const retired = new Set(repo.list().filter((w) => w.retiredAt !== null).map((w) => w.id));
  const rules = repo.rules();
  return { defs: rules.map((r) => ({ ...toDef(r), enabled: r.enabled === 1 && !retired.has(r.workloadId) })), ids: rules.map((r) => r.id) };
}

export function previewRules(ctx: EngineContext, args: { rules?: (RuleFieldsInput & { id?: number })[]; currency?: string }): RulePreview {
  const draft = args.rules?.map(draftDef);
  const { defs, ids } = draft ? { defs: draft, ids: args.rules!.map((r) => r.id ?? null) } : storedDefs(ctx);
  const groups = createWorkloadsRepo(ctx.db).usageGroups();
  const currency = args.currency ?? mainCurrency(groups);
  const out: RulePreview = {
    currency,
    totalMicros: 0,
    totalRows: 0,
    rules: defs.map((d, i) => ({ key: ids[i] === null ? `draft-${i}` : `rule-${ids[i]}`, ruleId: ids[i], workloadId: d.workloadId, matchedMicros: 0, rows: 0 })),
    unattributedMicros: 0,
    unattributedRows: 0,
    topUnattributed: [],
    wouldChangeRows: 0,
  };
  const misses = new Map<string, RulePreview['topUnattributed'][number]>();
  for (const g of groups) {
    const i = winningRule(defs, asRow(g));
    if ((i === -1 ? null : defs[i].workloadId) !== g.workloadId) out.wouldChangeRows += g.rows;
    if (g.currency !== currency) continue;
    out.totalMicros += g.micros;
    out.totalRows += g.rows;
    if (i >= 0) {
      out.rules[i].matchedMicros += g.micros;
      out.rules[i].rows += g.rows;
      continue;
    }
    out.unattributedMicros += g.micros;
    out.unattributedRows += g.rows;
    const key = [g.provider, g.subAccountId, g.apiKey, g.modelId ?? g.modelRaw].join('\u0001');
    const m = misses.get(key) ?? { provider: g.provider, project: g.subAccountId, apiKey: g.apiKey, model: g.modelId ?? g.modelRaw, micros: 0 };
    m.micros += g.micros;
    misses.set(key, m);
  }
  out.topUnattributed = [...misses.values()].sort((a, b) => b.micros - a.micros).slice(0, 10);
  return out;
}

/** A half-typed draft rule (no condition yet) matches nothing in the preview instead of failing it. */
function draftDef(r: RuleFieldsInput): AttributionRuleDef {
  try {
    return { ...normalise(r), enabled: r.enabled !== false };
  } catch {
    const none = { provider: null, accountPattern: null, projectPattern: null, apiKeyPattern: null, tagKey: null, tagValuePattern: null, modelPattern: null };
    return { ...none, workloadId: r.workloadId, priority: r.priority ?? DEFAULT_PRIORITY, enabled: false };
  }
}

function mainCurrency(groups: UsageGroup[]): string {
  const totals = new Map<string, number>();
  for (const g of groups) totals.set(g.currency, (totals.get(g.currency) ?? 0) + g.rows);
  return [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? 'USD';
}

/** Re-attributes every stored usage row with the current rules, in one logged transaction. */
export function applyRules(ctx: EngineContext): { rows: number; changed: number } {
  const repo = createWorkloadsRepo(ctx.db);
  const { defs } = storedDefs(ctx);
  return ctx.db.transaction(() => {
    const map = repo.attributionInputs().map((g) => {
      const i = winningRule(defs, asRow(g));
      return { ...g, workloadId: i === -1 ? null : defs[i].workloadId };
    });
    const changed = repo.reattribute(map);
    const rows = repo.usageRowCount();
    ctx.audit.append(ctx.actor(), 'rules-apply', 'usage_records', null, { rules: defs.length, rows, changed });
    return { rows, changed };
  })();
}
