import type { Db } from '../db/open';
import type { DbCounts } from '../../../shared/api/maintenance';

/**
 * The SQL of database maintenance: row counts a person recognises (to compare a backup with the
 * live database before replacing it) and the check that a file is a Drawdown database at all.
 */

/** Tables every Drawdown schema since version 1 has; a file without them is not a Drawdown database. */
export const CORE_TABLES = ['settings', 'profiles', 'imports', 'credit_accounts', 'credit_blocks', 'workloads', 'usage_records', 'audit_log'] as const;

export function missingCoreTables(db: Db): string[] {
  const have = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
  return CORE_TABLES.filter((t) => !have.has(t));
}

export function readCounts(db: Db): DbCounts {
  const n = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return {
    usageRecords: n('usage_records'),
    imports: n('imports'),
    creditBlocks: n('credit_blocks'),
    workloads: n('workloads'),
    incidents: n('incidents'),
    auditEntries: n('audit_log'),
  };
}

/** quick_check's findings as one line ("ok" when clean); a file too damaged to read throws. */
export function quickCheck(db: Db): string {
  const rows = db.pragma('quick_check(20)') as { quick_check: string }[];
  return rows.map((r) => r.quick_check).join('; ');
}

/** integrity_check (slower, also checks indexes against tables) as one line. */
export function integrityCheck(db: Db): string {
  const rows = db.pragma('integrity_check(20)') as { integrity_check: string }[];
  return rows.map((r) => r.integrity_check).join('; ');
}
