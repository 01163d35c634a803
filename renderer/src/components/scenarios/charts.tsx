import { useMemo } from 'react';
import type { ChartConfiguration } from 'chart.js';
import { ChartCanvas, PALETTE } from '../Chart';
import type { BlockOutlook, FanSeries, Outlook } from '../../../../shared/api/scenario-types';
import { addDays } from '../../../../shared/dates';

/** Colour of a run: the baseline grey, scenarios from the palette. */
export const runColour = (i: number) => (i === 0 ? '#475569' : PALETTE[(i - 1) % PALETTE.length]);

const dollars = (micros: number) => micros / 1e6;
const axisMoney = (v: number | string) => `$${Number(v).toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
const alpha = (hex: string, a: number) => `${hex}${Math.round(a * 255).toString(16).padStart(2, '0')}`;

/**
 * Fan chart of one block in one run: the P10–P90 band as the area filled between two lines,
 * the P50 line on top, and (for a scenario) the baseline's P50 dashed for reference.
 */
export function FanChart({ days, fan, baseline, colour, label, yMax }: { days: string[]; fan: FanSeries; baseline?: FanSeries; colour: string; label: string; yMax: number }) {
  const config = useMemo<ChartConfiguration>(() => {
    const line = (data: number[], extra: object) => ({ data: data.map(dollars), pointRadius: 0, borderWidth: 1, tension: 0, ...extra });
    return {
      type: 'line',
      data: {
        labels: days,
        datasets: [
          line(fan.p90, { label: 'P90', borderColor: alpha(colour, 0.5), fill: false }),
          line(fan.p10, { label: 'P10–P90', borderColor: alpha(colour, 0.5), backgroundColor: alpha(colour, 0.18), fill: '-1' }),
          line(fan.p50, { label: 'P50', borderColor: colour, borderWidth: 2, fill: false }),
          ...(baseline ? [line(baseline.p50, { label: 'Baseline P50', borderColor: '#94a3b8', borderDash: [5, 4], fill: false })] : []),
        ],
      },
      options: {
        interaction: { mode: 'index', intersect: false },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 10, filter: (item) => item.text !== 'P90' } },
          tooltip: { callbacks: { label: (c) => `${c.dataset.label === 'P10–P90' ? 'P10' : c.dataset.label}: ${axisMoney(Number(c.parsed.y))}` } },
        },
        scales: {
          x: { ticks: { maxTicksLimit: 6, maxRotation: 0 } },
          y: { beginAtZero: true, max: yMax > 0 ? Math.ceil(dollars(yMax) * 1.05) : undefined, ticks: { callback: axisMoney } },
        },
      },
    };
  }, [days, fan, baseline, colour, yMax]);
  return <ChartCanvas config={config} label={label} height={220} />;
}

/**
 * Depletion date distribution of one block per run, as floating bars on a date axis: P10 to P50
 * and P50 to P90 of the day it runs dry. A quantile beyond the horizon is drawn to its end.
 */
export function DepletionChart({ runs, blockId, days }: { runs: Outlook[]; blockId: number; days: string[] }) {
  const config = useMemo<ChartConfiguration>(() => {
    const H = days.length;
    const at = (d: string | null) => (d === null ? H : Math.max(0, days.indexOf(d)));
    const blocks = runs.map((r) => r.blocks.find((b) => b.blockId === blockId));
    const span = (b: BlockOutlook | undefined, lo: 'p10' | 'p50', hi: 'p50' | 'p90'): [number, number] | null => (b && b[lo] !== null ? [at(b[lo]), at(b[hi])] : null);
    const tick = (v: number | string) => (Number(v) >= H ? '' : (days[Math.round(Number(v))] ?? ''));
    const when = (v: number) => (v >= H ? `after ${days[H - 1]}` : days[v]);
    return {
      type: 'bar',
      data: {
        labels: runs.map((r) => r.label),
        datasets: [
          { label: 'P10 → P50', data: blocks.map((b) => span(b, 'p10', 'p50')), backgroundColor: runs.map((_, i) => alpha(runColour(i), 0.45)), grouped: false, borderSkipped: false, barPercentage: 0.7, minBarLength: 3 },
          { label: 'P50 → P90', data: blocks.map((b) => span(b, 'p50', 'p90')), backgroundColor: runs.map((_, i) => alpha(runColour(i), 0.85)), grouped: false, borderSkipped: false, barPercentage: 0.7, minBarLength: 3 },
        ],
      } as ChartConfiguration['data'],
      options: {
        indexAxis: 'y',
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (c) => { const v = c.raw as [number, number] | null; return v ? `${c.dataset.label}: ${when(v[0])} → ${when(v[1])}` : 'does not run dry within the horizon'; } } },
        },
        scales: { x: { min: 0, max: H, ticks: { callback: tick, maxTicksLimit: 6, maxRotation: 0 } } },
      },
    };
  }, [runs, blockId, days]);
  return <ChartCanvas config={config} label="Depletion date distribution per run: P10 to P50 and P50 to P90 of the day the block runs dry" height={60 + 34 * runs.length} />;
}

/**
 * The depletion date distribution of one block itself: the share of paths running dry in each
 * ISO week (the weeks from the first to the last any run has), then the share that does not
 * within the horizon, one bar per run side by side.
 */
export function DepletionHistogramChart({ runs, blockId, name }: { runs: Outlook[]; blockId: number; name: string }) {
  const config = useMemo<ChartConfiguration>(() => {
    const hists = runs.map((r) => r.blocks.find((b) => b.blockId === blockId)?.histogram);
    let first = Infinity;
    let last = -1;
    for (const h of hists) h?.counts.forEach((c, i) => c > 0 && ((first = Math.min(first, i)), (last = Math.max(last, i))));
    const start = hists.find((h) => h)?.weekStart;
    const range = last < 0 || !start ? [] : Array.from({ length: last - first + 1 }, (_, k) => first + k);
    const labels = [...range.map((i) => `Week of ${addDays(start!, 7 * i)}`), 'Not within the horizon'];
    const total = (h: NonNullable<(typeof hists)[number]>) => h.counts.reduce((a, b) => a + b, 0) + h.notDepleted;
    return {
      type: 'bar',
      data: {
        labels,
        datasets: runs.map((r, j) => {
          const h = hists[j];
          const share = (n: number) => (h ? (100 * n) / total(h) : null);
          return { label: r.label, data: h ? [...range.map((i) => share(h.counts[i] ?? 0)), share(h.notDepleted)] : labels.map(() => null), backgroundColor: runColour(j), minBarLength: 0 };
        }),
      },
      options: {
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 10 } },
          tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${Number(c.parsed.y).toFixed(1)}% of paths` } },
        },
        scales: {
          x: { ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 8, callback: (v) => String(labels[Number(v)] ?? '').replace('Week of ', '') } },
          y: { beginAtZero: true, title: { display: true, text: '% of paths' }, ticks: { callback: (v) => `${v}%` } },
        },
      },
    };
  }, [runs, blockId]);
  return <ChartCanvas config={config} label={`Depletion dates by week of ${name}: share of paths in which it runs dry each week, and not within the horizon, per run`} height={240} />;
}

/** Expected credit expiring unused and expected overage (post-pay) per run, in the accounts' unit. */
export function WasteOverageChart({ runs }: { runs: Outlook[] }) {
  const config = useMemo<ChartConfiguration>(() => {
    const waste = runs.map((r) => dollars(r.blocks.reduce((s, b) => s + b.expectedWasteMicros, 0)));
    const overage = runs.map((r) => dollars(r.accounts.reduce((s, a) => s + a.expectedOverageMicros, 0)));
    return {
      type: 'bar',
      data: {
        labels: runs.map((r) => r.label),
        datasets: [
          { label: 'Expected waste (expires unused)', data: waste, backgroundColor: '#a855f7' },
          { label: 'Expected overage (post-pay)', data: overage, backgroundColor: '#f97316' },
        ],
      },
      options: {
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 10 } }, tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${axisMoney(Number(c.parsed.y))}` } } },
        scales: { y: { beginAtZero: true, ticks: { callback: axisMoney } } },
      },
    };
  }, [runs]);
  return <ChartCanvas config={config} label="Expected waste and overage per run" height={240} />;
}
