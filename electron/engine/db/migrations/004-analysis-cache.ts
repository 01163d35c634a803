/**
 * Migration 4: analysis_cache, results derived from every usage row and kept up to date
 * incrementally (repos/analysis-cache.ts): the first use of each model by each API key (incident
 * reports) and the exact decimal sums of the billed cost (stats). Each took 5–14 s over 5 million
 * rows (bench/scale.ts); kept here, a report reads only the rows added since (usage ids are
 * assigned in insertion order), and starts over when rows it covered were removed (an import
 * undone). Nothing here is a source of truth: deleting a row only costs a recomputation.
 */
export const migration004 = `
CREATE TABLE analysis_cache (
  name TEXT PRIMARY KEY,
  -- the payload's format; a different one is recomputed
  format INTEGER NOT NULL,
  -- the usage rows with id <= covered_id are in the payload, covered_rows of them
  covered_id INTEGER NOT NULL,
  covered_rows INTEGER NOT NULL,
  -- committed imports with id <= covered_import when computed, as count:sum of ids; an undo changes it
  covered_import INTEGER NOT NULL,
  imports_sig TEXT NOT NULL,
  payload TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
`;
