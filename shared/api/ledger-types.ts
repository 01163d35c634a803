/**
 * Result types of the ledger and governance handlers (shared/api/ledger.ts). Words follow the
 * glossary in BRIEF.md; money is integer micro-units of the row's unit (a currency code or a
 * virtual unit such as Token); days are YYYY-MM-DD.
 */
import type { BlockBalance, BlockKind, Role } from '../domain';

export type ThresholdKind = 'percent-consumed' | 'runway-days' | 'expiring' | 'burn-spike';
export type ScopeKind = 'block' | 'workload' | 'account';
export type DepletionAction = 'alert' | 'throttle' | 'stop';
export type BlockSource = 'manual' | 'focus-purchase' | 'invoice-line' | 'top-up' | 'demo';

export interface CreditAccount {
  id: number;
  provider: string;
  externalId: string;
  name: string;
  currency: string;
  pooled: boolean;
  autoRecharge: boolean;
  monthlyBudgetMicros: number | null;
  blocks: number;
  /** workloads with attributed usage on this account */
  workloads: number;
  spendMicros: number;
  unattributedMicros: number;
}

/** A credit block with its ledger figures and the forecast from the current burn. */
export interface LedgerBlock extends BlockBalance {
  unitPriceMicros: number | null;
  costBasisMicros: number;
  priority: number;
  source: BlockSource;
  sourceRef: string | null;
  allocatedMicros: number;
  /** credit that will still be on the block when it expires, at the forecast burn */
  wasteForecastMicros: number;
  /** the day the forecast empties the block, null when it does not within the horizon */
  forecastDryOn: string | null;
}

export interface BurnLine {
  id: number;
  name: string;
  /** recorded end-of-day balance, one per BurnView.days */
  balanceMicros: number[];
  /** forecast balance at the current burn, one per BurnView.forecastDays */
  forecastMicros: number[];
}

/** A burn-down for one block or one account, with what the chart draws around it. */
export interface BurnView {
  scope: 'block' | 'account';
  id: number;
  name: string;
  unit: string;
  days: string[];
  /** the days after the as-of day the forecast covers */
  forecastDays: string[];
  /** the block itself, or the account total followed by its blocks */
  lines: BurnLine[];
  /** horizontal lines: the balance left when a percent-consumed threshold fires */
  thresholds: { label: string; balanceMicros: number; action: DepletionAction }[];
  /** vertical markers: expiry days inside the range */
  expiries: { day: string; label: string }[];
}

export interface WorkloadRow {
  id: number;
  department: string;
  application: string;
  agent: string | null;
  environment: string;
  ownerName: string | null;
  ownerContact: string | null;
  critical: boolean;
  tags: Record<string, string>;
  retired: boolean;
  consumedMicros: number;
  allocatedMicros: number;
  allocationLeftMicros: number;
  rules: number;
}

export interface WorkloadTree {
  departments: { name: string; applications: { name: string; workloads: WorkloadRow[] }[] }[];
  workloads: WorkloadRow[];
}

export interface AttributionRule {
  id: number;
  workloadId: number;
  workloadPath: string;
  priority: number;
  provider: string | null;
  accountPattern: string | null;
  projectPattern: string | null;
  apiKeyPattern: string | null;
  tagKey: string | null;
  tagValuePattern: string | null;
  modelPattern: string | null;
  enabled: boolean;
}

export interface RulePreview {
  currency: string;
  totalMicros: number;
  totalRows: number;
  /** in the order the rules were given (or stored) */
  rules: { key: string; ruleId: number | null; workloadId: number; matchedMicros: number; rows: number }[];
  unattributedMicros: number;
  unattributedRows: number;
  /** the biggest unattributed groups, so the analyst sees what a new rule should catch */
  topUnattributed: { provider: string; project: string | null; apiKey: string | null; model: string | null; micros: number }[];
  /** rows whose workload would change if the rules were applied now */
  wouldChangeRows: number;
}

export interface Allocation {
  id: number;
  blockId: number;
  blockName: string;
  unit: string;
  workloadId: number;
  workloadPath: string;
  amountMicros: number | null;
  percentBp: number | null;
  /** the amount earmarked (percent turned into an amount) */
  effectiveMicros: number;
  leftMicros: number;
}

export interface Threshold {
  id: number;
  scopeKind: ScopeKind;
  scopeId: number;
  scopeName: string;
  kind: ThresholdKind;
  value: number;
  minUnusedMicros: number | null;
  action: DepletionAction;
  safetyMarginDays: number;
  enabled: boolean;
}

export interface Alert {
  id: number;
  thresholdId: number | null;
  scopeKind: ScopeKind;
  scopeId: number;
  scopeName: string;
  kind: ThresholdKind;
  period: string;
  firedOn: string;
  severity: 'info' | 'warning' | 'critical';
  message: string;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
}

export interface DepletionFinding {
  thresholdId: number;
  action: DepletionAction;
  scopeKind: ScopeKind;
  scopeName: string;
  firedOn: string | null;
  dryOn: string | null;
  /** days between the rule firing and the credit running dry; null when either never happened */
  daysBefore: number | null;
  sentence: string;
}

export type TopupStatus = 'pending' | 'approved' | 'rejected';

export interface TopupRequest {
  id: number;
  kind: 'top-up' | 'renewal';
  requesterId: number;
  requesterName: string;
  accountId: number;
  accountName: string;
  blockId: number | null;
  blockName: string | null;
  workloadId: number | null;
  workloadPath: string | null;
  amountMicros: number;
  currency: string;
  reason: string;
  status: TopupStatus;
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  createdBlockId: number | null;
  createdAt: string;
  /** whether the signed-in profile may decide, and if not, why */
  canDecide: boolean;
  cannotDecideReason: string | null;
}

export interface AuditListEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entityId: string | null;
  details: unknown;
}

export type AuditVerify = { ok: true; entries: number } | { ok: false; entries: number; brokenSeq: number; reason: string };

export type ControlStatus = 'pass' | 'warn' | 'fail';

export interface PostureControl {
  id: string;
  title: string;
  status: ControlStatus;
  evidence: string;
  missing: string[];
  fixOwner: string;
  frameworks: { csf: string[]; nhi: string[]; aiRmf: string[] };
}

export interface Posture {
  asOf: string | null;
  controls: PostureControl[];
}

export interface LedgerReport {
  asOf: string | null;
  blocks: {
    blockId: number;
    name: string;
    accountName: string;
    unit: string;
    kind: BlockKind;
    purchasedOn: string;
    expiresOn: string | null;
    purchasedMicros: number;
    consumedMicros: number;
    remainingMicros: number;
    expiredMicros: number;
    runwayDays: number | null;
  }[];
  /** overage (usage beyond all credit, post-pay exposure) belongs to an account and unit, not to a block */
  accounts: { accountId: number; name: string; unit: string; purchasedMicros: number; consumedMicros: number; remainingMicros: number; expiredMicros: number; overageMicros: number }[];
  workloads: { workloadId: number | null; path: string; consumedMicros: number; overageMicros: number; allocatedMicros: number; allocationLeftMicros: number }[];
}

export interface SignedIn {
  id: number;
  name: string;
  role: Role;
}
