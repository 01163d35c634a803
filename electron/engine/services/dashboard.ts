import type { EngineContext } from '../context';
import type { Dashboard, BlockBalance, BurnSeries } from '../../../shared/domain';
import { computeLedger } from './ledger';
import { ledgerBlocks } from './ledger-report';
import { attention } from './attention';

/** The dashboard: balance per block, burn-down series, and what needs attention now. */
export function buildDashboard(ctx: EngineContext, at?: string): Dashboard {
  const snap = computeLedger(ctx.db, at);
  const { result, blockRows, asOf } = snap;
  const ledger = ledgerBlocks(ctx, at, snap);
  const blocks: BlockBalance[] = ledger.map((b) => ({
    blockId: b.blockId,
    name: b.name,
    accountId: b.accountId,
    accountName: b.accountName,
    provider: b.provider,
    kind: b.kind,
    unit: b.unit,
    purchasedOn: b.purchasedOn,
    expiresOn: b.expiresOn,
    purchasedMicros: b.purchasedMicros,
    consumedMicros: b.consumedMicros,
    remainingMicros: b.remainingMicros,
    expiredMicros: b.expiredMicros,
    burnPerDayMicros: b.burnPerDayMicros,
    runwayDays: b.runwayDays,
    depletedOn: b.depletedOn,
  }));

  const burn: BurnSeries[] = blockRows.map((b) => ({
    blockId: b.id,
    name: b.name,
    days: result.days,
    balanceMicros: result.balances[b.id] ?? [],
    expiresOn: b.expiresOn,
  }));

  const usd = blocks.filter((b) => b.unit === 'USD');
  const totals = {
    purchasedMicros: sum(usd.map((b) => b.purchasedMicros)),
    consumedMicros: sum(usd.map((b) => b.consumedMicros)),
    remainingMicros: sum(usd.map((b) => b.remainingMicros)),
    overageMicros: sum(result.overage.filter((o) => o.unit === 'USD').map((o) => o.amountMicros)),
  };

  return {
    asOf,
    currency: 'USD',
    blocks,
    burn,
    totals,
    attention: attention(ctx, snap, ledger),
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
