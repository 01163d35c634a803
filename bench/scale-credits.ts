/**
 * The scale benchmark's credit side, written after the usage so it can be sized from it: credit
 * blocks (a purchase each quarter for about the next quarter's spend, a promotional grant per
 * account, an auto-recharge during the leak), allocations, a monthly invoice per account and one
 * per purchase, the recorded incidents with their targets, thresholds, top-ups and value metrics.
 */
import type Database from 'better-sqlite3';
import { mulberry32 } from '../electron/engine/demo/prng';
import { formatMicros } from '../shared/money';
import { addDays, addMonths } from '../shared/dates';
import { ACCOUNTS, CREATED_AT, END, START, workloadPath, type ScaleOrg } from './scale-org';
import type { OrgIds } from './scale-build';

type Monthly = { accountId: number; month: string; category: string; micros: number };
type Block = { id: number; account: number; amount: number; purchasedOn: string; name: string };

const at = CREATED_AT;
const eachMonth = (f: (month: string) => void) => {
  for (let month = START.slice(0, 7); month <= END.slice(0, 7); month = addMonths(`${month}-01`, 1).slice(0, 7)) f(month);
};

/** Everything on the credit side, in one transaction, sized from the usage already written. */
export function insertCredits(db: Database.Database, org: ScaleOrg, ids: OrgIds): void {
  const rng = mulberry32(99);
  const monthly = db
    .prepare<[], Monthly>(
      `SELECT account_id AS accountId, substr(day, 1, 7) AS month, charge_category AS category, SUM(billed_cost_micros) AS micros
       FROM usage_records GROUP BY account_id, month, charge_category`,
    )
    .all();
  db.transaction(() => {
    const blocks = insertBlocks(db, org, ids, monthly, rng);
    insertAllocations(db, org, blocks);
    insertInvoices(db, ids, monthly, blocks);
    insertIncidents(db, org);
    insertGovernance(db, org, ids, blocks, rng);
  })();
}

/** A purchase each quarter for about the next quarter's spend, a promotional grant per account, the auto-recharge of the leak. */
function insertBlocks(db: Database.Database, org: ScaleOrg, ids: OrgIds, monthly: Monthly[], rng: () => number): Block[] {
  const spend = (accountId: number, fromMonth: string, months: number) => {
    const to = addMonths(`${fromMonth}-01`, months).slice(0, 7);
    return monthly.filter((r) => r.accountId === accountId && r.category === 'usage' && r.month >= fromMonth && r.month < to).reduce((s, r) => s + r.micros, 0);
  };
  const usd = (micros: number) => Math.max(1000, Math.round(micros / 1e9)) * 1e9; // whole thousands of dollars
  const insert = db.prepare(
    `INSERT INTO credit_blocks (account_id, name, kind, unit, amount_micros, cost_basis_micros, purchased_on, expires_on, priority, source, source_ref, created_at)
     VALUES (?, ?, ?, 'USD', ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const blocks: Block[] = [];
  const add = (account: number, name: string, kind: string, amount: number, basis: number, on: string, expires: string, priority: number, source: string, ref: string) => {
    const id = Number(insert.run(ids.accounts[account], name, kind, amount, basis, on, expires, priority, source, ref, at).lastInsertRowid);
    blocks.push({ id, account, amount, purchasedOn: on, name });
  };
  ACCOUNTS.forEach((a, ai) => {
    const label = a.name.split(' — ')[0];
    for (let q = 0; q < 7; q++) {
      const on = addDays(addMonths(START, q * 3), -5);
      const amount = usd(spend(ids.accounts[ai], addMonths(START, q * 3).slice(0, 7), 3) * (0.85 + rng() * 0.4));
      add(ai, `${label} prepaid ${on.slice(0, 7)}`, 'purchased', amount, amount, on, addMonths(on, 12), 2, 'manual', `${a.key.toUpperCase()}-INV-${on}`);
    }
    // granted a few months before the end, expiring soon after it: credit that will expire unused
    const promo = usd(spend(ids.accounts[ai], addMonths(START, 12).slice(0, 7), 1) * 0.6);
    add(ai, `${label} promotional credit`, 'promotional', promo, 0, addMonths(END, -5 + ai), addDays(END, 20 + ai * 10), 1, 'manual', `${a.key.toUpperCase()}-PROMO`);
  });
  const leak = org.incidents[0];
  const day = leak.startedAt.slice(0, 10);
  add(leak.account, `Auto-recharge ${day}`, 'purchased', 2_000_000_000, 2_000_000_000, day, addMonths(day, 12), 2, 'top-up', `AUTO-${day}`);
  return blocks;
}

/** The latest two purchases of every account but the pooled one earmark shares for three of its workloads. */
function insertAllocations(db: Database.Database, org: ScaleOrg, blocks: Block[]): void {
  const allocate = db.prepare('INSERT INTO allocations (block_id, workload_id, amount_micros, percent_bp, created_at) VALUES (?, ?, ?, ?, ?)');
  ACCOUNTS.forEach((a, ai) => {
    if (a.pooled) return;
    const latest = blocks.filter((b) => b.account === ai && b.name.includes(' prepaid ')).slice(-2);
    const workloads = org.workloads.filter((w) => w.account === ai).slice(0, 3);
    for (const b of latest) {
      workloads.forEach((w, k) => {
        if (k === 0) allocate.run(b.id, w.id, Math.round(b.amount * 0.1), null, at);
        else allocate.run(b.id, w.id, null, 1500 + k * 500, at);
      });
    }
  });
}

/** A monthly bill per account (a line per charge category) and an invoice per purchase. */
function insertInvoices(db: Database.Database, ids: OrgIds, monthly: Monthly[], blocks: Block[]): void {
  const invoice = db.prepare(
    `INSERT INTO invoices (invoice_number, issuer, account_id, billing_account_id, currency, issued_on, period_start, period_end, due_on, status, created_at)
     VALUES (?, ?, ?, ?, 'USD', ?, ?, ?, ?, 'paid', ?)`,
  );
  const line = db.prepare('INSERT INTO invoice_lines (invoice_id, line, row_key, description, category, amount_micros, amount_text, block_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  let lineNo = 0;
  const addLine = (inv: number, description: string, category: string, micros: number, blockId: number | null) =>
    line.run(inv, ++lineNo, `scale-inv:${lineNo}`, description, category, micros, formatMicros(micros), blockId);
  const byAccountMonth = new Map<string, Monthly[]>();
  for (const r of monthly) {
    const key = `${r.accountId}|${r.month}`;
    byAccountMonth.set(key, [...(byAccountMonth.get(key) ?? []), r]);
  }
  ACCOUNTS.forEach((a, ai) => {
    const accountId = ids.accounts[ai];
    eachMonth((month) => {
      const first = `${month}-01`;
      const last = addDays(addMonths(first, 1), -1);
      const inv = Number(invoice.run(`${a.key.toUpperCase()}-${month}`, a.name, accountId, a.externalId, addDays(last, 1), first, last, addDays(last, 30), at).lastInsertRowid);
      for (const r of byAccountMonth.get(`${accountId}|${month}`) ?? []) {
        // every May is invoiced 0.4 % high: a variance for the reconciliation to find
        const micros = r.category === 'usage' && month.endsWith('-05') ? Math.round(r.micros * 1.004) : r.micros;
        addLine(inv, `${a.serviceName} ${r.category} ${month}`, r.category, micros, null);
      }
    });
  });
  for (const b of blocks) {
    const a = ACCOUNTS[b.account];
    const inv = Number(invoice.run(`${a.key.toUpperCase()}-P-${b.id}`, a.name, ids.accounts[b.account], a.externalId, b.purchasedOn, null, null, b.purchasedOn, at).lastInsertRowid);
    addLine(inv, `Prepaid credits ${b.name}`, 'purchase', b.amount, b.id);
  }
}

/** The recorded incidents and the keys, workloads and accounts they name. */
function insertIncidents(db: Database.Database, org: ScaleOrg): void {
  const incident = db.prepare(
    `INSERT INTO incidents (source, external_id, title, type, severity, status, started_at, detected_at, resolved_at, created_at)
     VALUES ('bench', ?, ?, ?, ?, 'resolved', ?, ?, ?, ?)`,
  );
  const target = db.prepare('INSERT INTO incident_targets (incident_id, kind, value) VALUES (?, ?, ?)');
  for (const inc of org.incidents.filter((x) => x.recorded)) {
    const id = Number(incident.run(inc.externalId, inc.title, inc.type, inc.severity, inc.startedAt, inc.detectedAt, inc.resolvedAt, at).lastInsertRowid);
    if (inc.key) target.run(id, 'api_key', inc.key);
    if (inc.workload) target.run(id, 'workload', workloadPath(org.workloads[inc.workload - 1]));
    target.run(id, 'account', ACCOUNTS[inc.account].externalId);
  }
}

/** Thresholds as the demo sets them and a stop rule, an approved and a pending top-up, monthly value metrics. */
function insertGovernance(db: Database.Database, org: ScaleOrg, ids: OrgIds, blocks: Block[], rng: () => number): void {
  const threshold = db.prepare(
    'INSERT INTO thresholds (scope_kind, scope_id, kind, value, min_unused_micros, action, safety_margin_days, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const b of blocks) for (const pct of [50, 75, 90, 100]) threshold.run('block', b.id, 'percent-consumed', pct, null, 'alert', 0, at);
  for (const accountId of ids.accounts) {
    threshold.run('account', accountId, 'runway-days', 14, null, 'alert', 0, at);
    threshold.run('account', accountId, 'expiring', 30, 1_000_000_000, 'alert', 0, at);
  }
  threshold.run('account', ids.accounts[0], 'burn-spike', 300, null, 'alert', 0, at);
  threshold.run('workload', org.workloads.find((w) => w.critical)!.id, 'percent-consumed', 100, null, 'stop', 2, at);

  const topup = db.prepare(
    `INSERT INTO topup_requests (requester_id, account_id, workload_id, kind, amount_micros, currency, reason, status, decided_by, decided_at, decision_note, created_at)
     VALUES (?, ?, ?, 'top-up', ?, 'USD', ?, ?, ?, ?, ?, ?)`,
  );
  const p = ids.profiles;
  topup.run(p.get('Omar Owner'), ids.accounts[0], org.workloads[0].id, 30_000_000_000, 'Runway through the next quarter after the leaked-key incident.', 'approved', p.get('Sara Security'), `${addDays(END, -18)}T10:00:00Z`, 'Approved after rotation.', `${addDays(END, -19)}T09:00:00Z`);
  topup.run(p.get('Omar Owner'), ids.accounts[2], org.workloads[2].id, 25_000_000_000, 'Bedrock prepaid credits run out this month.', 'pending', null, null, null, `${addDays(END, -3)}T09:00:00Z`);

  const value = db.prepare('INSERT INTO value_metrics (workload_id, period, metric, units, value_per_unit_micros, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  for (const w of org.workloads.filter((_, i) => i % 10 === 0)) {
    eachMonth((month) => value.run(w.id, month, 'tasks_completed', 1000 + Math.floor(rng() * 5000), 500_000 + Math.floor(rng() * 2_000_000), at));
  }
}
