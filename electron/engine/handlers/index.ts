import type { EngineContext } from '../context';
import type { HandlerImpls } from '../../../shared/api';
import { coreHandlers } from './core';
import { importHandlers } from './imports';
import { ledgerHandlers } from './ledger';
import { scenarioHandlers } from './scenarios';
import { reportHandlers } from './reports';
import { maintenanceHandlers } from './maintenance';

/** Every handler of the contract, bound to one engine context. Adding an area = one line here. */
export function createHandlers(ctx: EngineContext): HandlerImpls {
  return {
    ...coreHandlers(ctx),
    ...importHandlers(ctx),
    ...ledgerHandlers(ctx),
    ...scenarioHandlers(ctx),
    ...reportHandlers(ctx),
    ...maintenanceHandlers(ctx),
  };
}
