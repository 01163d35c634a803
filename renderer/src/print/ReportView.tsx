import type { ReportData } from '../../../shared/api/report-types';
import { ReconciliationReport } from './ReconciliationReport';
import { IncidentsReport } from './IncidentsReport';
import { ForecastReport } from './ForecastReport';
import { SummaryReport } from './SummaryReport';
import './print.css';

/** A report page from its data: the print route and the Reports screen's preview render the same component. */
export function ReportView({ data }: { data: ReportData }) {
  switch (data.report) {
    case 'reconciliation':
      return <ReconciliationReport data={data} />;
    case 'incidents':
      return <IncidentsReport data={data} />;
    case 'forecast':
      return <ForecastReport data={data} />;
    case 'summary':
      return <SummaryReport data={data} />;
  }
}
