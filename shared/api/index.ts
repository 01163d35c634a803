import type { z } from 'zod';
import type { HandlerDef, ApiResult } from './define';
import { coreApi } from './core';
import { importApi } from './imports';
import { ledgerApi } from './ledger';
import { scenarioApi } from './scenarios';
import { reportApi } from './reports';
import { maintenanceApi } from './maintenance';

/** The one API contract: every transport (IPC, HTTP, CLI, tests) calls these handlers. */
export const api = {
  ...coreApi,
  ...importApi,
  ...ledgerApi,
  ...scenarioApi,
  ...reportApi,
  ...maintenanceApi,
};

export type Api = typeof api;
export type HandlerName = keyof Api;
export type ArgsOf<N extends HandlerName> = Api[N] extends HandlerDef<infer A, unknown> ? z.input<A> : never;
export type ParsedArgsOf<N extends HandlerName> = Api[N] extends HandlerDef<infer A, unknown> ? z.output<A> : never;
export type ResultOf<N extends HandlerName> = Api[N] extends HandlerDef<z.ZodType, infer R> ? R : never;

/** What the renderer holds: one async function per handler, returning an error value instead of throwing. */
export type ApiClient = {
  [N in HandlerName]: (args: ArgsOf<N>) => Promise<ApiResult<ResultOf<N>>>;
};

/** Engine-side implementations take already-validated arguments. */
export type HandlerImpls = {
  [N in HandlerName]: (args: ParsedArgsOf<N>) => ResultOf<N> | Promise<ResultOf<N>>;
};

export const handlerNames = Object.keys(api) as HandlerName[];

export function isHandlerName(name: string): name is HandlerName {
  return Object.prototype.hasOwnProperty.call(api, name);
}

export * from './define';
