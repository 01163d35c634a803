import type { ParseArgsConfig } from 'node:util';

/** One CLI command. Exit codes: 0 success, 1 the work was refused, 2 usage error. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
  /** folder of the built renderer, for serve and PDF export */
  rendererDir: string;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  allowPositionals?: boolean;
  run(values: Record<string, string | boolean | string[] | undefined>, positionals: string[], io: CliIo): Promise<number>;
}

export class UsageError extends Error {}

export const DB_OPTION = { db: { type: 'string' as const } };
