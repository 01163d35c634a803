import { useState } from 'react';
import { api } from '../api/client';
import { useQuery } from '../hooks/useQuery';
import { useReady } from '../hooks/useReady';
import { ErrorBox } from '../components/ui';
import { ScenarioList } from '../components/scenarios/ScenarioList';
import { ScenarioEditor } from '../components/scenarios/ScenarioEditor';
import { RunPanel } from '../components/scenarios/RunPanel';
import { Comparison } from '../components/scenarios/Comparison';
import { BacktestPanel } from '../components/scenarios/BacktestPanel';
import { RecommendationPanel } from '../components/scenarios/RecommendationPanel';
import { useScenariosStore } from '../components/scenarios/store';
import '../components/scenarios/scenarios.css';

/**
 * Scenarios: build scenarios from levers, save and share them as JSON, simulate up to four
 * against the baseline, and read the backtest and the prepaid-or-post-pay recommendation that
 * say how far to trust the forecast and what to buy.
 */
export function ScenariosScreen() {
  const options = useQuery(() => api['scenario-options-get']({}));
  const list = useQuery(() => api['scenarios-list']({}));
  const [cut, setCut] = useState('');
  const backtest = useQuery(() => api['backtest-get']({ cutDate: cut || undefined }), [cut]);
  const recs = useQuery(() => api['recommendation-get']({}));
  const { draft, jobId, result } = useScenariosStore();
  const settled = [options, list, backtest, recs].every((q) => !q.loading);
  // ready: the data is on the page and no simulation is running (its charts come with the result)
  useReady(settled && !jobId, 'scenarios');

  const error = options.error ?? list.error;
  return (
    <div className="screen sc-screen">
      <h1>
        Scenarios <span className="muted small">{options.data?.asOf ? `history to ${options.data.asOf}` : ''}</span>
      </h1>
      {error && <ErrorBox error={error} />}
      {options.data && options.data.asOf === null && <p className="notice">There is no usage to forecast from yet: import usage exports or load the demo organisation.</p>}
      {options.data && list.data && (
        <>
          <ScenarioList scenarios={list.data} options={options.data} />
          {draft && <ScenarioEditor options={options.data} />}
          <RunPanel scenarios={list.data} />
          {result && <Comparison result={result} />}
        </>
      )}
      <BacktestPanel q={backtest} cut={cut} setCut={setCut} />
      <RecommendationPanel q={recs} />
    </div>
  );
}
