/**
 * Test build only (swapped in for electron/engine/db/migrations by the fault runner's esbuild
 * alias; production code has no hook for it): the real migration 1, then a long migration 2 that
 * writes a large table and its index, so a kill lands inside a migration's transaction.
 */
import { migration001 } from '../../electron/engine/db/migrations/001-initial';

export const LONG_MIGRATION_ROWS = Number(process.env.DRAWDOWN_FAULT_MIGRATION_ROWS ?? 400_000);

const migration002Long = `
CREATE TABLE fault_big (id INTEGER PRIMARY KEY, label TEXT NOT NULL, n INTEGER NOT NULL) STRICT;
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${LONG_MIGRATION_ROWS})
INSERT INTO fault_big (id, label, n) SELECT i, hex(randomblob(24)), i % 977 FROM c;
CREATE INDEX fault_big_n ON fault_big (n, label);
`;

export const migrations: readonly string[] = [migration001, migration002Long];

export const SCHEMA_VERSION = migrations.length;
