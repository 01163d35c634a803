import type { EngineContext } from '../context';
import type { HandlerImpls } from '../../../shared/api';
import type { importApi } from '../../../shared/api/imports';

export function importHandlers(ctx: EngineContext): Pick<HandlerImpls, keyof typeof importApi> {
  void ctx;
  return {};
}
