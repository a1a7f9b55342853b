import type { ChildProcess } from 'node:child_process';
import { type Clock, type EnvironmentMessage, type LoadMessage, type PingMessage, shortId, type StandbyMessage } from '../common/index.js';
import type { Sandbox, SandboxDriver, Slot, Slots } from '../sandbox/index.js';
import { type EnvironmentChannel, ipcChannel } from './channel.js';
import { Environment } from './environment.js';
import type { FunctionImage } from './function-image.js';
import { processVariables } from './process-variables.js';
import type { RuntimeLauncher } from './runtimes.js';

/** The size of a generic environment's /tmp: fixed at start, Lambda's default (and minimum). */
export const GENERIC_TMP_MB = 512;
/**
 * The memory cap of a generic environment while it waits (frozen): an idle Node bootstrap
 * uses ~40 MB. It is what the environment holds of the node's memory until assigned.
 */
export const GENERIC_IDLE_MB = 128;

/**
 * Variables a runtime reads only as its process starts; a function that sets one of them
 * to anything but what a generic environment started with must start plainly. For Node:
 * NODE_OPTIONS and the other NODE_* start-up settings, libuv's pool size, the dynamic
 * loader's and the C library's settings, the locale (ICU picks its default at start).
 */
export const STARTUP_VARIABLES: Record<string, RegExp> = {
  nodejs: /^(NODE_|UV_|LD_|MALLOC_|GLIBC_|OPENSSL_|SSL_CERT_|LC_|LANG$|LANGUAGE$|TZ$|ICU_)/,
};

/** The runtime family of a runtime id (`nodejs20.x` → `nodejs`), for STARTUP_VARIABLES. */
export function runtimeFamily(runtime: string): string {
  return /^[a-z]+/.exec(runtime)?.[0] ?? runtime;
}

/** One pre-warmed environment as the generic pool sees it (a fake in the pool's unit tests). */
export interface GenericHandle {
  readonly id: string;
  readonly runtime: string;
  /** The memory it was started under: V8 sized its heap from it, so it serves only this size. */
  readonly memoryMb: number;
  /** The variables it was started with (its start-up settings). */
  readonly spawnEnv: Record<string, string>;
  /** Resolves once it is waiting for a function (frozen); rejects if it died first. */
  readonly standby: Promise<void>;
  readonly closed: Promise<void>;
  alive(): boolean;
  /** Memory it holds of the node now: its start-up cap while starting, then the idle cap. */
  heldMb(): number;
  /** Gives it its function: code into the slot, limits, variables; Init starts. */
  assign(image: FunctionImage, env: Record<string, string>): Environment;
  kill(): void;
}

/**
 * A process started with empty code slots at /var/task and /opt, its bootstrap loaded and
 * waiting for `load`. Consumed once: after `assign` it is that function's Environment.
 */
export class GenericEnvironment implements GenericHandle {
  readonly standby: Promise<void>;
  readonly closed: Promise<void>;
  private held: number;
  private assigned = false;
  private readonly child: ChildProcess;

  constructor(
    readonly id: string,
    readonly runtime: string,
    readonly memoryMb: number,
    private readonly sandbox: Sandbox,
    /** What it was started with: the start-up variables, removed again at load. */
    readonly spawnEnv: Record<string, string>,
    private readonly slot: Slot,
    private readonly slots: Slots,
    private readonly clock: Clock,
  ) {
    this.held = memoryMb;
    this.child = sandbox.child;
    this.child.on('error', () => {
      /* reported through 'close' */
    });
    this.closed = new Promise((resolve) =>
      this.child.once('close', () => {
        if (!this.assigned) sandbox.dispose();
        slots.remove(id);
        resolve();
      }),
    );
    this.standby = new Promise((resolve, reject) => {
      const onMessage = (m: StandbyMessage) => {
        if (m.t !== 'standby') return;
        this.child.off('message', onMessage);
        this.park();
        resolve();
      };
      this.child.on('message', onMessage);
      this.child.send({ t: 'ping' } satisfies PingMessage, (err) => {
        if (err) this.kill();
      });
      void this.closed.then(() => reject(new Error(`generic environment ${id} exited before standing by`)));
    });
    // Unhandled if nobody waits (e.g. killed at shutdown while starting).
    this.standby.catch(() => undefined);
  }

  alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  heldMb(): number {
    return this.held;
  }

  assign(image: FunctionImage, env: Record<string, string>): Environment {
    const t0 = this.clock.monotonic();
    this.assigned = true;
    this.slots.fill(this.slot.task, image.codeDir);
    if (image.optDir) this.slots.fill(this.slot.opt, image.optDir);
    this.setMemory(image.memoryMb);
    this.held = image.memoryMb;
    this.sandbox.thaw();
    let preLoadMs = 0;
    const environment = new Environment(this.id, this.sandbox, this.clock, image.memoryMb, initFromAssignment(this.child, () => preLoadMs));
    const load: LoadMessage = { t: 'load', env, unset: Object.keys(this.spawnEnv) };
    preLoadMs = this.clock.monotonic() - t0;
    this.child.send(load);
    return environment;
  }

  kill(): void {
    try {
      this.sandbox.kill();
    } catch {
      /* already gone */
    }
  }

  private setMemory(memoryMb: number): void {
    if (!this.sandbox.setMemory) throw new Error('this sandbox cannot change its memory cap');
    this.sandbox.setMemory(memoryMb);
  }

  /** Idle: the small cap (V8 keeps the heap size it read at start), no CPU. */
  private park(): void {
    try {
      this.setMemory(GENERIC_IDLE_MB);
      this.held = GENERIC_IDLE_MB;
    } catch {
      /* could not reclaim down to it: keeps (and accounts) its start-up cap */
    }
    try {
      this.sandbox.freeze();
    } catch {
      /* died meanwhile: 'close' removes it */
    }
  }
}

/**
 * The IPC channel, with Init Duration counted from assignment: the bootstrap measures
 * from the `load` message, and the host's share before it (filling the slot, the
 * limits, thawing) is added.
 */
function initFromAssignment(child: ChildProcess, preLoadMs: () => number): EnvironmentChannel {
  const ipc = ipcChannel(child);
  return {
    send: (m) => ipc.send(m),
    close: () => ipc.close(),
    receive: (receiver) => ipc.receive((m: EnvironmentMessage) => receiver(m.t === 'ready' ? { ...m, initMs: m.initMs + preLoadMs() } : m)),
  };
}

/** Starts generic environments for the runtimes that support them (Hearth's Node.js bootstrap). */
export class GenericLauncher {
  constructor(
    private readonly driver: SandboxDriver,
    private readonly launchers: Map<string, RuntimeLauncher>,
    private readonly slots: Slots,
    private readonly clock: Clock,
  ) {}

  /** Runtimes that can be pre-warmed: Hearth's own bootstraps that know `load` (not custom runtimes). */
  runtimes(): string[] {
    return [...this.launchers].filter(([id, l]) => !l.runtimeApi && STARTUP_VARIABLES[runtimeFamily(id)]).map(([id]) => id);
  }

  /** Files and folders a function's code and layers put into a slot. */
  slotEntries(image: FunctionImage): number {
    return this.slots.entries(image.codeDir) + (image.optDir ? this.slots.entries(image.optDir) : 0);
  }

  spawn(runtime: string, memoryMb: number): GenericEnvironment {
    const launcher = this.launchers.get(runtime);
    if (!launcher) throw new Error(`runtime ${runtime} is not available on this node`);
    const id = shortId();
    const slot = this.slots.create(id);
    const { taskRoot, runtimeRoot, optRoot } = this.driver.layout({ codeDir: slot.task, runtimeDir: launcher.runtimeDir, optDir: slot.opt });
    const env = { ...launcher.env(taskRoot, runtimeRoot, optRoot), ...processVariables(taskRoot, runtimeRoot, optRoot), HEARTH_GENERIC: '1' };
    let sandbox: Sandbox;
    try {
      sandbox = this.driver.start({
        id,
        command: launcher.command(runtimeRoot, memoryMb, false, { taskRoot, optRoot }),
        env,
        codeDir: slot.task,
        runtimeDir: launcher.runtimeDir,
        readOnlyPaths: launcher.readOnlyPaths,
        optDir: slot.opt,
        memoryMb,
        ephemeralStorageMb: GENERIC_TMP_MB,
      });
    } catch (err) {
      this.slots.remove(id);
      throw err;
    }
    return new GenericEnvironment(id, runtime, memoryMb, sandbox, env, slot, this.slots, this.clock);
  }
}
