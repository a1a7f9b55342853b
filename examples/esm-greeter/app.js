// An ES-module handler that keeps a small cache in module scope: warm requests reuse it,
// a cold start rebuilds it. The cache is an optimisation, never the source of truth.
import { greet } from './greeting.js';

const cache = new Map();

export async function handler(event) {
  const name = String(event.name ?? 'world');
  const hit = cache.has(name);
  if (!hit) cache.set(name, greet(name));
  return { greeting: cache.get(name), cacheHit: hit, taskRoot: process.env.LAMBDA_TASK_ROOT };
}
