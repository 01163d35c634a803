import { useEffect, useRef } from 'react';
import {
  Chart,
  LineController,
  BarController,
  LineElement,
  BarElement,
  PointElement,
  LinearScale,
  CategoryScale,
  TimeSeriesScale,
  Filler,
  Legend,
  Tooltip,
  Decimation,
  type ChartConfiguration,
} from 'chart.js';

Chart.register(LineController, BarController, LineElement, BarElement, PointElement, LinearScale, CategoryScale, TimeSeriesScale, Filler, Legend, Tooltip, Decimation);

// Charts are drawn at once, without animation: analysts read numbers, print pages and screenshots
// need the final picture, and a readiness marker then means the chart is really there.
Chart.defaults.animation = false;

export const PALETTE = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d'];

/** A chart.js canvas owned by React: created on mount, updated in place, destroyed on unmount. */
export function ChartCanvas({ config, label, height = 280 }: { config: ChartConfiguration; label: string; height?: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);
  useEffect(() => {
    if (!ref.current) return;
    const cfg = { ...config, options: { ...config.options, maintainAspectRatio: false, responsive: true } };
    chart.current?.destroy();
    chart.current = new Chart(ref.current, cfg);
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [config]);
  return (
    <div className="chart" style={{ height }}>
      <canvas ref={ref} role="img" aria-label={label} />
    </div>
  );
}
