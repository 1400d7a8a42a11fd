/** Murmur3's 32-bit finaliser: a bijective mix, so nearby (seed, index) pairs give unrelated streams. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * A uniform [0, 1) generator for stream `index` of `seed` (mulberry32 seeded by a mix of both). Each bootstrap
 * resample draws from its own stream, so results do not depend on which worker computes which resample.
 *
 * @example seededRandom(0, 3)() // the same number on every machine and every run
 */
export function seededRandom(seed: number, index: number): () => number {
  const hi = Math.floor(seed / 4294967296);
  return mulberry32(mix32(mix32(seed >>> 0) ^ mix32((hi >>> 0) + 0x68e31da4) ^ mix32((index >>> 0) + 0x9e3779b9)));
}

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator): uniform [0, 1) numbers from a 32-bit state. Small, fast and good
 * enough for resampling and synthetic data; not for cryptography.
 *
 * @example mulberry32(12345)() // the same number on every machine and every run
 */
export function mulberry32(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
