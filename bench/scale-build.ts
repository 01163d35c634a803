/**
 * Builds the scale benchmark's database: the organisation of scale-org.ts, N usage rows over two
 * years written with one prepared INSERT in big transactions, then the credit blocks, allocations,
 * invoices, incidents, thresholds and top-ups sized from the usage that was written.
 *
 * The schema comes from the real migrations (openDatabase). The bulk load runs on its own
 * connection with the journal and fsync off (a benchmark fixture, rebuilt when lost). Secondary
 * indexes and the pre-aggregation triggers on usage_records are dropped for the load and
 * recreated after it, usage_daily refilled in one statement (`indexes: 'after'`), or kept during
 * the load (`'during'`: the cost an import pays per row) to compare.
 */
import Database from 'better-sqlite3';
import { openDatabase } from '../electron/engine/db/open';
import { REBUILD_USAGE_DAILY } from '../electron/engine/db/migrations/002-usage-daily';
import { mulberry32, noise, type Rng } from '../electron/engine/demo/prng';
import { formatMicros } from '../shared/money';
import { addDays, addMonths, weekday } from '../shared/dates';
import { ACCOUNTS, CREATED_AT, DAYS, END, START, buildOrg, workloadPath, type ScaleOrg } from './scale-org';

export interface BuildOptions {
  rows: number;
  indexes: 'after' | 'during';
  log: (line: string) => void;
}

export interface BuildResult {
  rows: number;
  /** seconds per phase */
  phases: { name: string; seconds: number }[];
  seconds: number;
}

/** UTC share of a day's traffic per hour (office hours in Europe and the US). */
const DIURNAL = [12, 10, 9, 9, 10, 14, 22, 34, 48, 58, 62, 64, 63, 64, 66, 66, 63, 57, 50, 45, 40, 34, 27, 19];
const DIURNAL_SUM = DIURNAL.reduce((a, b) => a + b, 0);
const WEEK = [1, 1.04, 1.05, 1.03, 0.96, 0.55, 0.5];
const USAGE_SQL = `
  INSERT INTO usage_records (import_id, line, row_key, provider, account_id, billing_account_id, sub_account_id, sub_account_name,
    api_key, user_id, workload_id, charge_category, period_start, period_end, day, service_name, model_raw, model_id, model_known,
    input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, requests, billed_cost_micros, billed_cost_text,
    catalog_cost_micros, currency, tags_json, region, resource_id)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, 0, ?, ?, ?, ?, 'USD', ?, ?, ?)`;

/** Cumulative weights → index by binary search. */
function sampler(weights: number[]): (r: number) => number {
  const cum = new Float64Array(weights.length);
  let s = 0;
  weights.forEach((w, i) => (cum[i] = s += w));
  return (r: number) => {
    const x = r * s;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const hh = (h: number) => String(h).padStart(2, '0');

export async function buildDatabase(dbPath: string, o: BuildOptions): Promise<BuildResult> {
  const phases: BuildResult['phases'] = [];
  const t0 = performance.now();
  let tp = t0;
  const phase = (name: string) => {
    const now = performance.now();
    phases.push({ name, seconds: (now - tp) / 1000 });
    o.log(`  ${name.padEnd(34)} ${((now - tp) / 1000).toFixed(1)} s`);
    tp = now;
  };
  openDatabase(dbPath).close(); // schema through the real migrations
  const db = new Database(dbPath);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  db.pragma('foreign_keys = OFF');
  const org = buildOrg();
  const ids = insertOrg(db, org);
  phase('organisation');

  const deferred = o.indexes === 'after' ? dropUsageIndexes(db) : { indexes: [], triggers: [] };
  const rows = insertUsage(db, org, ids, o.rows, o.log);
  phase(`usage rows (${rows.toLocaleString('en-US')}, indexes ${o.indexes})`);
  if (deferred.indexes.length || deferred.triggers.length) {
    db.transaction(() => {
      for (const sql of deferred.indexes) db.exec(sql);
      for (const sql of deferred.triggers) db.exec(sql);
    })();
    phase(`recreate ${deferred.indexes.length} indexes, ${deferred.triggers.length} triggers`);
    if (deferred.triggers.length && db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'usage_daily'`).get()) {
      db.transaction(() => db.exec(REBUILD_USAGE_DAILY))();
      phase('rebuild usage_daily (pre-aggregate)');
    }
  }
  insertCredits(db, org, ids);
  phase('blocks, invoices, incidents…');
  db.pragma('journal_mode = WAL');
  db.close();
  return { rows, phases, seconds: (performance.now() - t0) / 1000 };
}

/** Secondary indexes and triggers on usage_records, dropped; their SQL to recreate them. */
function dropUsageIndexes(db: Database.Database): { indexes: string[]; triggers: string[] } {
  const list = (type: string) =>
    db.prepare<[string], { name: string; sql: string }>(`SELECT name, sql FROM sqlite_master WHERE type = ? AND tbl_name = 'usage_records' AND sql IS NOT NULL`).all(type);
  const indexes = list('index');
  const triggers = list('trigger');
  for (const i of indexes) db.exec(`DROP INDEX "${i.name}"`);
  for (const t of triggers) db.exec(`DROP TRIGGER "${t.name}"`);
  return { indexes: indexes.map((i) => i.sql), triggers: triggers.map((t) => t.sql) };
}

interface OrgIds {
  /** account index → id */
  accounts: number[];
  /** import id per account index and month (YYYY-MM) */
  imports: Map<string, number>;
  profiles: Map<string, number>;
}

function insertOrg(db: Database.Database, org: ScaleOrg): OrgIds {
  const at = CREATED_AT;
  return db.transaction((): OrgIds => {
    const profiles = new Map<string, number>();
    const profile = db.prepare('INSERT INTO profiles (name, role, created_at) VALUES (?, ?, ?)');
    for (const [name, role] of [['Ada Analyst', 'analyst'], ['Omar Owner', 'owner'], ['Felix Finance', 'approver'], ['Sara Security', 'approver']] as const) {
      profiles.set(name, Number(profile.run(name, role, at).lastInsertRowid));
    }
    db.prepare("INSERT INTO settings (key, value) VALUES ('current_profile', ?)").run(String(profiles.get('Ada Analyst')));
    const acc = db.prepare(
      `INSERT INTO credit_accounts (provider, external_id, name, currency, pooled, auto_recharge, monthly_budget_micros, created_at) VALUES (?, ?, ?, 'USD', ?, ?, NULL, ?)`,
    );
    const accounts = ACCOUNTS.map((a) => Number(acc.run(a.provider, a.externalId, a.name, a.pooled ? 1 : 0, a.autoRecharge ? 1 : 0, at).lastInsertRowid));
    const wl = db.prepare(
      `INSERT INTO workloads (id, department, application, agent, environment, owner_name, owner_contact, critical, tags_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const w of org.workloads) {
      const contact = w.owner ? `${w.owner.toLowerCase().replace(/\s+/g, '.')}@example.com` : null;
      wl.run(w.id, w.department, w.application, w.agent, w.environment, w.owner, contact, w.critical ? 1 : 0, JSON.stringify({ team: w.department.toLowerCase() }), at);
    }
    const rule = db.prepare('INSERT INTO attribution_rules (workload_id, priority, provider, api_key_pattern, created_at) VALUES (?, 100, ?, ?, ?)');
    for (const w of org.workloads) {
      const a = ACCOUNTS[w.account];
      rule.run(w.id, a.provider, `sk-${a.key}-w${String(w.id).padStart(3, '0')}-*`, at);
    }
    const imp = db.prepare(
      `INSERT INTO imports (file_name, content_hash, byte_hash, byte_size, format, kind, status, rows_read, rows_imported, run_by, started_at, finished_at)
       VALUES (?, ?, ?, 0, 'bench', 'usage', 'committed', 0, 0, 'bench', ?, ?)`,
    );
    const imports = new Map<string, number>();
    for (let month = START.slice(0, 7); month <= END.slice(0, 7); month = addMonths(`${month}-01`, 1).slice(0, 7)) {
      ACCOUNTS.forEach((a, i) => {
        const name = `bench-${a.key}-${month}.csv`;
        const done = `${addMonths(`${month}-01`, 1)}T06:00:00Z`;
        imports.set(`${i}|${month}`, Number(imp.run(name, `sha-${name}`, `bytes-${name}`, done, done).lastInsertRowid));
      });
    }
    return { accounts, imports, profiles };
  })();
}

/** Usage rows day by day: keys drawn by weight, hours by the diurnal curve, the spikes of the incidents on top. */
function insertUsage(db: Database.Database, org: ScaleOrg, ids: OrgIds, target: number, log: (s: string) => void): number {
  const rng: Rng = mulberry32(7);
  const insert = db.prepare(USAGE_SQL);
  const carry = Float64Array.from(org.keys, () => rng());
  // two keys in three of a workload call its main model, the third its second one; pool keys any model of the account
  const keyModel = org.keys.map((key, k) =>
    key.workload === null ? Math.floor(rng() * ACCOUNTS[key.account].models.length) : org.workloads[key.workload - 1].models[k % 3 === 2 ? 1 : 0],
  );
  const pickHour = sampler(DIURNAL);
  const keyScale = org.keys.map(() => 0.5 + rng() * 1.5);
  const tags = new Map(org.workloads.map((w) => [w.id, JSON.stringify({ team: w.department.toLowerCase(), app: w.application.toLowerCase().replace(/\s+/g, '-') })]));
  const totalWeight = org.keys.reduce((s, k) => s + k.weight, 0);
  const spikes = new Map<string, { keyIndex: number; hour: number; multiple: number; model: number }[]>();
  for (const inc of org.incidents) {
    if (!inc.key) continue;
    const keyIndex = org.keys.findIndex((k) => k.key === inc.key);
    const acc = ACCOUNTS[inc.account];
    const model = acc.models.reduce((best, m, i) => (m.output > acc.models[best].output ? i : best), 0);
    for (const s of inc.spike) for (let h = s.from; h <= s.to; h++) (spikes.get(s.day) ?? spikes.set(s.day, []).get(s.day)!).push({ keyIndex, hour: h, multiple: inc.multiple, model });
  }
  let n = 0;
  const lineByImport = new Map<number, number>();
  const batchDays = Math.max(1, Math.floor(DAYS / 40));
  const run = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const day = addDays(START, i);
      const next = addDays(day, 1);
      const month = day.slice(0, 7);
      const starts = DIURNAL.map((_, h) => `${day}T${hh(h)}:00:00Z`);
      const ends = DIURNAL.map((_, h) => (h === 23 ? `${next}T00:00:00Z` : `${day}T${hh(h + 1)}:00:00Z`));
      const dayStart = `${day}T00:00:00Z`;
      const dayEnd = `${next}T00:00:00Z`;
      const growth = (1 + (0.9 * i) / DAYS) * WEEK[weekday(day)];
      const rowsToday = Math.round((target * (i + 1)) / DAYS) - Math.round((target * i) / DAYS);
      const write = (k: number, hour: number, model: number, input: number) => {
        const key = org.keys[k];
        const a = ACCOUNTS[key.account];
        const mm = a.models[model];
        const output = Math.round(input * (0.1 + rng() * 0.3));
        const cacheRead = rng() < 0.35 ? Math.round(input * rng() * 0.6) : 0;
        const billed = Math.round((input * mm.input + output * mm.output + cacheRead * mm.cacheRead) / 1e6);
        const catalog = cacheRead > 0 && a.key === 'azure' ? Math.round((input * mm.input + output * mm.output + cacheRead * mm.input) / 1e6) : billed;
        const importId = ids.imports.get(`${key.account}|${month}`)!;
        const line = (lineByImport.get(importId) ?? 1) + 1;
        lineByImport.set(importId, line);
        n++;
        insert.run(
          importId, line, `scale:${String(n).padStart(10, '0')}`, a.provider, ids.accounts[key.account], a.externalId, key.project, key.project.replace(/^proj-/, ''),
          key.key, key.user, key.workload, 'usage', a.hourly ? starts[hour] : dayStart, a.hourly ? ends[hour] : dayEnd, day, a.serviceName, mm.raw, mm.id,
          input, output, cacheRead, Math.max(1, Math.round(input / 2500)), billed, formatMicros(billed), catalog,
          key.workload === null ? null : tags.get(key.workload)!, a.region, a.key === 'aws' ? `arn:aws:bedrock:us-east-1::foundation-model/${mm.raw}` : null,
        );
      };
      // every key gets its share of the day's rows (systematic rounding: 3 or 4 rows, not 0 or 9),
      // and its day's spend moves with growth, the week and ±16 % noise, as an export's would
      for (let k = 0; k < org.keys.length; k++) {
        const expected = (rowsToday * org.keys[k].weight) / totalWeight;
        carry[k] += expected;
        const rows = Math.floor(carry[k]);
        if (rows === 0) continue;
        carry[k] -= rows;
        const key = org.keys[k];
        const w = key.workload === null ? null : org.workloads[key.workload - 1];
        const perRow = (30_000 * keyScale[k] * growth * noise(rng, 0.16) * expected) / rows;
        // a key calls one model (the swapped workload's keys move to the dearer one on the swap day)
        const model = w !== null && w.id === org.swap.workload ? (day >= org.swap.on ? org.swap.to : org.swap.from) : keyModel[k];
        for (let r = 0; r < rows; r++) write(k, pickHour(rng()), model, Math.max(1, Math.round(perRow * (0.85 + rng() * 0.3))));
      }
      for (const s of spikes.get(day) ?? []) {
        // the key's usual spend per hour × the incident's multiple, on the account's dearest model
        const perHour = (((rowsToday * org.keys[s.keyIndex].weight) / totalWeight) * 30_000 * keyScale[s.keyIndex] * growth * DIURNAL[s.hour]) / DIURNAL_SUM;
        write(s.keyIndex, s.hour, s.model, Math.round(perHour * s.multiple));
      }
      // a monthly credit note per account, and sales tax on the AWS bill
      if (day.endsWith('-01')) {
        ACCOUNTS.forEach((a, ai) => {
          const importId = ids.imports.get(`${ai}|${month}`)!;
          const credit = -(50_000_000 + Math.floor(rng() * 200_000_000));
          n++;
          insert.run(importId, 1, `scale:${String(n).padStart(10, '0')}`, a.provider, ids.accounts[ai], a.externalId, null, null, null, null, null, 'credit',
            dayStart, dayEnd, day, a.serviceName, null, null, 0, 0, 0, null, credit, formatMicros(credit), null, null, a.region, null);
          if (a.key === 'aws') {
            const tax = 400_000_000 + Math.floor(rng() * 100_000_000);
            n++;
            insert.run(importId, 0, `scale:${String(n).padStart(10, '0')}`, a.provider, ids.accounts[ai], a.externalId, null, null, null, null, null, 'tax',
              dayStart, dayEnd, day, 'Tax', null, null, 0, 0, 0, null, tax, formatMicros(tax), null, null, a.region, null);
          }
        });
      }
    }
  });
  const t0 = performance.now();
  for (let d = 0; d < DAYS; d += batchDays) {
    run(d, Math.min(DAYS, d + batchDays));
    const s = (performance.now() - t0) / 1000;
    if (process.stderr.isTTY) process.stderr.write(`\r    ${n.toLocaleString('en-US')} rows, ${Math.round(n / s).toLocaleString('en-US')} rows/s   `);
  }
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  log(`    ${n.toLocaleString('en-US')} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s (${Math.round(n / ((performance.now() - t0) / 1000)).toLocaleString('en-US')} rows/s)`);
  const counts = db.prepare('UPDATE imports SET rows_read = ?, rows_imported = ? WHERE id = ?');
  db.transaction(() => {
    for (const [importId, lines] of lineByImport) counts.run(lines - 1, lines - 1, importId);
  })();
  return n;
}

/**
 * Credit blocks sized from the usage written (a purchase each quarter for about the next
 * quarter's spend, one promotional grant per account, an auto-recharge during the leak),
 * allocations, invoices for every month, incidents, thresholds, top-ups and value metrics.
 */
function insertCredits(db: Database.Database, org: ScaleOrg, ids: OrgIds): void {
  const at = CREATED_AT;
  const rng = mulberry32(99);
  const monthly = db
    .prepare<[], { accountId: number; month: string; category: string; micros: number; requests: number }>(
      `SELECT account_id AS accountId, substr(day, 1, 7) AS month, charge_category AS category, SUM(billed_cost_micros) AS micros, SUM(COALESCE(requests, 0)) AS requests
       FROM usage_records GROUP BY account_id, month, charge_category`,
    )
    .all();
  const spend = (accountId: number, fromMonth: string, months: number) => {
    const to = addMonths(`${fromMonth}-01`, months).slice(0, 7);
    return monthly.filter((r) => r.accountId === accountId && r.category === 'usage' && r.month >= fromMonth && r.month < to).reduce((s, r) => s + r.micros, 0);
  };
  const usd = (micros: number) => Math.max(1000, Math.round(micros / 1e9)) * 1e9; // whole thousands of dollars
  db.transaction(() => {
    const block = db.prepare(
      `INSERT INTO credit_blocks (account_id, name, kind, unit, amount_micros, cost_basis_micros, purchased_on, expires_on, priority, source, source_ref, created_at)
       VALUES (?, ?, ?, 'USD', ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const allocate = db.prepare('INSERT INTO allocations (block_id, workload_id, amount_micros, percent_bp, created_at) VALUES (?, ?, ?, ?, ?)');
    const blocks: { id: number; account: number; amount: number; purchasedOn: string; name: string; ref: string }[] = [];
    ACCOUNTS.forEach((a, ai) => {
      const accountId = ids.accounts[ai];
      for (let q = 0; q < 7; q++) {
        const purchasedOn = addDays(addMonths(START, q * 3), -5);
        const amount = usd(spend(accountId, addMonths(START, q * 3).slice(0, 7), 3) * (0.85 + rng() * 0.4));
        const name = `${a.name.split(' — ')[0]} prepaid ${purchasedOn.slice(0, 7)}`;
        const ref = `${a.key.toUpperCase()}-INV-${purchasedOn}`;
        const id = Number(block.run(accountId, name, 'purchased', amount, amount, purchasedOn, addMonths(purchasedOn, 12), 2, 'manual', ref, at).lastInsertRowid);
        blocks.push({ id, account: ai, amount, purchasedOn, name, ref });
      }
      const promoOn = addMonths(END, -5 + ai);
      const promo = usd(spend(accountId, addMonths(START, 12).slice(0, 7), 1) * 0.6);
      const expires = addDays(END, 20 + ai * 10);
      const id = Number(block.run(accountId, `${a.name.split(' — ')[0]} promotional credit`, 'promotional', promo, 0, promoOn < expires ? promoOn : addDays(END, -60), expires, 1, 'manual', `${a.key.toUpperCase()}-PROMO`, at).lastInsertRowid);
      blocks.push({ id, account: ai, amount: promo, purchasedOn: promoOn, name: 'promo', ref: '' });
    });
    const leak = org.incidents[0];
    const leakDay = leak.startedAt.slice(0, 10);
    blocks.push({ id: Number(block.run(ids.accounts[leak.account], `Auto-recharge ${leakDay}`, 'purchased', 2_000_000_000, 2_000_000_000, leakDay, addMonths(leakDay, 12), 2, 'top-up', `AUTO-${leakDay}`, at).lastInsertRowid), account: leak.account, amount: 2_000_000_000, purchasedOn: leakDay, name: 'auto', ref: '' });
    // allocations: the latest two purchases of every account but the pooled one earmark shares for three of its workloads
    ACCOUNTS.forEach((a, ai) => {
      if (a.pooled) return;
      const latest = blocks.filter((b) => b.account === ai && b.name !== 'promo' && b.name !== 'auto').slice(-2);
      const wls = org.workloads.filter((w) => w.account === ai).slice(0, 3);
      for (const b of latest) {
        wls.forEach((w, k) => {
          if (k === 0) allocate.run(b.id, w.id, Math.round(b.amount * 0.1), null, at);
          else allocate.run(b.id, w.id, null, 1500 + k * 500, at);
        });
      }
    });

    // invoices: a monthly bill per account (usage, credit, tax lines) and one per purchase
    const invoice = db.prepare(
      `INSERT INTO invoices (invoice_number, issuer, account_id, billing_account_id, currency, issued_on, period_start, period_end, due_on, status, created_at)
       VALUES (?, ?, ?, ?, 'USD', ?, ?, ?, ?, 'paid', ?)`,
    );
    const line = db.prepare(
      `INSERT INTO invoice_lines (invoice_id, line, row_key, description, category, amount_micros, amount_text, block_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let lineNo = 0;
    const addLine = (inv: number, description: string, category: string, micros: number, blockId: number | null) =>
      line.run(inv, ++lineNo, `scale-inv:${lineNo}`, description, category, micros, formatMicros(micros), blockId);
    const byAccountMonth = new Map<string, typeof monthly>();
    for (const r of monthly) (byAccountMonth.get(`${r.accountId}|${r.month}`) ?? byAccountMonth.set(`${r.accountId}|${r.month}`, []).get(`${r.accountId}|${r.month}`)!).push(r);
    ACCOUNTS.forEach((a, ai) => {
      const accountId = ids.accounts[ai];
      for (let month = START.slice(0, 7); month <= END.slice(0, 7); month = addMonths(`${month}-01`, 1).slice(0, 7)) {
        const first = `${month}-01`;
        const last = addDays(addMonths(first, 1), -1);
        const inv = Number(invoice.run(`${a.key.toUpperCase()}-${month}`, a.name, accountId, a.externalId, addDays(last, 1), first, last, addDays(last, 30), at).lastInsertRowid);
        for (const r of byAccountMonth.get(`${accountId}|${month}`) ?? []) {
          // one month in twelve is invoiced 0.4 % high: a variance for the reconciliation to find
          const micros = r.category === 'usage' && month.endsWith('-05') ? Math.round(r.micros * 1.004) : r.micros;
          addLine(inv, `${a.serviceName} ${r.category} ${month}`, r.category, micros, null);
        }
      }
    });
    for (const b of blocks) {
      const a = ACCOUNTS[b.account];
      const inv = Number(invoice.run(`${a.key.toUpperCase()}-P-${b.id}`, a.name, ids.accounts[b.account], a.externalId, b.purchasedOn, null, null, b.purchasedOn, at).lastInsertRowid);
      addLine(inv, `Prepaid credits ${b.name}`, 'purchase', b.amount, b.id);
    }

    // incidents and their targets
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

    // thresholds as the demo sets them, a stop rule on a critical workload
    const threshold = db.prepare(
      `INSERT INTO thresholds (scope_kind, scope_id, kind, value, min_unused_micros, action, safety_margin_days, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const b of blocks) for (const pct of [50, 75, 90, 100]) threshold.run('block', b.id, 'percent-consumed', pct, null, 'alert', 0, at);
    for (const accountId of ids.accounts) {
      threshold.run('account', accountId, 'runway-days', 14, null, 'alert', 0, at);
      threshold.run('account', accountId, 'expiring', 30, 1_000_000_000, 'alert', 0, at);
    }
    threshold.run('account', ids.accounts[0], 'burn-spike', 300, null, 'alert', 0, at);
    const critical = org.workloads.find((w) => w.critical)!;
    threshold.run('workload', critical.id, 'percent-consumed', 100, null, 'stop', 2, at);

    // top-ups: one approved (the auto-recharge's follow-up), one pending
    const topup = db.prepare(
      `INSERT INTO topup_requests (requester_id, account_id, workload_id, kind, amount_micros, currency, reason, status, decided_by, decided_at, decision_note, created_at)
       VALUES (?, ?, ?, 'top-up', ?, 'USD', ?, ?, ?, ?, ?, ?)`,
    );
    const p = ids.profiles;
    topup.run(p.get('Omar Owner'), ids.accounts[0], org.workloads[0].id, 30_000_000_000, 'Runway through the next quarter after the leaked-key incident.', 'approved', p.get('Sara Security'), `${addDays(END, -18)}T10:00:00Z`, 'Approved after rotation.', `${addDays(END, -19)}T09:00:00Z`);
    topup.run(p.get('Omar Owner'), ids.accounts[2], org.workloads[2].id, 25_000_000_000, 'Bedrock prepaid credits run out this month.', 'pending', null, null, null, `${addDays(END, -3)}T09:00:00Z`);

    // business value: 20 workloads report a metric every month
    const value = db.prepare('INSERT INTO value_metrics (workload_id, period, metric, units, value_per_unit_micros, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    for (const w of org.workloads.filter((_, i) => i % 10 === 0)) {
      for (let month = START.slice(0, 7); month <= END.slice(0, 7); month = addMonths(`${month}-01`, 1).slice(0, 7)) {
        value.run(w.id, month, 'tasks_completed', 1000 + Math.floor(rng() * 5000), 500_000 + Math.floor(rng() * 2_000_000), at);
      }
    }
  })();
}
