/**
 * The storing side of an import: one file, one SQLite transaction (BEGIN IMMEDIATE … COMMIT).
 * The batch row, the dedup state (usage_records.row_key UNIQUE), credit accounts, credit blocks from FOCUS
 * Purchase rows, invoices, incidents and the audit entry are all written inside it, so a file is
 * in the ledger whole or not at all — also when the process is killed mid-import (SQLite's
 * journal rolls an unfinished transaction back on the next open).
 *
 * Rows stream from the parser (parseFile by default, injectable) in batches, are prepared
 * (model ids, catalog cost, attribution) and inserted with prepared statements; nothing holds
 * the whole file. Optionally the parsing runs in a second thread (store-thread.ts) while this
 * one writes.
 */
import fs from 'node:fs';
import type { Db } from '../db/open';
import type { ParsedRow, ParseProgress, ParseSummary } from './types';
import type { CustomMapping } from './formats';
import { parseFile, previewFile } from './parse-file';
import { createPreparer, type PreparedBatch, type PreparerOptions } from './store-prepare';
import { createWriter } from './store-writer';
import { RejectsWriter, describeError } from './store-rejects';
import { parseInThread } from './store-thread';
import { loadAttributionRules } from '../repos/attribution';
import { ensurePriceCatalog, findCatalogFile, loadPriceCatalog } from '../repos/catalog';
import { createImportsRepo } from '../repos/imports';
import { createAuditRepo } from '../repos/audit';
import { MAX_LISTED_ERRORS, type ImportFileResult, type ImportKind } from '../../../shared/api/imports';

export type ParseFn = (
  path: string,
  opts: { format?: string; mapping?: CustomMapping; chunkBytes?: number; signal?: AbortSignal; onProgress?: (p: ParseProgress) => void },
  onRows: (rows: ParsedRow[]) => void,
) => Promise<ParseSummary>;

export interface RunImportOptions {
  /** the connection to write with; the import holds its write lock for the whole file */
  db: Db;
  /** the database file (to find a price catalog beside it) */
  dbPath?: string;
  file: { path: string; name: string };
  format?: string;
  mapping?: CustomMapping;
  onError?: 'reject' | 'skip';
  dryRun?: boolean;
  /** where the rejected rows go with onError 'skip' (a file path); null: not saved */
  rejectsPath?: string | null;
  /** who runs the import (history and audit) */
  actor: string;
  now?: () => string;
  signal?: AbortSignal;
  onProgress?: (p: ParseProgress) => void;
  /** the parser (parseFile by default); tests inject a fake one */
  parse?: ParseFn;
  /** parse in a second thread from this bundled worker file (store-thread.ts); ignored with an injected parser */
  parseThreadFile?: string | null;
  /** the price catalog file; undefined: found next to the database or in resources/, null: do not load */
  catalogFile?: string | null;
  chunkBytes?: number;
  /** rebuild the secondary usage indexes after a bulk insert instead of row by row: 'auto' decides by size */
  deferIndexes?: boolean | 'auto';
}

const isoNow = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

function abortError(): Error {
  const e = new Error('The import was cancelled.');
  e.name = 'AbortError';
  return e;
}

/** An error from the parser (unknown format, empty file, malformed header): the file is refused, not a crash. */
class ParseRefusal extends Error {}

function emptyResult(file: string, bytes: number): ImportFileResult {
  return {
    file, format: null, formatLabel: null, kind: null, status: 'refused', message: '', importId: null, duplicateOf: null,
    rowsRead: 0, rowsImported: 0, rowsDuplicate: 0, rowsRejected: 0, rowsSkipped: 0, errors: [], errorsTotal: 0, rejectsFile: null,
    accountsCreated: 0, blocksCreated: 0, invoicesCreated: 0, incidentsCreated: 0, rowsAttributed: 0, unknownModels: [], warnings: [],
    bytes, byteHash: null, contentHash: null, encoding: null, durationMs: 0, timings: { writeMs: 0, finishMs: 0, commitMs: 0 },
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** Imports one file. Resolves with the per-file result (also for a refused or duplicate file); rejects with an AbortError when cancelled. */
export async function runImport(opts: RunImportOptions): Promise<ImportFileResult> {
  const t0 = Date.now();
  const now = opts.now ?? isoNow;
  const db = opts.db;
  const onError = opts.onError ?? 'reject';
  const bytes = fs.statSync(opts.file.path).size;
  const result = emptyResult(opts.file.name, bytes);
  if (opts.signal?.aborted) throw abortError();

  // The price catalog is reference data: loaded (if the file changed) before the import's transaction.
  if (opts.catalogFile !== null) {
    const cat = ensurePriceCatalog(db, opts.catalogFile ?? findCatalogFile(opts.dbPath));
    if (cat.warning) result.warnings.push(cat.warning);
  }

  const imports = createImportsRepo(db);
  const format = opts.format;
  let mapping = opts.mapping;
  // A header no built-in format knows, seen before with a saved mapping: use that mapping.
  if (!opts.parse && !format && !mapping) {
    try {
      const peek = await previewFile(opts.file.path, { limit: 0 });
      if (!peek.format && peek.headers.length) {
        const saved = imports.mappingFor(peek.headers);
        if (saved) {
          mapping = saved.mapping as CustomMapping;
          result.warnings.push(`Used the saved mapping "${saved.name}" for this header.`);
        }
      }
    } catch {
      /* the parse below reports the problem */
    }
  }

  const startedAt = now();
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (e) {
    const err = e as { code?: string; message: string };
    if (err.code === 'SQLITE_BUSY') throw new Error('The database is busy with another import or change; try again in a moment.');
    throw e;
  }

  let rejects: RejectsWriter | null = null;
  try {
    const importId = Number(
      db
        .prepare(
          `INSERT INTO imports (file_name, content_hash, byte_hash, byte_size, format, kind, status, run_by, started_at, finished_at)
           VALUES (?, '', '', ?, '', 'usage', 'committed', ?, ?, ?)`,
        )
        .run(opts.file.name, bytes, opts.actor, startedAt, startedAt).lastInsertRowid,
    );
    const rules = loadAttributionRules(db);
    const catalog = loadPriceCatalog(db);
    if (onError === 'skip' && !opts.dryRun && opts.rejectsPath) rejects = new RejectsWriter(opts.rejectsPath);
    const existingUsage = (db.prepare('SELECT max(id) AS m FROM usage_records').get() as { m: number | null }).m ?? 0;
    // Rebuilding the secondary usage indexes once (sorted) beats updating them row by row when the
    // file brings more rows than the table holds; small files keep the indexes as they are.
    const deferIndexes = opts.deferIndexes === 'auto' || opts.deferIndexes === undefined ? bytes > 4 << 20 && bytes / 200 > existingUsage : opts.deferIndexes;
    const writer = createWriter(db, { importId, onError, now: startedAt, rejects, deferIndexes });
    const preparerOptions: PreparerOptions = { catalog, rules, keepRejectedCells: rejects !== null };

    let writeError: unknown = null;
    const onBatch = (batch: PreparedBatch) => {
      if (writeError) return;
      const w0 = performance.now();
      try {
        writer.write(batch);
        result.timings.writeMs += performance.now() - w0;
      } catch (e) {
        writeError = e;
        throw e;
      }
    };

    let summary: ParseSummary;
    try {
      if (!opts.parse && opts.parseThreadFile) {
        summary = await parseInThread(opts.parseThreadFile, {
          path: opts.file.path, format, mapping, chunkBytes: opts.chunkBytes, preparer: preparerOptions, signal: opts.signal, onProgress: opts.onProgress, onBatch,
        });
      } else {
        const parse = opts.parse ?? parseFile;
        const preparer = createPreparer(preparerOptions);
        summary = await parse(
          opts.file.path,
          { format, mapping, chunkBytes: opts.chunkBytes, signal: opts.signal, onProgress: opts.onProgress },
          (rows) => onBatch(preparer.prepare(rows)),
        );
      }
    } catch (e) {
      if (writeError) throw writeError;
      if ((e as Error)?.name === 'AbortError' || opts.signal?.aborted) throw abortError();
      // the parser throws plain Errors for a file it cannot read (no format, empty, broken header); system errors carry a code
      if (!(e instanceof Error && 'code' in e)) throw new ParseRefusal((e as Error)?.message ?? String(e));
      throw e;
    }
    if (writeError) throw writeError;
    if (opts.signal?.aborted) throw abortError();

    const s = writer.stats;
    Object.assign(result, {
      format: summary.format.id,
      formatLabel: summary.format.label,
      kind: summary.format.kind,
      rowsRead: summary.rowsRead,
      rowsImported: s.imported,
      rowsDuplicate: s.duplicate,
      rowsRejected: s.rejected,
      rowsSkipped: s.skipped,
      errors: writer.errors.slice(0, MAX_LISTED_ERRORS),
      errorsTotal: s.rejected,
      accountsCreated: s.accountsCreated,
      blocksCreated: s.blocksCreated,
      invoicesCreated: s.invoicesCreated,
      incidentsCreated: s.incidentsCreated,
      byteHash: summary.byteHash,
      contentHash: summary.contentHash,
      encoding: summary.encoding,
    });

    const earlier = imports.committedWithContent(summary.contentHash);
    if (earlier) {
      db.exec('ROLLBACK');
      rejects?.discard();
      return done(result, t0, {
        status: 'duplicate',
        duplicateOf: earlier,
        rowsImported: 0,
        rowsDuplicate: s.imported + s.duplicate,
        accountsCreated: 0,
        blocksCreated: 0,
        invoicesCreated: 0,
        incidentsCreated: 0,
        message: `${opts.file.name} was already imported as import #${earlier.importId} (${earlier.fileName}, ${earlier.finishedAt}); nothing was added.`,
      });
    }
    if (onError === 'reject' && s.rejected > 0) {
      db.exec('ROLLBACK');
      const first = writer.errors[0];
      return done(result, t0, {
        status: 'refused',
        rowsImported: 0,
        rowsDuplicate: 0,
        accountsCreated: 0,
        blocksCreated: 0,
        invoicesCreated: 0,
        incidentsCreated: 0,
        message:
          `${opts.file.name} was refused: ${plural(s.rejected, 'row')} could not be read (first: ${describeError(first)}). Nothing was written. ` +
          'Fix the rows and import the file again, or import with on-error "skip" to import the good rows and save the bad ones to a rejects file.',
      });
    }

    const f0 = performance.now();
    writer.finish();
    result.timings.finishMs = performance.now() - f0;
    result.rowsAttributed = s.attributed;
    result.unknownModels = s.unknownModels;
    result.warnings.push(...s.warnings);
    const finishedAt = now();
    db.prepare(
      `UPDATE imports SET content_hash = ?, byte_hash = ?, format = ?, kind = ?, rows_read = ?, rows_imported = ?, rows_duplicate = ?,
         rows_rejected = ?, errors_json = ?, finished_at = ?, usage_first_id = ?, usage_last_id = ? WHERE id = ?`,
    ).run(
      summary.contentHash, summary.byteHash, summary.format.id, summary.format.kind as ImportKind, summary.rowsRead, s.imported, s.duplicate,
      s.rejected, JSON.stringify(writer.errors.slice(0, MAX_LISTED_ERRORS)), finishedAt, s.usageIds?.first ?? null, s.usageIds?.last ?? null, importId,
    );
    if (opts.dryRun) {
      db.exec('ROLLBACK');
      return done(result, t0, {
        status: 'dry-run',
        message: `Dry run: ${plural(s.imported, 'row')} of ${opts.file.name} would be imported (${summary.format.label}), ${s.duplicate} already in the ledger, ${s.rejected} rejected. Nothing was written.`,
      });
    }
    createAuditRepo(db, now).append(opts.actor, 'import', 'import', importId, {
      fileName: opts.file.name, format: summary.format.id, contentHash: summary.contentHash, byteHash: summary.byteHash,
      rowsRead: summary.rowsRead, rowsImported: s.imported, rowsDuplicate: s.duplicate, rowsRejected: s.rejected,
      blocksCreated: s.blocksCreated, accountsCreated: s.accountsCreated,
    });
    const c0 = performance.now();
    db.exec('COMMIT');
    result.timings.commitMs = performance.now() - c0;
    let rejectsFile: string | null = null;
    if (rejects) {
      try {
        rejectsFile = rejects.finish(summary.headers);
      } catch (e) {
        result.warnings.push(`The rejected rows could not be saved to ${rejects.target}: ${(e as Error).message}`);
      }
    }
    return done(result, t0, {
      status: 'committed',
      importId,
      rejectsFile,
      message:
        `Imported ${plural(s.imported, 'row')} from ${opts.file.name} (${summary.format.label}) as import #${importId}` +
        `${s.duplicate ? `; ${plural(s.duplicate, 'row')} already in the ledger` : ''}` +
        `${s.rejected ? `; ${plural(s.rejected, 'row')} rejected${rejectsFile ? `, saved to ${rejectsFile}` : ''}` : ''}.`,
    });
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    rejects?.discard();
    if (e instanceof ParseRefusal) {
      return done(result, t0, { status: 'refused', message: `${opts.file.name} was refused: ${e.message} Nothing was written.` });
    }
    throw e;
  }
}

function done(result: ImportFileResult, t0: number, patch: Partial<ImportFileResult>): ImportFileResult {
  Object.assign(result, patch);
  result.durationMs = Date.now() - t0;
  const t = result.timings;
  result.timings = { writeMs: Math.round(t.writeMs), finishMs: Math.round(t.finishMs), commitMs: Math.round(t.commitMs) };
  return result;
}
