import type { EngineContext } from '../context';
import type { AttentionItem } from '../../../shared/domain';
import type { LedgerBlock } from '../../../shared/api/ledger-types';
import type { LedgerSnapshot } from './ledger';
import { createAlertsRepo } from '../repos/alerts';
import { createTopupsRepo } from '../repos/topups';
import { createBlocksRepo, type AccountRow } from '../repos/blocks';
import { addDays, daysBetween } from '../../../shared/dates';
import { displayMoney } from '../../../shared/money';

/**
 * "What needs attention now" on the dashboard: blocks that will expire with unused credit,
 * pooled accounts nobody can attribute, burn spikes and recent critical alerts, pending
 * approvals and post-pay overage. Older alerts are summarised in one line rather than listed:
 * a dashboard that lists fifty alerts is read as noise.
 */
const EXPIRY_HORIZON_DAYS = 45;
const RECENT_DAYS = 30;
const MANY_WORKLOADS = 5;
const SEVERITY_RANK = { critical: 0, warning: 1, info: 2 } as const;

export function attention(ctx: EngineContext, snap: LedgerSnapshot, blocks: LedgerBlock[]): AttentionItem[] {
  const asOf = snap.asOf;
  // read once: pooled() and overage() both need the accounts, and each read aggregates usage
  const accounts = createBlocksRepo(ctx.db).accounts();
  const items = [...expiring(blocks, asOf), ...pooled(accounts, snap), ...alerts(ctx, snap), ...approvals(ctx), ...overage(accounts, snap)];
  return items.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
}

function expiring(blocks: LedgerBlock[], asOf: string | null): AttentionItem[] {
  if (!asOf) return [];
  return blocks
    .filter((b) => b.expiresOn && b.wasteForecastMicros > 0 && daysBetween(asOf, b.expiresOn) >= 0 && daysBetween(asOf, b.expiresOn) <= EXPIRY_HORIZON_DAYS)
    .map((b) => {
      const left = daysBetween(asOf, b.expiresOn!);
      return {
        kind: 'expiring' as const,
        severity: left <= 14 ? ('critical' as const) : ('warning' as const),
        title: `${b.name} expires in ${left} days with ${displayMoney(b.remainingMicros, b.unit)} unused`,
        detail:
          `At the current burn (${displayMoney(b.burnPerDayMicros, b.unit)}/day) about ${displayMoney(b.wasteForecastMicros, b.unit)} will expire unused on ${b.expiresOn}; ` +
          'expired credit cannot be extended. Move workloads of this account onto it (priority or allocation) before then.',
        ref: { kind: 'block', id: b.blockId },
      };
    });
}

/** Accounts where some block has an allocation: a pool with earmarked shares is not "shared by all". */
function allocatedAccounts(snap: LedgerSnapshot): Set<number> {
  const accountOf = new Map(snap.blockRows.map((b) => [b.id, b.accountId]));
  return new Set(snap.result.allocations.filter((a) => a.allocatedMicros > 0).map((a) => accountOf.get(a.blockId)!));
}

function pooled(accounts: AccountRow[], snap: LedgerSnapshot): AttentionItem[] {
  const allocated = allocatedAccounts(snap);
  const items: AttentionItem[] = [];
  for (const a of accounts) {
    if (a.pooled !== 1 || a.spendMicros <= 0) continue;
    const share = a.unattributedMicros / a.spendMicros;
    const shared = `${a.workloads} workloads share this pooled account${allocated.has(a.id) ? '' : ' with no allocation'}`;
    if (share > 0.02) {
      items.push({
        kind: 'unattributed',
        severity: share > 0.1 ? 'warning' : 'info',
        title: `${a.name}: ${(share * 100).toFixed(1)}% of spend is unattributed; ${a.workloads} workloads share the pool`,
        detail: `${shared}; ${displayMoney(a.unattributedMicros, a.currency)} of spend matches no attribution rule, so nobody can say which workload caused a spike. Add rules on the Workloads screen.`,
        ref: { kind: 'account', id: a.id },
      });
    } else if (a.workloads >= MANY_WORKLOADS && !allocated.has(a.id)) {
      items.push({ kind: 'pooled', severity: 'info', title: `${shared}`, detail: 'A kill switch on a shared pool stops everyone: allocate shares of its blocks to the workloads that matter.', ref: { kind: 'account', id: a.id } });
    }
  }
  return items;
}

function alerts(ctx: EngineContext, snap: LedgerSnapshot): AttentionItem[] {
  const open = createAlertsRepo(ctx.db).alerts(true);
  const recentFrom = snap.asOf ? addDays(snap.asOf, -(RECENT_DAYS - 1)) : '';
  const shown = open.filter((a) => a.kind === 'burn-spike' || (a.severity === 'critical' && a.firedOn >= recentFrom));
  const items: AttentionItem[] = shown.map((a) => ({
    kind: 'alert',
    severity: a.severity,
    title: a.message,
    detail: `Raised on ${a.firedOn}; not yet acknowledged.${a.kind === 'burn-spike' && a.scopeKind === 'account' ? boughtDuring(snap, a.scopeId, a.firedOn) : ''}`,
    ref: { kind: 'alert', id: a.id },
  }));
  const rest = open.length - shown.length;
  if (rest > 0) {
    items.push({ kind: 'alert', severity: 'info', title: `${rest} more unacknowledged alert${rest === 1 ? '' : 's'}`, detail: 'Older or lower-severity threshold alerts; review and acknowledge them on the Alerts screen.' });
  }
  return items;
}

/** Credit bought on the day of a spike: auto-recharge turns a stolen key into an unbounded bill. */
function boughtDuring(snap: LedgerSnapshot, accountId: number, day: string): string {
  const bought = snap.blockRows.filter((b) => b.accountId === accountId && b.purchasedOn === day);
  if (bought.length === 0) return '';
  return ` ${bought.map((b) => `${b.name} (${displayMoney(b.amountMicros, b.unit)})`).join(', ')} was bought the same day, during the spike.`;
}

function approvals(ctx: EngineContext): AttentionItem[] {
  const pending = createTopupsRepo(ctx.db).list('pending');
  if (pending.length === 0) return [];
  const first = pending.slice(0, 3).map((t) => `${t.requesterName} asks for ${displayMoney(t.amountMicros, t.currency)} on ${t.accountName}`);
  return [
    {
      kind: 'approval',
      severity: 'info',
      title: `${pending.length} top-up request${pending.length > 1 ? 's' : ''} awaiting approval`,
      detail: `${first.join('; ')}${pending.length > 3 ? '; …' : ''}. Approvals are decided by someone other than the requester.`,
    },
  ];
}

function overage(accounts: AccountRow[], snap: LedgerSnapshot): AttentionItem[] {
  if (!snap.asOf) return [];
  const from = addDays(snap.asOf, -(RECENT_DAYS - 1));
  const byAccount = new Map<string, { accountId: number; unit: string; micros: number; since: string }>();
  for (const o of snap.result.overage) {
    if (o.day < from) continue;
    const key = `${o.accountId}|${o.unit}`;
    const e = byAccount.get(key) ?? { accountId: o.accountId, unit: o.unit, micros: 0, since: o.day };
    e.micros += o.amountMicros;
    byAccount.set(key, e);
  }
  const names = new Map(accounts.map((a) => [a.id, a.name]));
  return [...byAccount.values()]
    .filter((e) => e.micros > 0)
    .map((e) => ({
      kind: 'overage' as const,
      severity: 'warning' as const,
      title: `${names.get(e.accountId) ?? `Account ${e.accountId}`} is drawing post-pay: ${displayMoney(e.micros, e.unit)} beyond all credit in the last ${RECENT_DAYS} days`,
      detail: `Usage beyond every credit block since ${e.since} is billed post-pay, outside the prepaid ceiling. Request a top-up or throttle the workloads.`,
      ref: { kind: 'account', id: e.accountId },
    }));
}
