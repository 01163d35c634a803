/**
 * Database maintenance: backup (SQLite's online backup API, also while an import runs), restore
 * from a backup file (validated, then swapped in atomically after a safety backup of the current
 * database) and the state of the database file.
 */
import { z } from 'zod';
import { handler } from './define';

export interface BackupResult {
  /** absolute path of the backup file written */
  path: string;
  bytes: number;
  pages: number;
  durationMs: number;
}

export interface RestoreResult {
  /** the backup file's name as the user handed it over */
  restoredFrom: string;
  /** schema version of the backup; migrated to the current version after the swap */
  backupSchemaVersion: number;
  schemaVersion: number;
  /** where the database that was replaced was saved (null: there was none) */
  beforeRestoreBackup: string | null;
  bytes: number;
  counts: DbCounts;
}

export interface DbCounts {
  usageRecords: number;
  imports: number;
  creditBlocks: number;
  workloads: number;
  incidents: number;
  auditEntries: number;
}

export interface DbInfo {
  path: string;
  bytes: number;
  /** size of the write-ahead log (changes not yet checkpointed into the file) */
  walBytes: number;
  schemaVersion: number;
  /** the newest schema this version of Drawdown knows */
  knownSchemaVersion: number;
  integrity: {
    /** null when nothing has checked the file since it was opened */
    ok: boolean | null;
    /** "ok" or SQLite's first findings */
    result: string;
    /**
     * 'quick_check' just now; 'at-open' (the open ran quick_check and refuses a failing file); or
     * 'not-checked' (a database over 256 MB whose last session ended cleanly is opened without it)
     */
    checked: 'quick_check' | 'at-open' | 'not-checked';
  };
  counts: DbCounts;
  backupsDir: string | null;
  latestBackup: { path: string; bytes: number; modifiedAt: string } | null;
}

export const maintenanceApi = {
  /** path: absolute, a new file ending in .db/.sqlite/.sqlite3 (not in the browser mode); default: backups/ beside the database */
  'db-backup': handler(z.object({ path: z.string().trim().min(1).max(4096).optional() }).strict())<BackupResult>(),
  /** fileRef: a backup file picked in a dialog or uploaded; the current database is saved to backups/before-restore-… first */
  'db-restore': handler(z.object({ fileRef: z.string().min(1).max(64) }).strict())<RestoreResult>(),
  /** check: run quick_check now (seconds on a very large database) */
  'db-info': handler(z.object({ check: z.boolean().optional() }).strict())<DbInfo>(),
};
