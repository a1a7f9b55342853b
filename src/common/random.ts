/**
 * Randomness is injected where a decision depends on it (an alias's weighted routing),
 * so tests can drive the real policy with a seeded sequence. This and clock.ts are the
 * only files that read the platform's sources of randomness or time.
 */
export interface Random {
  /** A number in [0, 1). */
  next(): number;
}

export const systemRandom: Random = { next: () => Math.random() };

/** A deterministic sequence (mulberry32) for tests and simulations. */
export function seededRandom(seed: number): Random {
  let s = seed >>> 0;
  return {
    next() {
      s = (s + 0x6d2b79f5) >>> 0;
      let t = s;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}
