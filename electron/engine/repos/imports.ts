import type { Db } from '../db/open';
import { headerSignature } from '../import/detect';
import type { AuditRepo } from './audit';
import { createKeyDailyRepo } from './key-daily';
import { RefusedError, NotFoundError } from '../errors';
import type { EarlierImport, ImportBatch, ImportKind, ImportMapping, ImportRowError, SavedMapping, UndoResult } from '../../../shared/api/imports';

/**
 * The import history (one `imports` row per committed file), undo, and the mappings saved by
 * the mapping editor. The rows an import wrote carry its id (ON DELETE CASCADE exists, but the
 * batch row is kept as history, so undo deletes the rows explicitly and marks the batch undone).
 */

interface ImportRow {
  id: number;
  file_name: string;
  content_hash: string;
  byte_hash: string;
  byte_size: number;
  format: string;
  kind: ImportKind;
  status: 'committed' | 'undone';
  rows_read: number;
  rows_imported: number;
  rows_duplicate: number;
  rows_rejected: number;
  errors_json: string;
  run_by: string;
  started_at: string;
  finished_at: string;
  undone_at: string | null;
  /** the id range the import's usage rows lie in (migration 3); null: none, or rows not written by the importer */
  usage_first_id: number | null;
  usage_last_id: number | null;
}

interface MappingRow {
  id: number;
  name: string;
  header_signature: string;
  kind: ImportKind;
  mapping_json: string;
  created_at: string;
  updated_at: string;
}

export { headerSignature };

function toBatch(r: ImportRow): ImportBatch {
  let errors: ImportRowError[] = [];
  try {
    const v = JSON.parse(r.errors_json) as unknown;
    if (Array.isArray(v)) errors = v as ImportRowError[];
  } catch {
    errors = [];
  }
  return {
    id: r.id,
    fileName: r.file_name,
    contentHash: r.content_hash,
    byteHash: r.byte_hash,
    byteSize: r.byte_size,
    format: r.format,
    kind: r.kind,
    status: r.status,
    rowsRead: r.rows_read,
    rowsImported: r.rows_imported,
    rowsDuplicate: r.rows_duplicate,
    rowsRejected: r.rows_rejected,
    errors: errors.slice(0, 20),
    errorCount: errors.length,
    runBy: r.run_by,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    undoneAt: r.undone_at,
  };
}

function toMapping(r: MappingRow): SavedMapping {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    headerSignature: r.header_signature,
    mapping: JSON.parse(r.mapping_json) as ImportMapping,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function createImportsRepo(db: Db) {
  const byContent = db.prepare<[string], { id: number; file_name: string; finished_at: string }>(
    "SELECT id, file_name, finished_at FROM imports WHERE content_hash = ? AND status = 'committed' ORDER BY id LIMIT 1",
  );
  const byBytes = db.prepare<[string], { id: number; file_name: string; finished_at: string }>(
    "SELECT id, file_name, finished_at FROM imports WHERE byte_hash = ? AND status = 'committed' ORDER BY id LIMIT 1",
  );
  const earlier = (r: { id: number; file_name: string; finished_at: string } | undefined): EarlierImport | null =>
    r ? { importId: r.id, fileName: r.file_name, finishedAt: r.finished_at } : null;

  return {
    /** The committed import with this content hash (BOM and line endings ignored), if any. */
    committedWithContent: (contentHash: string) => earlier(byContent.get(contentHash)),
    /** The committed import of a byte-identical file, if any. */
    committedWithBytes: (byteHash: string) => earlier(byBytes.get(byteHash)),

    get(id: number): ImportBatch | null {
      const r = db.prepare<[number], ImportRow>('SELECT * FROM imports WHERE id = ?').get(id);
      return r ? toBatch(r) : null;
    },

    list(limit = 100, offset = 0): { imports: ImportBatch[]; total: number } {
      const rows = db.prepare<[number, number], ImportRow>('SELECT * FROM imports ORDER BY id DESC LIMIT ? OFFSET ?').all(limit, offset);
      const total = (db.prepare('SELECT count(*) AS n FROM imports').get() as { n: number }).n;
      return { imports: rows.map(toBatch), total };
    },

    /**
     * Removes every row the batch wrote and marks it undone, in one transaction with its audit
     * entry. Refuses when a credit block it created has allocations or top-up requests: those are
     * decisions people made about the block, and undo must not erase them silently.
     */
    undo(id: number, actor: string, audit: AuditRepo, now: string): UndoResult {
      return db.transaction((): UndoResult => {
        const r = db.prepare<[number], ImportRow>('SELECT * FROM imports WHERE id = ?').get(id);
        if (!r) throw new NotFoundError(`Import ${id}`);
        if (r.status === 'undone') throw new RefusedError(`Import ${id} (${r.file_name}) was already undone on ${r.undone_at ?? 'an earlier date'}.`, 'conflict');
        const blocks = db.prepare<[number], { id: number; name: string }>('SELECT id, name FROM credit_blocks WHERE import_id = ?').all(id);
        if (blocks.length) {
          const used: string[] = [];
          const allocs = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM allocations WHERE block_id = ?');
          const topups = db.prepare<[number, number], { id: number }>('SELECT id FROM topup_requests WHERE block_id = ? OR created_block_id = ? ORDER BY id');
          for (const b of blocks) {
            const a = allocs.get(b.id)?.n ?? 0;
            const t = topups.all(b.id, b.id).map((x) => `#${x.id}`);
            const why: string[] = [];
            if (a) why.push(`${a} allocation${a === 1 ? '' : 's'}`);
            if (t.length) why.push(`top-up request${t.length === 1 ? '' : 's'} ${t.join(', ')}`);
            if (why.length) used.push(`"${b.name}" (block ${b.id}) has ${why.join(' and ')}`);
          }
          if (used.length) {
            throw new RefusedError(
              `Import ${id} (${r.file_name}) cannot be undone: the credit block${used.length === 1 ? '' : 's'} it created ${used.length === 1 ? 'is' : 'are'} in use — ${used.join('; ')}. Remove the allocations and top-up requests first, or retire the block instead.`,
              'conflict',
            );
          }
        }
        const del = (sql: string) => db.prepare(sql).run(id).changes;
        // invoice lines point at blocks (ON DELETE SET NULL) and at invoices; remove lines first
        const invoiceLines = db
          .prepare('DELETE FROM invoice_lines WHERE import_id = ? OR invoice_id IN (SELECT id FROM invoices WHERE import_id = ?)')
          .run(id, id).changes;
        const invoices = del('DELETE FROM invoices WHERE import_id = ?');
        const incidents = del('DELETE FROM incidents WHERE import_id = ?');
        const creditBlocks = del('DELETE FROM credit_blocks WHERE import_id = ?');
        // by the id range the importer recorded (usage_records has no index on import_id); without one, by a scan
        let usageRecords: number;
        let afterUndo = (): void => undefined;
        if (r.usage_first_id !== null && r.usage_last_id !== null) {
          // the per-key days kept for incident reports (usage_key_daily) lose these rows here instead of being rebuilt
          afterUndo = createKeyDailyRepo(db).withdraw(r.usage_first_id, r.usage_last_id, id);
          usageRecords = db.prepare('DELETE FROM usage_records WHERE id BETWEEN ? AND ? AND import_id = ?').run(r.usage_first_id, r.usage_last_id, id).changes;
        } else usageRecords = del('DELETE FROM usage_records WHERE import_id = ?');
        db.prepare("UPDATE imports SET status = 'undone', undone_at = ? WHERE id = ?").run(now, id);
        afterUndo();
        const removed = { usageRecords, invoiceLines, invoices, incidents, creditBlocks };
        audit.append(actor, 'import-undo', 'import', id, { fileName: r.file_name, format: r.format, contentHash: r.content_hash, removed });
        return { importId: id, fileName: r.file_name, removed };
      }).immediate();
    },

    saveMapping(name: string, headers: readonly string[], mapping: ImportMapping, now: string): SavedMapping {
      const sig = headerSignature([...headers]);
      db.prepare(
        `INSERT INTO import_mappings (name, header_signature, kind, mapping_json, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (header_signature) DO UPDATE SET name = excluded.name, kind = excluded.kind, mapping_json = excluded.mapping_json, updated_at = excluded.updated_at`,
      ).run(name, sig, mapping.kind, JSON.stringify(mapping), now, now);
      return toMapping(db.prepare<[string], MappingRow>('SELECT * FROM import_mappings WHERE header_signature = ?').get(sig)!);
    },

    listMappings(): SavedMapping[] {
      return db.prepare<[], MappingRow>('SELECT * FROM import_mappings ORDER BY name, id').all().map(toMapping);
    },

    /** The mapping saved for this header (same columns in any order and case), if any. */
    mappingFor(headers: readonly string[]): SavedMapping | null {
      const r = db.prepare<[string], MappingRow>('SELECT * FROM import_mappings WHERE header_signature = ?').get(headerSignature([...headers]));
      return r ? toMapping(r) : null;
    },
  };
}
export type ImportsRepo = ReturnType<typeof createImportsRepo>;
