import { realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { CgroupV1 } from './cgroup-v1.js';
import type { SandboxDriver } from './driver.js';
import { ProcessDriver } from './process-sandbox.js';

export type SandboxMode = 'auto' | 'process';

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Picks the strongest driver this machine supports: bubblewrap namespaces when bwrap is
 * installed, cgroup v1 limits when they are mounted and writable. `process` forces the
 * plain-process driver (e.g. to compare in a benchmark).
 */
export function createSandboxDriver(mode: SandboxMode = 'auto'): SandboxDriver {
  if (mode === 'process' || process.platform !== 'linux') return new ProcessDriver({});
  const bwrap = findOnPath('bwrap');
  const cgroups = CgroupV1.usable() ? new CgroupV1() : undefined;
  const nodeHome = dirname(dirname(realpathSync(process.execPath)));
  const extraReadOnly = nodeHome.startsWith('/usr') ? [] : [nodeHome];
  return new ProcessDriver({ bwrap, cgroups, extraReadOnly });
}
