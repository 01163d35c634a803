import type { Db } from '../db/open';
import type { DepletionAction, ScopeKind, ThresholdKind } from '../../../shared/api/ledger-types';

/** SQL for thresholds (and depletion rules, their action) and the alerts they raised. */

export interface StoredThreshold {
  id: number;
  scopeKind: ScopeKind;
  scopeId: number;
  kind: ThresholdKind;
  value: number;
  minUnusedMicros: number | null;
  action: DepletionAction;
  safetyMarginDays: number;
  enabled: number;
}

export interface StoredAlert {
  id: number;
  thresholdId: number | null;
  scopeKind: ScopeKind;
  scopeId: number;
  kind: ThresholdKind;
  period: string;
  firedOn: string;
  severity: 'info' | 'warning' | 'critical';
  message: string;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
}

export interface NewAlert {
  thresholdId: number;
  scopeKind: string;
  scopeId: number;
  kind: string;
  period: string;
  firedOn: string;
  severity: string;
  message: string;
}

const THRESHOLD_SELECT = `
  SELECT id, scope_kind AS scopeKind, scope_id AS scopeId, kind, value, min_unused_micros AS minUnusedMicros, action,
         safety_margin_days AS safetyMarginDays, enabled
  FROM thresholds`;

const ALERT_SELECT = `
  SELECT a.id, a.threshold_id AS thresholdId, a.scope_kind AS scopeKind, a.scope_id AS scopeId, a.kind, a.period, a.fired_on AS firedOn,
         a.severity, a.message, p.name AS acknowledgedBy, a.acknowledged_at AS acknowledgedAt
  FROM alerts a LEFT JOIN profiles p ON p.id = a.acknowledged_by`;

export function createAlertsRepo(db: Db) {
  const thresholds = db.prepare<[], StoredThreshold>(`${THRESHOLD_SELECT} ORDER BY scope_kind, scope_id, kind, value, id`);
  const threshold = db.prepare<[number], StoredThreshold>(`${THRESHOLD_SELECT} WHERE id = ?`);
  const insertThreshold = db.prepare(`
    INSERT INTO thresholds (scope_kind, scope_id, kind, value, min_unused_micros, action, safety_margin_days, enabled, created_at)
    VALUES (@scopeKind, @scopeId, @kind, @value, @minUnusedMicros, @action, @safetyMarginDays, @enabled, @at)`);
  const updateThreshold = db.prepare(`
    UPDATE thresholds SET scope_kind = @scopeKind, scope_id = @scopeId, kind = @kind, value = @value, min_unused_micros = @minUnusedMicros,
           action = @action, safety_margin_days = @safetyMarginDays, enabled = @enabled
    WHERE id = @id`);
  // the UNIQUE key (threshold, scope, kind, period) makes "once per threshold per period" a database fact
  const insertAlert = db.prepare(`
    INSERT INTO alerts (threshold_id, scope_kind, scope_id, kind, period, fired_on, severity, message)
    VALUES (@thresholdId, @scopeKind, @scopeId, @kind, @period, @firedOn, @severity, @message)
    ON CONFLICT DO NOTHING`);
  const alerts = db.prepare<[], StoredAlert>(`${ALERT_SELECT} ORDER BY a.fired_on DESC, a.id DESC`);
  const openAlerts = db.prepare<[], StoredAlert>(`${ALERT_SELECT} WHERE a.acknowledged_at IS NULL ORDER BY a.fired_on DESC, a.id DESC`);
  const alert = db.prepare<[number], StoredAlert>(`${ALERT_SELECT} WHERE a.id = ?`);
  const ack = db.prepare('UPDATE alerts SET acknowledged_by = ?, acknowledged_at = ? WHERE id = ? AND acknowledged_at IS NULL');
  // rows covering an hour or less keep their hour; longer rows (daily exports) have hour NULL
  const hourly = (column: 'account_id' | 'workload_id') =>
    db.prepare<[number], { day: string; hour: string | null; micros: number }>(`
      SELECT day, CASE WHEN period_end IS NOT NULL AND (julianday(period_end) - julianday(period_start)) * 24 <= 1.0001
                       THEN substr(period_start, 12, 2) END AS hour,
             SUM(CASE WHEN pricing_currency IS NOT NULL THEN COALESCE(pricing_currency_cost_micros, 0) ELSE COALESCE(billed_cost_micros, 0) END) AS micros
      FROM usage_records WHERE ${column} = ? AND charge_category = 'usage'
      GROUP BY day, hour ORDER BY day, hour`);
  const topKey = (column: 'account_id' | 'workload_id') =>
    db.prepare<[number, string, string], { apiKey: string | null; micros: number }>(`
      SELECT api_key AS apiKey, SUM(COALESCE(billed_cost_micros, 0)) AS micros FROM usage_records
      WHERE ${column} = ? AND day = ? AND substr(period_start, 12, 2) = ? AND charge_category = 'usage'
        AND period_end IS NOT NULL AND (julianday(period_end) - julianday(period_start)) * 24 <= 1.0001
      GROUP BY api_key ORDER BY micros DESC LIMIT 1`);
  const topKeyByAccount = topKey('account_id');
  const topKeyByWorkload = topKey('workload_id');
  const hourlyByAccount = hourly('account_id');
  const hourlyByWorkload = hourly('workload_id');
  return {
    /** Spend per day and hour of one account or workload, for the intraday burn-rate check. */
    hourlySpend: (scopeKind: 'account' | 'workload', id: number) => (scopeKind === 'account' ? hourlyByAccount : hourlyByWorkload).all(id),
    /** The API key that spent most in one hour: who was burning when a spike peaked. */
    hourTopKey: (scopeKind: 'account' | 'workload', id: number, day: string, hour: string) =>
      (scopeKind === 'account' ? topKeyByAccount : topKeyByWorkload).get(id, day, hour)?.apiKey ?? null,
    thresholds: () => thresholds.all(),
    threshold: (id: number) => threshold.get(id),
    insertThreshold: (t: Omit<StoredThreshold, 'id'>, at: string): number => Number(insertThreshold.run({ ...t, at }).lastInsertRowid),
    updateThreshold: (t: StoredThreshold) => updateThreshold.run(t),
    /** Returns the new alert's id, or null when this threshold already fired in this period. */
    insertAlert(a: NewAlert): number | null {
      const r = insertAlert.run(a);
      return r.changes > 0 ? Number(r.lastInsertRowid) : null;
    },
    alerts: (open = false) => (open ? openAlerts.all() : alerts.all()),
    alert: (id: number) => alert.get(id),
    acknowledge: (id: number, profileId: number, at: string): boolean => ack.run(profileId, at, id).changes > 0,
  };
}
export type AlertsRepo = ReturnType<typeof createAlertsRepo>;
