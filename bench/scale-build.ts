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
import { ACCOUNTS, CREATED_AT, DAYS, END, START, buildOrg, type ScaleOrg } from './scale-org';
import { insertCredits } from './scale-credits';

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

export interface OrgIds {
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
          importId, line, n, a.provider, ids.accounts[key.account], a.externalId, key.project, key.project.replace(/^proj-/, ''),
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
          insert.run(importId, 1, n, a.provider, ids.accounts[ai], a.externalId, null, null, null, null, null, 'credit',
            dayStart, dayEnd, day, a.serviceName, null, null, 0, 0, 0, null, credit, formatMicros(credit), null, null, a.region, null);
          if (a.key === 'aws') {
            const tax = 400_000_000 + Math.floor(rng() * 100_000_000);
            n++;
            insert.run(importId, 0, n, a.provider, ids.accounts[ai], a.externalId, null, null, null, null, null, 'tax',
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
