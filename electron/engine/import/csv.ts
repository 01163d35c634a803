/**
 * Streaming RFC 4180 CSV over string chunks, with bounded memory.
 *
 * - LF, CRLF and CR line breaks (mixed too), no final newline, quoted fields with delimiters,
 *   doubled quotes and embedded line breaks;
 * - the delimiter (`,` `;` or tab) is detected from the header line unless given;
 * - every record carries the physical line it starts on (the header is line 1);
 * - the output is the same wherever the input was cut into chunks;
 * - broken quoting gives a record with `error` (and the cells read so far), never a throw;
 * - a cell longer than maxCellChars, or a row longer than maxRecordChars, is reported and
 *   parsing resumes after the next line break, so an unterminated quote cannot swallow the
 *   rest of a large file into memory;
 * - blank lines are skipped (they still count as lines).
 *
 * Cells are cut with slice() from the buffer; characters are never concatenated one by one.
 */

export type Delimiter = ',' | ';' | '\t';

export interface CsvRecord {
  /** 1-based physical line where the record starts */
  line: number;
  cells: string[];
  /** set when the record is malformed; cells then holds what could be read */
  error?: string;
  /** 0-based index of the cell the error is about, when known */
  errorColumn?: number;
}

export interface CsvOptions {
  /** a fixed delimiter, or 'auto' (default) to detect it from the header line */
  delimiter?: Delimiter | 'auto';
  maxCellChars?: number;
  maxColumns?: number;
  maxRecordChars?: number;
}

export const DEFAULT_MAX_CELL_CHARS = 16 * 1024 * 1024;
export const DEFAULT_MAX_COLUMNS = 20_000;
export const DEFAULT_MAX_RECORD_CHARS = 64 * 1024 * 1024;

const LF = 10;
const CR = 13;
const QUOTE = 34;
const COMMA = 44;
const SEMI = 59;
const TAB = 9;

/** Picks the delimiter that occurs most often outside quotes in the header line; ',' on a tie or none. */
export function detectDelimiter(headerLine: string): Delimiter {
  let comma = 0;
  let semi = 0;
  let tab = 0;
  let inQ = false;
  for (let k = 0; k < headerLine.length; k++) {
    const c = headerLine.charCodeAt(k);
    if (c === QUOTE) inQ = !inQ;
    else if (inQ) continue;
    else if (c === COMMA) comma++;
    else if (c === SEMI) semi++;
    else if (c === TAB) tab++;
    else if (c === LF || c === CR) break;
  }
  if (semi > comma && semi >= tab) return ';';
  if (tab > comma && tab > semi) return '\t';
  return ',';
}

function indexOrEnd(s: string, ch: string, from: number, n: number): number {
  const k = s.indexOf(ch, from);
  return k < 0 ? n : k;
}

/** Line breaks in a string, CRLF counted once. */
function countBreaks(s: string, from = 0, to = s.length): number {
  let count = 0;
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k);
    if (c === LF) count++;
    else if (c === CR) {
      count++;
      if (k + 1 < to && s.charCodeAt(k + 1) === LF) k++;
    }
  }
  return count;
}

export class CsvStreamParser {
  private buf = '';
  private pos = 0;
  private pending: string[] = [];
  private pendingLen = 0;
  private needMore = 0;
  private line = 1;
  private skipLF = false;
  private discarding = false;
  private started = false;
  private finished = false;
  private delim = -1;
  /** where parsing resumes after a size-limit error (set by capError) */
  private resume = -1;
  private readonly maxCell: number;
  private readonly maxCols: number;
  private readonly maxRec: number;

  constructor(opts: CsvOptions = {}) {
    if (opts.delimiter && opts.delimiter !== 'auto') this.delim = opts.delimiter.charCodeAt(0);
    this.maxCell = opts.maxCellChars ?? DEFAULT_MAX_CELL_CHARS;
    this.maxCols = opts.maxColumns ?? DEFAULT_MAX_COLUMNS;
    this.maxRec = Math.max(opts.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS, this.maxCell);
  }

  /** The delimiter in use, once known. */
  get delimiter(): Delimiter | null {
    return this.delim < 0 ? null : (String.fromCharCode(this.delim) as Delimiter);
  }

  /** Characters held back waiting for the end of a record (for memory checks). */
  get bufferedChars(): number {
    return this.buf.length - this.pos + this.pendingLen;
  }

  push(chunk: string): CsvRecord[] {
    if (this.finished) throw new Error('CSV parser: push() after end()');
    if (chunk.length === 0) return [];
    this.pending.push(chunk);
    this.pendingLen += chunk.length;
    if (this.buf.length - this.pos + this.pendingLen < this.needMore) return [];
    this.refill();
    return this.run(false);
  }

  end(): CsvRecord[] {
    if (this.finished) return [];
    this.refill();
    const out = this.run(true);
    this.finished = true;
    this.buf = '';
    this.pos = 0;
    return out;
  }

  private refill(): void {
    const rest = this.pos < this.buf.length ? this.buf.slice(this.pos) : '';
    this.buf = this.pending.length === 0 ? rest : rest + this.pending.join('');
    this.pos = 0;
    this.pending = [];
    this.pendingLen = 0;
    this.needMore = 0;
  }

  /** Index just after the first line break at or after `from`, or -1 when none in the buffer. */
  private breakEnd(s: string, from: number, n: number, final: boolean): number {
    for (let k = from; k < n; k++) {
      const c = s.charCodeAt(k);
      if (c === LF) return k + 1;
      if (c === CR) {
        if (k + 1 < n) return s.charCodeAt(k + 1) === LF ? k + 2 : k + 1;
        if (!final) this.skipLF = true;
        return k + 1;
      }
    }
    return -1;
  }

  private run(final: boolean): CsvRecord[] {
    const out: CsvRecord[] = [];
    const s = this.buf;
    const n = s.length;
    let i = this.pos;

    if (!this.started) {
      if (n === 0 && !final) return out;
      this.started = true;
      if (n > 0 && s.charCodeAt(0) === 0xfeff) i = 1;
    }
    if (this.skipLF) {
      if (i < n) {
        if (s.charCodeAt(i) === LF) i++;
        this.skipLF = false;
      } else if (final) this.skipLF = false;
    }
    if (this.discarding) {
      const e = this.breakEnd(s, i, n, final);
      if (e < 0) {
        this.pos = n;
        return out;
      }
      this.discarding = false;
      this.line++;
      i = e;
    }
    if (this.delim < 0) {
      let inQ = false;
      let k = i;
      for (; k < n; k++) {
        const c = s.charCodeAt(k);
        if (c === QUOTE) inQ = !inQ;
        else if (!inQ && (c === LF || c === CR)) break;
      }
      if (k >= n && !final && n - i <= this.maxRec) {
        this.pos = i;
        this.needMore = 2 * (n - i) + 1;
        return out;
      }
      this.delim = detectDelimiter(s.slice(i, k)).charCodeAt(0);
    }

    const d = this.delim;
    const dChar = String.fromCharCode(d);
    // Next occurrence at or after i of the delimiter, LF, CR and quote (n when none is left):
    // each is searched again only once i has passed it, so scanning stays linear and native.
    let nextD = -1;
    let nextLF = -1;
    let nextCR = -1;
    let nextQ = -1;
    const maxCell = this.maxCell;
    const maxCols = this.maxCols;
    const maxRec = this.maxRec;
    let line = this.line;

    records: while (i < n) {
      const start = i;
      let c = s.charCodeAt(i);
      if (c === LF) {
        i++;
        line++;
        continue;
      }
      if (c === CR) {
        if (i + 1 < n) i += s.charCodeAt(i + 1) === LF ? 2 : 1;
        else {
          i++;
          if (!final) this.skipLF = true;
        }
        line++;
        continue;
      }

      const cells: string[] = [];
      let err: string | undefined;
      let errCol: number | undefined;
      let inner = 0;
      let fieldStart = i;
      let ended = false;

      field: for (;;) {
        fieldStart = i;
        if (i >= n) {
          if (!final) break field;
          if (cells.length < maxCols) cells.push('');
          ended = true;
          break field;
        }
        c = s.charCodeAt(i);
        let value: string;
        if (c === QUOTE) {
          let j = i + 1;
          let seg = j;
          let closed = false;
          value = '';
          for (;;) {
            const q = s.indexOf('"', j);
            if (q < 0) break;
            if (q + 1 < n) {
              if (s.charCodeAt(q + 1) === QUOTE) {
                value += s.slice(seg, q + 1);
                j = q + 2;
                seg = j;
                continue;
              }
            } else if (!final) break;
            value += s.slice(seg, q);
            closed = true;
            i = q + 1;
            break;
          }
          if (!closed) {
            if (!final) break field;
            if (n - fieldStart > maxCell || n - start > maxRec) {
              this.capError(out, s, n, final, line, cells, start, fieldStart, n);
              const r = this.resume;
              if (r < 0) {
                i = n;
                break records;
              }
              line += countBreaks(s, start, r);
              i = r;
              continue records;
            }
            // Unterminated quote at the end of the file.
            const col = cells.length;
            out.push({ line, cells, error: `unterminated quoted field in column ${col + 1}: a quote opened on line ${line + countBreaks(s, start, fieldStart)} is never closed`, errorColumn: col });
            const e = this.breakEnd(s, fieldStart + 1, n, final);
            if (e < 0) {
              i = n;
              break records;
            }
            line += countBreaks(s, start, e);
            i = e;
            continue records;
          }
          if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) inner += countBreaks(value);
          if (i < n) {
            c = s.charCodeAt(i);
            if (c !== d && c !== LF && c !== CR) {
              if (err === undefined) {
                err = `unexpected text after the closing quote in column ${cells.length + 1} (a quote inside a quoted field must be doubled)`;
                errCol = cells.length;
              }
              let k = i;
              while (k < n) {
                const c2 = s.charCodeAt(k);
                if (c2 === d || c2 === LF || c2 === CR) break;
                k++;
              }
              if (k >= n && !final) break field;
              value += s.slice(i, k);
              i = k;
            }
          } else if (!final) break field;
        } else {
          if (nextD < i) nextD = indexOrEnd(s, dChar, i, n);
          if (nextLF < i) nextLF = indexOrEnd(s, '\n', i, n);
          if (nextCR < i) nextCR = indexOrEnd(s, '\r', i, n);
          let j = nextD < nextLF ? nextD : nextLF;
          if (nextCR < j) j = nextCR;
          if (j >= n && !final) break field;
          if (nextQ < i) nextQ = indexOrEnd(s, '"', i, n);
          if (nextQ < j && err === undefined) {
            err = `unexpected quote in the middle of unquoted column ${cells.length + 1} (quote the whole field and double the quote)`;
            errCol = cells.length;
          }
          value = s.slice(i, j);
          i = j;
        }

        // Size limits, decided at the first position where one is exceeded.
        if (i - fieldStart > maxCell || i - start > maxRec) {
          this.capError(out, s, n, final, line, cells, start, fieldStart, i);
          const r = this.resume;
          if (r < 0) {
            if (!final) this.discarding = true;
            line += countBreaks(s, start, n);
            i = n;
            break records;
          }
          line += countBreaks(s, start, r);
          i = r;
          continue records;
        }

        if (cells.length < maxCols) cells.push(value);
        else if (err === undefined) err = `the row has more than ${maxCols} columns`;

        if (i >= n) {
          ended = true;
          break field;
        }
        c = s.charCodeAt(i);
        if (c === d) {
          i++;
          continue field;
        }
        if (c === LF) i++;
        else if (i + 1 < n) i += s.charCodeAt(i + 1) === LF ? 2 : 1;
        else {
          i++;
          if (!final) this.skipLF = true;
        }
        ended = true;
        break field;
      }

      if (!ended) {
        // Incomplete record: check the limits on what is buffered, else wait for more text.
        if (n - fieldStart > maxCell || n - start > maxRec) {
          this.capError(out, s, n, final, line, cells, start, fieldStart, n);
          const r = this.resume;
          if (r < 0) {
            this.discarding = true;
            line += countBreaks(s, start, n);
            i = n;
            break records;
          }
          line += countBreaks(s, start, r);
          i = r;
          continue records;
        }
        i = start;
        this.needMore = 2 * (n - start) + 1;
        break records;
      }

      if (err !== undefined) out.push(errCol === undefined ? { line, cells, error: err } : { line, cells, error: err, errorColumn: errCol });
      else out.push({ line, cells });
      line += inner + 1;
    }

    this.pos = i;
    this.line = line;
    return out;
  }

  /**
   * Reports the first size limit exceeded by the cell starting at fieldStart (extent up to `end`)
   * or by the row starting at `start`, and sets `resume` to just after the line break where
   * parsing continues (-1: not in the buffer yet).
   */
  private capError(out: CsvRecord[], s: string, n: number, final: boolean, line: number, cells: string[], start: number, fieldStart: number, end: number): void {
    const cellAt = end - fieldStart > this.maxCell ? fieldStart + this.maxCell : Infinity;
    const recAt = end - start > this.maxRec ? start + this.maxRec : Infinity;
    if (cellAt <= recAt) {
      out.push({
        line,
        cells,
        error: `column ${cells.length + 1} is longer than ${this.maxCell} characters (is a quote left open?); the rest of the row was skipped`,
        errorColumn: cells.length,
      });
      this.resume = this.breakEnd(s, fieldStart + 1, n, final);
    } else {
      out.push({ line, cells, error: `the row is longer than ${this.maxRec} characters; it was skipped` });
      this.resume = this.breakEnd(s, start + this.maxRec, n, final);
    }
  }
}

/** Parses a whole string (small inputs, tests). */
export function parseCsv(text: string, opts: CsvOptions = {}): { delimiter: Delimiter; records: CsvRecord[] } {
  const p = new CsvStreamParser(opts);
  const records = p.push(text);
  for (const r of p.end()) records.push(r);
  return { delimiter: p.delimiter ?? ',', records };
}
