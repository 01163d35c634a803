import type { UsageRecord, InvoiceLineRecord, IncidentRecord } from '../../../shared/domain';

/**
 * The import pipeline's contract between parsing (decode → CSV → detect → map) and storing
 * (dedup → attribute → commit). Parsers return rows and errors; they never throw on bad data.
 */

export type ImportKind = 'usage' | 'invoice' | 'incident';

export type MappedRecord =
  | { kind: 'usage'; record: UsageRecord }
  | { kind: 'invoice'; record: InvoiceLineRecord }
  | { kind: 'incident'; record: IncidentRecord };

export interface RowError {
  /** 1-based physical line where the row starts (the header is line 1) */
  line: number;
  /** header name of the offending column, or null for a row-level problem */
  column: string | null;
  message: string;
}

export interface ParsedRow {
  line: number;
  /** sha256 (hex) of the row's decoded cells, independent of BOM, line endings and chunking */
  contentHash: string;
  /** the row's raw cells, kept so rejected rows can be written back out */
  cells: string[];
  result: { ok: true; mapped: MappedRecord } | { ok: false; error: RowError } | { ok: 'skip'; reason: string };
}

export interface FormatInfo {
  id: string;
  label: string;
  kind: ImportKind;
}

export interface ParseSummary {
  format: FormatInfo;
  headers: string[];
  encoding: string;
  delimiter: string;
  rowsRead: number;
  bytes: number;
  /** sha256 of the raw bytes */
  byteHash: string;
  /** sha256 of the decoded text with BOM removed and CRLF/CR normalised to LF, final newline ignored */
  contentHash: string;
}

export interface ParseProgress {
  rows: number;
  bytes: number;
  totalBytes: number;
}
