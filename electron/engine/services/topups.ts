import type { EngineContext } from '../context';
import type { Profile } from '../../../shared/domain';
import type { TopupRequest, TopupStatus } from '../../../shared/api/ledger-types';
import { createTopupsRepo, type StoredTopup } from '../repos/topups';
import { createBlocksRepo } from '../repos/blocks';
import { createWorkloadsRepo } from '../repos/workloads';
import { insertBlock } from './blocks';
import { workloadPath } from './ledger-report';
import { NotFoundError, RefusedError } from '../errors';
import { displayMoney } from '../../../shared/money';

/**
 * Top-up and renewal requests: the approval path kept apart from day-to-day usage. The person
 * is the profile signed in to the console; the requester never decides their own request (the
 * handler refuses, and the table's CHECK is the backstop), only approvers decide, and every
 * request and decision goes into the audit log in the transaction that makes it.
 */

function signedIn(ctx: EngineContext, doing: string): Profile {
  const id = ctx.currentProfileId();
  const p = id === null ? undefined : ctx.profiles.get(id);
  if (!p) throw new RefusedError(`Sign in as a profile (Settings) to ${doing}: the audit log names who did it.`);
  return p;
}

/** Why `who` may not decide `t`, or null when they may. */
export function cannotDecide(t: Pick<StoredTopup, 'status' | 'requesterId' | 'decidedBy'>, who: Profile | undefined): string | null {
  if (t.status !== 'pending') return `Already ${t.status}${t.decidedBy ? ` by ${t.decidedBy}` : ''}.`;
  if (!who) return 'Sign in as an approver to decide.';
  if (who.id === t.requesterId) return 'You requested this top-up: someone else must approve or reject it.';
  if (who.role !== 'approver') return `Only an approver can decide; ${who.name} is signed in as ${who.role === 'owner' ? 'an owner' : 'an analyst'}.`;
  return null;
}

function toRequest(ctx: EngineContext, t: StoredTopup, who: Profile | undefined): TopupRequest {
  const w = t.workloadId === null ? undefined : createWorkloadsRepo(ctx.db).get(t.workloadId);
  const reason = cannotDecide(t, who);
  const { decidedById: _d, decidedByRole: _r, ...rest } = t;
  return { ...rest, workloadPath: w ? workloadPath(w) : null, canDecide: reason === null, cannotDecideReason: reason };
}

function current(ctx: EngineContext): Profile | undefined {
  const id = ctx.currentProfileId();
  return id === null ? undefined : ctx.profiles.get(id);
}

export function listTopups(ctx: EngineContext, status?: TopupStatus): TopupRequest[] {
  const who = current(ctx);
  return createTopupsRepo(ctx.db)
    .list(status)
    .map((t) => toRequest(ctx, t, who));
}

export function requestTopup(
  ctx: EngineContext,
  args: { accountId: number; blockId?: number; workloadId?: number; kind?: 'top-up' | 'renewal'; amountMicros: number; reason: string },
): TopupRequest {
  const who = signedIn(ctx, 'request a top-up');
  if (who.role === 'approver') throw new RefusedError(`${who.name} is an approver: top-ups are requested by a workload owner or an analyst and approved by someone else.`);
  const account = createBlocksRepo(ctx.db).account(args.accountId);
  if (!account) throw new NotFoundError(`Credit account ${args.accountId}`);
  if (args.blockId !== undefined) {
    const b = createBlocksRepo(ctx.db).block(args.blockId);
    if (!b || b.retiredAt) throw new NotFoundError(`Credit block ${args.blockId}`);
    if (b.accountId !== args.accountId) throw new RefusedError(`${b.name} belongs to another credit account.`);
  }
  if (args.workloadId !== undefined && !createWorkloadsRepo(ctx.db).get(args.workloadId)) throw new NotFoundError(`Workload ${args.workloadId}`);
  const repo = createTopupsRepo(ctx.db);
  const id = ctx.db.transaction(() => {
    const row = { requesterId: who.id, accountId: args.accountId, blockId: args.blockId ?? null, workloadId: args.workloadId ?? null, kind: args.kind ?? 'top-up', amountMicros: args.amountMicros, currency: account.currency, reason: args.reason };
    const newId = repo.insert(row, ctx.now());
    ctx.audit.append(who.name, 'topup-request', 'topup_request', newId, { ...row, account: account.name });
    return newId;
  })();
  return toRequest(ctx, repo.get(id)!, who);
}

export function decideTopup(ctx: EngineContext, args: { id: number; decision: 'approve' | 'reject'; note?: string }): TopupRequest {
  const who = signedIn(ctx, 'decide a top-up');
  const repo = createTopupsRepo(ctx.db);
  const t = repo.get(args.id);
  if (!t) throw new NotFoundError(`Top-up request ${args.id}`);
  const why = cannotDecide(t, who);
  if (why) throw new RefusedError(`${who.name} cannot decide top-up request ${t.id}: ${why}`, t.status === 'pending' ? 'refused' : 'conflict');
  ctx.db.transaction(() => {
    const blockId = args.decision === 'approve' ? creditFor(ctx, t) : null;
    const at = ctx.now();
    if (!repo.decide({ id: t.id, status: args.decision === 'approve' ? 'approved' : 'rejected', decidedBy: who.id, at, note: args.note ?? null, createdBlockId: blockId })) {
      throw new RefusedError(`Top-up request ${t.id} was decided by someone else meanwhile.`, 'conflict');
    }
    ctx.audit.append(who.name, `topup-${args.decision}`, 'topup_request', t.id, {
      requester: t.requesterName,
      amountMicros: t.amountMicros,
      currency: t.currency,
      note: args.note ?? null,
      blockId,
    });
  })();
  return toRequest(ctx, repo.get(t.id)!, who);
}

/**
 * Approval puts the credit on the books: a top-up of a named block adds to that block; anything
 * else (a renewal, or a request for the account) is a new block bought on the decision day.
 */
function creditFor(ctx: EngineContext, t: StoredTopup): number {
  const blocks = createBlocksRepo(ctx.db);
  const day = ctx.now().slice(0, 10);
  if (t.blockId !== null && t.kind === 'top-up') {
    const b = blocks.block(t.blockId);
    if (!b || b.retiredAt) throw new RefusedError(`The block this request tops up (${t.blockName ?? t.blockId}) was retired; reject it and request credit for the account.`);
    blocks.update({ ...b, amountMicros: b.amountMicros + t.amountMicros, costBasisMicros: b.costBasisMicros + (b.unit === t.currency ? t.amountMicros : 0) });
    ctx.audit.append(ctx.actor(), 'block-extend', 'credit_block', b.id, { topupRequest: t.id, addedMicros: t.amountMicros, amountMicros: b.amountMicros + t.amountMicros });
    return b.id;
  }
  const name = `${t.kind === 'renewal' ? 'Renewal' : 'Top-up'} #${t.id} ${day} (${displayMoney(t.amountMicros, t.currency)})`;
  return insertBlock(ctx, { accountId: t.accountId, name, kind: 'purchased', amountMicros: t.amountMicros, purchasedOn: day, sourceRef: `topup-request-${t.id}` }, 'top-up');
}
