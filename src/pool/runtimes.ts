import { fileURLToPath } from 'node:url';

export interface RuntimeLauncher {
  /** Host folder mounted as the runtime root (holds the bootstrap). */
  runtimeDir: string;
  /**
   * The command to start, given where the runtime root appears inside the sandbox.
   * `heapFlag`: cap the heap with a V8 flag (only where no OS memory cap exists).
   */
  command(runtimeRoot: string, memoryMb: number, heapFlag: boolean): string[];
  /** Variables specific to this runtime family. */
  env(taskRoot: string, runtimeRoot: string): Record<string, string>;
}

const NODE_BOOTSTRAP_DIR = fileURLToPath(new URL('../../rt/runtime/node/', import.meta.url));
const nodeMajor = Number(process.versions.node.split('.')[0]);

function nodeLauncher(): RuntimeLauncher {
  return {
    runtimeDir: NODE_BOOTSTRAP_DIR,
    // Any V8 flag on the command line costs ~16 ms per start here (Node then cannot use
    // its built-in startup snapshot). Under a cgroup memory cap, Node sizes the V8 heap
    // from that cap by itself, so the flag is only needed where there is no cgroup.
    command: (runtimeRoot, memoryMb, heapFlag) => [
      process.execPath,
      ...(heapFlag ? [`--max-old-space-size=${Math.max(32, Math.floor(memoryMb * 0.85))}`] : []),
      `${runtimeRoot}/bootstrap.cjs`,
    ],
    env: (taskRoot, runtimeRoot) => ({
      NODE_PATH: `/opt/nodejs/node${nodeMajor}/node_modules:/opt/nodejs/node_modules:${runtimeRoot}:${taskRoot}`,
    }),
  };
}

/**
 * Runtimes this node can start. A `nodejsNN.x` runtime is offered only when the Node.js
 * that runs Hearth is of that major version: environments must run the Node they claim.
 */
export function availableRuntimes(): Map<string, RuntimeLauncher> {
  const runtimes = new Map<string, RuntimeLauncher>();
  if ([20, 22, 24].includes(nodeMajor)) runtimes.set(`nodejs${nodeMajor}.x`, nodeLauncher());
  return runtimes;
}
