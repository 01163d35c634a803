/**
 * Domain types shared by engine, transports and UI. Words follow the glossary in BRIEF.md.
 * Money is integer micro-units (…Micros), tokens are integers, days are YYYY-MM-DD (UTC),
 * instants are ISO 8601 UTC strings.
 */

export type Role = 'analyst' | 'owner' | 'approver';
export interface Profile {
  id: number;
  name: string;
  role: Role;
}

export type ChargeCategory = 'usage' | 'purchase' | 'tax' | 'credit' | 'adjustment';
export type BlockKind = 'purchased' | 'promotional';

export interface AppInfo {
  version: string;
  schemaVersion: number;
  dbPath: string;
  mode: 'desktop' | 'browser' | 'cli' | 'test';
  empty: boolean;
}

export interface StatsGroup {
  provider: string;
  chargeCategory: ChargeCategory;
  currency: string;
  rows: number;
  /** exact decimal sum of the source amount texts */
  billedCost: string;
  /** the same sum over the stored micro-units (each row rounded half-even once) */
  billedCostMicros: number;
}

export interface Stats {
  usageRows: number;
  creditAccounts: number;
  creditBlocks: number;
  workloads: number;
  incidents: number;
  imports: number;
  groups: StatsGroup[];
  totals: { currency: string; rows: number; billedCost: string; billedCostMicros: number }[];
}

export interface BlockBalance {
  blockId: number;
  name: string;
  accountId: number;
  accountName: string;
  provider: string;
  kind: BlockKind;
  unit: string;
  purchasedOn: string;
  expiresOn: string | null;
  purchasedMicros: number;
  consumedMicros: number;
  remainingMicros: number;
  expiredMicros: number;
  /** average spend per day over the last 30 days drawn from this block */
  burnPerDayMicros: number;
  runwayDays: number | null;
  depletedOn: string | null;
}

export interface BurnSeries {
  blockId: number;
  name: string;
  days: string[];
  balanceMicros: number[];
  expiresOn: string | null;
}

export interface AttentionItem {
  kind: 'alert' | 'expiring' | 'unattributed' | 'pooled' | 'approval' | 'overage';
  severity: 'info' | 'warning' | 'critical';
  title: string;
  detail: string;
  ref?: { kind: string; id: number | string };
}

export interface Dashboard {
  asOf: string | null;
  currency: string;
  blocks: BlockBalance[];
  burn: BurnSeries[];
  totals: { purchasedMicros: number; consumedMicros: number; remainingMicros: number; overageMicros: number };
  attention: AttentionItem[];
  /** billed usage cost per provider and currency, as stats-get counts it */
  spend: { provider: string; currency: string; billedCostMicros: number }[];
  empty: boolean;
}

export interface Job {
  id: string;
  kind: string;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  progress: { rows: number; bytes: number; totalBytes: number; percent: number; rowsPerSecond: number; etaSeconds: number | null };
  message?: string;
  result?: unknown;
}

/** One row of a usage or cost export after mapping, before it is stored. */
export interface UsageRecord {
  /** 1-based line of the source file where the row starts */
  line: number;
  provider: string;
  billingAccountId: string | null;
  billingAccountName: string | null;
  /** project, workspace, subscription or sub-account */
  subAccountId: string | null;
  subAccountName: string | null;
  apiKey: string | null;
  userId: string | null;
  chargeCategory: ChargeCategory;
  chargeClass: 'correction' | null;
  periodStart: string;
  periodEnd: string | null;
  serviceName: string | null;
  modelRaw: string | null;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  requests: number | null;
  billedCostMicros: number | null;
  billedCostText: string | null;
  effectiveCostMicros: number | null;
  listCostMicros: number | null;
  currency: string;
  /** a virtual currency (credits, tokens) the row is priced in, FOCUS 1.2 PricingCurrency */
  pricingCurrency: string | null;
  pricingCurrencyEffectiveCostMicros: number | null;
  pricingQuantityText: string | null;
  pricingUnit: string | null;
  tags: Record<string, string> | null;
  sku: string | null;
  region: string | null;
  resourceId: string | null;
  description: string | null;
}

export interface InvoiceLineRecord {
  line: number;
  invoiceNumber: string;
  issuer: string | null;
  billingAccountId: string | null;
  currency: string;
  issuedOn: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  dueOn: string | null;
  status: string | null;
  description: string | null;
  category: ChargeCategory;
  amountMicros: number;
  amountText: string;
  quantityText: string | null;
}

export interface IncidentRecord {
  line: number;
  source: string;
  externalId: string;
  title: string;
  type: string | null;
  severity: string | null;
  status: string | null;
  startedAt: string | null;
  detectedAt: string;
  resolvedAt: string | null;
  apiKeys: string[];
  workloads: string[];
  accounts: string[];
}
