/**
 * Seeded pseudo-random numbers for the forecast and the Monte Carlo simulation.
 *
 * Generator: sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 128-bit state,
 * passes PractRand/BigCrush) — additions, xors and shifts only, so V8 keeps it in 32-bit
 * registers. Normals: the Marsaglia–Tsang ziggurat with 128 layers; the layer index and the
 * value come from disjoint bits of one 32-bit draw (Doornik 2005's fix for the original's
 * correlation). Everything is reproducible per seed on every platform: no Math.random, no
 * platform-dependent maths on the fast path.
 *
 * The simulation's daily noise uses fillTableNormal instead: a discretised normal, two values per
 * 32-bit draw, each a lookup in a table of NOISE_TABLE_SIZE quantile midpoints.
 */
import { normalQuantile } from './stats';

const LAYERS = 128;
const R = 3.442619855899;
const V = 9.91256303526217e-3;
/** value bits: a 32-bit draw shifted right (arithmetically) by 7 leaves a signed 25-bit integer */
const SCALE = 16777216; // 2^24

/** kn[i]: acceptance bound of layer i on the |j| scale; wn[i]: scale to x; fn[i] = exp(-x_i^2/2). */
const kn = new Int32Array(LAYERS);
const wn = new Float64Array(LAYERS);
const fn = new Float64Array(LAYERS);
(function buildTables() {
  let dn = R;
  let tn = dn;
  const q = V / Math.exp(-0.5 * dn * dn);
  kn[0] = Math.floor((dn / q) * SCALE);
  kn[1] = 0;
  wn[0] = q / SCALE;
  wn[LAYERS - 1] = dn / SCALE;
  fn[0] = 1;
  fn[LAYERS - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = LAYERS - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(V / dn + Math.exp(-0.5 * dn * dn)));
    kn[i + 1] = Math.floor((dn / tn) * SCALE);
    tn = dn;
    fn[i] = Math.exp(-0.5 * dn * dn);
    wn[i] = dn / SCALE;
  }
})();

const INV_2_32 = 1 / 4294967296;

/** Bits of a draw per table normal: two values come from one 32-bit draw. */
export const NOISE_TABLE_BITS = 12;
export const NOISE_TABLE_SIZE = 1 << NOISE_TABLE_BITS;
/**
 * Φ⁻¹((i + ½) / NOISE_TABLE_SIZE): equal-probability cells, each represented by its median, the
 * table scaled so its variance is exactly 1 (the midpoints alone fall short by the tails cut
 * beyond ±3.6). Symmetric, so the mean is exactly 0.
 */
export const NOISE_TABLE = (() => {
  const t = new Float64Array(NOISE_TABLE_SIZE);
  for (let i = 0; i < t.length; i++) t[i] = normalQuantile((i + 0.5) / t.length);
  for (let i = 0; i < t.length / 2; i++) t[t.length - 1 - i] = -t[i]; // exactly symmetric
  let v = 0;
  for (const x of t) v += x * x;
  const scale = 1 / Math.sqrt(v / t.length);
  for (let i = 0; i < t.length; i++) t[i] *= scale;
  return t;
})();

/** log(1 + i / LOG_STEPS) for i = 0..LOG_STEPS: with linear interpolation, log on [1, 2] to < 1e-6. */
const LOG_STEPS = 1024;
const LOG_TABLE = new Float64Array(LOG_STEPS + 1);
for (let i = 0; i <= LOG_STEPS; i++) LOG_TABLE[i] = Math.log1p(i / LOG_STEPS);

/**
 * The ziggurat's fast path over out[from..to): sfc32 in locals, one draw per value, and the
 * misses (|j| beyond the layer's rectangle) noted in fixAt/fixBits. Returns their count.
 * A function of its own, with no cold code: V8 compiles a long first call on-stack, and cold
 * code in that compilation deoptimises on every later call.
 */
function fastNormals(s: Int32Array, out: Float64Array, from: number, to: number, fixAt: Int32Array, fixBits: Int32Array): number {
  let a = s[0];
  let b = s[1];
  let c = s[2];
  let d = s[3];
  let misses = 0;
  const kTable = kn; // module tables into locals (see simulate-path.ts's row)
  const wTable = wn;
  for (let k = from; k < to; k++) {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (((c << 21) | (c >>> 11)) + t) | 0;
    const i = t & 127;
    const j = t >> 7;
    const m = j >> 31; // branch-free |j|: its sign is a coin flip a branch would mispredict
    out[k] = j * wTable[i];
    fixAt[misses] = k;
    fixBits[misses] = t;
    misses += (kTable[i] - ((j ^ m) - m) - 1) >>> 31; // 1 when |j| >= kn[i]
  }
  s[0] = a;
  s[1] = b;
  s[2] = c;
  s[3] = d;
  return misses;
}

/** The table normals' loop over an even count (see Rng.fillTableNormal): sfc32 in locals, two values per draw. */
function tableNormals(s: Int32Array, out: Float64Array, from: number, to: number): void {
  let a = s[0];
  let b = s[1];
  let c = s[2];
  let d = s[3];
  const table = NOISE_TABLE;
  const shift = 32 - NOISE_TABLE_BITS;
  const mask = NOISE_TABLE_SIZE - 1;
  for (let k = from; k < to; k += 2) {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (((c << 21) | (c >>> 11)) + t) | 0;
    out[k] = table[t >>> shift];
    out[k + 1] = table[t & mask];
  }
  s[0] = a;
  s[1] = b;
  s[2] = c;
  s[3] = d;
}

/**
 * log(u) for u = (bits as unsigned, lowest bit set) / 2^32, uniform on (0, 1): the exponent
 * from the leading zeros, log on [1, 2) from a table (absolute error < 1e-6).
 */
function logUniform(bits: number): number {
  const v = (bits | 1) >>> 0;
  const lz = Math.clz32(v); // v / 2^32 lies in [2^-(lz+1), 2^-lz)
  const x = (((v << lz) >>> 0) - 2147483648) * (LOG_STEPS / 2147483648); // (mantissa − 1) · LOG_STEPS
  const i = x | 0;
  return LOG_TABLE[i] + (x - i) * (LOG_TABLE[i + 1] - LOG_TABLE[i]) - (lz + 1) * Math.LN2;
}

/**
 * Rng.eventDays's loop, with sfc32's state in locals (as tableNormals): the same draws, one per
 * gap, as geometricScaled would take, the last one the gap that passes the horizon.
 */
function geometricDays(s: Int32Array, invLog1mP: number, horizon: number, out: Int32Array, at: number): number {
  let a = s[0];
  let b = s[1];
  let c = s[2];
  let d = s[3];
  for (let day = -1; ; ) {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (((c << 21) | (c >>> 11)) + t) | 0;
    day += 1 + Math.floor(logUniform(t) * invLog1mP); // the first gap from day -1 + 1 = 0
    if (!(day < horizon)) break;
    out[at++] = day;
  }
  s[0] = a;
  s[1] = b;
  s[2] = c;
  s[3] = d;
  return at;
}

/** 32 bits of a seed (number or string). */
function seedHash(seed: number | string): number {
  if (typeof seed !== 'string') return (seed | 0) ^ Math.floor(seed / 4294967296); // fold in the high part so 2^32 + 1 and 1 differ
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  return h;
}

/** splitmix32's output function. */
function mix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return z ^ (z >>> 15);
}

/** Four state words from 32 bits of seed, via splitmix32. */
function seedState(h: number, out: Int32Array): void {
  for (let i = 0; i < 4; i++) {
    h = (h + 0x9e3779b9) | 0;
    out[i] = mix32(h);
  }
}

export class Rng {
  /**
   * sfc32 state a, b, c, d. An Int32Array rather than four fields: a field that once holds a
   * value beyond V8's small integers changes the object's shape, and the optimised loops that
   * read it deoptimise over and over.
   */
  private readonly s = new Int32Array(4);
  private fixAt = new Int32Array(0);
  private fixBits = new Int32Array(0);

  constructor(seed: number | string = 1) {
    seedState(seedHash(seed), this.s);
    for (let i = 0; i < 12; i++) this.nextInt32(); // warm up away from the seed
  }

  /**
   * Restarts on stream `stream` of `seed`: its own sequence, the same wherever and in whatever
   * order it is drawn (the simulation gives each path the stream of its index, so a run split
   * over threads draws exactly what one thread would). The seed's hash is kept between calls.
   */
  reseed(seed: number | string, stream: number): void {
    if (seed !== this.streamSeed) {
      this.streamSeed = seed;
      this.streamHash[0] = seedHash(seed);
    }
    seedState(this.streamHash[0] ^ mix32((stream + 0x6a09e667) | 0), this.s);
    for (let i = 0; i < 12; i++) this.nextInt32();
  }

  private streamSeed: number | string | undefined = undefined;
  /** the seed's hash (an Int32Array for the reason `s` is one) */
  private readonly streamHash = new Int32Array(1);

  /**
   * The generator's live state (a, b, c, d): for a loop that draws as tableNormals does, with
   * the state in its locals, and writes it back when done.
   */
  get state(): Int32Array {
    return this.s;
  }

  /** Copies the generator's state into `into` (four words), for restoreState to go back to. */
  saveState(into: Int32Array): void {
    into.set(this.s);
  }

  restoreState(from: Int32Array): void {
    this.s.set(from);
  }

  /** The next raw 32 bits as a signed int32. */
  nextInt32(): number {
    const s = this.s;
    const a = s[0];
    const b = s[1];
    const c = s[2];
    const d = s[3];
    const t = (((a + b) | 0) + d) | 0;
    s[3] = (d + 1) | 0;
    s[0] = b ^ (b >>> 9);
    s[1] = (c + (c << 3)) | 0;
    s[2] = (((c << 21) | (c >>> 11)) + t) | 0;
    return t;
  }

  /** Uniform on the open interval (0, 1) — never exactly 0 or 1, safe for log(). */
  uniform(): number {
    return ((this.nextInt32() >>> 0) + 0.5) * INV_2_32;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** A standard normal draw (mean 0, variance 1). */
  normal(): number {
    const u = this.nextInt32();
    const i = u & 127;
    const j = u >> 7;
    const m = j >> 31;
    if (((j ^ m) - m) < kn[i]) return j * wn[i];
    return this.normalSlow(j, i);
  }

  /**
   * out[from..to) = successive normal() draws: the same stream as that many calls, without a
   * boxed number per draw (inlined, normal()'s two returns merge into one boxed value: the
   * simulation's sample() allocated one per draw).
   */
  normalsInto(out: Float64Array, from: number, to: number): void {
    for (let k = from; k < to; k++) {
      const u = this.nextInt32();
      const i = u & 127;
      const j = u >> 7;
      const m = j >> 31;
      // normal()'s steps; two stores, so the fast path's double is never merged with (and boxed
      // like) the number normalSlow returns
      if (((j ^ m) - m) < kn[i]) out[k] = j * wn[i];
      else out[k] = this.normalSlow(j, i);
    }
  }

  /**
   * Fills out[from..to) with standard normals. The state lives in locals for the whole loop,
   * which is what the simulation and the benchmark's bare loop both use. The loop is
   * branch-free: the ~2.8% of draws that miss the ziggurat's rectangles are noted and finished
   * afterwards by the exact wedge/tail step (so the stream differs from repeated normal()
   * calls, but is just as reproducible per seed).
   */
  fillNormal(out: Float64Array, from = 0, to = out.length): void {
    const n = to - from;
    if (this.fixAt.length < n) {
      this.fixAt = new Int32Array(n);
      this.fixBits = new Int32Array(n);
    }
    const misses = fastNormals(this.s, out, from, to, this.fixAt, this.fixBits);
    for (let f = 0; f < misses; f++) {
      const t = this.fixBits[f];
      out[this.fixAt[f]] = this.normalSlow(t >> 7, t & 127);
    }
  }

  /**
   * Fills out[from..to) with discretised standard normals: each 32-bit draw gives two, its top
   * and bottom NOISE_TABLE_BITS bits each picking one of NOISE_TABLE's equally likely quantile
   * midpoints (mean 0 and variance 1 exactly; nothing beyond the outermost midpoint, ±3.6).
   * About six times faster than fillNormal: the simulation's daily noise, where a day's value
   * matters only through sums over many days.
   */
  fillTableNormal(out: Float64Array, from = 0, to = out.length): void {
    const odd = (to - from) & 1;
    tableNormals(this.s, out, from, to - odd);
    if (odd) out[to - 1] = NOISE_TABLE[this.nextInt32() >>> (32 - NOISE_TABLE_BITS)];
  }

  /** Fills out[from..to) with uniforms on (0, 1). */
  fillUniform(out: Float64Array, from = 0, to = out.length): void {
    for (let k = from; k < to; k++) out[k] = ((this.nextInt32() >>> 0) + 0.5) * INV_2_32;
  }

  /** Geometric number of failures before the first success, success probability p (0 < p ≤ 1). */
  geometric(p: number): number {
    if (p >= 1) return 0;
    if (p <= 0) return Number.POSITIVE_INFINITY;
    return this.geometricScaled(1 / Math.log1p(-p));
  }

  /**
   * geometric(p) given 1 / log(1 − p), for callers drawing many gaps at one rate. log(u) comes
   * from the draw's leading zeros and a table of log on [1, 2) (absolute error < 1e-6, far
   * below what the floor() to whole days can show) rather than Math.log.
   */
  geometricScaled(invLog1mP: number): number {
    return Math.floor(logUniform(this.nextInt32()) * invLog1mP);
  }

  /**
   * Days in [0, horizon) hit by an event of daily probability p, ascending, written to
   * out[at..] (geometric gaps, not one draw per day); returns the index after the last.
   * invLog1mP = 1 / log(1 − p); p = 0 (invLog1mP = −0) writes nothing.
   */
  eventDays(invLog1mP: number, horizon: number, out: Int32Array, at: number): number {
    if (!(invLog1mP < 0)) return at;
    return geometricDays(this.s, invLog1mP, horizon, out, at);
  }

  /** The ziggurat's rejection step: the wedge between layers, or the tail beyond R. */
  private normalSlow(j: number, i: number): number {
    for (;;) {
      const x = j * wn[i];
      if (i === 0) {
        let tx: number;
        let ty: number;
        do {
          tx = -Math.log(this.uniform()) / R;
          ty = -Math.log(this.uniform());
        } while (ty + ty < tx * tx);
        return j > 0 ? R + tx : -R - tx;
      }
      if (fn[i] + this.uniform() * (fn[i - 1] - fn[i]) < Math.exp(-0.5 * x * x)) return x;
      const u = this.nextInt32();
      i = u & 127;
      j = u >> 7;
      if (Math.abs(j) < kn[i]) return j * wn[i];
    }
  }
}
