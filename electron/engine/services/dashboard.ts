import type { EngineContext } from '../context';
import type { Dashboard, BlockBalance, BurnSeries } from '../../../shared/domain';
import { computeLedger } from './ledger';
import { ledgerBlocks } from './ledger-report';
import { attention } from './attention';
import { untilUsageChanged } from './data-cache';

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

  const kept = burnDays(result.days.length);
  const days = kept.map((i) => result.days[i]);
  const burn: BurnSeries[] = blockRows.map((b) => {
    const balances = result.balances[b.id] ?? [];
    return { blockId: b.id, name: b.name, days, balanceMicros: balances.length ? kept.map((i) => balances[i]) : [], expiresOn: b.expiresOn };
  });

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
    spend: spendByProvider(ctx),
    empty: blockRows.length === 0 && asOf == null,
  };
}

/**
 * Server-side decimation of the burn-down: the chart needs the shape, not every day. Two years ×
 * 40 blocks are 30,000 points and over half a megabyte of JSON; a series longer than
 * BURN_MAX_POINTS keeps every k-th day and the last day (the as-of balance), the same days for
 * every block. Returns indexes into result.days, ascending.
 */
export const BURN_MAX_POINTS = 400;

export function burnDays(n: number, max = BURN_MAX_POINTS): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const step = Math.ceil((n - 1) / (max - 1));
  const kept: number[] = [];
  for (let i = 0; i < n - 1; i += step) kept.push(i);
  kept.push(n - 1);
  return kept;
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

type Spend = Dashboard['spend'];

/**
 * Billed spend per provider and currency over every usage row: from the daily pre-aggregate
 * (migration 2), kept until a billed cost, provider or currency changes or a row goes; after an
 * import, the new rows' sums are added.
 */
function spendByProvider(ctx: EngineContext): Spend {
  return untilUsageChanged(
    ctx.db,
    'dashboard:spend',
    () => ctx.db.prepare<[], Spend[number]>('SELECT provider, currency, SUM(billed_micros) AS billedCostMicros FROM usage_daily GROUP BY provider, currency ORDER BY provider, currency').all(),
    (kept, afterId) => {
      const sums = new Map(kept.map((s) => [`${s.provider}\u0000${s.currency}`, { ...s }]));
      const added = ctx.db
        .prepare<[number], Spend[number]>('SELECT provider, currency, SUM(COALESCE(billed_cost_micros, 0)) AS billedCostMicros FROM usage_records WHERE id > ? GROUP BY provider, currency')
        .all(afterId);
      for (const a of added) {
        const k = `${a.provider}\u0000${a.currency}`;
        const s = sums.get(k);
        if (s) s.billedCostMicros += a.billedCostMicros;
        else sums.set(k, a);
      }
      return [...sums.values()].sort((a, b) => (a.provider < b.provider ? -1 : a.provider > b.provider ? 1 : a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0));
    },
    // rules re-attributing rows leave it as it is
    'billed',
  );
}
