import type { Random } from '../common/index.js';
import type { StoredAlias } from './version-store.js';

/**
 * The version one invocation through an alias runs: the additional version with
 * probability equal to its weight, the alias's own version otherwise. Only the choice is
 * random; each version keeps its own image and environments, so changing the weights
 * never cold-starts the version that keeps serving.
 */
export function routeAlias(alias: Pick<StoredAlias, 'functionVersion' | 'weights'>, random: Random): string {
  const [extra] = Object.entries(alias.weights);
  if (!extra || extra[1] <= 0) return alias.functionVersion;
  return random.next() < extra[1] ? extra[0] : alias.functionVersion;
}
