import { api, isHandlerName, type HandlerName, type ArgsOf, type ResultOf, type HandlerImpls, type ApiResult } from '../../shared/api';
import type { AppInfo } from '../../shared/domain';
import { openDatabase, explainDbError } from './db/open';
import { createContext, type EngineContext } from './context';
import { createJobs, type Jobs } from './jobs';
import { createHandlers } from './handlers';
import { RefusedError, toApiError } from './errors';

export interface EngineOptions {
  dbPath: string;
  mode: AppInfo['mode'];
  version?: string;
  clock?: () => Date;
  /** create the database file when missing (default true); the CLI's backup and restore refuse a missing file instead */
  create?: boolean;
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
  const db = openDatabase(opts.dbPath, { create: opts.create });
  const explain = (e: unknown) => explainDbError(e, opts.dbPath);
  const ctx = createContext(db, opts.dbPath, opts.mode, opts.version ?? '0.1.0', explainingJobs(createJobs(), explain), opts.clock ?? (() => new Date()));
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
      return { ok: false, error: toApiError(explain(e)) };
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
      // ctx.db, not the first connection: db-restore swaps the connection in place (services/backup.ts)
      if (ctx.db.open) ctx.db.close();
    },
  };
}

/** Jobs whose failure messages explain database faults (disk full, locked, read-only) like handler errors do. */
function explainingJobs(jobs: Jobs, explain: (e: unknown) => unknown): Jobs {
  return {
    ...jobs,
    start: (kind, totalBytes, run) =>
      jobs.start(kind, totalBytes, (h) =>
        run(h).catch((e: unknown) => {
          throw explain(e);
        }),
      ),
  };
}
