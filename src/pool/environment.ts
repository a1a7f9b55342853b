import type { Clock, EnvironmentMessage, FunctionErrorBody, InvokeMessage, Timer } from '../common/index.js';
import type { Sandbox } from '../sandbox/index.js';
import { type EnvironmentChannel, ipcChannel } from './channel.js';

export type EnvironmentState = 'initializing' | 'idle' | 'busy' | 'retiring' | 'gone';

/** How one request on an environment ended. */
export type InvokeOutcome =
  | { kind: 'result'; ok: boolean; body: string; logs: string; maxRssKb: number }
  | { kind: 'timeout'; logs: string }
  | { kind: 'exit'; error: FunctionErrorBody; logs: string };

export class InitError extends Error {
  constructor(
    readonly error: FunctionErrorBody,
    readonly logs: string,
    readonly initMs: number,
  ) {
    super(error.errorMessage);
  }
}

/**
 * One execution environment: a sandboxed runtime process that runs Init once and then
 * one request at a time. Owns the state machine
 * initializing → idle (frozen) ⇄ busy → retiring → gone.
 */
export class Environment {
  state: EnvironmentState = 'initializing';
  lastUsed: number;
  initMs = 0;
  /** Requests served; 0 means the next request is this environment's cold start. */
  served = 0;
  /** Init output not yet attributed to a request (Lambda shows it before START). */
  initLogs = '';

  private stray: string[] = [];
  /** Whether the sandbox is frozen now (idle and its deferred freeze has run). */
  private frozen = false;
  private pendingFreeze?: Timer;
  private oomKilledAtExit = false;
  /** Receives Init's ending (ready or init-error) while ready() waits for it. */
  private onInit?: (m: EnvironmentMessage) => void;
  /** Requests in flight by id: one, or up to the function's maxConcurrentRequests. */
  private readonly pending = new Map<string, { resolve: (o: InvokeOutcome) => void; timer: Timer }>();
  private readonly exited: Promise<void>;

  constructor(
    readonly id: string,
    readonly sandbox: Sandbox,
    private readonly clock: Clock,
    readonly memoryMb: number,
    private readonly channel: EnvironmentChannel = ipcChannel(sandbox.child),
    /** The launcher's reading of an exit during Init (see `RuntimeLauncher.initExitError`). */
    private readonly initExitError?: (exitCode: number | null, output: string) => FunctionErrorBody | undefined,
  ) {
    this.lastUsed = clock.now();
    const child = sandbox.child;
    // Output that bypassed the bootstrap's capture (native writes, fatal errors).
    child.stdout?.on('data', (b: Buffer) => this.stray.push(b.toString('utf8')));
    child.stderr?.on('data', (b: Buffer) => this.stray.push(b.toString('utf8')));
    child.on('error', () => {
      /* reported through 'close' */
    });
    this.exited = new Promise((resolve) => child.once('close', () => resolve()));
    channel.receive((m) => this.onMessage(m));
    void this.exited.then(() => this.onClose());
  }

  /** Resolves when Init has finished; rejects with InitError when it failed. */
  ready(): Promise<void> {
    const started = this.clock.monotonic();
    return new Promise((resolve, reject) => {
      let settled = false;
      const cleanup = () => {
        this.onInit = undefined;
        settled = true;
      };
      // Output that bypassed the runtime's capture during Init (all of a custom
      // runtime's) belongs to Init too: Lambda shows it ahead of the first START.
      this.onInit = (m) => {
        if (m.t === 'ready') {
          cleanup();
          this.initMs = m.initMs;
          this.initLogs = m.logs + this.takeStray();
          this.sandbox.limitCpu();
          resolve();
        } else if (m.t === 'init-error') {
          cleanup();
          this.state = 'gone';
          this.sandbox.kill();
          reject(new InitError(m.error, m.logs + this.takeStray(), this.clock.monotonic() - started));
        }
      };
      // A runtime that dies during Init (e.g. out of memory while loading) fails Init.
      void this.exited.then(() => {
        if (settled) return;
        cleanup();
        const error = this.initExitError?.(this.sandbox.child.exitCode, this.stray.join('')) ?? this.exitError();
        reject(new InitError(error, this.takeStray(), this.clock.monotonic() - started));
      });
    });
  }

  /** Init's output, once: it leads the log of the first request this environment serves. */
  takeInitLogs(): string {
    const logs = this.initLogs;
    this.initLogs = '';
    return logs;
  }

  /** Requests running now. */
  get inFlight(): number {
    return this.pending.size;
  }

  /**
   * Runs one request. Never rejects: every ending is an outcome. A timeout kills the
   * environment, as on Lambda; other requests it was serving end with the exit error.
   */
  invoke(msg: InvokeMessage, timeoutMs: number): Promise<InvokeOutcome> {
    if (this.state !== 'busy') {
      this.state = 'busy';
      this.pendingFreeze?.cancel();
      this.pendingFreeze = undefined;
      if (this.frozen) {
        this.sandbox.thaw();
        this.frozen = false;
      }
    }
    return new Promise((resolve) => {
      const timer = this.clock.setTimer(timeoutMs, () => {
        this.pending.delete(msg.id);
        this.state = 'gone';
        this.sandbox.kill();
        resolve({ kind: 'timeout', logs: this.takeStray() });
      });
      this.pending.set(msg.id, { resolve, timer });
      this.channel.send(msg);
    });
  }

  /**
   * Back to idle: frozen, no CPU until the next request thaws it. The freeze comes a turn
   * later, after the response is on its way: the freezer write (~0.1 ms) stays off the
   * request's path, and a request that arrives before it needs neither write.
   */
  park(): void {
    this.served++;
    this.lastUsed = this.clock.now();
    this.state = 'idle';
    this.pendingFreeze?.cancel();
    this.pendingFreeze = this.clock.setTimer(0, () => {
      this.pendingFreeze = undefined;
      if (this.state !== 'idle') return;
      try {
        this.sandbox.freeze();
        this.frozen = true;
      } catch {
        /* it died meanwhile; 'close' retires it */
      }
    });
  }

  /** SIGTERM (shutdown hooks run) then SIGKILL after the grace period. */
  async retire(graceMs: number): Promise<void> {
    if (this.state === 'gone') return;
    this.state = 'retiring';
    await this.sandbox.terminate(graceMs);
    await this.exited;
  }

  kill(): void {
    this.state = 'gone';
    this.sandbox.kill();
  }

  /** Resolves once the process tree has exited and its OS resources are freed. */
  closed(): Promise<void> {
    return this.exited;
  }

  private onMessage(m: EnvironmentMessage): void {
    if (m.t !== 'result') return this.onInit?.(m);
    const request = this.pending.get(m.id);
    if (!request) return;
    this.pending.delete(m.id);
    const { resolve, timer } = request;
    timer.cancel();
    const stray = this.takeStray();
    resolve({ kind: 'result', ok: m.ok, body: m.body, logs: m.logs + stray, maxRssKb: m.maxRssKb });
  }

  private onClose(): void {
    this.state = 'gone';
    // Read how it died before the cgroup (and its OOM counter) is removed.
    const error = this.exitError();
    this.oomKilledAtExit = error.errorType === 'Runtime.OutOfMemory';
    this.channel.close();
    this.sandbox.dispose();
    // Without requests in flight the output stays for ready(): an exit during Init reports it.
    const logs = this.pending.size > 0 ? this.takeStray() : '';
    for (const [id, { resolve, timer }] of this.pending) {
      timer.cancel();
      resolve({ kind: 'exit', error: { ...error, errorMessage: `RequestId: ${id} ${error.errorMessage}` }, logs });
    }
    this.pending.clear();
  }

  private exitError(): FunctionErrorBody {
    const { exitCode, signalCode } = this.sandbox.child;
    const stray = this.stray.join('');
    const oom = this.oomKilledAtExit || this.sandbox.oomKilled() || /heap out of memory|Reached heap limit/.test(stray);
    const how = signalCode ? `signal: ${signalName(signalCode)}` : `exit status ${exitCode ?? 'unknown'}`;
    return {
      errorType: oom ? 'Runtime.OutOfMemory' : 'Runtime.ExitError',
      errorMessage: `Error: Runtime exited with error: ${how}`,
    };
  }

  private takeStray(): string {
    const text = this.stray.join('');
    this.stray = [];
    return text;
  }
}

function signalName(signal: NodeJS.Signals): string {
  const names: Partial<Record<NodeJS.Signals, string>> = { SIGKILL: 'killed', SIGABRT: 'aborted', SIGSEGV: 'segmentation fault', SIGTERM: 'terminated' };
  return names[signal] ?? signal;
}
