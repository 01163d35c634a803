import type { EngineContext } from '../context';
import type { Dashboard, BlockBalance, BurnSeries, AttentionItem } from '../../../shared/domain';
import { computeLedger } from './ledger';
import { addDays, daysBetween } from '../../../shared/dates';
import { displayMoney } from '../../../shared/money';

const BURN_WINDOW_DAYS = 30;
const EXPIRY_HORIZON_DAYS = 45;

/** The dashboard: balance per block, burn-down series, and what needs attention now. */
export function buildDashboard(ctx: EngineContext, at?: string): Dashboard {
  const snap = computeLedger(ctx.db, at);
  const { result, blockRows, asOf } = snap;
  const burnFrom = asOf ? addDays(asOf, -(BURN_WINDOW_DAYS - 1)) : null;
  const burnByBlock = new Map<number, number>();
  for (const d of result.draws) if (burnFrom && d.day >= burnFrom) burnByBlock.set(d.blockId, (burnByBlock.get(d.blockId) ?? 0) + d.amountMicros);

  const blocks: BlockBalance[] = blockRows.map((b, i) => {
    const l = result.blocks[i];
    const burn = Math.round((burnByBlock.get(b.id) ?? 0) / BURN_WINDOW_DAYS);
    return {
      blockId: b.id,
      name: b.name,
      accountId: b.accountId,
      accountName: b.accountName,
      provider: b.provider,
      kind: b.kind,
      unit: b.unit,
      purchasedOn: b.purchasedOn,
      expiresOn: b.expiresOn,
      purchasedMicros: l.purchasedMicros,
      consumedMicros: l.consumedMicros,
      remainingMicros: l.remainingMicros,
      expiredMicros: l.expiredMicros,
      burnPerDayMicros: burn,
      runwayDays: burn > 0 && l.remainingMicros > 0 ? Math.floor(l.remainingMicros / burn) : null,
      depletedOn: l.depletedOn,
    };
  });

  const burn: BurnSeries[] = blockRows.map((b) => ({
    blockId: b.id,
    name: b.name,
    days: result.days,
    balanceMicros: result.balances[b.id] ?? [],
    expiresOn: b.expiresOn,
  }));

  const totals = {
    purchasedMicros: sum(blocks.filter((b) => b.unit === 'USD').map((b) => b.purchasedMicros)),
    consumedMicros: sum(blocks.filter((b) => b.unit === 'USD').map((b) => b.consumedMicros)),
    remainingMicros: sum(blocks.filter((b) => b.unit === 'USD').map((b) => b.remainingMicros)),
    overageMicros: sum(result.overage.filter((o) => o.unit === 'USD').map((o) => o.amountMicros)),
  };

  return {
    asOf,
    currency: 'USD',
    blocks,
    burn,
    totals,
    attention: attention(ctx, blocks, asOf),
    spend: ctx.db
      .prepare<[], { provider: string; currency: string; billedCostMicros: number }>(
        'SELECT provider, currency, SUM(COALESCE(billed_cost_micros, 0)) AS billedCostMicros FROM usage_records GROUP BY provider, currency ORDER BY provider, currency',
      )
      .all(),
    empty: blockRows.length === 0 && asOf == null,
  };
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

function attention(ctx: EngineContext, blocks: BlockBalance[], asOf: string | null): AttentionItem[] {
  const items: AttentionItem[] = [];
  if (asOf) {
    for (const b of blocks) {
      if (!b.expiresOn || b.remainingMicros <= 0) continue;
      const left = daysBetween(asOf, b.expiresOn);
      if (left < 0 || left > EXPIRY_HORIZON_DAYS) continue;
      const burnable = b.burnPerDayMicros * left;
      if (burnable >= b.remainingMicros) continue;
      items.push({
        kind: 'expiring',
        severity: left <= 14 ? 'critical' : 'warning',
        title: `${b.name} expires in ${left} days with ${displayMoney(b.remainingMicros, b.unit)} unused`,
        detail: `At the current burn (${displayMoney(b.burnPerDayMicros, b.unit)}/day) about ${displayMoney(b.remainingMicros - burnable, b.unit)} will expire unused on ${b.expiresOn}. Move workloads onto it or re-allocate before then.`,
        ref: { kind: 'block', id: b.blockId },
      });
    }
  }
  for (const p of pooledAccounts(ctx)) {
    items.push({
      kind: 'unattributed',
      severity: p.unattributedShare > 0.1 ? 'warning' : 'info',
      title: `${p.name}: ${(p.unattributedShare * 100).toFixed(1)}% of spend is unattributed`,
      detail: `${p.workloads} workloads draw on this pooled account with no allocation; ${displayMoney(p.unattributedMicros)} of spend matches no attribution rule, so nobody can say which workload caused a spike.`,
      ref: { kind: 'account', id: p.id },
    });
  }
  const alerts = ctx.db
    .prepare<[], { id: number; message: string; severity: AttentionItem['severity']; fired_on: string }>(
      'SELECT id, message, severity, fired_on FROM alerts WHERE acknowledged_at IS NULL ORDER BY fired_on DESC LIMIT 20',
    )
    .all();
  for (const a of alerts) items.push({ kind: 'alert', severity: a.severity, title: a.message, detail: `Raised on ${a.fired_on}; not yet acknowledged.`, ref: { kind: 'alert', id: a.id } });
  const pending = ctx.db.prepare<[], { n: number }>("SELECT count(*) AS n FROM topup_requests WHERE status = 'pending'").get()?.n ?? 0;
  if (pending > 0) items.push({ kind: 'approval', severity: 'info', title: `${pending} top-up request${pending > 1 ? 's' : ''} awaiting approval`, detail: 'Approvals are decided by someone other than the requester.' });
  const rank = { critical: 0, warning: 1, info: 2 } as const;
  return items.sort((a, b) => rank[a.severity] - rank[b.severity]);
}

/** Pooled accounts and the share of their spend that no attribution rule maps to a workload. */
function pooledAccounts(ctx: EngineContext) {
  return ctx.db
    .prepare<[], { id: number; name: string; workloads: number; totalMicros: number; unattributedMicros: number }>(`
      SELECT a.id, a.name,
             (SELECT count(DISTINCT workload_id) FROM usage_records u2 WHERE u2.account_id = a.id AND u2.workload_id IS NOT NULL) AS workloads,
             COALESCE(SUM(u.billed_cost_micros), 0) AS totalMicros,
             COALESCE(SUM(CASE WHEN u.workload_id IS NULL THEN u.billed_cost_micros END), 0) AS unattributedMicros
      FROM credit_accounts a JOIN usage_records u ON u.account_id = a.id AND u.charge_category = 'usage'
      WHERE a.pooled = 1
      GROUP BY a.id`)
    .all()
    .filter((r) => r.totalMicros > 0)
    .map((r) => ({ ...r, unattributedShare: r.unattributedMicros / r.totalMicros }));
}
