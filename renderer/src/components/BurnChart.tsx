import { useMemo } from 'react';
import type { ChartConfiguration } from 'chart.js';
import type { BurnSeries } from '../../../shared/domain';
import { ChartCanvas, PALETTE } from './Chart';

/** Remaining balance per block over time (a burn-down), one line per block, sampled weekly when long. */
export function BurnChart({ series, height }: { series: BurnSeries[]; height?: number }) {
  const config = useMemo<ChartConfiguration>(() => {
    const days = series[0]?.days ?? [];
    const step = days.length > 120 ? 7 : 1;
    const idx = days.map((_, i) => i).filter((i) => i % step === 0 || i === days.length - 1);
    return {
      type: 'line',
      data: {
        labels: idx.map((i) => days[i]),
        datasets: series.map((s, k) => ({
          label: s.name,
          data: idx.map((i) => (s.balanceMicros[i] ?? 0) / 1e6),
          borderColor: PALETTE[k % PALETTE.length],
          backgroundColor: PALETTE[k % PALETTE.length],
          pointRadius: 0,
          borderWidth: 2,
          tension: 0.1,
        })),
      },
      options: {
        interaction: { mode: 'index', intersect: false },
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } }, tooltip: { callbacks: { label: (c) => `${c.dataset.label}: $${Number(c.parsed.y).toLocaleString('en-US', { maximumFractionDigits: 0 })}` } } },
        scales: {
          x: { ticks: { maxTicksLimit: 12 } },
          y: { beginAtZero: true, title: { display: true, text: 'Remaining balance (USD)' }, ticks: { callback: (v) => `$${Number(v).toLocaleString('en-US')}` } },
        },
      },
    };
  }, [series]);
  return <ChartCanvas config={config} label="Burn-down: remaining balance per credit block over time" height={height} />;
}
