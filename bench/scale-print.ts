/**
 * Output of the scale benchmark: one line per figure with its spread, its goal and PASS/MISS,
 * and the list of misses for the summary.
 */
import { fmtMs, verdict } from './scale-time';

/** Goals on this machine (issue 7): each dashboard query, a screen's load, a report. */
export const GOAL = { query: 200, visible: 1500, report: 3000 };

export const out = (s = ''): void => console.log(s);

export const short = (sql: string, n = 150): string => (sql.length > n ? `${sql.slice(0, n - 1)}…` : sql);

export interface Missed {
  what: string;
  ms: number;
  goal: number;
}

export const missed: Missed[] = [];

export function judge(what: string, ms: number, goal: number): void {
  if (ms >= goal) missed.push({ what, ms, goal });
}

export function row(label: string, t: { medianMs: number; minMs?: number; maxMs?: number; runs?: number }, goalMs: number | null, note = ''): void {
  const spread = t.minMs !== undefined && t.maxMs !== undefined && t.runs && t.runs > 1 ? ` (${fmtMs(t.minMs)}–${fmtMs(t.maxMs)}, n=${t.runs})` : t.runs === 1 ? ' (n=1)' : '';
  const goal = goalMs === null ? ''.padEnd(16) : `goal < ${fmtMs(goalMs)}`.padEnd(16);
  const v = goalMs === null ? '    ' : verdict(t.medianMs, goalMs);
  out(`  ${label.padEnd(44)} ${fmtMs(t.medianMs).padStart(9)}${spread.padEnd(26)} ${goal} ${v}${note ? `  ${note}` : ''}`);
}

/** One traced SQL statement: its median time per run, calls per run, verdict and text. */
export function statementLine(s: { sql: string; calls: number; medianMs: number }, goalMs: number | null, width = 150): void {
  const v = goalMs === null ? '' : `${verdict(s.medianMs, goalMs)}  `;
  out(`    ${fmtMs(s.medianMs).padStart(9)} ×${String(s.calls).padEnd(3)} ${v}${short(s.sql, width)}`);
}
