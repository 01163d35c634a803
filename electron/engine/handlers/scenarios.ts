import type { EngineContext } from '../context';
import type { HandlerImpls } from '../../../shared/api';
import type { scenarioApi } from '../../../shared/api/scenarios';

export function scenarioHandlers(ctx: EngineContext): Pick<HandlerImpls, keyof typeof scenarioApi> {
  void ctx;
  return {};
}
