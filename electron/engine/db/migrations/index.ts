import type { Db } from '../open';
import { migration001 } from './001-initial';
import { migration002 } from './002-usage-daily';
import { migration003 } from './003-usage-keys';
import { migration004 } from './004-analysis-cache';
import { migration005 } from './005-usage-category-check';
import { migration006 } from './006-usage-key-daily';
import { migration007 } from './007-usage-generation';

/** A migration: SQL, or a function for one that computes values in JavaScript; either runs inside the migration transaction. */
export type Migration = string | ((db: Db) => void);

/**
 * Append-only list: migration N brings the schema from user_version N-1 to N.
 * Never edit a shipped entry; add a new one.
 */
export const migrations: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007];

export const SCHEMA_VERSION = migrations.length;
