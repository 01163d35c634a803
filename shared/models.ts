/**
 * Model-name normalisation: the many spellings of one model in exports (API ids with and without
 * a date, console display names, Bedrock ids with region and version, Bedrock Marketplace product
 * names, Azure meter names, Vertex SKU descriptions, OpenRouter slugs) → one canonical id in the
 * model_id namespace of the price catalog's anthropic / openai / google providers:
 *
 *   claude-sonnet-4-5-20250929, "Claude Sonnet 4.5", us.anthropic.claude-sonnet-4-5-20250929-v1:0,
 *   "Claude Sonnet 4.5 (Amazon Bedrock Edition)", claude-sonnet-4-5@20250929 → claude-sonnet-4-5
 *   claude-3-5-sonnet-20241022, "Claude 3.5 Sonnet"                          → claude-3-5-sonnet
 *   "gpt 4o 0513 Input global Tokens", gpt-4o-2024-08-06                      → gpt-4o
 *   gpt-4o-mini-2024-07-18, "gpt-4o-mini-0718-Inp-glbl Tokens"                → gpt-4o-mini
 *   "GPT 5 Inpt Glbl"                                                         → gpt-5
 *   "Gemini 2.5 Flash GA Text Input - Predictions"                            → gemini-2.5-flash
 *
 * Snapshot dates are dropped (the catalog prices the family). Ids of other vendors are kept as
 * ids with their vendor/region prefix and version suffix removed. Free text that names no known
 * model → modelId null. Pure: no node imports.
 */

export interface NormalizedModel {
  modelId: string | null;
  raw: string;
}

const CLAUDE_TIERS = new Set(['sonnet', 'opus', 'haiku', 'fable', 'instant']);
const GPT_SUFFIXES = new Set([
  'mini', 'nano', 'pro', 'turbo', 'chat', 'latest', 'codex', 'max', 'spark', 'instruct', '16k', '32k',
  'realtime', 'audio', 'search', 'preview', 'transcribe', 'tts', 'vision',
]);
const GEMINI_SUFFIXES = new Set([
  'flash', 'pro', 'lite', 'ultra', 'nano', 'image', 'tts', 'live', 'preview', '8b', 'exp', 'thinking', 'customtools', 'latest',
]);
const O_SUFFIXES = new Set(['mini', 'pro', 'deep', 'research', 'preview']);
const SPACED_FAMILIES = new Set([
  'llama', 'mistral', 'nova', 'deepseek', 'grok', 'command', 'qwen', 'phi', 'gemma', 'codestral', 'pixtral', 'magistral',
  'ministral', 'devstral', 'kimi', 'glm', 'jamba', 'titan', 'palmyra', 'minimax', 'nemotron',
]);
const VENDOR_PREFIX =
  /^(?:(?:us|eu|apac|au|jp|ca|sa|global|us-gov)\.)?(?:anthropic|amazon|meta|mistral|cohere|ai21|deepseek|openai|qwen|google|writer|minimax|moonshot|moonshotai|nvidia|stability|twelvelabs|zai|xai|luma)\.(.+)$/;
const PATH_PREFIX = /^[a-z0-9_.-]+\/(?=.)/;

function claudeId(s: string): string | null {
  const toks = s.replace(/\d{8}/g, ' ').match(/[a-z]+|\d+/g);
  if (!toks) return null;
  let k = toks.indexOf('claude');
  if (k < 0) k = 0;
  let tier: string | null = null;
  const nums: string[] = [];
  let closed = false;
  for (; k < toks.length; k++) {
    const t = toks[k];
    if (CLAUDE_TIERS.has(t)) {
      tier ??= t;
      if (nums.length) closed = true;
    } else if (/^\d{1,2}$/.test(t) && !closed) {
      nums.push(t);
      if (nums.length === 2) closed = true;
    } else if (t !== 'claude' && nums.length) closed = true;
    if (tier && closed) break;
  }
  if (nums.length === 0) return null;
  const major = Number(nums[0]);
  const minor = nums[1] !== undefined ? String(Number(nums[1])) : null;
  if (!tier) return `claude-${major}${minor ? `-${minor}` : ''}`;
  if (major < 4) return `claude-${major}${minor ? `-${minor}` : ''}-${tier}`;
  return `claude-${tier}-${major}${minor ? `-${minor}` : major === 4 ? '-0' : ''}`;
}

function gptId(s: string): string | null {
  const t = s.replace(/[\s_]+/g, '-');
  const oss = /gpt-?oss-?(\d+b)/.exec(t);
  if (oss) return `gpt-oss-${oss[1]}`;
  const img = /gpt-?image-?(\d+(?:\.\d+)?)/.exec(t);
  if (img) return `gpt-image-${img[1]}`;
  const m = /(?:^|[^a-z])(chat)?gpt-?(\d+(?:\.\d+)?)(o)?(?![0-9])/.exec(t);
  if (!m) return null;
  let ver = m[2];
  if (ver === '35') ver = '3.5'; // Azure spells gpt-3.5 "gpt-35"
  let id = `${m[1] ? 'chatgpt' : 'gpt'}-${ver}${m[3] ?? ''}`;
  const rest = t.slice(m.index + m[0].length).split(/-+/).filter(Boolean);
  for (const w of rest) {
    if (!GPT_SUFFIXES.has(w)) break;
    id += `-${w}`;
  }
  return id;
}

function oSeriesId(s: string): string | null {
  const m = /(?:^|[^a-z0-9.])(o[1-9])(?=$|[^a-z0-9])/.exec(s);
  if (!m) return null;
  let id = m[1];
  const rest = s.slice(m.index + m[0].length).split(/[\s_-]+/).filter(Boolean);
  for (const w of rest) {
    if (!O_SUFFIXES.has(w)) break;
    id += `-${w}`;
  }
  return id;
}

function geminiId(s: string): string | null {
  const toks = s.split(/[\s_()\-:/]+/).filter(Boolean);
  const k = toks.indexOf('gemini');
  if (k < 0) return null;
  let id = 'gemini';
  let i = k + 1;
  if (toks[i] === 'embedding') return toks[i + 1] && /^\d+$/.test(toks[i + 1]) ? `gemini-embedding-${toks[i + 1]}` : 'gemini-embedding';
  if (toks[i] && /^\d+(\.\d+)?$/.test(toks[i])) id += `-${toks[i++]}`;
  for (; i < toks.length; i++) {
    if (!GEMINI_SUFFIXES.has(toks[i])) break;
    id += `-${toks[i]}`;
  }
  return id === 'gemini' ? null : id;
}

function stripIdNoise(id: string): string {
  let s = id;
  if (s.includes('/')) {
    const arn = /(?:foundation-model|inference-profile|application-inference-profile|provisioned-model)\/(.+)$/.exec(s);
    if (arn) s = arn[1];
    while (PATH_PREFIX.test(s) && !/\s/.test(s)) s = s.replace(PATH_PREFIX, '');
  }
  s = s.replace(/:(free|beta|online|nitro|floor|thinking|extended)$/, '');
  const v = VENDOR_PREFIX.exec(s);
  if (v) s = v[1];
  s = s.replace(/@.*$/, '');
  s = s.replace(/-v\d+(?::\d+)?$/, '').replace(/:\d+$/, '');
  return s;
}

/** Normalises a model name as found in an export to the catalog's canonical id. */
export function normalizeModel(raw: string, provider?: string): NormalizedModel {
  const trimmed = (raw ?? '').trim();
  if (trimmed === '') return { modelId: null, raw: raw ?? '' };
  const lower = trimmed.toLowerCase();
  const s = /\s/.test(lower) ? lower : stripIdNoise(lower);

  let id: string | null = null;
  if (/claude|sonnet|opus|haiku/.test(s)) id = claudeId(s);
  else if (/gpt/.test(s)) id = gptId(s);
  else if (/gemini/.test(s)) id = geminiId(s);
  else if (/text[-\s_]?embedding[-\s_]?(3[-\s_]?(small|large)|ada[-\s_]?002)/.test(s)) {
    const m = /text[-\s_]?embedding[-\s_]?(3[-\s_]?(small|large)|ada[-\s_]?002)/.exec(s)!;
    id = `text-embedding-${m[1].replace(/[\s_]+/g, '-').replace(/^3(?=[a-z])/, '3-').replace(/^ada(?=\d)/, 'ada-')}`;
  } else if (provider === undefined || /^(openai|azure|openrouter|litellm|custom)$/.test(provider)) id = oSeriesId(s);

  if (id === null) {
    if (!/\s/.test(s)) {
      const cleaned = s.replace(/-\d{4}-\d{2}-\d{2}$/, '').replace(/-\d{8}$/, '');
      if (/^[a-z0-9][a-z0-9.\-:]*$/.test(cleaned) && /[a-z]/.test(cleaned)) id = cleaned;
    } else {
      const words = s.replace(/\(.*?\)/g, ' ').trim().split(/\s+/);
      if (words.length && SPACED_FAMILIES.has(words[0])) id = words.join('-');
    }
  }
  return { modelId: id, raw: trimmed };
}
