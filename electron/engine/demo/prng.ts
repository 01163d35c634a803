/**
 * A small seeded PRNG (mulberry32) and the noise shapes the demo needs. Only integer and
 * basic float arithmetic is used (no Math.log/sin), so the same seed gives the same numbers
 * on every platform and Node version.
 */

export type Rng = () => number;

/** mulberry32: 32-bit state, uniform floats in [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A multiplicative noise factor around 1: 1 ± up to 1.5 × amp, bell-shaped (sum of three uniforms). */
export function noise(rng: Rng, amp: number): number {
  return 1 + amp * (rng() + rng() + rng() - 1.5);
}
