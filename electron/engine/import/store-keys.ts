/**
 * Row keys and dedup. A row's key is its content hash (for usage rows prefixed with its day, see
 * usageKeyBase) + '#' + its occurrence number among the identical rows of its file: two identical rows in one file are both kept (…#1, …#2), and a row
 * sent again in a later, overlapping export finds its key taken by the earlier import and counts
 * as a duplicate. Nothing is merged on a guess.
 *
 * Memory stays bounded without remembering every hash of the file: the UNIQUE index on row_key
 * is the memory. Inserting key #j either succeeds (a new row) or meets an existing row; that row
 * is either this file's own earlier occurrence, an earlier import's row this file already matched
 * (a bitmap over row ids), or an earlier import's row not matched yet (this row is its duplicate).
 * A small memo of the last occurrence per repeated hash keeps long runs of identical rows linear.
 */
import type { Db } from '../db/open';

const MEMO_CAP = 200_000;

/**
 * The part of a usage row's key before '#occurrence': its day, then its content hash. The day is
 * a function of the row's content, so identical rows still share a key and a re-sent row still
 * meets its earlier copy; but keys of a time-ordered export arrive nearly in order, so the UNIQUE
 * index on row_key grows at its right edge instead of at random places (a random 64-hex key made
 * every insert touch a random leaf: at 5 million rows the index no longer fits the page cache and
 * the import slowed down several-fold).
 */
export function usageKeyBase(day: string, contentHash: string): string {
  return `${day}/${contentHash}`;
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

export class RowKeyClaims {
  private readonly memo = new Map<string, number>();
  private readonly matched: IdSet;
  private readonly lookup;

  constructor(
    db: Db,
    table: 'usage_records' | 'invoice_lines',
    private readonly importId: number,
  ) {
    const max = (db.prepare(`SELECT max(id) AS m FROM ${table}`).get() as { m: number | null }).m ?? 0;
    this.matched = new IdSet(max);
    this.lookup = db.prepare<[string], { id: number; import_id: number | null }>(`SELECT id, import_id FROM ${table} WHERE row_key = ?`);
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
