import type { EngineContext } from '../context';
import type { BlockKind } from '../../../shared/domain';
import type { BlockSource, CreditAccount, LedgerBlock } from '../../../shared/api/ledger-types';
import { createBlocksRepo, type AccountRow, type StoredBlock } from '../repos/blocks';
import { createAlertsRepo } from '../repos/alerts';
import { ledgerBlocks } from './ledger-report';
import { NotFoundError, RefusedError } from '../errors';
import { addMonths } from '../../../shared/dates';
import { DEFAULT_PERCENT_LEVELS } from '../../../shared/thresholds';

/** Credit accounts and credit blocks: every change is written with its audit entry in one transaction. */

/** OpenAI and Anthropic purchased credits expire one year after purchase and cannot be extended. */
const TWELVE_MONTH_PROVIDERS = new Set(['openai', 'anthropic']);

export function defaultExpiry(provider: string, kind: BlockKind, purchasedOn: string): string | null {
  return kind === 'purchased' && TWELVE_MONTH_PROVIDERS.has(provider.toLowerCase()) ? addMonths(purchasedOn, 12) : null;
}

export function toAccount(a: AccountRow): CreditAccount {
  return { ...a, pooled: a.pooled === 1, autoRecharge: a.autoRecharge === 1 };
}

export function updateAccount(ctx: EngineContext, args: { id: number; pooled?: boolean; autoRecharge?: boolean; monthlyBudgetMicros?: number | null }): CreditAccount {
  const repo = createBlocksRepo(ctx.db);
  const before = repo.account(args.id);
  if (!before) throw new NotFoundError(`Credit account ${args.id}`);
  const next = {
    id: args.id,
    pooled: args.pooled === undefined ? before.pooled : Number(args.pooled),
    autoRecharge: args.autoRecharge === undefined ? before.autoRecharge : Number(args.autoRecharge),
    monthlyBudgetMicros: args.monthlyBudgetMicros === undefined ? before.monthlyBudgetMicros : args.monthlyBudgetMicros,
  };
  ctx.db.transaction(() => {
    repo.updateAccount(next);
    ctx.audit.append(ctx.actor(), 'account-update', 'credit_account', args.id, { before: pick(before), after: next });
  })();
  return toAccount(repo.account(args.id)!);
}

function pick(a: AccountRow) {
  return { pooled: a.pooled, autoRecharge: a.autoRecharge, monthlyBudgetMicros: a.monthlyBudgetMicros };
}

export interface BlockInput {
  accountId: number;
  name: string;
  kind: BlockKind;
  unit?: string;
  amountMicros: number;
  unitPriceMicros?: number | null;
  costBasisMicros?: number;
  purchasedOn: string;
  expiresOn?: string | null;
  priority?: number;
  sourceRef?: string | null;
}

/**
 * Inserts a block with the default percent-consumed thresholds (50/75/90/100), so the control
 * "alerts fire before zero" holds for new credit too. Call inside a transaction.
 */
export function insertBlock(ctx: EngineContext, input: BlockInput, source: BlockSource): number {
  const repo = createBlocksRepo(ctx.db);
  const account = repo.account(input.accountId);
  if (!account) throw new NotFoundError(`Credit account ${input.accountId}`);
  const unit = input.unit ?? account.currency;
  const expiresOn = input.expiresOn === undefined ? defaultExpiry(account.provider, input.kind, input.purchasedOn) : input.expiresOn;
  if (expiresOn !== null && expiresOn <= input.purchasedOn) throw new RefusedError(`The expiry (${expiresOn}) must be after the purchase date (${input.purchasedOn}).`);
  if (unit !== account.currency && input.unitPriceMicros == null) {
    throw new RefusedError(`${unit} is a virtual unit for this ${account.currency} account: give its unit price (what one ${unit} costs in ${account.currency}).`);
  }
  const id = repo.insert(
    {
      accountId: input.accountId,
      name: input.name,
      kind: input.kind,
      unit,
      amountMicros: input.amountMicros,
      unitPriceMicros: input.unitPriceMicros ?? null,
      costBasisMicros: input.costBasisMicros ?? defaultCostBasis(input, unit === account.currency),
      purchasedOn: input.purchasedOn,
      expiresOn,
      priority: input.priority ?? 2,
      source,
      sourceRef: input.sourceRef ?? null,
    },
    ctx.now(),
  );
  const alerts = createAlertsRepo(ctx.db);
  for (const value of DEFAULT_PERCENT_LEVELS) {
    alerts.insertThreshold({ scopeKind: 'block', scopeId: id, kind: 'percent-consumed', value, minUnusedMicros: null, action: 'alert', safetyMarginDays: 0, enabled: 1 }, ctx.now());
  }
  ctx.audit.append(ctx.actor(), 'block-create', 'credit_block', id, { ...input, unit, expiresOn, source });
  return id;
}

/** What a purchase cost when the caller does not say: nothing for a grant, amount × unit price otherwise. */
function defaultCostBasis(input: BlockInput, inCurrency: boolean): number {
  if (input.kind === 'promotional') return 0;
  if (inCurrency) return input.amountMicros;
  // micro-units × micros per unit overflow 2^53 for big token blocks: BigInt, then back to micros
  return Number((BigInt(input.amountMicros) * BigInt(input.unitPriceMicros ?? 0)) / 1_000_000n);
}

export function createBlock(ctx: EngineContext, input: BlockInput): LedgerBlock {
  const id = ctx.db.transaction(() => insertBlock(ctx, input, 'manual'))();
  return blockById(ctx, id);
}

export function updateBlock(ctx: EngineContext, args: Partial<Omit<BlockInput, 'accountId' | 'purchasedOn' | 'unit'>> & { id: number }): LedgerBlock {
  const repo = createBlocksRepo(ctx.db);
  const before = repo.block(args.id);
  if (!before || before.retiredAt) throw new NotFoundError(`Credit block ${args.id}`);
  const next: StoredBlock = {
    ...before,
    name: args.name ?? before.name,
    kind: args.kind ?? before.kind,
    amountMicros: args.amountMicros ?? before.amountMicros,
    unitPriceMicros: args.unitPriceMicros === undefined ? before.unitPriceMicros : args.unitPriceMicros,
    costBasisMicros: args.costBasisMicros ?? before.costBasisMicros,
    expiresOn: args.expiresOn === undefined ? before.expiresOn : args.expiresOn,
    priority: args.priority ?? before.priority,
    sourceRef: args.sourceRef === undefined ? before.sourceRef : args.sourceRef,
  };
  if (next.expiresOn !== null && next.expiresOn <= next.purchasedOn) throw new RefusedError(`The expiry (${next.expiresOn}) must be after the purchase date (${next.purchasedOn}).`);
  ctx.db.transaction(() => {
    repo.update(next);
    ctx.audit.append(ctx.actor(), 'block-update', 'credit_block', args.id, { before: changed(before, next), after: changed(next, before) });
  })();
  return blockById(ctx, args.id);
}

/** The fields of `a` that differ from `b`, so the audit entry says what changed. */
function changed(a: StoredBlock, b: StoredBlock): Partial<StoredBlock> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(a) as (keyof StoredBlock)[]) if (a[k] !== b[k]) out[k] = a[k];
  return out as Partial<StoredBlock>;
}

export function retireBlock(ctx: EngineContext, id: number, reason?: string): { id: number; retiredAt: string } {
  const repo = createBlocksRepo(ctx.db);
  const b = repo.block(id);
  if (!b) throw new NotFoundError(`Credit block ${id}`);
  if (b.retiredAt) throw new RefusedError(`${b.name} was already retired on ${b.retiredAt}.`, 'conflict');
  const at = ctx.now();
  ctx.db.transaction(() => {
    repo.retire(id, at);
    ctx.audit.append(ctx.actor(), 'block-retire', 'credit_block', id, { name: b.name, reason: reason ?? null });
  })();
  return { id, retiredAt: at };
}

export function blockById(ctx: EngineContext, id: number): LedgerBlock {
  const b = ledgerBlocks(ctx).find((x) => x.blockId === id);
  if (!b) throw new NotFoundError(`Credit block ${id}`);
  return b;
}
