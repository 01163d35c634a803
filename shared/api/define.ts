import { z } from 'zod';

/**
 * A handler in the API contract: a zod schema for its argument and a phantom result type.
 * Usage: `'stats-get': handler(NoArgs)<Stats>()`.
 */
export interface HandlerDef<A extends z.ZodType, R> {
  args: A;
  /** never read at run time: carries the result type */
  result: R;
}

export const handler =
  <A extends z.ZodType>(args: A) =>
  <R>(): HandlerDef<A, R> => ({ args, result: undefined as unknown as R });

export const NoArgs = z.object({}).strict();

/** Calendar day, YYYY-MM-DD. */
export const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

export const Id = z.number().int().positive();

/** Errors cross every transport as values with a message a person can act on. */
export interface ApiError {
  code: 'invalid-argument' | 'not-found' | 'refused' | 'conflict' | 'internal' | 'unknown-handler' | 'cancelled';
  message: string;
  /** where relevant: which field or line */
  details?: unknown;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };
