/**
 * The seeded, deterministic demo organisation: six people, three credit accounts (one pooled),
 * twelve workloads under four departments, credit blocks, thresholds, top-up requests, an
 * incident, twelve months of daily usage ending on DEMO_END and the invoices for them
 * (invoices.ts). The same seed writes the same rows byte for byte; nothing reads the clock.
 *
 * Audit entries for demo data are written by the caller, which owns the audit log's hash
 * chain; this module never touches audit_log.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/open';
import { RefusedError } from '../errors';
import { formatMicros, MICROS } from '../../../shared/money';
import { mulberry32 } from './prng';
import { usageKey, usageKeyParts } from '../import/store-keys';
import { attribute } from './rules';
import { generateUsage, type DemoUsageRow } from './usage';
import { BLOCKS, TOPUPS, VALUE_METRICS } from './credits';
import { demoInvoices } from './invoices';
import {
  ACCOUNTS, DEFAULT_SEED, DEMO_CREATED_AT, LEAK, PROFILES, RULES, WORKLOADS,
  contactFor, workloadPath, type AccountKey,
} from './org';

export { DEMO_END, DEMO_START } from './org';

export interface DemoOptions {
  seed?: number;
}

export interface DemoResult {
  workloads: number;
  usageRows: number;
  importId: number;
}

interface Ids {
  profiles: Map<string, number>;
  accounts: Map<AccountKey, number>;
  workloads: Map<string, number>;
  blocks: Map<string, number>;
}

const usd = (n: number) => n * MICROS;
const at = DEMO_CREATED_AT;

/** Writes the demo organisation in one transaction; refuses a database that already holds credits or usage. */
export function generateDemo(db: Db, opts: DemoOptions = {}): DemoResult {
  const seed = opts.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed)) throw new RefusedError(`The demo seed must be an integer (got ${String(seed)}).`);
  const rows = generateUsage(mulberry32(seed));
  const attributed = rows.map((r) => attribute(RULES, r));
  return db.transaction((): DemoResult => {
    refuseNonEmpty(db);
    const ids: Ids = {
      profiles: insertProfiles(db),
      accounts: insertAccounts(db),
      workloads: insertWorkloads(db),
      blocks: new Map(),
    };
    insertRules(db, ids);
    ids.blocks = insertBlocks(db, ids);
    const importId = insertUsage(db, ids, rows, attributed, seed);
    insertInvoices(db, ids, rows, importId, seed);
    insertIncident(db);
    insertThresholds(db, ids);
    insertTopups(db, ids);
    insertValueMetrics(db, ids, rows, attributed);
    return { workloads: ids.workloads.size, usageRows: rows.length, importId };
  }).immediate();
}

function refuseNonEmpty(db: Db): void {
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  const usage = count('SELECT count(*) AS n FROM usage_records');
  const accounts = count('SELECT count(*) AS n FROM credit_accounts');
  if (usage > 0 || accounts > 0) {
    throw new RefusedError(
      `The demo organisation can only be created in an empty database; this one already has ${usage} usage records and ${accounts} credit accounts. Open a new file for the demo.`,
    );
  }
  const clash = db.prepare('SELECT id FROM workloads WHERE department = ? AND application = ? AND agent IS ? AND environment = ?');
  for (const w of WORKLOADS) {
    if (clash.get(w.department, w.application, w.agent, w.environment)) {
      throw new RefusedError(`The workload ${workloadPath(w)} (${w.environment}) already exists; create the demo in a new database.`);
    }
  }
}

function insertProfiles(db: Db): Map<string, number> {
  const insert = db.prepare('INSERT INTO profiles (name, role, created_at) VALUES (?, ?, ?) ON CONFLICT(name) DO NOTHING');
  const find = db.prepare('SELECT id FROM profiles WHERE name = ?');
  const ids = new Map<string, number>();
  for (const p of PROFILES) {
    insert.run(p.name, p.role, at);
    ids.set(p.name, (find.get(p.name) as { id: number }).id);
  }
  const analyst = PROFILES.find((p) => p.role === 'analyst')!;
  db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    'current_profile',
    String(ids.get(analyst.name)),
  );
  return ids;
}

function insertAccounts(db: Db): Map<AccountKey, number> {
  const insert = db.prepare(
    `INSERT INTO credit_accounts (provider, external_id, name, currency, pooled, auto_recharge, monthly_budget_micros, created_at)
     VALUES (?, ?, ?, 'USD', ?, ?, ?, ?)`,
  );
  const ids = new Map<AccountKey, number>();
  for (const a of ACCOUNTS) {
    const r = insert.run(a.provider, a.externalId, a.name, a.pooled ? 1 : 0, a.autoRecharge ? 1 : 0, usd(a.monthlyBudgetUsd), at);
    ids.set(a.key, Number(r.lastInsertRowid));
  }
  return ids;
}

function insertWorkloads(db: Db): Map<string, number> {
  const insert = db.prepare(
    `INSERT INTO workloads (department, application, agent, environment, owner_name, owner_contact, critical, tags_json, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const ids = new Map<string, number>();
  for (const w of WORKLOADS) {
    const r = insert.run(w.department, w.application, w.agent, w.environment, w.owner, contactFor(w.owner), w.critical ? 1 : 0, JSON.stringify(w.tags), at);
    ids.set(w.key, Number(r.lastInsertRowid));
  }
  return ids;
}

function insertRules(db: Db, ids: Ids): void {
  const insert = db.prepare(
    `INSERT INTO attribution_rules (workload_id, priority, provider, project_pattern, api_key_pattern, tag_key, tag_value_pattern, model_pattern, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const r of RULES) {
    insert.run(ids.workloads.get(r.workload)!, r.priority ?? 100, r.provider, r.projectPattern ?? null, r.apiKeyPattern ?? null, r.tagKey ?? null, r.tagValuePattern ?? null, r.modelPattern ?? null, at);
  }
}

function insertBlocks(db: Db, ids: Ids): Map<string, number> {
  const insert = db.prepare(
    `INSERT INTO credit_blocks (account_id, name, kind, unit, amount_micros, cost_basis_micros, purchased_on, expires_on, priority, source, source_ref, created_at)
     VALUES (?, ?, ?, 'USD', ?, ?, ?, ?, ?, 'demo', ?, ?)`,
  );
  const allocate = db.prepare('INSERT INTO allocations (block_id, workload_id, amount_micros, percent_bp, created_at) VALUES (?, ?, ?, ?, ?)');
  const blocks = new Map<string, number>();
  for (const b of BLOCKS) {
    const r = insert.run(ids.accounts.get(b.account)!, b.name, b.kind, usd(b.amountUsd), usd(b.costBasisUsd), b.purchasedOn, b.expiresOn, b.priority, b.sourceRef, at);
    const blockId = Number(r.lastInsertRowid);
    blocks.set(b.name, blockId);
    for (const a of b.allocations ?? []) {
      allocate.run(blockId, ids.workloads.get(a.workload)!, a.amountUsd === undefined ? null : usd(a.amountUsd), a.percentBp ?? null, at);
    }
  }
  return blocks;
}

function insertUsage(db: Db, ids: Ids, rows: DemoUsageRow[], attributed: (string | null)[], seed: number): number {
  const imp = db.prepare(
    `INSERT INTO imports (file_name, content_hash, byte_hash, byte_size, format, kind, status, rows_read, rows_imported, run_by, started_at, finished_at)
     VALUES ('demo', ?, ?, 0, 'demo', 'usage', 'committed', ?, ?, 'demo', ?, ?)`,
  ).run(`demo-${seed}`, `demo-${seed}`, rows.length, rows.length, at, at);
  const importId = Number(imp.lastInsertRowid);
  const insert = db.prepare(
    `INSERT INTO usage_records (import_id, line, row_key, row_check, provider, account_id, billing_account_id, sub_account_id, sub_account_name,
       api_key, workload_id, charge_category, period_start, period_end, day, service_name, model_raw, model_id, model_known,
       input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, requests, billed_cost_micros, billed_cost_text,
       catalog_cost_micros, currency, tags_json, region, resource_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'usage', ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, 'USD', ?, ?, ?)`,
  );
  rows.forEach((r, i) => {
    const n = i + 1;
    const workload = attributed[i];
    // keyed like an imported row whose content hash is the sha256 of demo:seed:n (never an export's)
    const key = usageKeyParts(r.day, `demo:${seed}:${n}`);
    insert.run(
      importId, n, usageKey(key.base, 1), key.check, r.provider, ids.accounts.get(r.account)!, r.billingAccountId, r.subAccountId, r.subAccountName,
      r.apiKey, workload === null ? null : ids.workloads.get(workload)!, r.periodStart, r.periodEnd, r.day, r.serviceName, r.modelRaw, r.modelId,
      r.inputTokens, r.outputTokens, r.cacheReadTokens, r.cacheWriteTokens, r.requests, r.billedMicros, formatMicros(r.billedMicros),
      r.catalogMicros, r.tags === null ? null : JSON.stringify(r.tags), r.region, r.resourceId,
    );
  });
  return importId;
}

/** The invoices belong to the demo's import, so undoing it removes them with the usage. */
function insertInvoices(db: Db, ids: Ids, rows: DemoUsageRow[], importId: number, seed: number): void {
  const invoice = db.prepare(
    `INSERT INTO invoices (import_id, invoice_number, issuer, account_id, billing_account_id, currency, issued_on, period_start, period_end, due_on, status, created_at)
     VALUES (?, ?, ?, ?, ?, 'USD', ?, ?, ?, ?, 'paid', ?)`,
  );
  const line = db.prepare(
    `INSERT INTO invoice_lines (invoice_id, import_id, line, row_key, description, category, amount_micros, amount_text, quantity_text, block_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const inv of demoInvoices(rows)) {
    const account = ACCOUNTS.find((a) => a.key === inv.account)!;
    const id = Number(
      invoice.run(importId, inv.number, inv.issuer, ids.accounts.get(inv.account)!, account.externalId, inv.issuedOn, inv.periodStart, inv.periodEnd, inv.dueOn, at).lastInsertRowid,
    );
    inv.lines.forEach((l, i) => {
      // keyed like an imported line: the sha256 of its content (here demo:seed:invoice:line) and its occurrence
      const key = `${createHash('sha256').update(`demo:${seed}:${inv.number}:${i + 1}`).digest('hex')}#1`;
      line.run(id, importId, i + 1, key, l.description, l.category, l.amountMicros, formatMicros(l.amountMicros), l.quantityText, l.block === null ? null : ids.blocks.get(l.block)!);
    });
  }
}

function insertIncident(db: Db): void {
  const copy = WORKLOADS.find((w) => w.key === 'copy')!;
  const openai = ACCOUNTS.find((a) => a.key === 'openai')!;
  const r = db.prepare(
    `INSERT INTO incidents (import_id, source, external_id, title, type, severity, status, started_at, detected_at, resolved_at, created_at)
     VALUES (NULL, 'demo', ?, ?, 'leaked-key', 'high', 'resolved', ?, ?, ?, ?)`,
  ).run(LEAK.externalId, `Leaked OpenAI key ${LEAK.apiKey} used from an unknown network`, LEAK.startedAt, LEAK.detectedAt, LEAK.resolvedAt, at);
  const incidentId = Number(r.lastInsertRowid);
  const target = db.prepare('INSERT INTO incident_targets (incident_id, kind, value) VALUES (?, ?, ?)');
  target.run(incidentId, 'api_key', LEAK.apiKey);
  target.run(incidentId, 'workload', workloadPath(copy));
  target.run(incidentId, 'account', openai.externalId);
}

function insertThresholds(db: Db, ids: Ids): void {
  const insert = db.prepare(
    `INSERT INTO thresholds (scope_kind, scope_id, kind, value, min_unused_micros, action, safety_margin_days, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const blockId of ids.blocks.values()) {
    for (const pct of [50, 75, 90, 100]) insert.run('block', blockId, 'percent-consumed', pct, null, 'alert', 0, at);
  }
  for (const accountId of ids.accounts.values()) {
    insert.run('account', accountId, 'runway-days', 14, null, 'alert', 0, at);
    insert.run('account', accountId, 'expiring', 30, usd(1000), 'alert', 0, at);
  }
  // A spike to 3× the seasonal baseline on the pooled org, where nobody can tell which job caused it.
  insert.run('account', ids.accounts.get('openai')!, 'burn-spike', 300, null, 'alert', 0, at);
  // Depletion rule: stop the Code Review Bot at its allocation, two days early because providers cut off late.
  insert.run('workload', ids.workloads.get('review')!, 'percent-consumed', 100, null, 'stop', 2, at);
}

function insertTopups(db: Db, ids: Ids): void {
  const insert = db.prepare(
    `INSERT INTO topup_requests (requester_id, account_id, block_id, workload_id, kind, amount_micros, currency, reason, status,
       decided_by, decided_at, decision_note, created_block_id, created_at)
     VALUES (?, ?, NULL, ?, 'top-up', ?, 'USD', ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const t of TOPUPS) {
    const d = t.decision;
    insert.run(
      ids.profiles.get(t.requester)!, ids.accounts.get(t.account)!, t.workload === null ? null : ids.workloads.get(t.workload)!,
      usd(t.amountUsd), t.reason, d ? 'approved' : 'pending', d ? ids.profiles.get(d.by)! : null, d?.at ?? null, d?.note ?? null,
      d ? ids.blocks.get(d.createdBlock)! : null, t.createdAt,
    );
  }
}

function insertValueMetrics(db: Db, ids: Ids, rows: DemoUsageRow[], attributed: (string | null)[]): void {
  const requests = new Map<string, number>();
  for (const [i, r] of rows.entries()) {
    const w = attributed[i];
    if (w === null) continue;
    const k = `${w}|${r.day.slice(0, 7)}`;
    requests.set(k, (requests.get(k) ?? 0) + r.requests);
  }
  const insert = db.prepare(
    'INSERT INTO value_metrics (workload_id, period, metric, units, value_per_unit_micros, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  for (const m of VALUE_METRICS) {
    for (const [k, n] of requests) {
      const [w, period] = k.split('|');
      if (w === m.workload) insert.run(ids.workloads.get(w)!, period, m.metric, Math.round(n / m.requestsPerUnit), m.valuePerUnitMicros, at);
    }
  }
}
