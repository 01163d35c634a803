import { api, isHandlerName, type HandlerName, type ArgsOf, type ResultOf, type HandlerImpls, type ApiResult } from '../../shared/api';
import type { AppInfo } from '../../shared/domain';
import { openDatabase } from './db/open';
import { createContext, type EngineContext } from './context';
import { createJobs } from './jobs';
import { createHandlers } from './handlers';
import { RefusedError, toApiError } from './errors';

export interface EngineOptions {
  dbPath: string;
  mode: AppInfo['mode'];
  version?: string;
  clock?: () => Date;
}

export interface Engine {
  ctx: EngineContext;
  /** Validates untrusted arguments and returns an error value instead of throwing (every transport uses this). */
  call(name: string, args: unknown): Promise<ApiResult<unknown>>;
  /** Typed in-process call that throws RefusedError on failure (CLI and tests). */
  invoke<N extends HandlerName>(name: N, args: ArgsOf<N>): Promise<ResultOf<N>>;
  close(): void;
}

export function createEngine(opts: EngineOptions): Engine {
  const db = openDatabase(opts.dbPath);
  const ctx = createContext(db, opts.dbPath, opts.mode, opts.version ?? '0.1.0', createJobs(), opts.clock ?? (() => new Date()));
  const handlers: HandlerImpls = createHandlers(ctx);

  async function call(name: string, args: unknown): Promise<ApiResult<unknown>> {
    if (!isHandlerName(name)) return { ok: false, error: { code: 'unknown-handler', message: `There is no handler named "${name}".` } };
    const parsed = api[name].args.safeParse(args ?? {});
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'argument'}: ${i.message}`);
      return { ok: false, error: { code: 'invalid-argument', message: `Invalid argument for ${name}: ${issues.join('; ')}`, details: issues } };
    }
    try {
      const fn = handlers[name] as (a: unknown) => unknown;
      return { ok: true, value: await fn(parsed.data) };
    } catch (e) {
      return { ok: false, error: toApiError(e) };
    }
  }

  return {
    ctx,
    call,
    async invoke(name, args) {
      const r = await call(name, args);
      if (!r.ok) throw new RefusedError(r.error.message, r.error.code, r.error.details);
      return r.value as never;
    },
    close() {
      ctx.files.dispose();
      if (db.open) db.close();
    },
  };
}
