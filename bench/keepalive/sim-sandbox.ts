import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import type { Clock, EnvironmentMessage, InvokeMessage } from '../../src/common/index.js';
import type { Sandbox, SandboxDriver, SandboxLayout, SandboxSpec } from '../../src/sandbox/index.js';

/**
 * Memory-time of idle environments, read at the OS boundary: an environment is idle from
 * the moment the pool freezes it (park) until it is thawed for a request or terminated.
 * What the pool does decides it; no policy arithmetic is involved.
 */
export class IdleLedger {
  /** Sum of idle milliseconds × MB. */
  mbMs = 0;
  starts = 0;
  /** The same, by function name. */
  readonly byFunction = new Map<string, number>();
  private readonly open = new Map<SimSandbox, number>();

  constructor(private readonly clock: Clock) {}

  frozen(s: SimSandbox): void {
    if (!this.open.has(s)) this.open.set(s, this.clock.now());
  }

  awake(s: SimSandbox): void {
    const since = this.open.get(s);
    if (since === undefined) return;
    this.open.delete(s);
    const mbMs = (this.clock.now() - since) * s.memoryMb;
    this.mbMs += mbMs;
    this.byFunction.set(s.fn, (this.byFunction.get(s.fn) ?? 0) + mbMs);
  }

  /** Closes every idle interval at the end of the trace. */
  close(): void {
    for (const s of [...this.open.keys()]) this.awake(s);
  }

  get gbSeconds(): number {
    return this.mbMs / 1024 / 1000;
  }
}

/**
 * The process side of an environment with no process: it answers Init with `ready` after
 * `initMs` of virtual time, and each request with its result after the duration the
 * request's payload names (`{"ms":N}`), both on the virtual clock.
 */
class SimChild extends EventEmitter {
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  readonly stdout = null;
  readonly stderr = null;

  constructor(private readonly clock: Clock) {
    super();
  }

  send(msg: InvokeMessage): boolean {
    const { ms } = JSON.parse(msg.payload) as { ms: number };
    this.clock.setTimer(ms, () => this.reply({ t: 'result', id: msg.id, ok: true, body: 'null', logs: '', maxRssKb: 0 }));
    return true;
  }

  reply(m: EnvironmentMessage): void {
    if (this.exitCode === null && this.signalCode === null) this.emit('message', m);
  }

  exit(signal: NodeJS.Signals | null): void {
    if (this.exitCode !== null || this.signalCode !== null) return;
    if (signal) this.signalCode = signal;
    else this.exitCode = 0;
    this.emit('close', this.exitCode, this.signalCode);
  }
}

export class SimSandbox implements Sandbox {
  readonly child: ChildProcess;
  private readonly sim: SimChild;

  constructor(
    clock: Clock,
    readonly fn: string,
    readonly memoryMb: number,
    initMs: number,
    private readonly ledger: IdleLedger,
  ) {
    this.sim = new SimChild(clock);
    this.child = this.sim as unknown as ChildProcess;
    clock.setTimer(initMs, () => this.sim.reply({ t: 'ready', initMs, logs: '' }));
  }

  freeze(): void {
    this.ledger.frozen(this);
  }
  thaw(): void {
    this.ledger.awake(this);
  }
  limitCpu(): void {}
  terminate(): Promise<void> {
    this.ledger.awake(this);
    this.sim.exit(null);
    return Promise.resolve();
  }
  kill(): void {
    this.ledger.awake(this);
    this.sim.exit('SIGKILL');
  }
  oomKilled(): boolean {
    return false;
  }
  pids(): number[] {
    return [];
  }
  dispose(): void {}
}

/** A SandboxDriver whose environments live on the virtual clock and report idle memory-time. */
export class SimDriver implements SandboxDriver {
  readonly name = 'simulated';
  readonly missing: readonly string[] = [];
  readonly capsMemory = true;

  constructor(
    private readonly clock: Clock,
    readonly ledger: IdleLedger,
    private readonly initMs: number,
  ) {}

  layout(): SandboxLayout {
    return { taskRoot: '/var/task', runtimeRoot: '/var/runtime', optRoot: '/opt' };
  }

  start(spec: SandboxSpec): Sandbox {
    this.ledger.starts++;
    return new SimSandbox(this.clock, spec.env.AWS_LAMBDA_FUNCTION_NAME ?? spec.id, spec.memoryMb, this.initMs, this.ledger);
  }

  sweep(): void {}
}
