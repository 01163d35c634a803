import type { EngineContext } from '../context';
import type { HandlerImpls } from '../../../shared/api';
import type { scenarioApi } from '../../../shared/api/scenarios';
import { forecastGet } from '../services/forecast';
import { backtestView } from '../services/backtest-view';
import { startScenarioRun } from '../services/simulation';
import { listScenarios, saveScenario, deleteScenario, exportScenario, importScenario } from '../services/scenario-store';
import { recommendations } from '../services/recommendation';
import { scenarioOptions } from '../services/scenario-options';

/** Forecast, backtest, scenarios and the prepaid-or-post-pay recommendation; each a thin call into a service. */
export function scenarioHandlers(ctx: EngineContext): Pick<HandlerImpls, keyof typeof scenarioApi> {
  return {
    'forecast-get': (a) => forecastGet(ctx, a),
    'backtest-get': ({ cutDate }) => backtestView(ctx, cutDate),
    'scenarios-list': () => listScenarios(ctx),
    'scenario-options-get': () => scenarioOptions(ctx),
    'scenario-save': (a) => saveScenario(ctx, a),
    'scenario-delete': ({ id }) => deleteScenario(ctx, id),
    'scenario-export': ({ id }) => exportScenario(ctx, id),
    'scenario-import': ({ json }) => importScenario(ctx, json),
    'scenario-run': (a) => startScenarioRun(ctx, a),
    'recommendation-get': ({ at }) => recommendations(ctx, at),
  };
}
