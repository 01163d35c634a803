/**
 * Byte → text decoding for imported files: UTF-8 (with or without BOM), UTF-16 LE/BE (with a
 * BOM, as Excel's "Unicode text" writes, or recognised by its zero bytes) and Windows-1252 as the
 * fallback when the bytes are not valid UTF-8. Streaming: multibyte sequences split across
 * chunks are carried over, and the result never depends on where the chunks were cut.
 */

export type EncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface SniffResult {
  encoding: EncodingName;
  /** a byte order mark was found and is not part of the text */
  bom: boolean;
  bomLength: number;
}

/** Bytes looked at before the encoding is decided (fewer only when the file is shorter). */
export const SNIFF_BYTES = 4096;

/**
 * Decides the encoding from the first bytes. Without a BOM: UTF-16 when most odd (LE) or even
 * (BE) bytes are zero, Windows-1252 when the window is not valid UTF-8, UTF-8 otherwise.
 */
export function sniffEncoding(head: Uint8Array, final = true): SniffResult {
  const n = head.length;
  if (n >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: true, bomLength: 3 };
  if (n >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: true, bomLength: 2 };
  if (n >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: true, bomLength: 2 };
  const pairs = Math.min(n, SNIFF_BYTES) >> 1;
  if (pairs >= 2) {
    let zeroEven = 0;
    let zeroOdd = 0;
    for (let i = 0; i < pairs; i++) {
      if (head[2 * i] === 0) zeroEven++;
      if (head[2 * i + 1] === 0) zeroOdd++;
    }
    if (zeroOdd >= pairs * 0.4 && zeroEven <= pairs * 0.05) return { encoding: 'utf-16le', bom: false, bomLength: 0 };
    if (zeroEven >= pairs * 0.4 && zeroOdd <= pairs * 0.05) return { encoding: 'utf-16be', bom: false, bomLength: 0 };
  }
  const window = head.subarray(0, Math.min(n, SNIFF_BYTES));
  const bad = firstInvalidUtf8(window, !final || n > SNIFF_BYTES);
  return { encoding: bad === -1 ? 'utf-8' : 'windows-1252', bom: false, bomLength: 0 };
}

/**
 * Index of the first byte that starts an invalid UTF-8 sequence, or -1. With allowTruncatedEnd a
 * sequence cut off by the end of the buffer is not an error (more bytes may follow).
 */
export function firstInvalidUtf8(b: Uint8Array, allowTruncatedEnd = false): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f; // no surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return allowTruncatedEnd ? -1 : i;
      const cc = b[i + k];
      if (k === 1 ? cc < lo || cc > hi : cc < 0x80 || cc > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

/** Length of the prefix of b that ends on a complete UTF-8 sequence (the rest may be continued). */
function completeUtf8Prefix(b: Uint8Array): number {
  const n = b.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const c = b[n - back];
    if (c < 0x80) return n;
    if (c >= 0xc0) {
      const len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
      return len > back ? n - back : n;
    }
  }
  return n;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

const EMPTY = new Uint8Array(0);

/** Windows-1252 code points for bytes 0x80–0x9F (the rest is Latin-1); unassigned bytes map to themselves, as WHATWG does. */
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

/**
 * Windows-1252 → text. Not TextDecoder('windows-1252'): Node 20's decodes 0x80–0x9F as Latin-1
 * (so € would come out as U+0080).
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  const s = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return /[\x80-\x9f]/.test(s) ? s.replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]) : s;
}

/**
 * Streaming decoder: write(chunk) returns the text decoded so far, end() the rest. The BOM is
 * dropped. When bytes later in a UTF-8 file turn out not to be UTF-8, decoding switches to
 * Windows-1252 from the first invalid byte on (the text before it was valid UTF-8, which for the
 * usual ASCII prefix is the same text either way).
 */
export class StreamDecoder {
  private head: Uint8Array = EMPTY;
  private decided = false;
  private enc: EncodingName = 'utf-8';
  private hasBom = false;
  private carry: Uint8Array = EMPTY;
  private utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private utf16: InstanceType<typeof TextDecoder> | null = null;
  private switched = false;

  constructor(private readonly forced?: EncodingName) {}

  /** The encoding in use (the final one after a fallback switch). */
  get encoding(): EncodingName {
    return this.enc;
  }
  get bom(): boolean {
    return this.hasBom;
  }
  /** True when a UTF-8 file fell back to Windows-1252 part way through. */
  get fellBack(): boolean {
    return this.switched;
  }

  write(chunk: Uint8Array): string {
    if (!this.decided) {
      // copy: the caller may reuse its buffer
      this.head = this.head.length ? concat(this.head, chunk) : chunk.slice();
      if (this.head.length < SNIFF_BYTES) return '';
      return this.decide(false);
    }
    return this.decodeMore(chunk, false);
  }

  end(): string {
    if (!this.decided) return this.decide(true) + this.decodeMore(EMPTY, true);
    return this.decodeMore(EMPTY, true);
  }

  private decide(final: boolean): string {
    const head = this.head;
    this.head = EMPTY;
    this.decided = true;
    let skip = 0;
    if (this.forced) {
      this.enc = this.forced;
      const s = sniffEncoding(head, final);
      if (s.bom && s.encoding === this.forced) {
        skip = s.bomLength;
        this.hasBom = true;
      }
    } else {
      const s = sniffEncoding(head, final);
      this.enc = s.encoding;
      this.hasBom = s.bom;
      skip = s.bomLength;
    }
    if (this.enc === 'utf-16le' || this.enc === 'utf-16be') this.utf16 = new TextDecoder(this.enc, { ignoreBOM: true });
    return this.decodeMore(head.subarray(skip), final);
  }

  private decodeMore(chunk: Uint8Array, final: boolean): string {
    switch (this.enc) {
      case 'utf-16le':
      case 'utf-16be':
        return this.utf16!.decode(chunk, { stream: !final });
      case 'windows-1252':
        return chunk.length ? decodeWindows1252(chunk) : '';
      default:
        return this.decodeUtf8(chunk, final);
    }
  }

  private decodeUtf8(chunk: Uint8Array, final: boolean): string {
    const bytes = concat(this.carry, chunk);
    const cut = final ? bytes.length : completeUtf8Prefix(bytes);
    this.carry = cut < bytes.length ? bytes.slice(cut) : EMPTY;
    if (cut === 0) return '';
    const body = bytes.subarray(0, cut);
    try {
      return this.utf8.decode(body);
    } catch {
      // Not UTF-8 after all: keep the valid prefix, Windows-1252 from the first bad byte on.
      const bad = firstInvalidUtf8(body, false);
      const at = bad < 0 ? 0 : bad;
      this.enc = 'windows-1252';
      this.switched = true;
      const rest = concat(body.slice(at), this.carry);
      this.carry = EMPTY;
      return (at > 0 ? this.utf8.decode(body.subarray(0, at)) : '') + decodeWindows1252(rest);
    }
  }
}

/** Decodes a whole buffer (small files, tests). */
export function decodeAll(bytes: Uint8Array, forced?: EncodingName): { text: string; encoding: EncodingName; bom: boolean } {
  const d = new StreamDecoder(forced);
  const text = d.write(bytes) + d.end();
  return { text, encoding: d.encoding, bom: d.bom };
}
