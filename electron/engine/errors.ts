import type { ApiError } from '../../shared/api/define';

/** The work was refused for a reason the user can act on (CLI exit 1). */
export class RefusedError extends Error {
  readonly code: ApiError['code'];
  readonly details?: unknown;
  constructor(message: string, code: ApiError['code'] = 'refused', details?: unknown) {
    super(message);
    this.name = 'RefusedError';
    this.code = code;
    this.details = details;
  }
}

export class NotFoundError extends RefusedError {
  constructor(what: string) {
    super(`${what} was not found.`, 'not-found');
  }
}

export function toApiError(e: unknown): ApiError {
  if (e instanceof RefusedError) return { code: e.code, message: e.message, details: e.details };
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message: `Unexpected error: ${message}` };
}
