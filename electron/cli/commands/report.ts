import fs from 'node:fs';
import path from 'node:path';
import { createEngine, type Engine } from '../../engine/engine';
import { resolveDbPath } from '../../engine/paths';
import { startServer } from '../../server/server';
import { renderReportPdf } from '../../engine/services/pdf';
import { DB_OPTION, UsageError, type Command, type CliIo } from '../command';
import { REPORT_KINDS, type ReportKind } from '../../../shared/api/report-types';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const FORMATS = ['pdf', 'csv', 'json'] as const;
type Format = (typeof FORMATS)[number];

const USAGE = 'drawdown report reconciliation|incidents|forecast|summary --db PATH --from DATE --to DATE --format pdf|csv|json [--out FILE]';
const HELP = `${USAGE}

  --from, --to   the report window, YYYY-MM-DD (reconciliation widens it to whole months)
  --format pdf   the print page rendered by headless Chromium (CHROMIUM_PATH or /usr/bin/chromium);
                 needs the built renderer ("npm run build"); --out is required
  --format csv   one file per table: --out report.csv writes report-<table>.csv for every table
                 (UTF-8 with BOM, every cell quoted, formulas neutralised); without --out the
                 report's main table goes to stdout
  --format json  everything the report page shows, to --out or stdout
Exit codes: 0 written, 1 refused (reason on stderr), 2 usage error.`;

interface Args {
  report: ReportKind;
  from: string;
  to: string;
  format: Format;
  out: string | undefined;
}

function parse(v: Record<string, string | boolean | string[] | undefined>, positionals: string[]): Args {
  const [report, ...extra] = positionals;
  if (!report || !(REPORT_KINDS as readonly string[]).includes(report)) throw new UsageError(`Name the report: ${REPORT_KINDS.join(', ')}.`);
  if (extra.length) throw new UsageError(`Unexpected argument "${extra[0]}".`);
  const from = v.from as string | undefined;
  const to = v.to as string | undefined;
  if (!from || !DAY.test(from) || !to || !DAY.test(to)) throw new UsageError('--from and --to are required, as YYYY-MM-DD.');
  if (from > to) throw new UsageError('--from must not be after --to.');
  const format = (v.format as string | undefined) ?? 'pdf';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}.`);
  const out = v.out as string | undefined;
  if (format === 'pdf' && !out) throw new UsageError('--out FILE is required for a PDF.');
  return { report: report as ReportKind, from, to, format: format as Format, out };
}

/** report.csv + "variances" → report-variances.csv */
export function tableFile(out: string, table: string): string {
  const ext = path.extname(out) || '.csv';
  return path.join(path.dirname(out), `${path.basename(out, path.extname(out))}-${table}${ext}`);
}

async function writeCsv(engine: Engine, a: Args, io: CliIo): Promise<void> {
  const data = await engine.invoke('report-data', { report: a.report, from: a.from, to: a.to });
  const tables = data.meta.tables.map((t) => t.name);
  if (!a.out) {
    io.out((await engine.invoke('report-csv', { report: a.report, table: tables[0], from: a.from, to: a.to })).csv);
    return;
  }
  for (const table of tables) {
    const csv = await engine.invoke('report-csv', { report: a.report, table, from: a.from, to: a.to });
    const file = tableFile(a.out, table);
    fs.writeFileSync(file, csv.csv, 'utf8');
    io.err(`wrote ${file} (${csv.rows} rows)`);
  }
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'A report as PDF, JSON, or CSV with one file per table (--out x.csv writes x-<table>.csv; no --out: main table to stdout)',
  usage: USAGE,
  options: { ...DB_OPTION, from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
  allowPositionals: true,
  async run(v, positionals, io) {
    if (positionals.length === 0 && Object.keys(v).length === 0) {
      io.out(HELP);
      return 2;
    }
    const a = parse(v, positionals);
    const engine = createEngine({ dbPath: resolveDbPath(v.db as string | undefined, io.env), mode: 'cli' });
    try {
      if (a.format === 'json') {
        const text = JSON.stringify(await engine.invoke('report-data', { report: a.report, from: a.from, to: a.to }), null, 2);
        if (a.out) fs.writeFileSync(a.out, text, 'utf8');
        else io.out(text);
      } else if (a.format === 'csv') {
        await writeCsv(engine, a, io);
      } else {
        const pdf = await renderReportPdf({ engine, startServer, rendererDir: io.rendererDir, report: a.report, from: a.from, to: a.to, env: io.env });
        fs.writeFileSync(a.out!, pdf);
        io.err(`wrote ${a.out} (${pdf.length} bytes)`);
      }
      return 0;
    } finally {
      engine.close();
    }
  },
};

export const reportCommands: Command[] = [reportCommand];
