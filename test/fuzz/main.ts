/**
 * One fuzz worker (bundled and started by scripts/test-fuzz.mjs): runs its share of the
 * importers' cases and writes a JSON tally to --out. Arguments:
 *   --importers a,b,c   which importers (default: all)
 *   --per N             cases per importer
 *   --huge a,b          importers that also get one huge-cell case each (1, 10 or 17 MB)
 *   --seed S            base seed (each importer derives its own from it)
 *   --only K            run only case K of each importer (to reproduce a failure)
 *   --out FILE          where the JSON tally goes
 *   --failures DIR      where failing cases are saved (file bytes + case description)
 *   --list              print the importer ids as JSON and stop
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { FuzzHarness, type CaseOutcome } from './harness';
import { buildCase, caseArb, hugeCaseArb, type FuzzCase } from './cases';
import { importerIds } from './samples';

export interface ImporterTally {
  importer: string;
  cases: number;
  passed: number;
  failed: number;
  statuses: Record<string, number>;
  rowsRejected: number;
  verbatimChecked: number;
  totalMs: number;
  maxMs: number;
  slowest: string;
  failures: { index: number; label: string; failures: string[]; saved: string | null }[];
}

export interface WorkerReport {
  tallies: ImporterTally[];
  unhandled: string[];
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The seed of one importer's case stream: stable for a base seed and an importer id. */
export function importerSeed(base: number, importer: string): number {
  let h = base | 0;
  for (let i = 0; i < importer.length; i++) h = (Math.imul(h, 31) + importer.charCodeAt(i)) | 0;
  return h;
}

const unhandled: string[] = [];
process.on('unhandledRejection', (e) => unhandled.push(`unhandled rejection: ${(e as Error)?.stack ?? String(e)}`));
process.on('uncaughtException', (e) => unhandled.push(`uncaught exception: ${e?.stack ?? String(e)}`));

function save(dir: string | undefined, importer: string, index: number, c: FuzzCase): string | null {
  if (!dir) return null;
  try {
    fs.mkdirSync(dir, { recursive: true });
    const base = path.join(dir, `${importer}-${index}`);
    fs.writeFileSync(`${base}.csv`, buildCase(c).bytes);
    const shown = { ...c, garbage: { ...c.garbage, bytes: `${c.garbage.bytes.length} bytes` } };
    fs.writeFileSync(`${base}.json`, JSON.stringify(shown, null, 2));
    return `${base}.csv`;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--list')) {
    process.stdout.write(JSON.stringify(importerIds()));
    return;
  }
  const importers = (arg('importers') ?? importerIds().join(',')).split(',').filter(Boolean);
  const per = Math.max(1, Number(arg('per') ?? 100));
  const huge = new Set((arg('huge') ?? '').split(',').filter(Boolean));
  const seed = Number(arg('seed') ?? 1);
  const only = arg('only') === undefined ? null : Number(arg('only'));
  const out = arg('out');
  const failuresDir = arg('failures');
  const harness = new FuzzHarness();
  const tallies: ImporterTally[] = [];
  try {
    for (const importer of importers) {
      const t: ImporterTally = { importer, cases: 0, passed: 0, failed: 0, statuses: {}, rowsRejected: 0, verbatimChecked: 0, totalMs: 0, maxMs: 0, slowest: '', failures: [] };
      tallies.push(t);
      const s = importerSeed(seed, importer);
      const cases = fc.sample(caseArb(importer), { numRuns: per, seed: s });
      if (huge.has(importer)) cases.push(...fc.sample(hugeCaseArb(importer), { numRuns: 1, seed: s ^ 0x5bd1e995 }));
      for (let k = 0; k < cases.length; k++) {
        if (only !== null && k !== only) continue;
        const c = cases[k];
        let o: CaseOutcome;
        try {
          o = await harness.run(c);
        } catch (e) {
          o = { importer, status: 'threw', failures: [`the harness failed: ${(e as Error)?.stack ?? String(e)}`], ms: 0, label: `${importer} case ${k}`, rowsRejected: 0, verbatimChecked: 0, message: '', errors: [] };
        }
        if (unhandled.length) o.failures.push(...unhandled.splice(0));
        t.cases++;
        t.statuses[o.status] = (t.statuses[o.status] ?? 0) + 1;
        t.rowsRejected += o.rowsRejected;
        t.verbatimChecked += o.verbatimChecked;
        t.totalMs += o.ms;
        if (o.ms > t.maxMs) {
          t.maxMs = o.ms;
          t.slowest = o.label;
        }
        if (o.failures.length) {
          t.failed++;
          if (t.failures.length < 5) t.failures.push({ index: k, label: o.label, failures: o.failures, saved: save(failuresDir, importer, k, c) });
        } else t.passed++;
      }
    }
  } finally {
    harness.dispose();
  }
  const report: WorkerReport = { tallies, unhandled: unhandled.splice(0) };
  if (out) fs.writeFileSync(out, JSON.stringify(report));
  else process.stdout.write(JSON.stringify(report) + '\n');
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`fuzz worker failed: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(3);
  },
);
