import type { ChildProcess } from 'node:child_process';

/** What an environment needs from the OS. Paths are host paths. */
export interface SandboxSpec {
  id: string;
  /** Program and arguments as seen inside the sandbox (see `SandboxDriver.layout`). */
  command: string[];
  /** The complete environment of the process: nothing else is inherited. */
  env: Record<string, string>;
  /** Unpacked code, mounted read-only as the task root. */
  codeDir: string;
  /** The runtime's bootstrap folder, mounted read-only as the runtime root. */
  runtimeDir: string;
  /** Host paths the runtime's interpreter needs beyond the system ones, read-only at the same path. */
  readOnlyPaths?: string[];
  /** The function's layers merged into one folder, mounted read-only at /opt; absent without layers. */
  optDir?: string;
  memoryMb: number;
  ephemeralStorageMb: number;
}

/** Where code, runtime and /tmp appear to the process under a given driver. */
export interface SandboxLayout {
  taskRoot: string;
  runtimeRoot: string;
  /** Where layers appear: `/opt`, or without namespaces the merged folder itself. */
  optRoot: string;
}

/** One running sandboxed process tree. */
export interface Sandbox {
  readonly child: ChildProcess;
  /** Stops all CPU use of the environment (its timers do not run). */
  freeze(): void;
  thaw(): void;
  /**
   * Applies the CPU share (memory / 1,769 MB of one CPU). Called after Init: like
   * Lambda, Init runs with a full CPU so cold starts stay short at small memory sizes.
   */
  limitCpu(): void;
  /** SIGTERM to the runtime, then SIGKILL after `graceMs`; resolves once it is gone. */
  terminate(graceMs: number): Promise<void>;
  /** Immediate SIGKILL of the whole tree. */
  kill(): void;
  /** True when the OS killed it for exceeding its memory limit. */
  oomKilled(): boolean;
  /** Host PIDs of every process of the environment (wrappers included), for ownership checks. */
  pids(): number[];
  /**
   * Moves the memory cap (and the CPU share that follows from it) of a running
   * environment: a pre-warmed generic environment idles under a small cap and gets its
   * function's on assignment. Throws where the OS cannot (no cgroup, or EBUSY on lowering);
   * a driver that is `prewarmable` has it.
   */
  setMemory?(memoryMb: number): void;
  /** Frees OS resources (cgroups, tmpfs) once the process has exited. */
  dispose(): void;
}

export interface SandboxDriver {
  readonly name: string;
  /** Guarantees this driver cannot give on this machine, one short phrase each. */
  readonly missing: readonly string[];
  /** True when the OS caps each environment's memory (and the runtime can read the cap). */
  readonly capsMemory: boolean;
  /**
   * True when environments can be started before their function is known: the code's
   * place inside the sandbox does not depend on the function (namespaces) and memory caps
   * can move after start (cgroups). See `pool/generic-pool.ts`.
   */
  readonly prewarmable?: boolean;
  layout(spec: Pick<SandboxSpec, 'codeDir' | 'runtimeDir' | 'optDir'>): SandboxLayout;
  start(spec: SandboxSpec): Sandbox;
  /** Removes leftovers of earlier servers that died without cleaning up. */
  sweep(): void;
}
