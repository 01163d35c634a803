import type { EngineContext } from '../context';
import type { HandlerImpls } from '../../../shared/api';
import type { ledgerApi } from '../../../shared/api/ledger';

export function ledgerHandlers(ctx: EngineContext): Pick<HandlerImpls, keyof typeof ledgerApi> {
  void ctx;
  return {};
}
