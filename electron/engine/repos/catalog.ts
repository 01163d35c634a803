import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/open';
import type { PriceCatalog, PriceEntry } from '../../../shared/catalog';
import { createSettingsRepo } from './settings';

/**
 * The price catalog table, fed from resources/prices/catalog.json (models.dev prices, built by
 * scripts/build-catalog.mjs). The file is loaded when the table holds none of its rows or when
 * the file changed since it was loaded (newer mtime and different content), so a user who
 * replaces the file gets the new prices at the next import. Rows entered by hand (another
 * source) are never touched. A copy at <database folder>/prices/catalog.json wins over the
 * bundled file, so the desktop app's catalog can be updated without touching the install.
 */

export const CATALOG_SOURCE = 'catalog-file';
const SETTING = 'price_catalog_file';

interface LoadedMark {
  path: string;
  mtimeMs: number;
  sha256: string;
  date: string | null;
  entries: number;
}

/** Where the catalog file is: DRAWDOWN_PRICE_CATALOG, beside the database, the app's resources, or up from this module. */
export function findCatalogFile(dbPath?: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates: string[] = [];
  if (env.DRAWDOWN_PRICE_CATALOG) candidates.push(path.resolve(env.DRAWDOWN_PRICE_CATALOG));
  if (dbPath && dbPath !== ':memory:') candidates.push(path.join(path.dirname(path.resolve(dbPath)), 'prices', 'catalog.json'));
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) candidates.push(path.join(resourcesPath, 'prices', 'catalog.json'));
  let dir = typeof __dirname === 'string' ? __dirname : process.cwd();
  for (let i = 0; i < 6; i++) {
    candidates.push(path.join(dir, 'resources', 'prices', 'catalog.json'));
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  candidates.push(path.join(process.cwd(), 'resources', 'prices', 'catalog.json'));
  for (const c of candidates) {
    try {
      if (fs.statSync(c).isFile()) return c;
    } catch {
      /* not there */
    }
  }
  return null;
}

export interface EnsureCatalogResult {
  loaded: boolean;
  entries: number;
  file: string | null;
  /** set when the file could not be read; the table is left as it was */
  warning: string | null;
}

function validEntry(e: unknown): e is PriceEntry {
  if (!e || typeof e !== 'object') return false;
  const x = e as Record<string, unknown>;
  const int = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  const intOrNull = (v: unknown) => v === null || v === undefined || int(v);
  return (
    typeof x.provider === 'string' && x.provider.length > 0 && typeof x.modelId === 'string' && x.modelId.length > 0 &&
    int(x.inputPerMTokMicros) && int(x.outputPerMTokMicros) && intOrNull(x.cacheReadPerMTokMicros) && intOrNull(x.cacheWritePerMTokMicros) &&
    typeof x.effectiveFrom === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(x.effectiveFrom)
  );
}

/** Loads the catalog file into price_catalog when the table lacks it or the file changed. Never throws for a bad file. */
export function ensurePriceCatalog(db: Db, file: string | null = findCatalogFile()): EnsureCatalogResult {
  if (!file) return { loaded: false, entries: 0, file: null, warning: 'No price catalog file (resources/prices/catalog.json) was found; catalog costs are not computed.' };
  const settings = createSettingsRepo(db);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (e) {
    return { loaded: false, entries: 0, file, warning: `The price catalog ${file} cannot be read: ${(e as Error).message}` };
  }
  const count = (db.prepare('SELECT count(*) AS n FROM price_catalog WHERE source = ?').get(CATALOG_SOURCE) as { n: number }).n;
  let mark: LoadedMark | null = null;
  try {
    mark = JSON.parse(settings.get(SETTING) ?? 'null') as LoadedMark | null;
  } catch {
    mark = null;
  }
  if (count > 0 && mark && stat.mtimeMs <= mark.mtimeMs) return { loaded: false, entries: count, file, warning: null };

  let text: string;
  let catalog: PriceCatalog;
  try {
    text = fs.readFileSync(file, 'utf8');
    catalog = JSON.parse(text) as PriceCatalog;
  } catch (e) {
    return { loaded: false, entries: count, file, warning: `The price catalog ${file} is not valid JSON (${(e as Error).message}); the prices loaded before are kept.` };
  }
  const sha256 = createHash('sha256').update(text).digest('hex');
  if (count > 0 && mark && mark.sha256 === sha256) {
    settings.set(SETTING, JSON.stringify({ ...mark, mtimeMs: stat.mtimeMs }));
    return { loaded: false, entries: count, file, warning: null };
  }
  const models = Array.isArray(catalog?.models) ? catalog.models : [];
  const good = models.filter(validEntry);
  if (good.length === 0) {
    return { loaded: false, entries: count, file, warning: `The price catalog ${file} lists no usable model prices; the prices loaded before are kept.` };
  }
  const insert = db.prepare(
    `INSERT INTO price_catalog (provider, model_id, display_name, family, input_per_mtok_micros, output_per_mtok_micros,
       cache_read_per_mtok_micros, cache_write_per_mtok_micros, effective_from, effective_to, source)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)
     ON CONFLICT (provider, model_id, effective_from) DO NOTHING`,
  );
  db.transaction(() => {
    db.prepare('DELETE FROM price_catalog WHERE source = ?').run(CATALOG_SOURCE);
    for (const e of good) {
      insert.run(
        e.provider, e.modelId, e.displayName ?? null, e.family ?? null, e.inputPerMTokMicros, e.outputPerMTokMicros,
        e.cacheReadPerMTokMicros ?? null, e.cacheWritePerMTokMicros ?? null, e.effectiveFrom, CATALOG_SOURCE,
      );
    }
    const mark2: LoadedMark = { path: file, mtimeMs: stat.mtimeMs, sha256, date: typeof catalog.date === 'string' ? catalog.date : null, entries: good.length };
    settings.set(SETTING, JSON.stringify(mark2));
  }).immediate();
  const skipped = models.length - good.length;
  return { loaded: true, entries: good.length, file, warning: skipped > 0 ? `${skipped} entries of the price catalog ${file} were not usable and were left out.` : null };
}

/** Every price in the table (the file's and any entered by hand), as the pure lookups in shared/catalog.ts take them. */
export function loadPriceCatalog(db: Db): PriceEntry[] {
  return db
    .prepare<[], PriceEntry>(
      `SELECT provider, model_id AS modelId, display_name AS displayName, family, input_per_mtok_micros AS inputPerMTokMicros,
              output_per_mtok_micros AS outputPerMTokMicros, cache_read_per_mtok_micros AS cacheReadPerMTokMicros,
              cache_write_per_mtok_micros AS cacheWritePerMTokMicros, effective_from AS effectiveFrom
       FROM price_catalog ORDER BY id`,
    )
    .all();
}
