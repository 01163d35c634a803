/**
 * Shared by the fault runner (scripts/test-faults.mjs) and the unit tests of backup, restore and
 * database faults: a generated OpenAI usage export of any size, and esbuild bundles of small
 * TypeScript entry points so child processes and worker threads run the real engine code.
 */
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

/** the project; DRAWDOWN_ROOT when this file runs bundled elsewhere (the fault runner) */
export const ROOT = process.env.DRAWDOWN_ROOT ?? path.resolve(__dirname, '..', '..');

const HEADER =
  'start_time,end_time,start_time_iso,end_time_iso,project_id,num_model_requests,user_id,api_key_id,model,batch,service_tier,input_tokens,output_tokens,input_cached_tokens,input_uncached_tokens,input_text_tokens,output_text_tokens,input_cached_text_tokens,input_audio_tokens,input_cached_audio_tokens,output_audio_tokens,input_image_tokens,input_cached_image_tokens,output_image_tokens';

/** Writes an OpenAI usage export of `rows` rows; different `seed`s give files with different content. */
export function writeUsageCsv(file: string, rows: number, seed = 0): void {
  const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', '+00:00');
  const out = fs.openSync(file, 'w');
  try {
    fs.writeSync(out, HEADER + '\n');
    let chunk: string[] = [];
    for (let i = 0; i < rows; i++) {
      const t = 1735689600 + seed * 86400 * 7 + Math.floor(i / 20) * 60;
      const n = i + seed * 1_000_003;
      chunk.push(
        `${t},${t + 60},${iso(t)},${iso(t + 60)},proj_${n % 13},${1 + (n % 9)}.0,user-${n % 17},key_${n % 23},gpt-4o-2024-08-06,FALSE,default,${2000 + (n % 100_000)}.0,${300 + (n % 97)}.0,${n % 500}.0,${2000 + (n % 100_000) - (n % 500)}.0,${2000 + (n % 100_000)}.0,${300 + (n % 97)}.0,${n % 500}.0,0.0,0.0,0.0,0.0,0.0,0.0`,
      );
      if (chunk.length === 5000) {
        fs.writeSync(out, chunk.join('\n') + '\n');
        chunk = [];
      }
    }
    if (chunk.length) fs.writeSync(out, chunk.join('\n') + '\n');
  } finally {
    fs.closeSync(out);
  }
}

/**
 * Bundles each entry (name → .ts file) to dir/<name>.cjs, better-sqlite3 left external and found
 * through a node_modules link in dir. `alias` swaps modules for a test build (e.g. the migrations).
 */
export async function bundle(dir: string, entries: Record<string, string>, alias?: Record<string, string>): Promise<Record<string, string>> {
  const link = path.join(dir, 'node_modules');
  if (!fs.existsSync(link)) fs.symlinkSync(path.join(ROOT, 'node_modules'), link);
  const out: Record<string, string> = {};
  for (const [name, entry] of Object.entries(entries)) {
    out[name] = path.join(dir, `${name}.cjs`);
    await build({
      entryPoints: [entry],
      outfile: out[name],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      external: ['better-sqlite3', 'playwright-core', 'electron'],
      logLevel: 'warning',
      plugins: alias ? [aliasPlugin(alias)] : [],
    });
  }
  return out;
}

/** Replaces imports whose resolved path (without extension) is a key of `alias` by the mapped file. */
function aliasPlugin(alias: Record<string, string>) {
  return {
    name: 'test-alias',
    setup(b: { onResolve(o: { filter: RegExp }, cb: (a: { path: string; resolveDir: string }) => { path: string } | undefined): void }) {
      b.onResolve({ filter: /.*/ }, (a) => {
        if (!a.path.startsWith('.')) return undefined;
        const target = alias[path.resolve(a.resolveDir, a.path)];
        return target ? { path: target } : undefined;
      });
    },
  };
}

/** Rows of usage_records that came from imports of the named file. */
export const ROWS_OF_FILE_SQL = 'SELECT count(*) AS n FROM usage_records u JOIN imports i ON i.id = u.import_id WHERE i.file_name = ?';
