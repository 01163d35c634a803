/**
 * The burn forecast report from the ledger: per block and account the balance, the recent burn,
 * the runway and dry day, and what will expire unused, as the ledger handlers compute them
 * (blocks-list, ledger-get, block-burn), with a straight-line projection for the chart.
 */
import type { EngineContext } from '../context';
import type { HandlerImpls } from '../../../shared/api';
import type { BurnView, LedgerBlock } from '../../../shared/api/ledger-types';
import type { ForecastView } from '../../../shared/api/report-types';
import { buildDashboard } from './dashboard';
import { addDays, daysBetween } from '../../../shared/dates';

export type Peers = Partial<HandlerImpls>;

/** How far past the as-of day the chart projects the current burn. */
const PROJECTION_DAYS = 90;

const METHOD_NOTE =
  'Ledger forecast: each block keeps burning at its average of the last 30 days, drawn in the ledger\'s order (priority, soonest expiry, promotional first); ' +
  'dry days and unused credit at expiry follow from that. The chart projects each account\'s total in a straight line at its current burn. ' +
  'No Monte Carlo simulation was available to this report.';

async function ledgerBlocks(peers: Peers, to: string): Promise<LedgerBlock[] | null> {
  const list = peers['blocks-list'];
  return list ? await list({ at: to }) : null;
}

/** Blocks as the Credits screen shows them; without the ledger handlers, from the dashboard's figures. */
async function blocksOf(ctx: EngineContext, peers: Peers, to: string): Promise<{ asOf: string | null; blocks: ForecastView['blocks'] }> {
  const ledger = await ledgerBlocks(peers, to);
  const dash = buildDashboard(ctx, to);
  const asOf = dash.asOf;
  const rows = ledger ?? dash.blocks.map((b) => ({ ...b, wasteForecastMicros: 0, forecastDryOn: b.runwayDays !== null && asOf ? addDays(asOf, b.runwayDays) : null }));
  return {
    asOf,
    blocks: rows.map((b) => ({
      blockId: b.blockId, name: b.name, accountName: b.accountName, unit: b.unit, kind: b.kind, expiresOn: b.expiresOn,
      purchasedMicros: b.purchasedMicros, consumedMicros: b.consumedMicros, remainingMicros: b.remainingMicros,
      burnPerDayMicros: b.burnPerDayMicros, runwayDays: b.runwayDays, dryOn: b.forecastDryOn, expiringUnusedMicros: b.wasteForecastMicros,
    })),
  };
}

export async function buildForecast(ctx: EngineContext, peers: Peers, from: string, to: string): Promise<ForecastView> {
  const { asOf, blocks } = await blocksOf(ctx, peers, to);
  const report = peers['ledger-get'] ? await peers['ledger-get']({ at: to }) : null;
  const live = blocks.filter((b) => b.remainingMicros > 0 || b.burnPerDayMicros > 0);
  const accounts = [...new Set(blocks.map((b) => `${b.accountName}\u0000${b.unit}`))].map((k) => {
    const [accountName, unit] = k.split('\u0000');
    const own = blocks.filter((b) => b.accountName === accountName && b.unit === unit);
    const remaining = own.reduce((s, b) => s + b.remainingMicros, 0);
    const burn = own.reduce((s, b) => s + b.burnPerDayMicros, 0);
    const runway = burn > 0 ? Math.floor(remaining / burn) : null;
    const overage = report?.accounts.find((a) => a.name === accountName && a.unit === unit)?.overageMicros ?? 0;
    return { accountName, unit, remainingMicros: remaining, burnPerDayMicros: burn, runwayDays: runway, dryOn: runway !== null && asOf ? addDays(asOf, runway) : null, overageMicros: overage };
  });
  const totals = [...new Set(blocks.map((b) => b.unit))].map((unit) => {
    const own = blocks.filter((b) => b.unit === unit);
    return {
      unit,
      remainingMicros: own.reduce((s, b) => s + b.remainingMicros, 0),
      expiringUnusedMicros: own.reduce((s, b) => s + b.expiringUnusedMicros, 0),
      burnPerDayMicros: own.reduce((s, b) => s + b.burnPerDayMicros, 0),
    };
  });
  return {
    asOf, method: 'ledger', methodNote: METHOD_NOTE,
    blocks: [...live, ...blocks.filter((b) => !live.includes(b))],
    accounts, totals,
    chart: await chart(ctx, peers, accounts, from, to, asOf),
  };
}

/** One line per account: its total balance over [from, asOf], then a projection at its burn. */
async function chart(ctx: EngineContext, peers: Peers, accounts: ForecastView['accounts'], from: string, to: string, asOf: string | null): Promise<ForecastView['chart']> {
  const burn = peers['block-burn'];
  if (!burn || !asOf) return { days: [], lines: [] };
  const ids = ctx.db.prepare<[], { id: number; name: string }>('SELECT id, name FROM credit_accounts ORDER BY name').all();
  const end = addDays(asOf < to ? asOf : to, PROJECTION_DAYS);
  const days: string[] = [];
  for (let d = from; d <= end; d = addDays(d, 1)) days.push(d);
  const lines: ForecastView['chart']['lines'] = [];
  for (const a of ids) {
    let view: BurnView;
    try {
      view = await burn({ accountId: a.id, at: to });
    } catch {
      continue;
    }
    const at = new Map(view.days.map((d, i) => [d, view.lines[0]?.balanceMicros[i] ?? 0]));
    const last = asOf < to ? asOf : to;
    const acct = accounts.find((x) => x.accountName === a.name && x.unit === view.unit);
    const rate = acct?.burnPerDayMicros ?? 0;
    const start = at.get(last) ?? 0;
    lines.push({ name: `${a.name} (${view.unit})`, projected: false, balanceMicros: days.map((d) => (d <= last ? at.get(d) ?? null : null)) });
    lines.push({
      name: `${a.name} — projected`, projected: true,
      balanceMicros: days.map((d) => (d < last ? null : Math.max(0, start - rate * daysBetween(last, d)))),
    });
  }
  return { days, lines };
}
