import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmdirSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const CONTROLLERS = ['memory', 'cpu', 'freezer', 'pids'] as const;
type Controller = (typeof CONTROLLERS)[number];

/** CFS period; the quota is a fraction of it. */
export const CPU_PERIOD_US = 100_000;
/** Memory that buys one full CPU, as on Lambda. */
export const MB_PER_CPU = 1769;
/** Lambda's limit on processes and threads in one environment. */
export const PIDS_MAX = 1024;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * cgroup v1 groups for environments: memory cap, CPU quota, freezer, pids limit.
 * Layout: /sys/fs/cgroup/<controller>/hearth/srv-<server pid>/<env id>, so a server can
 * tell its own groups from those of other servers on the same machine.
 */
export class CgroupV1 {
  readonly serverGroup: string;
  private readonly freezerFds = new Map<string, number>();

  constructor(private readonly root = '/sys/fs/cgroup') {
    this.serverGroup = `srv-${process.pid}`;
  }

  /** True when every controller we need is mounted and writable by us. */
  static usable(root = '/sys/fs/cgroup'): boolean {
    try {
      for (const c of CONTROLLERS) {
        const dir = join(root, c, 'hearth', `probe-${process.pid}`);
        mkdirSync(dir, { recursive: true });
        rmdirSync(dir);
      }
      return true;
    } catch {
      return false;
    }
  }

  dir(controller: Controller, envId: string): string {
    return join(this.root, controller, 'hearth', this.serverGroup, envId);
  }

  /** Creates the groups and returns the cgroup.procs files to join before exec. */
  create(envId: string, memoryMb: number): string[] {
    for (const c of CONTROLLERS) mkdirSync(this.dir(c, envId), { recursive: true });
    const bytes = String(memoryMb * 1024 * 1024);
    writeFileSync(join(this.dir('memory', envId), 'memory.limit_in_bytes'), bytes);
    writeFileSync(join(this.dir('pids', envId), 'pids.max'), String(PIDS_MAX));
    return CONTROLLERS.map((c) => join(this.dir(c, envId), 'cgroup.procs'));
  }

  /**
   * Changes the memory cap of a running group. Lowering it below what the group uses
   * fails (EBUSY) once the kernel cannot reclaim enough; callers treat that as "keep the old cap".
   */
  setMemoryLimit(envId: string, memoryMb: number): void {
    writeFileSync(join(this.dir('memory', envId), 'memory.limit_in_bytes'), String(memoryMb * 1024 * 1024));
  }

  limitCpu(envId: string, memoryMb: number): void {
    const quota = Math.max(1000, Math.round((memoryMb / MB_PER_CPU) * CPU_PERIOD_US));
    const dir = this.dir('cpu', envId);
    writeFileSync(join(dir, 'cpu.cfs_period_us'), String(CPU_PERIOD_US));
    writeFileSync(join(dir, 'cpu.cfs_quota_us'), String(quota));
  }

  /**
   * Freezes or thaws the group. Freezing is on every request's path, so the state file
   * stays open per environment (one write instead of open + write + close).
   */
  setFrozen(envId: string, frozen: boolean): void {
    let fd = this.freezerFds.get(envId);
    if (fd === undefined) {
      fd = openSync(join(this.dir('freezer', envId), 'freezer.state'), 'w');
      this.freezerFds.set(envId, fd);
    }
    writeSync(fd, frozen ? 'FROZEN' : 'THAWED', 0);
  }

  pids(envId: string): number[] {
    try {
      return readFileSync(join(this.dir('memory', envId), 'cgroup.procs'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map(Number);
    } catch {
      return [];
    }
  }

  /** The kernel's count of OOM kills in the group (`oom_kill` in memory.oom_control). */
  oomKills(envId: string): number {
    try {
      const text = readFileSync(join(this.dir('memory', envId), 'memory.oom_control'), 'utf8');
      return Number(/oom_kill (\d+)/.exec(text)?.[1] ?? 0);
    } catch {
      return 0;
    }
  }

  remove(envId: string): void {
    const fd = this.freezerFds.get(envId);
    if (fd !== undefined) {
      this.freezerFds.delete(envId);
      closeSync(fd);
    }
    for (const c of CONTROLLERS) removeGroup(this.dir(c, envId));
  }

  /** Kills and removes groups left by servers that are no longer running. */
  sweep(): void {
    for (const c of CONTROLLERS) {
      const base = join(this.root, c, 'hearth');
      if (!existsSync(base)) continue;
      for (const srv of readdirSync(base)) {
        const pid = Number(/^srv-(\d+)$/.exec(srv)?.[1]);
        if (!pid || (pid !== process.pid && processAlive(pid))) continue;
        if (pid === process.pid) continue;
        const srvDir = join(base, srv);
        for (const env of readdirSync(srvDir, { withFileTypes: true })) {
          if (env.isDirectory()) killAndRemove(c, join(srvDir, env.name));
        }
        removeGroup(srvDir);
      }
    }
  }
}

function killAndRemove(controller: string, dir: string): void {
  try {
    if (controller === 'freezer') writeFileSync(join(dir, 'freezer.state'), 'THAWED');
    for (const pid of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  } catch {
    /* group vanished meanwhile */
  }
  removeGroup(dir);
}

function removeGroup(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    /* busy or gone: a later sweep retries */
  }
}
