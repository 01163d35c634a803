#!/usr/bin/env node
/**
 * Builds the bundled price catalog resources/prices/catalog.json from the models.dev extract
 * ../shared/data/prices/models-dev-prices.csv (USD per million tokens) — integer micro-USD per
 * million tokens, with the source, its commit and date, and the models.dev MIT notice.
 *
 *   node scripts/build-catalog.mjs [--in path.csv] [--out path.json] [--commit sha] [--date YYYY-MM-DD]
 *
 * Users may rebuild it from a newer extract the same way; the app reads the JSON only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};

const input = path.resolve(arg('in', path.join(root, '..', 'shared', 'data', 'prices', 'models-dev-prices.csv')));
const output = path.resolve(arg('out', path.join(root, 'resources', 'prices', 'catalog.json')));
// The extract's provenance, as documented in ../shared/data/README.md.
const sourceCommit = arg('commit', 'f3fc6922');
const date = arg('date', '2026-07-02');

const LICENCE = `Model prices from models.dev (https://models.dev, repository anomalyco/models.dev), MIT licence.

MIT License

Copyright (c) 2025 models.dev

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.`;

/** "0.33" USD → 330000 micro-USD, exactly (no floats), half-even beyond 6 decimals. */
function toMicros(text, what) {
  const s = String(text ?? '').trim();
  if (s === '') return null;
  const m = /^(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[1] === '' && !m[2])) throw new Error(`${what}: not a price: "${s}"`);
  const frac = m[2] ?? '';
  const keep = (frac + '000000').slice(0, 6);
  let units = BigInt((m[1] || '0') + keep);
  const dropped = frac.slice(6);
  if (dropped.length) {
    const first = Number(dropped[0]);
    const restNonZero = /[1-9]/.test(dropped.slice(1));
    if (first > 5 || (first === 5 && (restNonZero || units % 2n === 1n))) units += 1n;
  }
  if (units > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`${what}: price too large`);
  return Number(units);
}

const text = fs.readFileSync(input, 'utf8').replace(/^\uFEFF/, '');
const parsed = Papa.parse(text, { header: true, skipEmptyLines: true });
if (parsed.errors.length) throw new Error(`${input}: ${parsed.errors.map((e) => `row ${e.row}: ${e.message}`).join('; ')}`);

const seen = new Set();
const models = [];
for (const [i, r] of parsed.data.entries()) {
  const where = `${path.basename(input)} row ${i + 2}`;
  const provider = (r.provider ?? '').trim();
  const modelId = (r.model_id ?? '').trim();
  if (!provider || !modelId) throw new Error(`${where}: provider and model_id are required`);
  const inputPrice = toMicros(r.input_usd_per_mtok, `${where} input`);
  const outputPrice = toMicros(r.output_usd_per_mtok, `${where} output`);
  if (inputPrice === null || outputPrice === null) throw new Error(`${where}: input and output prices are required`);
  const effectiveFrom = [r.release_date, r.last_updated].map((d) => (d ?? '').trim()).find((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)) ?? '1970-01-01';
  const key = `${provider}\n${modelId}\n${effectiveFrom}`;
  if (seen.has(key)) continue;
  seen.add(key);
  models.push({
    provider,
    modelId,
    displayName: (r.name ?? '').trim() || null,
    family: (r.family ?? '').trim() || null,
    inputPerMTokMicros: inputPrice,
    outputPerMTokMicros: outputPrice,
    cacheReadPerMTokMicros: toMicros(r.cache_read_usd_per_mtok, `${where} cache read`),
    cacheWritePerMTokMicros: toMicros(r.cache_write_usd_per_mtok, `${where} cache write`),
    effectiveFrom,
  });
}

const catalog = {
  source: 'models.dev (https://models.dev, repository anomalyco/models.dev), extracted to models-dev-prices.csv; prices in micro-USD per million tokens',
  sourceCommit,
  date,
  licence: LICENCE,
  models,
};
fs.mkdirSync(path.dirname(output), { recursive: true });
// One model per line keeps updates reviewable as diffs.
const head = JSON.stringify({ ...catalog, models: [] }, null, 2).replace(/\[\]\n\}$/, '[\n');
fs.writeFileSync(output, `${head}${models.map((m) => `    ${JSON.stringify(m)}`).join(',\n')}\n  ]\n}\n`);
console.log(`wrote ${models.length} model prices to ${path.relative(process.cwd(), output)}`);
