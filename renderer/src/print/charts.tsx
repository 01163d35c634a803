import { useMemo } from 'react';
import type { ChartConfiguration, Plugin } from 'chart.js';
import { ChartCanvas, PALETTE } from '../components/Chart';
import type { ForecastView, TimelineView, ValueTrendView } from '../../../shared/api/report-types';
import { MICROS } from '../../../shared/money';

const dollars = (m: number | null) => (m === null ? null : m / MICROS);
/** Twice the screen's pixels, so the canvas stays sharp when printed. */
const PRINT_DPR = 2;

const MARK_STYLE: Record<string, { color: string; label: string }> = {
  started: { color: '#9333ea', label: 'incident start' },
  'spike-start': { color: '#dc2626', label: 'spike start' },
  detected: { color: '#ea580c', label: 'detected' },
  resolved: { color: '#16a34a', label: 'resolved' },
};

interface Mark {
  /** category index plus the fraction of the bucket, so 11:30 sits in the middle of the 11:00 bar */
  at: number;
  color: string;
  label: string;
}

/** Draws vertical dashed lines with labels over a category axis (no annotation plugin needed). */
function marksPlugin(marks: Mark[]): Plugin<'bar'> {
  return {
    id: 'incidentMarks',
    afterDatasetsDraw(chart) {
      const { ctx, chartArea } = chart;
      const x = chart.scales.x;
      const step = x.getPixelForValue(1) - x.getPixelForValue(0);
      marks.forEach((m, i) => {
        const px = x.getPixelForValue(Math.floor(m.at)) - step / 2 + (m.at % 1) * step;
        ctx.save();
        ctx.strokeStyle = m.color;
        ctx.fillStyle = m.color;
        ctx.lineWidth = 1.5;
        ctx.setLineDash([4, 3]);
        ctx.beginPath();
        ctx.moveTo(px, chartArea.top);
        ctx.lineTo(px, chartArea.bottom);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.font = '600 10px system-ui, sans-serif';
        // Labels stack downwards so marks in the same bucket stay readable; a white box keeps them off the bars.
        const y = chartArea.top + 2 + i * 13;
        const w = ctx.measureText(m.label).width + 4;
        ctx.fillStyle = 'rgba(255,255,255,0.85)';
        ctx.fillRect(px + 2, y, w, 12);
        ctx.fillStyle = m.color;
        ctx.fillText(m.label, px + 4, y + 10);
        ctx.restore();
      });
    },
  };
}

function markPositions(t: TimelineView): Mark[] {
  const step = t.granularity === 'hour' ? 3_600_000 : 86_400_000;
  const index = new Map(t.buckets.map((b, i) => [b, i]));
  return t.marks
    .filter((m) => MARK_STYLE[m.kind] && index.has(m.bucket))
    .map((m) => {
      const bucketStart = Date.parse(m.bucket.length === 10 ? `${m.bucket}T00:00:00Z` : m.bucket);
      const frac = (Date.parse(m.at.length === 10 ? `${m.at}T00:00:00Z` : m.at) - bucketStart) / step;
      return { at: index.get(m.bucket)! + Math.min(Math.max(frac, 0), 0.999), ...MARK_STYLE[m.kind] };
    });
}

/** Spend against baseline around an incident, with its start, detection and resolution marked. */
export function TimelineChart({ timeline, label, height = 220 }: { timeline: TimelineView; label: string; height?: number }) {
  const config = useMemo((): ChartConfiguration<'bar' | 'line'> => {
    const hourly = timeline.granularity === 'hour';
    return {
      type: 'bar',
      data: {
        labels: timeline.buckets.map((b) => (hourly ? b.slice(11, 13) + 'h' : b.slice(5))),
        datasets: [
          { type: 'bar', label: 'Spend', data: timeline.spendMicros.map(dollars), backgroundColor: '#93c5fd', borderColor: '#2563eb', borderWidth: 1 },
          { type: 'line', label: 'Baseline', data: timeline.baselineMicros.map(dollars), borderColor: '#0f172a', borderDash: [5, 4], pointRadius: 0, borderWidth: 1.5, spanGaps: true },
        ],
      },
      options: {
        devicePixelRatio: PRINT_DPR,
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 12, font: { size: 10 } } }, tooltip: { enabled: true } },
        scales: {
          x: { ticks: { font: { size: 9 }, maxRotation: 0, autoSkip: true, maxTicksLimit: hourly ? 24 : 16 } },
          y: { beginAtZero: true, ticks: { font: { size: 9 }, callback: (v) => `$${Number(v).toLocaleString('en-US')}` } },
        },
      },
      plugins: [marksPlugin(markPositions(timeline)) as Plugin<'bar' | 'line'>],
    };
  }, [timeline]);
  return <ChartCanvas config={config as ChartConfiguration} label={label} height={height} />;
}

/** Balance per account over the window, solid until the as-of day and dashed where projected. */
export function ForecastChart({ chart, height = 240 }: { chart: ForecastView['chart']; height?: number }) {
  const config = useMemo((): ChartConfiguration<'line'> => {
    // one colour per account: its history solid, its projection dashed
    const colors = new Map<string, string>();
    const colorOf = (account: string) => {
      if (!colors.has(account)) colors.set(account, PALETTE[colors.size % PALETTE.length]);
      return colors.get(account)!;
    };
    return {
      type: 'line',
      data: {
        labels: chart.days,
        datasets: chart.lines.map((l) => ({
          label: l.name, data: l.balanceMicros.map(dollars), borderColor: colorOf(l.account), borderDash: l.projected ? [6, 4] : undefined,
          pointRadius: 0, borderWidth: 1.5, spanGaps: false,
        })),
      },
      options: {
        devicePixelRatio: PRINT_DPR,
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 12, font: { size: 9 } } } },
        scales: {
          x: { ticks: { font: { size: 9 }, maxTicksLimit: 12, maxRotation: 0 } },
          y: { beginAtZero: true, ticks: { font: { size: 9 }, callback: (v) => `$${Number(v).toLocaleString('en-US')}` } },
        },
      },
    };
  }, [chart]);
  return <ChartCanvas config={config as ChartConfiguration} label="Balance per credit account, projected at the current burn" height={height} />;
}

/** Cost per unit of value per workload, as an index (first period = 100) so workloads compare. */
export function ValueTrendChart({ trends, height = 220 }: { trends: ValueTrendView[]; height?: number }) {
  const config = useMemo((): ChartConfiguration<'line'> => {
    const periods = [...new Set(trends.flatMap((t) => t.periods))].sort();
    return {
      type: 'line',
      data: {
        labels: periods,
        datasets: trends.map((t, i) => {
          const first = t.costPerUnitMicros.find((v) => v !== null && v > 0) ?? null;
          const at = new Map(t.periods.map((p, k) => [p, t.costPerUnitMicros[k]]));
          return {
            label: `${t.workloadPath} (${t.metric})`,
            data: periods.map((p) => {
              const v = at.get(p);
              return v == null || first === null ? null : Math.round((v / first) * 1000) / 10;
            }),
            borderColor: PALETTE[i % PALETTE.length], pointRadius: 2, borderWidth: 1.5,
          };
        }),
      },
      options: {
        devicePixelRatio: PRINT_DPR,
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 12, font: { size: 9 } } } },
        scales: { x: { ticks: { font: { size: 9 } } }, y: { ticks: { font: { size: 9 } }, title: { display: true, text: 'cost per unit, first period = 100', font: { size: 9 } } } },
      },
    };
  }, [trends]);
  return <ChartCanvas config={config as ChartConfiguration} label="Cost per unit of value per workload" height={height} />;
}
