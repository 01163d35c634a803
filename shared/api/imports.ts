/**
 * Import: usage, cost, invoice and incident exports into the ledger. A file is previewed
 * (detected format, first rows as they will be stored), then imported as a job (poll job-get;
 * its result is an ImportFileResult). Every committed file is a batch in the import history and
 * can be undone.
 */
import { z } from 'zod';
import { handler, NoArgs, Id } from './define';
import type { Job, UsageRecord, InvoiceLineRecord, IncidentRecord } from '../domain';

export type ImportKind = 'usage' | 'invoice' | 'incident';

export interface ImportFormatInfo {
  id: string;
  label: string;
  kind: ImportKind;
}

export interface ImportRowError {
  /** 1-based physical line where the row starts (the header is line 1) */
  line: number;
  /** header name of the offending column, or null for a row-level problem */
  column: string | null;
  message: string;
}

/** At most this many row errors are listed (in results and in the history); the counts are exact. */
export const MAX_LISTED_ERRORS = 1000;

export interface EarlierImport {
  importId: number;
  fileName: string;
  /** when it was committed, ISO instant */
  finishedAt: string;
}

/** The outcome of importing one file. */
export interface ImportFileResult {
  file: string;
  /** format id (focus-1.0, openai-usage, custom, …), null when no format could be applied */
  format: string | null;
  formatLabel: string | null;
  kind: ImportKind | null;
  /**
   * committed: the file is in the ledger (importId); duplicate: the same content was imported
   * before (duplicateOf), nothing added; refused: nothing of the file was written (message,
   * errors); dry-run: what would have happened, nothing written.
   */
  status: 'committed' | 'duplicate' | 'refused' | 'dry-run';
  message: string;
  /** the new batch (committed only) */
  importId: number | null;
  duplicateOf: EarlierImport | null;
  rowsRead: number;
  rowsImported: number;
  /** rows already in the ledger from an earlier import (overlapping exports) */
  rowsDuplicate: number;
  rowsRejected: number;
  /** blank rows and empty buckets, which carry nothing to store */
  rowsSkipped: number;
  /** the first MAX_LISTED_ERRORS row errors */
  errors: ImportRowError[];
  errorsTotal: number;
  /** where the rejected rows were saved (onError 'skip'), null when none */
  rejectsFile: string | null;
  accountsCreated: number;
  blocksCreated: number;
  invoicesCreated: number;
  incidentsCreated: number;
  /** usage rows given a workload by the attribution rules */
  rowsAttributed: number;
  /** raw model names the price catalog does not know (first 50) */
  unknownModels: string[];
  /** things the user should know that did not stop the import (catalog not loaded, a purchase without an account, …) */
  warnings: string[];
  bytes: number;
  byteHash: string | null;
  contentHash: string | null;
  encoding: string | null;
  durationMs: number;
  /** where the time went (ms): writing rows, rebuilding indexes and closing the batch, committing */
  timings: { writeMs: number; finishMs: number; commitMs: number };
}

/** One row of the import history. */
export interface ImportBatch {
  id: number;
  fileName: string;
  contentHash: string;
  byteHash: string;
  byteSize: number;
  format: string;
  kind: ImportKind;
  status: 'committed' | 'undone';
  rowsRead: number;
  rowsImported: number;
  rowsDuplicate: number;
  rowsRejected: number;
  /** the first 20 stored row errors; errorCount says how many are stored */
  errors: ImportRowError[];
  errorCount: number;
  runBy: string;
  startedAt: string;
  finishedAt: string;
  undoneAt: string | null;
}

export type PreviewRecord =
  | { kind: 'usage'; record: UsageRecord }
  | { kind: 'invoice'; record: InvoiceLineRecord }
  | { kind: 'incident'; record: IncidentRecord };

export interface PreviewRow {
  line: number;
  /** new: would be stored; duplicate: already in the ledger (or repeated in the preview beyond what the ledger holds); rejected: a bad row; skipped: nothing to store */
  status: 'new' | 'duplicate' | 'rejected' | 'skipped';
  cells: string[];
  mapped: PreviewRecord | null;
  error: ImportRowError | null;
  /** why a row is skipped */
  reason: string | null;
  /** usage rows: what the importer adds */
  modelId: string | null;
  modelKnown: boolean | null;
  catalogCostMicros: number | null;
  workloadId: number | null;
}

export interface ImportPreview {
  file: { name: string; size: number };
  /** the format the import would use; null: pick one or open the mapping editor */
  format: ImportFormatInfo | null;
  candidates: { format: ImportFormatInfo; confidence: number; reason: string }[];
  headers: string[];
  encoding: string;
  delimiter: string;
  /** why no format applies, when format is null */
  error: string | null;
  rows: PreviewRow[];
  counts: { new: number; duplicate: number; rejected: number; skipped: number };
  /** this exact file (same bytes) was imported before */
  alreadyImported: EarlierImport | null;
  /** a saved mapping for this header, used when no built-in format matches */
  savedMapping: SavedMapping | null;
}

export interface CanonicalFieldInfo {
  field: string;
  label: string;
  required: boolean;
}

export interface SavedMapping {
  id: number;
  name: string;
  kind: ImportKind;
  headerSignature: string;
  mapping: ImportMapping;
  createdAt: string;
  updatedAt: string;
}

export interface UndoResult {
  importId: number;
  fileName: string;
  removed: { usageRecords: number; invoiceLines: number; invoices: number; incidents: number; creditBlocks: number };
}

const Kind = z.enum(['usage', 'invoice', 'incident']);

/** A column mapping from the mapping editor (the `custom` format). */
export const ImportMappingSchema = z
  .object({
    kind: Kind,
    /** canonical field → the file's header name */
    columns: z.record(z.string().min(1).max(100), z.string().max(1000)),
    dateFormat: z.enum(['auto', 'iso', 'mdy', 'dmy', 'epoch-s', 'epoch-ms']).optional(),
    decimalSeparator: z.enum(['.', ',']).optional(),
    currency: z.string().trim().min(1).max(32).optional(),
    unit: z.enum(['major', 'minor']).optional(),
    provider: z.string().trim().min(1).max(64).optional(),
    name: z.string().trim().max(200).optional(),
  })
  .strict();
export type ImportMapping = z.output<typeof ImportMappingSchema>;

const FileRefArg = z.string().min(1).max(64);
const FormatArg = z.string().trim().min(1).max(64);

export const importApi = {
  /** Every format the importer knows, and the canonical fields the mapping editor offers per kind. */
  'formats-list': handler(NoArgs)<{ formats: ImportFormatInfo[]; fields: Record<ImportKind, CanonicalFieldInfo[]> }>(),
  /** Reads the start of a file: detected format, candidates, and the first rows marked new / duplicate / rejected. */
  'import-preview': handler(
    z
      .object({
        fileRef: FileRefArg,
        format: FormatArg.optional(),
        mapping: ImportMappingSchema.optional(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict(),
  )<ImportPreview>(),
  /** Imports one file as a job: poll job-get (progress, then result: ImportFileResult), cancel with job-cancel. */
  'import-start': handler(
    z
      .object({
        fileRef: FileRefArg,
        format: FormatArg.optional(),
        mapping: ImportMappingSchema.optional(),
        /** reject (default): a bad row refuses the whole file; skip: import the good rows, save the bad ones to a rejects file */
        onError: z.enum(['reject', 'skip']).default('reject'),
        dryRun: z.boolean().optional(),
      })
      .strict(),
  )<Job>(),
  /** The import history, newest first. */
  'imports-list': handler(
    z
      .object({ limit: z.number().int().min(1).max(1000).optional(), offset: z.number().int().min(0).optional() })
      .strict(),
  )<{ imports: ImportBatch[]; total: number }>(),
  /** Removes everything a batch wrote, atomically, and records it in the audit log. */
  'import-undo': handler(z.object({ importId: Id }).strict())<UndoResult>(),
  /** Saves a mapping for a header (the same header later finds it again). */
  'mapping-save': handler(
    z
      .object({
        name: z.string().trim().min(1).max(200),
        headers: z.array(z.string().max(1000)).min(1).max(20_000),
        mapping: ImportMappingSchema,
      })
      .strict(),
  )<SavedMapping>(),
  'mappings-list': handler(NoArgs)<{ mappings: SavedMapping[] }>(),
};
