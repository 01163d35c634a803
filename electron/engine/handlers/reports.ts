import type { EngineContext } from '../context';
import type { HandlerImpls } from '../../../shared/api';
import type { reportApi } from '../../../shared/api/reports';

export function reportHandlers(ctx: EngineContext): Pick<HandlerImpls, keyof typeof reportApi> {
  void ctx;
  return {};
}
