/**
 * The rejects file of an import run with onError 'skip': the file's own header plus a
 * `drawdown_error` column, then every rejected row's raw cells (verbatim, so the user can fix
 * and re-import them) and the reason. Rows are appended to a temporary file as they come (the
 * header is only known at the end of the parse); finish() writes the final file and removes the
 * temporary one, discard() only removes it. Memory stays bounded.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RowError } from './types';

export const REJECTS_ERROR_COLUMN = 'drawdown_error';

/** RFC 4180 cell: quoted when it holds a comma, quote, CR or LF, or starts or ends with a space. */
export function csvCell(v: string): string {
  if (v === '') return '';
  if (/[",\r\n]/.test(v) || v.charCodeAt(0) === 32 || v.charCodeAt(v.length - 1) === 32) return `"${v.replace(/"/g, '""')}"`;
  return v;
}

export function describeError(e: RowError): string {
  return `line ${e.line}${e.column ? `, column ${e.column}` : ''}: ${e.message}`;
}

export class RejectsWriter {
  private fd: number | null = null;
  private buf: string[] = [];
  private bufLen = 0;
  private rows = 0;
  private readonly tmp: string;

  constructor(readonly target: string) {
    this.tmp = `${target}.partial-${process.pid}-${Date.now()}`;
  }

  get count(): number {
    return this.rows;
  }

  add(cells: readonly string[], error: RowError): void {
    const line = [...cells.map(csvCell), csvCell(describeError(error))].join(',') + '\r\n';
    this.buf.push(line);
    this.bufLen += line.length;
    this.rows++;
    if (this.bufLen > 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.buf.length === 0) return;
    if (this.fd === null) {
      fs.mkdirSync(path.dirname(this.tmp), { recursive: true });
      this.fd = fs.openSync(this.tmp, 'w');
    }
    fs.writeSync(this.fd, this.buf.join(''));
    this.buf = [];
    this.bufLen = 0;
  }

  /** Writes the final file (header + rows); returns its path, or null when no row was rejected. */
  finish(headers: readonly string[]): string | null {
    if (this.rows === 0) {
      this.discard();
      return null;
    }
    fs.mkdirSync(path.dirname(this.target), { recursive: true });
    const header = [...headers, REJECTS_ERROR_COLUMN].map(csvCell).join(',') + '\r\n';
    if (this.fd === null) {
      fs.writeFileSync(this.target, header + this.buf.join(''));
    } else {
      this.flush();
      fs.closeSync(this.fd);
      this.fd = null;
      const out = fs.openSync(this.target, 'w');
      try {
        fs.writeSync(out, header);
        const inp = fs.openSync(this.tmp, 'r');
        try {
          const chunk = Buffer.alloc(1 << 20);
          for (;;) {
            const n = fs.readSync(inp, chunk, 0, chunk.length, null);
            if (n <= 0) break;
            fs.writeSync(out, chunk, 0, n);
          }
        } finally {
          fs.closeSync(inp);
        }
      } finally {
        fs.closeSync(out);
      }
      fs.rmSync(this.tmp, { force: true });
    }
    this.buf = [];
    return this.target;
  }

  discard(): void {
    if (this.fd !== null) {
      fs.closeSync(this.fd);
      this.fd = null;
    }
    fs.rmSync(this.tmp, { force: true });
    this.buf = [];
  }
}
