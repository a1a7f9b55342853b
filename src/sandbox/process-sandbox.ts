import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { CgroupV1 } from './cgroup-v1.js';
import { bwrapArgs, OPT_ROOT, RUNTIME_ROOT, TASK_ROOT } from './bwrap-args.js';
import type { Sandbox, SandboxDriver, SandboxLayout, SandboxSpec } from './driver.js';

// Joins the cgroups, then execs the real command: the process is limited from its
// first instruction, with no window in which it runs unconstrained.
const ENTER_CGROUPS = 'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1"; shift; n=$((n-1)); done; exec "$@"';

export interface ProcessDriverOptions {
  /** cgroup v1 groups for memory, CPU, freezer and pids; without them, signals. */
  cgroups?: CgroupV1;
  /** Path of bwrap for namespaces; without it, a plain process. */
  bwrap?: string;
  /** Extra host paths the runtime binary needs (e.g. where node lives), read-only. */
  extraReadOnly?: string[];
}

/**
 * Environments as OS processes, optionally inside bubblewrap namespaces and cgroup v1
 * groups. One driver covers the three set-ups so the lifecycle code above stays the same.
 */
export class ProcessDriver implements SandboxDriver {
  readonly name: string;
  readonly missing: string[] = [];
  readonly capsMemory: boolean;
  readonly prewarmable: boolean;

  constructor(private readonly opts: ProcessDriverOptions) {
    this.capsMemory = Boolean(opts.cgroups);
    this.prewarmable = Boolean(opts.cgroups && opts.bwrap);
    this.name = [opts.bwrap ? 'namespaces' : 'process', opts.cgroups ? 'cgroup-v1' : 'signals'].join('+');
    if (!opts.bwrap) this.missing.push('no private /tmp or /var/task (bubblewrap not found)');
    if (!opts.cgroups) {
      this.missing.push('no OS memory cap (V8 heap limit only)', 'no CPU share', 'freeze by SIGSTOP');
    }
  }

  layout(spec: Pick<SandboxSpec, 'codeDir' | 'runtimeDir' | 'optDir'>): SandboxLayout {
    return this.opts.bwrap
      ? { taskRoot: TASK_ROOT, runtimeRoot: RUNTIME_ROOT, optRoot: OPT_ROOT }
      : { taskRoot: spec.codeDir, runtimeRoot: spec.runtimeDir, optRoot: spec.optDir ?? OPT_ROOT };
  }

  start(spec: SandboxSpec): Sandbox {
    const { cgroups, bwrap } = this.opts;
    const procs = cgroups ? cgroups.create(spec.id, spec.memoryMb) : [];
    let argv = spec.command;
    if (bwrap) {
      argv = [
        bwrap,
        ...bwrapArgs({
          codeDir: spec.codeDir,
          runtimeDir: spec.runtimeDir,
          optDir: spec.optDir,
          ephemeralStorageMb: spec.ephemeralStorageMb,
          // Node reads its memory cgroup's limit to size the V8 heap: let it see it.
          extraReadOnly: [
            ...(this.opts.extraReadOnly ?? []),
            ...(spec.readOnlyPaths ?? []),
            ...(cgroups ? [cgroups.dir('memory', spec.id)] : []),
          ],
        }),
        ...argv,
      ];
    }
    if (cgroups) argv = ['/bin/sh', '-c', ENTER_CGROUPS, 'sh', String(procs.length), ...procs, ...argv];
    const [file, ...args] = argv as [string, ...string[]];
    const child = spawn(file, args, {
      env: spec.env,
      cwd: bwrap ? '/' : spec.codeDir,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Own process group: a Ctrl-C at the server's terminal must not hit environments.
      detached: true,
    });
    return new ProcessSandbox(child, spec, cgroups, Boolean(bwrap));
  }

  sweep(): void {
    this.opts.cgroups?.sweep();
  }
}

class ProcessSandbox implements Sandbox {
  private cpuLimited = false;
  private memoryMb: number;

  constructor(
    readonly child: ChildProcess,
    private readonly spec: SandboxSpec,
    private readonly cgroups: CgroupV1 | undefined,
    private readonly namespaced: boolean,
  ) {
    this.memoryMb = spec.memoryMb;
    // The environment ends with its runtime process. Without cgroups or a PID namespace,
    // what it started (a shell's subshells, a pending curl) would live on as orphans and
    // hold its output pipes open: the whole process group goes with it (it leads one).
    child.once('exit', () => {
      if (child.pid) safeKill(-child.pid, 'SIGKILL');
    });
  }

  setMemory(memoryMb: number): void {
    if (!this.cgroups) throw new Error('no cgroup: the memory cap is fixed at start');
    this.cgroups.setMemoryLimit(this.spec.id, memoryMb);
    this.memoryMb = memoryMb;
  }

  freeze(): void {
    if (this.cgroups) this.cgroups.setFrozen(this.spec.id, true);
    else this.signalRuntime('SIGSTOP');
  }

  thaw(): void {
    if (this.cgroups) this.cgroups.setFrozen(this.spec.id, false);
    else this.signalRuntime('SIGCONT');
  }

  limitCpu(): void {
    if (this.cgroups && !this.cpuLimited) {
      this.cgroups.limitCpu(this.spec.id, this.memoryMb);
      this.cpuLimited = true;
    }
  }

  async terminate(graceMs: number): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.thaw();
    // The runtime, not bwrap, gets SIGTERM: bwrap's death would SIGKILL it at once.
    this.signalRuntime('SIGTERM');
    const timer = setTimeout(() => this.kill(), graceMs);
    await exited;
    clearTimeout(timer);
  }

  kill(): void {
    const pids = this.cgroups ? this.cgroups.pids(this.spec.id) : [];
    try {
      this.cgroups?.setFrozen(this.spec.id, false);
    } catch {
      /* group already gone */
    }
    for (const pid of [this.child.pid, ...pids]) {
      if (pid) safeKill(pid, 'SIGKILL');
    }
  }

  oomKilled(): boolean {
    return this.cgroups ? this.cgroups.oomKills(this.spec.id) > 0 : false;
  }

  dispose(): void {
    this.cgroups?.remove(this.spec.id);
  }

  pids(): number[] {
    if (this.cgroups) return this.cgroups.pids(this.spec.id);
    const root = this.child.pid;
    return root ? [root, ...descendants(root)] : [];
  }

  /** Signals the runtime process itself (not the sh/bwrap wrappers around it). */
  private signalRuntime(signal: NodeJS.Signals): void {
    const root = this.child.pid ?? 0;
    const pids = this.cgroups ? this.cgroups.pids(this.spec.id) : this.namespaced ? descendants(root) : [root];
    for (const pid of pids) {
      if (pid && (!this.namespaced || commOf(pid) !== 'bwrap')) safeKill(pid, signal);
    }
  }
}

/** The process tree under `pid` (bwrap's children live in another PID namespace). */
function descendants(pid: number): number[] {
  const out: number[] = [];
  const walk = (p: number) => {
    let kids: number[] = [];
    try {
      kids = readFileSync(`/proc/${p}/task/${p}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
    } catch {
      /* gone */
    }
    for (const k of kids) {
      out.push(k);
      walk(k);
    }
  };
  walk(pid);
  return out;
}

function commOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

function safeKill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}
