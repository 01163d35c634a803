/**
 * The burn forecast report from the ledger: per block and account the balance, the recent burn,
 * the runway and dry day, and what will expire unused, as the ledger handlers compute them
 * (blocks-list, ledger-get, block-burn), with a straight-line projection for the chart.
 */
import type { EngineContext } from '../context';
import type { HandlerImpls } from '../../../shared/api';
import type { BurnView, LedgerBlock } from '../../../shared/api/ledger-types';
import type { ForecastView, SimulatedOutlook } from '../../../shared/api/report-types';
import type { ForecastResult } from '../../../shared/api/scenario-types';
import { buildDashboard } from './dashboard';
import { addDays, daysBetween } from '../../../shared/dates';

export type Peers = Partial<HandlerImpls>;

/** How far past the as-of day the chart projects the current burn. */
const PROJECTION_DAYS = 90;

/** Paths and horizon of the simulation a report asks for: enough for stable P10/P90, fast enough to print. */
const SIM = { horizonDays: 180, paths: 1000, seed: 42 };

const LEDGER_NOTE =
  'Ledger forecast: each block keeps burning at its average of the last 30 days, drawn in the ledger\'s order (priority, soonest expiry, promotional first); ' +
  'dry days and unused credit at expiry follow from that. The chart projects each account\'s total at its current burn, less the credit forecast to expire.';
const simNote = (s: SimulatedOutlook) =>
  `Monte Carlo forecast of the forecast area: ${s.paths} paths (seed ${s.seed}) over ${s.horizonDays} days from the ledger as of ${s.asOf}; ` +
  'dry dates are the P10/P50/P90 over the paths, waste and overage are means. The chart shows each account\'s P50 balance; ' +
  'the tables below give the ledger\'s straight-burn figures beside it.';

/** The simulated outlook through forecast-get, or null when the forecast area is absent or fails (the report then says so). */
async function simulate(peers: Peers, to: string): Promise<{ result: ForecastResult; view: SimulatedOutlook } | null> {
  const get = peers['forecast-get'];
  if (!get) return null;
  let result: ForecastResult;
  try {
    result = await get({ at: to, ...SIM });
  } catch {
    return null;
  }
  const b = result.baseline;
  return {
    result,
    view: {
      asOf: result.asOf, horizonDays: result.horizonDays, paths: result.paths, seed: result.seed, warnings: b.warnings,
      accounts: b.accounts.map((a) => ({
        accountName: a.name, unit: a.unit, p10: a.p10, p50: a.p50, p90: a.p90, probDry: a.probDry,
        expectedWasteMicros: Math.round(a.expectedWasteMicros), expectedOverageMicros: Math.round(a.expectedOverageMicros), probOverage: a.probOverage,
      })),
      blocks: b.blocks.map((x) => ({
        name: x.name, unit: x.unit, p10: x.p10, p50: x.p50, p90: x.p90, probDryBeforeExpiry: x.probDryBeforeExpiry,
        expectedWasteMicros: Math.round(x.expectedWasteMicros), expiresOn: x.expiresOn,
      })),
    },
  };
}

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
  const sim = await simulate(peers, to);
  const ledgerChart = await chart(ctx, peers, { accounts, blocks }, from, to, asOf);
  return {
    asOf, method: sim ? 'simulation' : 'ledger',
    methodNote: sim ? simNote(sim.view) : `${LEDGER_NOTE} No Monte Carlo simulation was available to this report.`,
    simulation: sim?.view ?? null,
    blocks: [...live, ...blocks.filter((b) => !live.includes(b))],
    accounts, totals,
    chart: sim ? withSimulatedP50(ledgerChart, sim.result) : ledgerChart,
  };
}

/** Replaces each account's straight projection by the simulation's median balance on the same days. */
function withSimulatedP50(c: ForecastView['chart'], r: ForecastResult): ForecastView['chart'] {
  const at = new Map(r.days.map((d, i) => [d, i]));
  const lines = c.lines.map((l) => {
    if (!l.projected) return l;
    const account = r.baseline.accounts.find((a) => a.name === l.account);
    if (!account) return l;
    return {
      name: `${account.name} — P50 (simulated)`, account: l.account, projected: true,
      balanceMicros: c.days.map((d, i) => {
        const k = at.get(d);
        // the last day of history joins the history line to the forecast
        return k === undefined ? (d === r.asOf ? c.lines.find((x) => !x.projected && x.account === l.account)?.balanceMicros[i] ?? null : null) : Math.round(account.fan.p50[k]);
      }),
    };
  });
  return { days: c.days, lines };
}

/**
 * One line per account: its total balance over [from, asOf], then a projection at its current
 * burn that also drops, on each block's expiry day, the credit the ledger forecasts to expire
 * unused there, so the line agrees with the table below it.
 */
async function chart(ctx: EngineContext, peers: Peers, f: Pick<ForecastView, 'accounts' | 'blocks'>, from: string, to: string, asOf: string | null): Promise<ForecastView['chart']> {
  const burn = peers['block-burn'];
  if (!burn || !asOf) return { days: [], lines: [] };
  const last = asOf < to ? asOf : to;
  const days: string[] = [];
  for (let d = from; d <= addDays(last, PROJECTION_DAYS); d = addDays(d, 1)) days.push(d);
  const lines: ForecastView['chart']['lines'] = [];
  for (const a of ctx.db.prepare<[], { id: number; name: string }>('SELECT id, name FROM credit_accounts ORDER BY name').all()) {
    let view: BurnView;
    try {
      view = await burn({ accountId: a.id, at: to });
    } catch {
      continue;
    }
    const at = new Map(view.days.map((d, i) => [d, view.lines[0]?.balanceMicros[i] ?? 0]));
    const rate = f.accounts.find((x) => x.accountName === a.name && x.unit === view.unit)?.burnPerDayMicros ?? 0;
    const expiring = f.blocks.filter((b) => b.accountName === a.name && b.unit === view.unit && b.expiresOn && b.expiringUnusedMicros > 0);
    const start = at.get(last) ?? 0;
    const projected = (d: string) => {
      const expired = expiring.filter((b) => b.expiresOn! <= d).reduce((s, b) => s + b.expiringUnusedMicros, 0);
      return Math.max(0, start - rate * daysBetween(last, d) - expired);
    };
    lines.push({ name: `${a.name} (${view.unit})`, account: a.name, projected: false, balanceMicros: days.map((d) => (d <= last ? at.get(d) ?? null : null)) });
    lines.push({ name: `${a.name} — projected`, account: a.name, projected: true, balanceMicros: days.map((d) => (d < last ? null : projected(d))) });
  }
  return { days, lines };
}
