import type { EngineContext } from '../context';
import type { Alert, DepletionFinding, Threshold } from '../../../shared/api/ledger-types';
import { createAlertsRepo, type StoredAlert, type StoredThreshold, type NewAlert } from '../repos/alerts';
import { computeLedger, type LedgerSnapshot } from './ledger';
import { scopeNames } from './ledger-report';
import { SpendSeries, peakHours } from './spend-series';
import { evaluateThresholds, depletionRuleReport, type FiredAlert, type ThresholdDef, type NameFn } from '../../../shared/thresholds';
import { displayMoney } from '../../../shared/money';
import { daysBetween, monthOf } from '../../../shared/dates';
import { NotFoundError, RefusedError } from '../errors';

/**
 * Thresholds, alerts and depletion rules over the stored ledger. evaluateAlerts is what imports
 * and the demo call after writing usage: it runs the pure threshold engine over the whole
 * history and stores what fired; the alerts table's UNIQUE key keeps it once per threshold and
 * period however often it runs.
 */

function defs(thresholds: StoredThreshold[]): ThresholdDef[] {
  return thresholds.filter((t) => t.enabled === 1).map((t) => ({ ...t }));
}

function engineInput(ctx: EngineContext, snap: LedgerSnapshot, thresholds: ThresholdDef[]) {
  const series = new SpendSeries(snap.result.days, snap.result, snap.blocks);
  const names: NameFn = scopeNames(ctx);
  return { series, names, input: { thresholds, ledger: snap.result, blocks: snap.blocks, burnPerDay: series.burnPerDay, baselinePerDay: series.baselinePerDay, names, asOf: snap.asOf ?? undefined } };
}

/**
 * The daily engine compares a day's total with the baseline; a leaked key that burns for ten
 * hours can double a day yet run at four times the normal rate while it lasts. Where the usage
 * has hourly rows, burn-spike rules are also checked against the busiest hour's burn rate.
 */
function intradaySpikes(ctx: EngineContext, thresholds: ThresholdDef[], series: SpendSeries, names: NameFn, asOf: string | null): FiredAlert[] {
  const repo = createAlertsRepo(ctx.db);
  const out: FiredAlert[] = [];
  for (const t of thresholds) {
    if (t.kind !== 'burn-spike' || t.scopeKind === 'block') continue;
    const ratio = t.value / 100;
    for (const p of peakHours(repo.hourlySpend(t.scopeKind, t.scopeId))) {
      if (asOf && p.day > asOf) continue;
      const base = series.baselineBefore(t.scopeKind, t.scopeId, p.day);
      if (base === null || !(base > 0) || p.ratePerDayMicros <= ratio * base) continue;
      const who = names(t.scopeKind, t.scopeId);
      const key = repo.hourTopKey(t.scopeKind, t.scopeId, p.day, p.hour);
      const times = (x: number) => `${Math.round((x / base) * 10) / 10}x`;
      out.push({
        thresholdId: t.id,
        scopeKind: t.scopeKind,
        scopeId: t.scopeId,
        kind: t.kind,
        period: monthOf(p.day),
        firedOn: p.day,
        severity: p.ratePerDayMicros >= 2 * ratio * base || t.action === 'stop' ? 'critical' : 'warning',
        message:
          `${who} burned at ${displayMoney(p.ratePerDayMicros)}/day between ${p.hour}:00 and ${p.hour}:59 UTC on ${p.day}, ` +
          `${times(p.ratePerDayMicros)} its baseline of ${displayMoney(base)}/day (threshold ${ratio}x)${key ? `, mostly on API key ${key}` : ''}; ` +
          `the day's total of ${displayMoney(p.dayTotalMicros)} was ${times(p.dayTotalMicros)}.`,
        action: t.action,
        blockId: null,
      });
    }
  }
  return out;
}

/** Runs every enabled threshold over the history and stores the alerts not raised before. */
export function evaluateAlerts(ctx: EngineContext, at?: string): { evaluated: number; raised: Alert[] } {
  const repo = createAlertsRepo(ctx.db);
  const thresholds = defs(repo.thresholds());
  const snap = computeLedger(ctx.db, at);
  if (thresholds.length === 0 || !snap.asOf) return { evaluated: thresholds.length, raised: [] };
  const { series, names, input } = engineInput(ctx, snap, thresholds);
  const fired = [...evaluateThresholds(input), ...intradaySpikes(ctx, thresholds, series, names, snap.asOf)];
  // earliest first, so when both passes fire in one period the stored alert is the first warning
  fired.sort((a, b) => (a.firedOn < b.firedOn ? -1 : a.firedOn > b.firedOn ? 1 : 0));
  const ids = ctx.db.transaction(() => {
    const newIds: number[] = [];
    for (const f of fired) {
      const a: NewAlert = { thresholdId: f.thresholdId, scopeKind: f.scopeKind, scopeId: f.scopeId, kind: f.kind, period: f.period, firedOn: f.firedOn, severity: f.severity, message: f.message };
      const id = repo.insertAlert(a);
      if (id !== null) newIds.push(id);
    }
    if (newIds.length > 0) ctx.audit.append(ctx.actor(), 'alerts-evaluate', 'alert', null, { asOf: snap.asOf, raised: newIds.length });
    return newIds;
  })();
  return { evaluated: thresholds.length, raised: ids.map((id) => toAlert(repo.alert(id)!, names)) };
}

function toAlert(a: StoredAlert, names: NameFn): Alert {
  return { ...a, scopeName: names(a.scopeKind, a.scopeId) };
}

export function listAlerts(ctx: EngineContext, open = false): Alert[] {
  const names = scopeNames(ctx);
  return createAlertsRepo(ctx.db)
    .alerts(open)
    .map((a) => toAlert(a, names));
}

export function acknowledgeAlert(ctx: EngineContext, id: number, note?: string): Alert {
  const repo = createAlertsRepo(ctx.db);
  const a = repo.alert(id);
  if (!a) throw new NotFoundError(`Alert ${id}`);
  const profileId = ctx.currentProfileId();
  const profile = profileId === null ? undefined : ctx.profiles.get(profileId);
  if (!profile) throw new RefusedError('Sign in as a profile (Settings) before acknowledging alerts: the acknowledgement names who read it.');
  if (a.acknowledgedAt) throw new RefusedError(`This alert was already acknowledged by ${a.acknowledgedBy ?? 'someone'} on ${a.acknowledgedAt}.`, 'conflict');
  ctx.db.transaction(() => {
    repo.acknowledge(id, profile.id, ctx.now());
    ctx.audit.append(profile.name, 'alert-acknowledge', 'alert', id, { message: a.message, note: note ?? null });
  })();
  return toAlert(repo.alert(id)!, scopeNames(ctx));
}

export function listThresholds(ctx: EngineContext): Threshold[] {
  const names = scopeNames(ctx);
  return createAlertsRepo(ctx.db)
    .thresholds()
    .map((t) => ({ ...t, enabled: t.enabled === 1, scopeName: names(t.scopeKind, t.scopeId) }));
}

type ThresholdArgs = Omit<Threshold, 'id' | 'scopeName' | 'minUnusedMicros' | 'action' | 'safetyMarginDays' | 'enabled'> &
  Partial<Pick<Threshold, 'minUnusedMicros' | 'action' | 'safetyMarginDays' | 'enabled'>> & { id?: number };

export function setThreshold(ctx: EngineContext, args: ThresholdArgs): Threshold {
  const repo = createAlertsRepo(ctx.db);
  const table = { block: 'credit_blocks', workload: 'workloads', account: 'credit_accounts' }[args.scopeKind];
  if (!ctx.db.prepare(`SELECT 1 FROM ${table} WHERE id = ?`).get(args.scopeId)) throw new NotFoundError(`The ${args.scopeKind} ${args.scopeId}`);
  if (args.kind === 'percent-consumed' && args.value > 100) throw new RefusedError('A percent-consumed threshold is a percentage: 1 to 100 (0 means 50/75/90/100).');
  if (args.kind === 'burn-spike' && args.value <= 100) throw new RefusedError('A burn-spike threshold is a ratio × 100 above 100 (300 = three times the baseline).');
  const before = args.id === undefined ? undefined : repo.threshold(args.id);
  if (args.id !== undefined && !before) throw new NotFoundError(`Threshold ${args.id}`);
  const row = {
    scopeKind: args.scopeKind,
    scopeId: args.scopeId,
    kind: args.kind,
    value: args.value,
    minUnusedMicros: args.minUnusedMicros === undefined ? (before?.minUnusedMicros ?? null) : args.minUnusedMicros,
    action: args.action ?? before?.action ?? 'alert',
    safetyMarginDays: args.safetyMarginDays ?? before?.safetyMarginDays ?? 0,
    enabled: args.enabled === undefined ? (before?.enabled ?? 1) : Number(args.enabled),
  };
  const id = ctx.db.transaction(() => {
    const tid = before ? (repo.updateThreshold({ ...row, id: before.id }), before.id) : repo.insertThreshold(row, ctx.now());
    ctx.audit.append(ctx.actor(), 'threshold-set', 'threshold', tid, { before: before ?? null, after: row });
    return tid;
  })();
  return listThresholds(ctx).find((t) => t.id === id)!;
}

/**
 * When each depletion rule would have fired and how long before the credit ran dry. Throttle
 * and stop rules come from the engine's own verdict; alert rules of the same kinds are read the
 * same way, because "the 90% alert came 9 days before zero" is the question behind every threshold.
 */
export function depletionReport(ctx: EngineContext, at?: string): DepletionFinding[] {
  const thresholds = defs(createAlertsRepo(ctx.db).thresholds()).filter((t) => t.kind === 'percent-consumed' || t.kind === 'runway-days');
  const snap = computeLedger(ctx.db, at);
  if (thresholds.length === 0 || !snap.asOf) return [];
  const { names, input } = engineInput(ctx, snap, []);
  const enforcing = thresholds.filter((t) => t.action !== 'alert');
  // alert rules run as if they throttled, then are worded as alerts
  const alerting = thresholds.filter((t) => t.action === 'alert').map((t) => ({ ...t, action: 'throttle' as const }));
  const rows = [
    ...depletionRuleReport({ ...input, thresholds: enforcing }).map((r) => ({ r, action: r.action as DepletionFinding['action'] })),
    ...depletionRuleReport({ ...input, thresholds: alerting }).map((r) => ({ r, action: 'alert' as const })),
  ];
  return rows
    .filter(({ r, action }) => action !== 'alert' || r.firedOn !== null || r.ranDryOn !== null)
    .map(({ r, action }) => withAllocation(snap, names, {
      thresholdId: r.thresholdId,
      action,
      scopeKind: r.scopeKind,
      scopeName: r.blockId !== null ? names('block', r.blockId) : names(r.scopeKind, r.scopeId),
      firedOn: r.firedOn,
      dryOn: r.ranDryOn,
      daysBefore: r.daysBeforeDry,
      sentence: action === 'alert' ? alertSentence(r, thresholds, names) : r.message,
    }, r))
    .sort((a, b) => actionRank(a.action) - actionRank(b.action) || (a.firedOn ?? '9').localeCompare(b.firedOn ?? '9'));
}

function actionRank(a: DepletionFinding['action']): number {
  return a === 'stop' ? 0 : a === 'throttle' ? 1 : 2;
}

/**
 * A workload with an allocation runs dry when its allocation does, even while the block still
 * has pooled credit for others: that is the day a stop rule on the workload is racing.
 */
function withAllocation(snap: LedgerSnapshot, names: NameFn, f: DepletionFinding, r: { scopeKind: string; scopeId: number; blockId: number | null }): DepletionFinding {
  if (r.scopeKind !== 'workload' || r.blockId === null || f.dryOn !== null) return f;
  const left = snap.result.allocationLeft[`${r.blockId}:${r.scopeId}`];
  if (!left) return f;
  let had = false;
  const i = left.findIndex((x) => (x > 0 ? ((had = true), false) : had));
  if (i < 0) return f;
  const dryOn = snap.result.days[i];
  const daysBefore = f.firedOn ? daysBetween(f.firedOn, dryOn) : null;
  const when = daysBefore === null ? '' : daysBefore >= 0 ? `, ${daysBefore} day${daysBefore === 1 ? '' : 's'} after the rule fired` : `, ${-daysBefore} days before the rule fired`;
  return { ...f, dryOn, daysBefore, sentence: `${f.sentence} Its allocation on ${names('block', r.blockId)} ran out on ${dryOn}${when}.` };
}

function alertSentence(r: ReturnType<typeof depletionRuleReport>[number], thresholds: ThresholdDef[], names: NameFn): string {
  const t = thresholds.find((x) => x.id === r.thresholdId)!;
  const what = t.kind === 'runway-days' ? `${t.value}-day runway alert on ${names(t.scopeKind, t.scopeId)}` : `${t.value > 0 ? `${t.value}%` : 'percent'} alert`;
  const credit = r.blockId !== null ? names('block', r.blockId) : `the credit of ${names(t.scopeKind, t.scopeId)}`;
  if (r.firedOn === null) return `The ${what} would not have fired, yet ${credit} ran dry on ${r.ranDryOn}.`;
  if (r.ranDryOn === null) return `The ${what} would have fired on ${r.firedOn}; ${credit} has not run dry.`;
  const d = r.daysBeforeDry!;
  const when = d > 0 ? `${d} day${d === 1 ? '' : 's'} before` : d === 0 ? 'the same day' : `${-d} day${d === -1 ? '' : 's'} after`;
  return `The ${what} would have fired on ${r.firedOn}, ${when} ${credit} ran dry on ${r.ranDryOn}.`;
}
