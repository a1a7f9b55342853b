import { invalid } from '../common/index.js';
import { HybridHistogramKeepAlive } from './hybrid-histogram.js';
import { FixedKeepAlive, type KeepAlivePolicy } from './policy.js';

export const KEEP_ALIVE_POLICIES = ['fixed', 'adaptive'] as const;
export type KeepAlivePolicyName = (typeof KEEP_ALIVE_POLICIES)[number];

/** The policy a server runs; `windowMs` is its configured keep-alive (adaptive's fallback). */
export function keepAlivePolicy(name: string, windowMs: number): KeepAlivePolicy {
  if (name === 'fixed') return new FixedKeepAlive(windowMs);
  if (name === 'adaptive') return new HybridHistogramKeepAlive({ fallbackMs: windowMs });
  throw invalid(`Unknown keep-alive policy "${name}" (use ${KEEP_ALIVE_POLICIES.join(' or ')}).`);
}
