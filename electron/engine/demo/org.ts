/**
 * The demo organisation as data: people, credit accounts, workloads, attribution rules and
 * the usage streams that drive twelve months of daily rows. generate.ts writes it to the
 * database; usage.ts turns the streams into rows. Amounts here are whole US dollars.
 */
import type { BlockKind, Role } from '../../../shared/domain';

export const DEMO_START = '2025-11-25';
/** Last demo usage day (inclusive). Fixed so every run produces the same data. */
export const DEMO_END = '2026-11-24';
/** Every created_at / decided_at that is not a business date uses this instant. */
export const DEMO_CREATED_AT = '2026-11-24T23:59:59Z';
export const DEFAULT_SEED = 42;

/** Code Review Bot moves from Haiku to Sonnet on this day: same tokens, 3× the price. */
export const SWAP_ON = '2026-07-27';
export const SWAP_FROM = 'claude-haiku-4-5';
export const SWAP_TO = 'claude-sonnet-4-5';

/** The leaked OpenAI key: probes from 02:00 UTC, a surge on gpt-4o, revoked and rotated at 16:00. */
export const LEAK = {
  externalId: 'INC-2026-0412',
  day: '2026-09-24',
  startedAt: '2026-09-24T02:00:00Z',
  detectedAt: '2026-09-24T11:00:00Z',
  resolvedAt: '2026-09-24T16:00:00Z',
  /** hour (UTC) from which the workload runs on the rotated key */
  rotateHour: 16,
  apiKey: 'key_mkt_content_prod',
  rotatedKey: 'key_mkt_content_prod_r2',
  attackModel: 'gpt-4o' as const,
  /** attacker spend per hour, as a multiple of the key's average hourly spend over the prior 28 days */
  hourlyMultiple: [0, 0, 0.05, 0.2, 6, 11, 15, 18, 19, 20, 18, 17, 15, 12, 8, 3, 0, 0, 0, 0, 0, 0, 0, 0],
  /** attacker requests in the probe hours */
  probeRequests: [0, 0, 4, 11],
} as const;

/** A spike nobody recorded as an incident: one Anthropic key at ~3.5× for two days. */
export const QUIET_SPIKE = { days: ['2026-10-19', '2026-10-20'], apiKey: 'sk-ant-api03-...mK3x', factor: 3.5 } as const;

export type AccountKey = 'openai' | 'anthropic' | 'aws';
export type ModelId = 'gpt-4o' | 'gpt-4o-mini' | 'claude-sonnet-4-5' | 'claude-haiku-4-5';

export interface DemoProfile {
  name: string;
  role: Role;
  email: string;
}

export const PROFILES: DemoProfile[] = [
  { name: 'Ada Analyst', role: 'analyst', email: 'ada.analyst@example.com' },
  { name: 'Omar Owner', role: 'owner', email: 'omar.owner@example.com' },
  { name: 'Priya Patel', role: 'owner', email: 'priya.patel@example.com' },
  { name: 'Felix Finance', role: 'approver', email: 'felix.finance@example.com' },
  { name: 'Sara Security', role: 'approver', email: 'sara.security@example.com' },
  { name: 'Lee Chen', role: 'owner', email: 'lee.chen@example.com' },
];

export interface DemoAccount {
  key: AccountKey;
  provider: string;
  externalId: string;
  name: string;
  pooled: boolean;
  autoRecharge: boolean;
  monthlyBudgetUsd: number;
  serviceName: string;
}

export const ACCOUNTS: DemoAccount[] = [
  { key: 'openai', provider: 'openai', externalId: 'org-Qm4sT7vXk2LpN9aR8cWz1HdE', name: 'OpenAI — shared production org', pooled: true, autoRecharge: true, monthlyBudgetUsd: 12_000, serviceName: 'OpenAI API' },
  { key: 'anthropic', provider: 'anthropic', externalId: '8f3c2a91-5d4e-4b7a-9c16-2e0f7d5b3a48', name: 'Anthropic — Claude org', pooled: false, autoRecharge: false, monthlyBudgetUsd: 10_000, serviceName: 'Claude API' },
  { key: 'aws', provider: 'aws', externalId: '482913057716', name: 'AWS Bedrock billing account', pooled: false, autoRecharge: false, monthlyBudgetUsd: 5_000, serviceName: 'Amazon Bedrock' },
];

/** Prices in micros of USD per million tokens, and the raw model names each provider reports. */
export const MODELS: Record<ModelId, { input: number; output: number; cacheRead: number; cacheWrite: number; raw: Partial<Record<AccountKey, string>> }> = {
  'gpt-4o': { input: 2_500_000, output: 10_000_000, cacheRead: 1_250_000, cacheWrite: 0, raw: { openai: 'gpt-4o-2024-08-06' } },
  'gpt-4o-mini': { input: 150_000, output: 600_000, cacheRead: 75_000, cacheWrite: 0, raw: { openai: 'gpt-4o-mini-2024-07-18' } },
  'claude-sonnet-4-5': {
    input: 3_000_000, output: 15_000_000, cacheRead: 300_000, cacheWrite: 3_750_000,
    raw: { anthropic: 'claude-sonnet-4-5-20250929', aws: 'anthropic.claude-sonnet-4-5-20250929-v1:0' },
  },
  'claude-haiku-4-5': {
    input: 1_000_000, output: 5_000_000, cacheRead: 100_000, cacheWrite: 1_250_000,
    raw: { anthropic: 'claude-haiku-4-5-20251001', aws: 'anthropic.claude-haiku-4-5-20251001-v1:0' },
  },
};

export interface DemoWorkload {
  key: string;
  department: string;
  application: string;
  agent: string | null;
  environment: 'production' | 'staging';
  owner: string | null;
  critical: boolean;
  tags: Record<string, string>;
}

const wl = (key: string, department: string, application: string, agent: string | null, environment: DemoWorkload['environment'], owner: string | null, critical = false, tags: Record<string, string> = {}): DemoWorkload =>
  ({ key, department, application, agent, environment, owner, critical, tags });

export const WORKLOADS: DemoWorkload[] = [
  wl('triage', 'Support', 'Helpdesk Copilot', 'triage-agent', 'production', 'Omar Owner', true, { costCenter: 'CC-410' }),
  wl('triage-stg', 'Support', 'Helpdesk Copilot', 'triage-agent', 'staging', 'Omar Owner', false, { costCenter: 'CC-410' }),
  wl('reply', 'Support', 'Helpdesk Copilot', 'reply-drafter', 'production', 'Omar Owner', false, { costCenter: 'CC-410' }),
  wl('refund', 'Support', 'Billing Assistant', 'refund-agent', 'production', 'Felix Finance', false, { costCenter: 'CC-415' }),
  wl('review', 'Engineering', 'Code Review Bot', null, 'production', 'Priya Patel', false, { costCenter: 'CC-200' }),
  wl('ci', 'Engineering', 'CI Agent', 'test-fixer', 'staging', 'Priya Patel', false, { costCenter: 'CC-200' }),
  wl('docs', 'Engineering', 'Docs Search', 'indexer', 'production', 'Priya Patel', false, { costCenter: 'CC-210' }),
  wl('copy', 'Marketing', 'Content Studio', 'copywriter', 'production', 'Lee Chen', false, { costCenter: 'CC-300' }),
  // No owner of record: the controls posture must flag it.
  wl('captions', 'Marketing', 'Content Studio', 'image-captioner', 'production', null, false, { costCenter: 'CC-300' }),
  wl('trends', 'Marketing', 'Campaign Insights', 'trend-analyst', 'production', 'Ada Analyst', false, { costCenter: 'CC-310' }),
  wl('soc', 'Security', 'SOC Assistant', 'alert-summariser', 'production', 'Sara Security', true, { costCenter: 'CC-500' }),
  wl('phish', 'Security', 'SOC Assistant', 'phishing-triage', 'production', 'Sara Security', false, { costCenter: 'CC-500' }),
];

export function workloadPath(w: DemoWorkload): string {
  return [w.department, w.application, w.agent].filter((p): p is string => p !== null).join(' › ');
}

export function contactFor(owner: string | null): string | null {
  return PROFILES.find((p) => p.name === owner)?.email ?? null;
}

export interface DemoRule {
  workload: string;
  priority?: number;
  provider: string;
  projectPattern?: string;
  apiKeyPattern?: string;
  tagKey?: string;
  tagValuePattern?: string;
  modelPattern?: string;
}

/** No rule matches project proj_shared_sandbox: its spend stays unattributed on the pooled OpenAI org. */
export const RULES: DemoRule[] = [
  { workload: 'triage', provider: 'anthropic', projectPattern: 'wrkspc_support' },
  { workload: 'triage-stg', provider: 'openai', projectPattern: 'proj_support_staging' },
  { workload: 'reply', provider: 'openai', projectPattern: 'proj_support_helpdesk' },
  { workload: 'refund', provider: 'openai', projectPattern: 'proj_support_billing' },
  { workload: 'review', provider: 'anthropic', projectPattern: 'wrkspc_engineering' },
  { workload: 'review', provider: 'anthropic', apiKeyPattern: 'sk-ant-api03-...cR4b', priority: 50 },
  { workload: 'ci', provider: 'aws', tagKey: 'app', tagValuePattern: 'ci-agent' },
  { workload: 'docs', provider: 'openai', projectPattern: 'proj_eng_docs' },
  { workload: 'copy', provider: 'openai', apiKeyPattern: 'key_mkt_content_prod*' },
  { workload: 'captions', provider: 'openai', apiKeyPattern: 'key_mkt_images_*' },
  { workload: 'trends', provider: 'anthropic', projectPattern: 'wrkspc_marketing' },
  { workload: 'soc', provider: 'aws', tagKey: 'agent', tagValuePattern: 'alert-summariser' },
  { workload: 'soc', provider: 'aws', apiKeyPattern: 'role/soc-alert-summariser-*', priority: 50 },
  { workload: 'phish', provider: 'aws', tagKey: 'agent', tagValuePattern: 'phishing-*' },
];

/** Weekday factors, Monday first. */
export const WEEK_PROFILES = {
  office: [1.0, 1.06, 1.05, 1.02, 0.9, 0.42, 0.36],
  dev: [1.04, 1.1, 1.08, 1.05, 0.88, 0.2, 0.16],
  batch: [1.0, 1.0, 1.0, 1.0, 0.98, 0.86, 0.84],
} as const;

export interface DemoStream {
  account: AccountKey;
  projectId: string;
  projectName: string;
  apiKey: string;
  model: ModelId;
  /** spend on a typical weekday at the start of the year, in whole USD */
  baseUsd: number;
  /** tokens per uncached input token */
  mix: { output: number; cacheRead: number; cacheWrite: number };
  week: keyof typeof WEEK_PROFILES;
  /** linear growth over the year, e.g. 0.3 = +30% by the end */
  growth: number;
  /** average input tokens (all kinds) per request */
  promptTokens: number;
  tags?: Record<string, string>;
  /** the provider bills cache writes at this price (1-hour TTL) while the catalog has the 5-minute price */
  billedCacheWritePerMTok?: number;
  swap?: { on: string; to: ModelId };
  from?: string;
}

const CHAT = { output: 0.22, cacheRead: 0.9, cacheWrite: 0 };
const AGENT = { output: 0.12, cacheRead: 2.4, cacheWrite: 0.1 };

export const STREAMS: DemoStream[] = [
  // OpenAI: one pooled org, many projects and keys.
  { account: 'openai', projectId: 'proj_support_helpdesk', projectName: 'Support Helpdesk', apiKey: 'key_support_reply_prod', model: 'gpt-4o-mini', baseUsd: 38, mix: CHAT, week: 'office', growth: 0.35, promptTokens: 1800 },
  { account: 'openai', projectId: 'proj_support_helpdesk', projectName: 'Support Helpdesk', apiKey: 'key_support_reply_prod', model: 'gpt-4o', baseUsd: 64, mix: CHAT, week: 'office', growth: 0.35, promptTokens: 2600 },
  { account: 'openai', projectId: 'proj_support_helpdesk', projectName: 'Support Helpdesk', apiKey: 'key_support_reply_batch', model: 'gpt-4o-mini', baseUsd: 12, mix: CHAT, week: 'batch', growth: 0.2, promptTokens: 1500 },
  { account: 'openai', projectId: 'proj_support_staging', projectName: 'Support Staging', apiKey: 'key_support_triage_stg', model: 'gpt-4o-mini', baseUsd: 6, mix: CHAT, week: 'dev', growth: 0.1, promptTokens: 1400 },
  { account: 'openai', projectId: 'proj_support_billing', projectName: 'Billing Assistant', apiKey: 'key_billing_refunds_prod', model: 'gpt-4o', baseUsd: 34, mix: CHAT, week: 'office', growth: 0.25, promptTokens: 2200 },
  { account: 'openai', projectId: 'proj_eng_docs', projectName: 'Docs Search', apiKey: 'key_docs_indexer', model: 'gpt-4o-mini', baseUsd: 24, mix: { output: 0.05, cacheRead: 0.2, cacheWrite: 0 }, week: 'batch', growth: 0.3, promptTokens: 6000 },
  { account: 'openai', projectId: 'proj_eng_docs', projectName: 'Docs Search', apiKey: 'key_docs_query', model: 'gpt-4o-mini', baseUsd: 14, mix: CHAT, week: 'dev', growth: 0.4, promptTokens: 1200 },
  { account: 'openai', projectId: 'proj_mkt_content', projectName: 'Content Studio', apiKey: LEAK.apiKey, model: 'gpt-4o-mini', baseUsd: 48, mix: { output: 0.6, cacheRead: 0.3, cacheWrite: 0 }, week: 'office', growth: 0.3, promptTokens: 1600 },
  { account: 'openai', projectId: 'proj_mkt_content', projectName: 'Content Studio', apiKey: 'key_mkt_images_prod', model: 'gpt-4o', baseUsd: 20, mix: { output: 0.08, cacheRead: 0.1, cacheWrite: 0 }, week: 'office', growth: 0.3, promptTokens: 1100 },
  { account: 'openai', projectId: 'proj_shared_sandbox', projectName: 'Shared Sandbox', apiKey: 'key_sandbox_shared', model: 'gpt-4o', baseUsd: 30, mix: CHAT, week: 'dev', growth: 0.3, promptTokens: 2000 },
  { account: 'openai', projectId: 'proj_shared_sandbox', projectName: 'Shared Sandbox', apiKey: 'key_sandbox_eval', model: 'gpt-4o-mini', baseUsd: 9, mix: CHAT, week: 'batch', growth: 0.3, promptTokens: 2000 },
  // Anthropic: one workspace per department.
  { account: 'anthropic', projectId: 'wrkspc_support', projectName: 'Support', apiKey: 'sk-ant-api03-...Tq7A', model: 'claude-haiku-4-5', baseUsd: 70, mix: AGENT, week: 'office', growth: 0.3, promptTokens: 9000, billedCacheWritePerMTok: 2_000_000 },
  { account: 'anthropic', projectId: 'wrkspc_support', projectName: 'Support', apiKey: 'sk-ant-api03-...9mZk', model: 'claude-haiku-4-5', baseUsd: 8, mix: AGENT, week: 'office', growth: 0.3, promptTokens: 9000, billedCacheWritePerMTok: 2_000_000 },
  { account: 'anthropic', projectId: 'wrkspc_engineering', projectName: 'Engineering', apiKey: 'sk-ant-api03-...cR4b', model: SWAP_FROM, baseUsd: 55, mix: { output: 0.1, cacheRead: 4, cacheWrite: 0.15 }, week: 'dev', growth: 0.2, promptTokens: 24000, swap: { on: SWAP_ON, to: SWAP_TO } },
  { account: 'anthropic', projectId: 'wrkspc_marketing', projectName: 'Marketing', apiKey: QUIET_SPIKE.apiKey, model: 'claude-sonnet-4-5', baseUsd: 26, mix: { output: 0.3, cacheRead: 1.5, cacheWrite: 0.1 }, week: 'office', growth: 0.25, promptTokens: 7000 },
  // AWS Bedrock: tagged by app and agent, called by IAM roles.
  { account: 'aws', projectId: '731845209614', projectName: 'security-prod', apiKey: 'role/soc-alert-summariser-prod', model: 'claude-sonnet-4-5', baseUsd: 62, mix: AGENT, week: 'batch', growth: 0.35, promptTokens: 12000, tags: { app: 'soc-assistant', agent: 'alert-summariser', env: 'production' } },
  { account: 'aws', projectId: '731845209614', projectName: 'security-prod', apiKey: 'role/soc-alert-summariser-backfill', model: 'claude-sonnet-4-5', baseUsd: 6, mix: AGENT, week: 'batch', growth: 0.2, promptTokens: 12000, tags: { app: 'soc-assistant', agent: 'alert-summariser', env: 'production' } },
  { account: 'aws', projectId: '731845209614', projectName: 'security-prod', apiKey: 'role/soc-phishing-triage-prod', model: 'claude-haiku-4-5', baseUsd: 22, mix: AGENT, week: 'batch', growth: 0.3, promptTokens: 5000, tags: { app: 'soc-assistant', agent: 'phishing-triage', env: 'production' } },
  { account: 'aws', projectId: '209384756120', projectName: 'eng-ci', apiKey: 'role/ci-test-fixer-staging', model: 'claude-sonnet-4-5', baseUsd: 36, mix: { output: 0.15, cacheRead: 3, cacheWrite: 0.12 }, week: 'dev', growth: 0.4, promptTokens: 18000, tags: { app: 'ci-agent', agent: 'test-fixer', env: 'staging' } },
];

export interface DemoAllocation {
  workload: string;
  amountUsd?: number;
  percentBp?: number;
}

export interface DemoBlock {
  account: AccountKey;
  name: string;
  kind: BlockKind;
  amountUsd: number;
  costBasisUsd: number;
  purchasedOn: string;
  expiresOn: string | null;
  /** lower number = drawn first */
  priority: number;
  sourceRef: string;
  allocations?: DemoAllocation[];
}
