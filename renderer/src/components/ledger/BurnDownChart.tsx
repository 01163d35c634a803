import { useMemo } from 'react';
import type { Chart, ChartConfiguration, Plugin } from 'chart.js';
import type { BurnView } from '../../../../shared/api/ledger';
import { ChartCanvas, PALETTE } from '../Chart';
import { money } from './format';

/**
 * A burn-down for one block or one account: remaining balance over time, the balance at which
 * each threshold fires as a dashed horizontal line, and each expiry as a vertical marker. The
 * lines are drawn by a small inline chart.js plugin, so they never join the legend or the
 * tooltip and no annotation dependency is needed.
 */

interface Marks {
  thresholds: { y: number; label: string; color: string }[];
  expiries: { index: number; label: string }[];
}

const ACTION_COLOR = { alert: '#d97706', throttle: '#ea580c', stop: '#b91c1c' } as const;

function markersPlugin(marks: Marks): Plugin<'line'> {
  return {
    id: 'drawdownMarkers',
    afterDatasetsDraw(chart: Chart<'line'>) {
      const { ctx, chartArea: area, scales } = chart;
      const x = scales.x;
      const y = scales.y;
      ctx.save();
      ctx.font = '11px system-ui, sans-serif';
      ctx.setLineDash([5, 4]);
      ctx.lineWidth = 1;
      for (const t of marks.thresholds) {
        const py = y.getPixelForValue(t.y);
        if (py < area.top || py > area.bottom) continue;
        ctx.strokeStyle = t.color;
        ctx.beginPath();
        ctx.moveTo(area.left, py);
        ctx.lineTo(area.right, py);
        ctx.stroke();
        ctx.fillStyle = t.color;
        ctx.textAlign = 'right';
        ctx.fillText(t.label, area.right - 4, py - 4);
      }
      ctx.setLineDash([2, 3]);
      ctx.strokeStyle = '#7c3aed';
      ctx.fillStyle = '#6d28d9';
      marks.expiries.forEach((e, k) => {
        const px = x.getPixelForValue(e.index);
        ctx.beginPath();
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
        ctx.textAlign = px > (area.left + area.right) / 2 ? 'right' : 'left';
        ctx.fillText(e.label, px + (ctx.textAlign === 'right' ? -4 : 4), area.top + 12 + (k % 3) * 13);
      });
      ctx.restore();
    },
  };
}

function colour(isAccount: boolean, k: number): string {
  return isAccount && k === 0 ? '#0f172a' : PALETTE[(k + (isAccount ? -1 : 0) + PALETTE.length) % PALETTE.length];
}

/** Days sampled weekly when the range is long, keeping the last day; markers snap to the next sample. */
function sample(days: string[]): number[] {
  const step = days.length > 120 ? 7 : 1;
  return days.map((_, i) => i).filter((i) => i % step === 0 || i === days.length - 1);
}

export function BurnDownChart({ view, height = 300 }: { view: BurnView; height?: number }) {
  const config = useMemo<ChartConfiguration>(() => {
    const idx = sample(view.days);
    const fidx = sample(view.forecastDays);
    const labels = [...idx.map((i) => view.days[i]), ...fidx.map((i) => view.forecastDays[i])];
    const gap = fidx.map(() => null);
    const snap = (day: string) => {
      const k = labels.findIndex((l) => l >= day);
      return k === -1 ? labels.length - 1 : k;
    };
    const marks: Marks = {
      thresholds: view.thresholds.map((t) => ({ y: t.balanceMicros / 1e6, label: `${t.label} · ${money(t.balanceMicros, view.unit)}`, color: ACTION_COLOR[t.action] })),
      expiries: view.expiries.map((e) => ({ index: snap(e.day), label: `${e.label} ${e.day}` })),
    };
    const isAccount = view.scope === 'account';
    return {
      type: 'line',
      data: {
        labels,
        datasets: [
          ...view.lines.map((l, k) => ({
            label: l.name,
            data: [...idx.map((i) => (l.balanceMicros[i] ?? 0) / 1e6), ...gap],
            borderColor: colour(isAccount, k),
            backgroundColor: colour(isAccount, k),
            borderWidth: isAccount && k === 0 ? 3 : 1.5,
            pointRadius: 0,
            tension: 0.1,
          })),
          // the forecast continues the first line (the block, or the account total) from its last recorded day
          ...view.lines.slice(0, 1).filter(() => fidx.length > 0).map((l) => ({
            label: 'Forecast at the current burn',
            data: [...idx.map((_, j) => (j === idx.length - 1 ? (l.balanceMicros[idx[j]] ?? 0) / 1e6 : null)), ...fidx.map((i) => (l.forecastMicros[i] ?? 0) / 1e6)],
            borderColor: colour(isAccount, 0),
            backgroundColor: 'transparent',
            borderDash: [6, 4],
            borderWidth: 2,
            pointRadius: 0,
            tension: 0,
          })),
        ],
      },
      options: {
        interaction: { mode: 'index', intersect: false },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 12 } },
          tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${money(Math.round(Number(c.parsed.y) * 1e6), view.unit)}` } },
        },
        scales: {
          x: { ticks: { maxTicksLimit: 12 } },
          y: { beginAtZero: true, title: { display: true, text: `Remaining (${view.unit})` }, ticks: { callback: (v) => Number(v).toLocaleString('en-US') } },
        },
      },
      plugins: [markersPlugin(marks) as Plugin],
    };
  }, [view]);
  const what = view.scope === 'account' ? `account ${view.name}` : `credit block ${view.name}`;
  return <ChartCanvas config={config} label={`Burn-down of ${what} with its forecast, threshold lines and expiry markers`} height={height} />;
}
