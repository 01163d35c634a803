/**
 * Runs fuzz cases through the real import pipeline (runImport: parse → prepare → write in one
 * transaction) into a temporary database and checks what must hold whatever the input:
 *
 * - runImport resolves (no throw, no crash) and leaves no transaction open;
 * - the file is committed whole or nothing is written: every table's row count is unchanged
 *   unless the status is 'committed', and then the kind's table grew by exactly rowsImported;
 * - PRAGMA integrity_check is ok and sqlite_master (the schema) is unchanged;
 * - every rejected row names a line (1 ≤ line ≤ the file's last line) and a non-empty reason;
 *   a refusal says why, and names the first bad line when rows were rejected;
 * - the counts add up (read = imported + duplicate + rejected + skipped);
 * - formula/SQL/control text in an accepted row is stored verbatim.
 *
 * One database serves a batch of cases (each worker process has its own file); it is replaced
 * every `batchSize` cases so it stays small.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../electron/engine/db/open';
import { runImport } from '../../electron/engine/import/pipeline';
import { ensurePriceCatalog, findCatalogFile } from '../../electron/engine/repos/catalog';
import type { ImportFileResult } from '../../shared/api/imports';
import { buildCase, type BuiltCase, type FuzzCase } from './cases';
import { sampleOf } from './samples';

/** Tables the importer may write; every other table must not change at all. */
const KIND_TABLE = { usage: 'usage_records', invoice: 'invoice_lines', incident: 'incidents' } as const;
/** Text columns searched for verbatim values. */
const SEARCHED_TABLES = ['usage_records', 'invoices', 'invoice_lines', 'incidents', 'incident_targets', 'credit_accounts', 'credit_blocks', 'imports'];

export interface CaseOutcome {
  importer: string;
  status: ImportFileResult['status'] | 'threw';
  failures: string[];
  ms: number;
  label: string;
  rowsRejected: number;
  verbatimChecked: number;
  /** the import's message and first listed row errors (for tests and reports) */
  message: string;
  errors: { line: number; column: string | null; message: string }[];
}

export interface HarnessOptions {
  /** folder for the databases and case files (one per worker); a fresh temp folder by default */
  dir?: string;
  batchSize?: number;
  /** run PRAGMA integrity_check after every case (default) or only after commits and at batch ends */
  integrityEveryCase?: boolean;
  /** the import function (the real runImport by default; the harness's own tests plant faults with a fake) */
  importFn?: typeof runImport;
}

function tmpBase(): string {
  // /dev/shm keeps fsync cheap where it exists; the checks do not depend on it
  const shm = '/dev/shm';
  try {
    if (fs.statSync(shm).isDirectory()) {
      fs.accessSync(shm, fs.constants.W_OK);
      return shm;
    }
  } catch {
    /* no shm */
  }
  return os.tmpdir();
}

export class FuzzHarness {
  readonly dir: string;
  private db: Db | null = null;
  private dbPath = '';
  private dbSerial = 0;
  private casesInDb = 0;
  private schema = '';
  private tables: string[] = [];
  private textSearch: { table: string; sql: string }[] = [];
  private readonly catalogFile = findCatalogFile();
  private readonly batchSize: number;
  private readonly integrityEveryCase: boolean;
  private readonly importFn: typeof runImport;

  constructor(opts: HarnessOptions = {}) {
    this.dir = opts.dir ?? fs.mkdtempSync(path.join(tmpBase(), 'drawdown-fuzz-'));
    fs.mkdirSync(this.dir, { recursive: true });
    this.batchSize = opts.batchSize ?? 100;
    this.integrityEveryCase = opts.integrityEveryCase ?? true;
    this.importFn = opts.importFn ?? runImport;
  }

  private openFresh(): Db {
    this.closeDb();
    this.dbSerial++;
    this.dbPath = path.join(this.dir, `fuzz-${process.pid}-${this.dbSerial}.db`);
    const db = openDatabase(this.dbPath);
    ensurePriceCatalog(db, this.catalogFile);
    this.schema = schemaOf(db);
    this.tables = db
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all()
      .map((r) => r.name);
    this.textSearch = SEARCHED_TABLES.filter((t) => this.tables.includes(t)).map((t) => {
      const cols = db
        .prepare<[], { name: string; type: string }>(`PRAGMA table_info("${t}")`)
        .all()
        .filter((c) => c.type.toUpperCase() === 'TEXT')
        .map((c) => `"${c.name}"`);
      return { table: t, sql: `SELECT 1 FROM "${t}" WHERE ? IN (${cols.join(', ')}) LIMIT 1` };
    });
    this.db = db;
    this.casesInDb = 0;
    return db;
  }

  private closeDb(): void {
    if (this.db?.open) this.db.close();
    this.db = null;
    if (this.dbPath) for (const f of [this.dbPath, `${this.dbPath}-wal`, `${this.dbPath}-shm`]) fs.rmSync(f, { force: true });
  }

  private counts(db: Db): Record<string, number> {
    const out: Record<string, number> = {};
    for (const t of this.tables) out[t] = (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n;
    return out;
  }

  /** True when some text cell of the import tables holds exactly this value. */
  found(value: string): boolean {
    return this.db ? this.foundIn(this.db, value) : false;
  }

  private foundIn(db: Db, value: string): boolean {
    return this.textSearch.some((q) => db.prepare(q.sql).get(value) !== undefined);
  }

  /** Builds the file for a case and runs it. */
  async run(c: FuzzCase): Promise<CaseOutcome> {
    return this.runBuilt(c, buildCase(c));
  }

  async runBuilt(c: FuzzCase, built: BuiltCase): Promise<CaseOutcome> {
    const t0 = performance.now();
    const sample = sampleOf(c.importer);
    let db = this.db;
    if (!db || this.casesInDb >= this.batchSize || (fs.existsSync(this.dbPath) && fs.statSync(this.dbPath).size > 256 << 20)) db = this.openFresh();
    this.casesInDb++;
    const failures: string[] = [];
    const fail = (m: string) => failures.push(m);

    const file = path.join(this.dir, `case-${process.pid}.csv`);
    fs.writeFileSync(file, built.bytes);
    const rejectsPath = path.join(this.dir, `rejects-${process.pid}.csv`);
    fs.rmSync(rejectsPath, { force: true });
    const before = this.counts(db);

    let result: ImportFileResult | null = null;
    try {
      result = await this.importFn({
        db,
        dbPath: this.dbPath,
        file: { path: file, name: c.fileName },
        format: sample.mapping ? undefined : c.forceFormat ? sample.format : undefined,
        mapping: sample.mapping,
        onError: c.onError,
        dryRun: c.dryRun,
        rejectsPath: c.onError === 'skip' ? rejectsPath : null,
        actor: 'fuzz',
        catalogFile: this.catalogFile,
      });
    } catch (e) {
      fail(`runImport threw: ${(e as Error)?.name}: ${(e as Error)?.message ?? String(e)}`.slice(0, 500));
    }
    if (db.inTransaction) {
      fail('a transaction was left open');
      db.exec('ROLLBACK');
    }

    const after = this.counts(db);
    const changed = this.tables.filter((t) => before[t] !== after[t]);
    const status = result?.status ?? 'threw';

    if (status !== 'committed') {
      if (changed.length) fail(`status ${status} but rows were written: ${changed.map((t) => `${t} ${before[t]}→${after[t]}`).join(', ')}`);
    } else if (result) {
      const kindTable = result.kind ? KIND_TABLE[result.kind] : null;
      if (!kindTable) fail('committed without a kind');
      else if (after[kindTable] - before[kindTable] !== result.rowsImported)
        fail(`committed ${result.rowsImported} rows but ${kindTable} grew by ${after[kindTable] - before[kindTable]}`);
      if (after.imports - before.imports !== 1) fail(`committed but imports grew by ${after.imports - before.imports}`);
      if (c.onError === 'reject' && result.rowsRejected > 0) fail(`committed in reject mode with ${result.rowsRejected} rejected rows`);
      const sum = result.rowsImported + result.rowsDuplicate + result.rowsRejected + result.rowsSkipped;
      if (sum !== result.rowsRead) fail(`counts do not add up: read ${result.rowsRead}, imported+duplicate+rejected+skipped ${sum}`);
      if (c.dryRun) fail('a dry run committed');
      if (result.rowsRejected > 0 && c.onError === 'skip' && !result.rejectsFile) fail('rows were rejected in skip mode but no rejects file was written');
      const stored = db.prepare<[number], { file_name: string }>('SELECT file_name FROM imports WHERE id = ?').get(result.importId ?? -1);
      if (!stored) fail(`import #${result.importId} is not in the imports table`);
      else if (stored.file_name !== c.fileName) fail(`the file name was stored as ${JSON.stringify(stored.file_name.slice(0, 80))}, not verbatim`);
    }

    if (result) {
      if (!result.message || !result.message.trim()) fail(`status ${status} without a message`);
      if (result.message.length > 20_000) fail(`the result message is ${result.message.length} characters long`);
      if (result.errorsTotal !== result.rowsRejected) fail(`errorsTotal ${result.errorsTotal} ≠ rowsRejected ${result.rowsRejected}`);
      if (result.errors.length !== Math.min(result.rowsRejected, 1000) && status !== 'duplicate')
        fail(`${result.errors.length} errors listed for ${result.rowsRejected} rejected rows`);
      for (const e of result.errors) {
        if (!Number.isInteger(e.line) || e.line < 1 || e.line > built.maxLine) fail(`rejection with line ${e.line} (file has at most ${built.maxLine} lines): ${e.message}`);
        if (typeof e.message !== 'string' || !e.message.trim()) fail(`rejection on line ${e.line} without a reason`);
        else if (e.message.length > 2_000) fail(`rejection on line ${e.line} with a ${e.message.length}-character reason`);
        if (e.column !== null && typeof e.column !== 'string') fail(`rejection on line ${e.line} with a column of type ${typeof e.column}`);
      }
      if (status === 'refused') {
        if (!/refused/i.test(result.message)) fail(`refusal message does not say so: ${result.message.slice(0, 200)}`);
        if (result.rowsRejected > 0) {
          const first = result.errors[0];
          if (!first) fail('refused for rejected rows but no error is listed');
          else if (!result.message.includes(`line ${first.line}`)) fail(`refusal message does not name the first bad line ${first.line}: ${result.message.slice(0, 200)}`);
        }
      }
    }

    const integrityNow = this.integrityEveryCase || status === 'committed';
    if (integrityNow) {
      const ic = db.pragma('integrity_check', { simple: true });
      if (ic !== 'ok') fail(`integrity_check: ${String(ic)}`);
    }
    const schemaNow = schemaOf(db);
    if (schemaNow !== this.schema) fail('sqlite_master changed (the schema is not the same after the import)');

    let verbatimChecked = 0;
    if (result && status === 'committed' && result.rowsDuplicate === 0 && result.rowsRejected === 0 && !c.dryRun) {
      for (const v of built.verbatim) {
        verbatimChecked++;
        if (!this.foundIn(db, v)) fail(`accepted hostile text was not stored verbatim: ${JSON.stringify(v.slice(0, 120))}`);
      }
    }

    if (this.casesInDb >= this.batchSize) {
      const ic = db.pragma('integrity_check', { simple: true });
      if (ic !== 'ok') fail(`integrity_check at the end of the batch: ${String(ic)}`);
    }
    fs.rmSync(file, { force: true });
    if (result?.rejectsFile) fs.rmSync(result.rejectsFile, { force: true });
    return {
      importer: c.importer,
      status,
      failures,
      ms: performance.now() - t0,
      label: built.label,
      rowsRejected: result?.rowsRejected ?? 0,
      verbatimChecked,
      message: result?.message ?? '',
      errors: (result?.errors ?? []).slice(0, 5),
    };
  }

  /** Closes the database and removes the folder. */
  dispose(): void {
    this.closeDb();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function schemaOf(db: Db): string {
  return JSON.stringify(db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all());
}
