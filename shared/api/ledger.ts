/**
 * The credit ledger and its governance: credit accounts, credit blocks, workloads, attribution
 * rules, allocations, thresholds and alerts, top-up requests, the audit log and the controls
 * posture. Money crosses the contract as integer micro-units; days as YYYY-MM-DD.
 */
import { z } from 'zod';
import { handler, NoArgs, Day, Id } from './define';
import type {
  CreditAccount, LedgerBlock, BurnView, WorkloadTree, WorkloadRow, AttributionRule, RulePreview, Allocation, Threshold,
  Alert, DepletionFinding, TopupRequest, AuditListEntry, AuditVerify, Posture, LedgerReport,
} from './ledger-types';

export type * from './ledger-types';

const Micros = z.number().int().safe();
const PositiveMicros = Micros.positive();
const Name = z.string().trim().min(1).max(200);
const Text = z.string().trim().max(2000);
/** null clears a field; undefined leaves it as it is */
const Nullable = <T extends z.ZodType>(t: T) => t.nullable().optional();
/** a glob with * and ?; empty text means "any" */
const Pattern = z.string().trim().max(200).transform((s) => (s === '' ? null : s)).nullable().optional();
const Unit = z.string().trim().regex(/^[A-Za-z][A-Za-z0-9 _-]{0,31}$/, 'expected a currency code or a unit name such as Token');
const AtArg = z.object({ at: Day.optional() }).strict();

const RuleFields = z.object({
  workloadId: Id,
  priority: z.number().int().min(0).max(10_000).optional(),
  provider: Pattern,
  accountPattern: Pattern,
  projectPattern: Pattern,
  apiKeyPattern: Pattern,
  tagKey: Pattern,
  tagValuePattern: Pattern,
  modelPattern: Pattern,
  enabled: z.boolean().optional(),
});
export type RuleFieldsInput = z.input<typeof RuleFields>;

const BlockFields = z.object({
  name: Name,
  kind: z.enum(['purchased', 'promotional']),
  amountMicros: Micros.nonnegative(),
  /** for a virtual unit: what one unit costs in the account currency, in micros */
  unitPriceMicros: Nullable(Micros.nonnegative()),
  costBasisMicros: Micros.nonnegative().optional(),
  expiresOn: Nullable(Day),
  priority: z.number().int().min(0).max(1000).optional(),
  sourceRef: Nullable(z.string().trim().max(200)),
});

const WorkloadFields = z.object({
  department: Name,
  application: Name,
  agent: Nullable(Name),
  environment: z.string().trim().min(1).max(40).optional(),
  ownerName: Nullable(Name),
  ownerContact: Nullable(z.string().trim().max(200)),
  critical: z.boolean().optional(),
  tags: z.record(z.string().max(100), z.string().max(200)).optional(),
});

export const ledgerApi = {
  'accounts-list': handler(NoArgs)<CreditAccount[]>(),
  'account-update': handler(
    z.object({ id: Id, pooled: z.boolean().optional(), autoRecharge: z.boolean().optional(), monthlyBudgetMicros: Nullable(Micros.nonnegative()) }).strict(),
  )<CreditAccount>(),

  'blocks-list': handler(AtArg)<LedgerBlock[]>(),
  'block-create': handler(
    BlockFields.extend({
      accountId: Id,
      unit: Unit.optional(),
      purchasedOn: Day,
    }).strict(),
  )<LedgerBlock>(),
  'block-update': handler(BlockFields.partial().extend({ id: Id }).strict())<LedgerBlock>(),
  'block-retire': handler(z.object({ id: Id, reason: Text.optional() }).strict())<{ id: number; retiredAt: string }>(),
  'block-burn': handler(
    z.object({ blockId: Id.optional(), accountId: Id.optional(), at: Day.optional() }).strict().refine((a) => (a.blockId === undefined) !== (a.accountId === undefined), 'give either blockId or accountId'),
  )<BurnView>(),

  'workloads-tree': handler(AtArg)<WorkloadTree>(),
  'workload-create': handler(WorkloadFields.strict())<WorkloadRow>(),
  'workload-update': handler(WorkloadFields.partial().extend({ id: Id, retired: z.boolean().optional() }).strict())<WorkloadRow>(),

  'rules-list': handler(NoArgs)<AttributionRule[]>(),
  'rule-create': handler(RuleFields.strict())<AttributionRule>(),
  'rule-update': handler(RuleFields.partial().extend({ id: Id }).strict())<AttributionRule>(),
  'rule-delete': handler(z.object({ id: Id }).strict())<{ id: number }>(),
  /** without `rules`, previews the stored rules; with them, an unsaved draft (ids optional) */
  'rules-preview': handler(
    z.object({ rules: z.array(RuleFields.extend({ id: Id.optional() }).strict()).max(500).optional(), currency: Unit.optional() }).strict(),
  )<RulePreview>(),
  'rules-apply': handler(NoArgs)<{ rows: number; changed: number }>(),

  'allocations-list': handler(z.object({ blockId: Id.optional(), workloadId: Id.optional() }).strict())<Allocation[]>(),
  'allocation-set': handler(
    z
      .object({ blockId: Id, workloadId: Id, amountMicros: Micros.nonnegative().optional(), percentBp: z.number().int().min(0).max(10_000).optional() })
      .strict()
      .refine((a) => (a.amountMicros === undefined) !== (a.percentBp === undefined), 'give either amountMicros or percentBp'),
  )<Allocation>(),
  'allocation-delete': handler(z.object({ id: Id }).strict())<{ id: number }>(),

  'thresholds-list': handler(NoArgs)<Threshold[]>(),
  'threshold-set': handler(
    z
      .object({
        id: Id.optional(),
        scopeKind: z.enum(['block', 'workload', 'account']),
        scopeId: Id,
        kind: z.enum(['percent-consumed', 'runway-days', 'expiring', 'burn-spike']),
        value: z.number().int().min(0).max(100_000),
        minUnusedMicros: Nullable(Micros.nonnegative()),
        action: z.enum(['alert', 'throttle', 'stop']).optional(),
        safetyMarginDays: z.number().int().min(0).max(365).optional(),
        enabled: z.boolean().optional(),
      })
      .strict(),
  )<Threshold>(),

  'alerts-evaluate': handler(AtArg)<{ evaluated: number; raised: Alert[] }>(),
  'alerts-list': handler(z.object({ open: z.boolean().optional() }).strict())<Alert[]>(),
  'alert-acknowledge': handler(z.object({ id: Id, note: Text.optional() }).strict())<Alert>(),
  'depletion-rules-report': handler(AtArg)<DepletionFinding[]>(),

  'topup-request': handler(
    z
      .object({
        accountId: Id,
        blockId: Id.optional(),
        workloadId: Id.optional(),
        kind: z.enum(['top-up', 'renewal']).optional(),
        amountMicros: PositiveMicros,
        reason: z.string().trim().min(3, 'say why the credits are needed').max(2000),
      })
      .strict(),
  )<TopupRequest>(),
  'topup-decide': handler(
    z.object({ id: Id, decision: z.enum(['approve', 'reject']), note: z.string().trim().max(2000).optional() }).strict(),
  )<TopupRequest>(),
  'topups-list': handler(z.object({ status: z.enum(['pending', 'approved', 'rejected']).optional() }).strict())<TopupRequest[]>(),

  'audit-list': handler(z.object({ afterSeq: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(5000).optional() }).strict())<AuditListEntry[]>(),
  'audit-verify': handler(NoArgs)<AuditVerify>(),

  'posture-get': handler(AtArg)<Posture>(),
  'ledger-get': handler(AtArg)<LedgerReport>(),
};
