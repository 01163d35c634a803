import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EngineContext } from '../context';
import type { HandlerImpls } from '../../../shared/api';
import type { importApi, ImportFileResult, ImportPreview, PreviewRow, ImportFormatInfo, ImportKind, ImportMapping } from '../../../shared/api/imports';
import type { Job } from '../../../shared/domain';
import { previewFile } from '../import/parse-file';
import { listFormats, validateMapping, CANONICAL_FIELDS, type CustomMapping } from '../import/formats';
import { createImportsRepo } from '../repos/imports';
import { loadAttributionRules } from '../repos/attribution';
import { ensurePriceCatalog, findCatalogFile, loadPriceCatalog } from '../repos/catalog';
import { createPreparer } from '../import/store-prepare';
import { usageKeyLookup, usageKeyParts } from '../import/store-keys';
import { runImportJob } from '../import/run';
import { RefusedError } from '../errors';
import { evaluateAlerts } from '../services/alerts';

export interface StartImportOptions {
  path: string;
  name: string;
  format?: string;
  mapping?: ImportMapping;
  onError?: 'reject' | 'skip';
  dryRun?: boolean;
  /** where rejected rows are saved with onError 'skip'; undefined: beside the database in rejects/ */
  rejectsPath?: string | null;
  /** the bundled worker file; undefined: found automatically, null: run inline */
  workerFile?: string | null;
}

/** <database folder>/rejects/<time>-<file>.rejects.csv */
export function defaultRejectsPath(dbPath: string, fileName: string, now: string): string {
  const dir = dbPath === ':memory:' ? path.join(os.tmpdir(), 'drawdown-rejects') : path.join(path.dirname(path.resolve(dbPath)), 'rejects');
  const base = path.basename(fileName).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'import';
  const stem = path.join(dir, `${now.replace(/[:]/g, '').replace(/[^0-9TZ-]/g, '')}-${base}`);
  let candidate = `${stem}.rejects.csv`;
  for (let n = 2; fs.existsSync(candidate); n++) candidate = `${stem}-${n}.rejects.csv`;
  return candidate;
}

/**
 * Starts an import job for a file the transport resolved (a dialog, an upload, a CLI argument).
 * The CLI passes its own rejects path; the app's go beside the database.
 */
export function startImportJob(ctx: EngineContext, o: StartImportOptions): Job {
  const size = fs.statSync(o.path).size;
  const onError = o.onError ?? 'reject';
  const rejectsPath = onError === 'skip' && !o.dryRun ? (o.rejectsPath === undefined ? defaultRejectsPath(ctx.dbPath, o.name, ctx.now()) : o.rejectsPath) : null;
  const actor = ctx.actor();
  return ctx.jobs.start('import', size, async (h) => {
    const result = await runImportJob(
      {
        dbPath: ctx.dbPath,
        file: { path: o.path, name: o.name },
        format: o.format,
        mapping: o.mapping as CustomMapping | undefined,
        onError,
        dryRun: o.dryRun,
        rejectsPath,
        actor,
        engineDb: ctx.db,
        now: ctx.now,
        workerFile: o.workerFile,
      },
      { signal: h.signal, progress: (p) => h.progress(p) },
    );
    // thresholds fire as soon as the data that crosses them is in (once per threshold and period)
    if (result.status === 'committed' && result.kind === 'usage') raiseAlertsAfterImport(ctx, result);
    return result;
  });
}

function raiseAlertsAfterImport(ctx: EngineContext, result: ImportFileResult): void {
  try {
    const { raised } = evaluateAlerts(ctx);
    if (raised.length) result.warnings.push(`${raised.length} new alert${raised.length > 1 ? 's' : ''} raised by this data: see Alerts.`);
  } catch (e) {
    // the import is committed whatever happens here; say so rather than fail the job
    result.warnings.push(`Alerts could not be evaluated after the import: ${(e as Error).message}`);
  }
}

async function fileSha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

async function preview(ctx: EngineContext, a: { fileRef: string; format?: string; mapping?: ImportMapping; limit?: number }): Promise<ImportPreview> {
  const f = ctx.files.resolve(a.fileRef);
  const repo = createImportsRepo(ctx.db);
  const limit = a.limit ?? 20;
  let pv = await previewFile(f.path, { format: a.format, mapping: a.mapping as CustomMapping | undefined, limit });
  const savedMapping = pv.headers.length ? repo.mappingFor(pv.headers) : null;
  if (!pv.format && !a.format && !a.mapping && savedMapping) {
    pv = await previewFile(f.path, { mapping: savedMapping.mapping as CustomMapping, limit });
  }
  ensurePriceCatalog(ctx.db, findCatalogFile(ctx.dbPath));
  const preparer = createPreparer({ catalog: loadPriceCatalog(ctx.db), rules: loadAttributionRules(ctx.db), keepRejectedCells: false });
  const usageKnown = usageKeyLookup(ctx.db);
  const lineKey = ctx.db.prepare<[string], { id: number }>('SELECT id FROM invoice_lines WHERE row_key = ?');
  const incident = ctx.db.prepare<[string, string], { id: number }>('SELECT id FROM incidents WHERE source = ? AND external_id = ?');
  const seen = new Map<string, number>();
  const counts = { new: 0, duplicate: 0, rejected: 0, skipped: 0 };
  const rows: PreviewRow[] = pv.rows.map((r) => {
    const row: PreviewRow = {
      line: r.line, status: 'new', cells: r.cells, mapped: null, error: null, reason: null,
      modelId: null, modelKnown: null, catalogCostMicros: null, workloadId: null,
    };
    const res = r.result;
    if (res.ok === false) {
      row.status = 'rejected';
      row.error = res.error;
    } else if (res.ok === 'skip') {
      row.status = 'skipped';
      row.reason = res.reason;
    } else {
      const m = res.mapped;
      row.mapped = m;
      // the same key the importer would give: content hash + occurrence among identical rows
      const day = m.kind === 'usage' ? m.record.periodStart.slice(0, 10) : '';
      const seenKey = `${day}/${r.contentHash}`;
      const n = (seen.get(seenKey) ?? 0) + 1;
      seen.set(seenKey, n);
      if (m.kind === 'usage') {
        Object.assign(row, preparer.describeUsage(m.record));
        if (usageKnown(usageKeyParts(day, r.contentHash), n)) row.status = 'duplicate';
      } else if (m.kind === 'invoice') {
        if (lineKey.get(`${r.contentHash}#${n}`)) row.status = 'duplicate';
      } else {
        const k = `incident\u0000${m.record.source}\u0000${m.record.externalId}`;
        const again = (seen.get(k) ?? 0) + 1;
        seen.set(k, again);
        if (again > 1 || incident.get(m.record.source, m.record.externalId)) row.status = 'duplicate';
      }
    }
    counts[row.status]++;
    return row;
  });
  const alreadyImported = repo.committedWithBytes(await fileSha256(f.path));
  const info = (x: { id: string; label: string; kind: string }): ImportFormatInfo => ({ id: x.id, label: x.label, kind: x.kind as ImportKind });
  return {
    file: { name: f.name, size: f.size },
    format: pv.format ? info(pv.format) : null,
    candidates: pv.candidates.map((c) => ({ format: info(c.format), confidence: c.confidence, reason: c.reason })),
    headers: pv.headers,
    encoding: pv.encoding,
    delimiter: pv.delimiter,
    error: pv.error,
    rows,
    counts,
    alreadyImported,
    savedMapping,
  };
}

export function importHandlers(ctx: EngineContext): Pick<HandlerImpls, keyof typeof importApi> {
  const repo = () => createImportsRepo(ctx.db);
  return {
    'formats-list': () => ({
      formats: listFormats().map((f) => ({ id: f.id, label: f.label, kind: f.kind })),
      fields: CANONICAL_FIELDS,
    }),
    'import-preview': (a) => preview(ctx, a),
    'import-start': ({ fileRef, format, mapping, onError, dryRun }) => {
      const f = ctx.files.resolve(fileRef);
      return startImportJob(ctx, { path: f.path, name: f.name, format, mapping, onError, dryRun });
    },
    'imports-list': ({ limit, offset }) => repo().list(limit ?? 100, offset ?? 0),
    'import-undo': ({ importId }) => {
      try {
        return repo().undo(importId, ctx.actor(), ctx.audit, ctx.now());
      } catch (e) {
        if ((e as { code?: string }).code === 'SQLITE_BUSY') throw new RefusedError('An import is being written to the database; undo the batch when it has finished.', 'conflict');
        throw e;
      }
    },
    'mapping-save': ({ name, headers, mapping }) => {
      const problems = validateMapping(mapping as CustomMapping, headers);
      if (problems.length) throw new RefusedError(`The mapping cannot be saved: ${problems.join('; ')}.`, 'invalid-argument', problems);
      return ctx.db.transaction(() => {
        const saved = repo().saveMapping(name, headers, mapping, ctx.now());
        ctx.audit.append(ctx.actor(), 'mapping-save', 'import_mapping', saved.id, { name, kind: mapping.kind, headerSignature: saved.headerSignature });
        return saved;
      }).immediate();
    },
    'mappings-list': () => ({ mappings: repo().listMappings() }),
  };
}
