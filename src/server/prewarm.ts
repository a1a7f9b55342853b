import { join } from 'node:path';
import { type Clock, invalid } from '../common/index.js';
import { GenericLauncher, GenericPool, type RuntimeLauncher } from '../pool/index.js';
import { type SandboxDriver, Slots } from '../sandbox/index.js';

/** Generic environments per runtime and memory size when `--prewarm` is not given. */
export const DEFAULT_PREWARM = 2;

/**
 * The pre-warmed generic pool for `--prewarm N` (undefined: the default where the sandbox
 * allows it). An explicit N > 0 on a node whose sandbox cannot pre-warm is refused rather
 * than ignored. Slots live in the data directory, next to the unpacked code they hard-link.
 */
export function createGenericPool(
  prewarm: number | undefined,
  driver: SandboxDriver,
  runtimes: Map<string, RuntimeLauncher>,
  dataDir: string,
  clock: Clock,
  /** Free room in the node's capacity for one more environment of that size. */
  hasRoom?: (memoryMb: number) => boolean,
): GenericPool | undefined {
  if (prewarm !== undefined && (!Number.isSafeInteger(prewarm) || prewarm < 0 || prewarm > 64)) {
    throw invalid(`--prewarm must be an integer from 0 to 64 (got ${prewarm}).`);
  }
  if (prewarm && !driver.prewarmable) {
    throw invalid(`--prewarm ${prewarm} needs bubblewrap and writable cgroup v1 (sandbox here: ${driver.name}); use --prewarm 0.`);
  }
  const size = prewarm ?? (driver.prewarmable ? DEFAULT_PREWARM : 0);
  if (size === 0) return undefined;
  const slots = new Slots(join(dataDir, 'slots'));
  slots.reset();
  return new GenericPool(new GenericLauncher(driver, runtimes, slots, clock), clock, { size, hasRoom });
}
