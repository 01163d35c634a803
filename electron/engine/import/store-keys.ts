/**
 * Row keys and dedup. A row's identity is its content hash (usage rows: with its day) and its
 * occurrence number among the identical rows of its file: two identical rows in one file are both
 * kept (occurrences 1 and 2), and a row sent again in a later, overlapping export finds its
 * identity taken by the earlier import and counts as a duplicate. Nothing is merged on a guess.
 *
 * Invoice lines keep that identity as text (row_key = hash#occurrence). Usage rows, millions of
 * them, keep it as two integers (migration 3): row_key, UNIQUE, and row_check, not indexed.
 *
 *   row_key   = day bucket (13 bits: days since 1970 mod 8192) · 2^40 + (40 hash bits + occurrence − 1) mod 2^40
 *   row_check = 52 further bits of the hash
 *
 * The day in the high bits keeps the keys of a time-ordered export near each other, so the UNIQUE
 * index grows at a few places instead of everywhere (random keys made every insert touch a random
 * leaf; at 5 million rows that index no longer fitted the page cache). Both numbers are exact
 * doubles (< 2^53), so they cross threads in the batch's Float64Array and bind without BigInts.
 *
 * 53 bits can collide. A row is only ever taken for the same identity when row_check agrees too
 * (92 bits of the hash plus the occurrence). When a row's key is held by a different identity,
 * the row goes to its alternative key, negative (−1 − (day bucket · 2^40 + another 40 hash bits +
 * occurrence − 1)), with the same check. Negative keys are so rare that the claims keep all of them
 * in memory: whether an identity already sits at its alternative key is known without a lookup.
 * A second collision, at the alternative key too (odds about 2^-90 per row), refuses the import.
 *
 * Memory stays bounded without remembering every hash of the file: the UNIQUE index on row_key
 * is the memory. Inserting key #j either succeeds (a new row) or meets an existing row; that row
 * is either this file's own earlier occurrence, an earlier import's row this file already matched
 * (a bitmap over row ids), or an earlier import's row not matched yet (this row is its duplicate).
 * A small memo of the last occurrence per repeated hash keeps long runs of identical rows linear.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/open';

const MEMO_CAP = 200_000;
const HASH_SPAN = 2 ** 40;
const DAY_BUCKETS = 8192;
const DAY_MS = 86_400_000;

/** value of a lower-case hex digit by character code, -1 for any other character below 128 */
const HEX_DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) HEX_DIGIT['0123456789abcdef'.charCodeAt(i)] = i;

/** hex digits [from, to) of s as a number (exact: at most 13 digits); -1 when one is not a lower-case hex digit */
function hexNumber(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    const d = c < 128 ? HEX_DIGIT[c] : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/**
 * The numbers a usage key is cut from (hex digits 0–9, 10–22 and 23–32): those of the content hash
 * itself when it is a sha256 (64 lower-case hex digits), otherwise (a label, e.g. a test's) of the
 * sha256 of it. One pass over the digits: a regular expression and three slices took 0.6 µs a row.
 */
function keyNumbers(contentHash: string): { a: number; b: number; c: number } | null {
  if (contentHash.length !== 64 || hexNumber(contentHash, 33, 64) < 0) return null;
  const a = hexNumber(contentHash, 0, 10);
  const b = hexNumber(contentHash, 10, 23);
  const c = hexNumber(contentHash, 23, 33);
  return a < 0 || b < 0 || c < 0 ? null : { a, b, c };
}

// the rows of an export come day after day: the last day's bucket is asked again and again
let lastDay = '';
let lastBucket = 0;

function dayBucket(day: string): number {
  if (day === lastDay) return lastBucket;
  const t = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
  let d = Number.isFinite(t) ? Math.floor(t / DAY_MS) % DAY_BUCKETS : 0;
  if (d < 0) d += DAY_BUCKETS;
  lastDay = day;
  lastBucket = d;
  return d;
}

/** A usage row's identity as numbers: its key and alternative key for occurrence 1 (base, altBase) and its check. */
export interface UsageKeyParts {
  base: number;
  altBase: number;
  check: number;
}

/** The numbers of a usage row's identity (see the top of this file); day is the row's day (YYYY-MM-DD), contentHash its sha256 hex. */
export function usageKeyParts(day: string, contentHash: string): UsageKeyParts {
  const n = keyNumbers(contentHash) ?? keyNumbers(createHash('sha256').update(contentHash).digest('hex'))!;
  const high = dayBucket(day) * HASH_SPAN;
  return { base: high + n.a, check: n.b, altBase: high + n.c };
}

/** row_key of occurrence j (1-based) at a base: the hash bits advance by j − 1 within the day bucket. */
export function usageKey(base: number, j: number): number {
  const low = base % HASH_SPAN;
  return base - low + ((low + j - 1) % HASH_SPAN);
}

/** The alternative (negative) row_key of occurrence j. */
export function usageAltKey(altBase: number, j: number): number {
  return -1 - usageKey(altBase, j);
}

/** Whether occurrence j of an identity is stored (the preview's question; the import asks UsageKeyClaims). */
export function usageKeyLookup(db: Db): (parts: UsageKeyParts, j: number) => boolean {
  const at = db.prepare<[number], { row_check: number }>('SELECT row_check FROM usage_records WHERE row_key = ?');
  return (p, j) => at.get(usageKey(p.base, j))?.row_check === p.check || at.get(usageAltKey(p.altBase, j))?.row_check === p.check;
}

/** A set of row ids below a bound, as a bitmap (falls back to a Set for sparse, huge ids). */
class IdSet {
  private bits: Uint8Array | null = null;
  private set: Set<number> | null = null;
  constructor(private readonly maxId: number) {}
  has(id: number): boolean {
    if (this.bits) return id <= this.maxId && (this.bits[id >>> 3] & (1 << (id & 7))) !== 0;
    return this.set?.has(id) ?? false;
  }
  add(id: number): void {
    if (!this.bits && !this.set) {
      if (this.maxId < 1 << 30) this.bits = new Uint8Array((this.maxId >>> 3) + 1);
      else this.set = new Set();
    }
    if (this.bits && id <= this.maxId) this.bits[id >>> 3] |= 1 << (id & 7);
    else (this.set ??= new Set()).add(id);
  }
}

export type ClaimOutcome = 'new' | 'duplicate';

/** Row ids an import met among earlier imports' rows. */
function matchedSet(db: Db, table: string): IdSet {
  const max = (db.prepare(`SELECT max(id) AS m FROM ${table}`).get() as { m: number | null }).m ?? 0;
  return new IdSet(max);
}

/** Dedup of invoice lines by their text key (hash#occurrence). */
export class RowKeyClaims {
  private readonly memo = new Map<string, number>();
  private readonly matched: IdSet;
  private readonly lookup;

  constructor(
    db: Db,
    private readonly importId: number,
  ) {
    this.matched = matchedSet(db, 'invoice_lines');
    this.lookup = db.prepare<[string], { id: number; import_id: number | null }>('SELECT id, import_id FROM invoice_lines WHERE row_key = ?');
  }

  /**
   * Claims the next free key of this content hash: `tryInsert(key)` inserts the row with that key
   * and returns false when the key is already taken (ON CONFLICT DO NOTHING).
   */
  claim(contentHash: string, tryInsert: (rowKey: string) => boolean): ClaimOutcome {
    const last = this.memo.get(contentHash);
    let j = last === undefined ? 1 : last + 1;
    for (;;) {
      const key = `${contentHash}#${j}`;
      if (tryInsert(key)) {
        if (j > 1) this.remember(contentHash, j);
        return 'new';
      }
      const holder = this.lookup.get(key);
      if (!holder) throw new Error(`row key ${key} was refused but no row holds it`);
      if (holder.import_id === this.importId || this.matched.has(holder.id)) {
        j++;
        continue;
      }
      this.matched.add(holder.id);
      if (j > 1) this.remember(contentHash, j);
      return 'duplicate';
    }
  }

  private remember(hash: string, j: number): void {
    if (this.memo.size >= MEMO_CAP) this.memo.clear();
    this.memo.set(hash, j);
  }
}

interface Holder {
  id: number;
  importId: number;
  check: number;
}

/**
 * Dedup of usage rows by their integer identity (see the top of this file). `insert(key)` inserts
 * the row with that row_key and returns its id, or 0 when the key is already taken (ON CONFLICT DO NOTHING).
 */
export class UsageKeyClaims {
  private readonly memo = new Map<number, { check: number; j: number }>();
  private readonly matched: IdSet;
  private readonly lookup;
  /** every row at an alternative (negative) key, by key */
  private readonly alt = new Map<number, Holder>();

  constructor(
    db: Db,
    private readonly importId: number,
  ) {
    this.matched = matchedSet(db, 'usage_records');
    this.lookup = db.prepare<[number], { id: number; import_id: number; row_check: number }>('SELECT id, import_id, row_check FROM usage_records WHERE row_key = ?');
    const alts = db.prepare<[], { id: number; import_id: number; row_key: number; row_check: number }>(
      'SELECT id, import_id, row_key, row_check FROM usage_records WHERE row_key < 0',
    );
    for (const r of alts.iterate()) this.alt.set(r.row_key, { id: r.id, importId: r.import_id, check: r.row_check });
  }

  claim(base: number, check: number, altBase: number, insert: (rowKey: number) => number): ClaimOutcome {
    // the common case asks no map: no identity of this import has come twice yet, no row sits at an alternative key
    let j = 1;
    if (this.memo.size) {
      const last = this.memo.get(base);
      if (last !== undefined && last.check === check) j = last.j + 1;
    }
    for (; ; j++) {
      const atAlt = this.alt.size ? this.alt.get(usageAltKey(altBase, j)) : undefined;
      let holder: Holder;
      if (atAlt && atAlt.check === check) holder = atAlt;
      else {
        // usageKey(base, 1) is base itself
        const key = j === 1 ? base : usageKey(base, j);
        if (insert(key)) return this.settle(base, check, j, 'new');
        const h = this.lookup.get(key);
        if (!h) throw new Error(`usage row key ${key} was refused but no row holds it`);
        if (h.row_check === check) holder = { id: h.id, importId: h.import_id, check };
        else {
          // the key belongs to another row: this identity lives at its alternative key
          const altKey = usageAltKey(altBase, j);
          const id = atAlt ? 0 : insert(altKey);
          if (!id) throw new Error(`usage row keys ${key} and ${altKey} both belong to other rows (line content hash collision); the import cannot place this row`);
          this.alt.set(altKey, { id, importId: this.importId, check });
          return this.settle(base, check, j, 'new');
        }
      }
      if (holder.importId === this.importId || this.matched.has(holder.id)) continue;
      this.matched.add(holder.id);
      return this.settle(base, check, j, 'duplicate');
    }
  }

  private settle(base: number, check: number, j: number, outcome: ClaimOutcome): ClaimOutcome {
    if (j > 1) {
      if (this.memo.size >= MEMO_CAP) this.memo.clear();
      this.memo.set(base, { check, j });
    }
    return outcome;
  }
}
