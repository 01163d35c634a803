import { createEngine, type Engine } from '../../engine/engine';
import { resolveDbPath } from '../../engine/paths';
import { DB_OPTION, UsageError, type Command, type CliIo } from '../command';
import { formatMicros } from '../../../shared/money';

/** The credit ledger, its alerts and the audit log from the command line (same handlers as the UI). */

async function withEngine<T>(v: Record<string, unknown>, io: CliIo, run: (e: Engine) => Promise<T>): Promise<T> {
  const engine = createEngine({ dbPath: resolveDbPath(v.db as string | undefined, io.env), mode: 'cli' });
  try {
    return await run(engine);
  } finally {
    engine.close();
  }
}

function day(v: unknown, option: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) throw new UsageError(`--${option} expects a date as YYYY-MM-DD, got "${String(v)}".`);
  return v;
}

const amount = (micros: number, unit: string) => `${formatMicros(micros)} ${unit}`;

export const ledgerCommand: Command = {
  name: 'ledger',
  summary: 'Per credit block: purchased, consumed, remaining, expired, runway; per account: overage; per workload: consumed, allocation left',
  usage: 'drawdown ledger --db PATH [--at YYYY-MM-DD] [--json]',
  options: { ...DB_OPTION, at: { type: 'string' }, json: { type: 'boolean' } },
  async run(v, _p, io) {
    const at = day(v.at, 'at');
    return withEngine(v, io, async (e) => {
      const l = await e.invoke('ledger-get', { at });
      if (v.json) {
        io.out(JSON.stringify(l, null, 2));
        return 0;
      }
      io.out(`Credit ledger as of ${l.asOf ?? '—'}`);
      for (const b of l.blocks) {
        io.out(
          `${b.name.padEnd(40)} purchased ${amount(b.purchasedMicros, b.unit)}  consumed ${amount(b.consumedMicros, b.unit)}  remaining ${amount(b.remainingMicros, b.unit)}  expired ${amount(b.expiredMicros, b.unit)}  runway ${b.runwayDays === null ? '—' : `${b.runwayDays} d`}`,
        );
      }
      for (const a of l.accounts) if (a.overageMicros !== 0) io.out(`${a.name}: overage (post-pay) ${amount(a.overageMicros, a.unit)}`);
      for (const w of l.workloads) io.out(`${w.path.padEnd(60)} consumed ${formatMicros(w.consumedMicros)}  allocation left ${formatMicros(w.allocationLeftMicros)}`);
      return 0;
    });
  },
};

export const alertsCommand: Command = {
  name: 'alerts',
  summary: 'Evaluate every threshold over the ledger history, store new alerts and list them',
  usage: 'drawdown alerts --db PATH [--open] [--json]',
  options: { ...DB_OPTION, open: { type: 'boolean' }, json: { type: 'boolean' } },
  async run(v, _p, io) {
    return withEngine(v, io, async (e) => {
      const evaluated = await e.invoke('alerts-evaluate', {});
      const alerts = await e.invoke('alerts-list', { open: v.open === true });
      if (v.json) {
        io.out(JSON.stringify({ evaluated: evaluated.evaluated, raised: evaluated.raised.length, alerts }, null, 2));
        return 0;
      }
      io.out(`${evaluated.evaluated} thresholds evaluated, ${evaluated.raised.length} new alerts, ${alerts.length} listed.`);
      for (const a of alerts) io.out(`${a.firedOn}  ${a.severity.padEnd(8)} ${a.acknowledgedAt ? 'ack ' : 'open'}  ${a.message}`);
      return 0;
    });
  },
};

export const auditCommand: Command = {
  name: 'audit',
  summary: 'Check the audit log hash chain; names the first broken entry (exit 1 when broken)',
  usage: 'drawdown audit verify --db PATH [--json]',
  options: { ...DB_OPTION, json: { type: 'boolean' } },
  allowPositionals: true,
  async run(v, positionals, io) {
    if (positionals.length !== 1 || positionals[0] !== 'verify') throw new UsageError(`Expected "drawdown audit verify", got "drawdown audit ${positionals.join(' ')}".`);
    return withEngine(v, io, async (e) => {
      const r = await e.invoke('audit-verify', {});
      if (v.json) io.out(JSON.stringify(r));
      if (r.ok) {
        if (!v.json) io.out(`The audit log is intact: ${r.entries} entries, hash chain verified.`);
        return 0;
      }
      io.err(`The audit log is broken at entry ${r.brokenSeq}: ${r.reason}. Entries before it verify; restore a backup or investigate who changed the file.`);
      return 1;
    });
  },
};

export const ledgerCommands: Command[] = [ledgerCommand, alertsCommand, auditCommand];
