import { migration001 } from './001-initial';
import { migration002 } from './002-usage-daily';

/**
 * Append-only list: migration N brings the schema from user_version N-1 to N.
 * Never edit a shipped entry; add a new one.
 */
export const migrations: readonly string[] = [migration001, migration002];

export const SCHEMA_VERSION = migrations.length;
