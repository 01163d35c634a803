/**
 * Test build only (swapped in for electron/engine/db/migrations by the fault runner's esbuild
 * alias; production code has no hook for it): the real migrations, then one more, long migration
 * that writes a large table and its index, so a kill lands inside a migration's transaction.
 */
// the file itself, not the folder: only imports of the folder are swapped for this module
import { migrations as real, type Migration } from '../../electron/engine/db/migrations/index';

export const LONG_MIGRATION_ROWS = Number(process.env.DRAWDOWN_FAULT_MIGRATION_ROWS ?? 400_000);

const longMigration = `
CREATE TABLE fault_big (id INTEGER PRIMARY KEY, label TEXT NOT NULL, n INTEGER NOT NULL) STRICT;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${LONG_MIGRATION_ROWS})
INSERT INTO fault_big (id, label, n) SELECT i, hex(randomblob(24)), i % 977 FROM c;
CREATE INDEX fault_big_n ON fault_big (n, label);
`;

export const migrations: readonly Migration[] = [...real, longMigration];

export const SCHEMA_VERSION = migrations.length;
