import type { Clock } from '../../../src/common/clock.js';
import { type Environment, type EnvironmentState, InitError } from '../../../src/pool/environment.js';
import type { EnvironmentFactory } from '../../../src/pool/environment-factory.js';
import type { FunctionImage } from '../../../src/pool/function-image.js';

/** The parts of Environment that FunctionPool uses, with no process behind it. */
export class FakeEnv {
  state: EnvironmentState = 'initializing';
  lastUsed: number;
  served = 0;
  retireCalls: number[] = [];
  private markClosed!: () => void;
  private readonly exited = new Promise<void>((resolve) => (this.markClosed = resolve));

  constructor(
    readonly id: string,
    readonly image: FunctionImage,
    private readonly clock: Clock,
    private readonly initFails = false,
  ) {
    this.lastUsed = clock.now();
  }

  ready(): Promise<void> {
    if (!this.initFails) return Promise.resolve();
    this.die();
    return Promise.reject(new InitError({ errorType: 'Runtime.ImportModuleError', errorMessage: 'boom' }, '', 1));
  }

  park(): void {
    this.served++;
    this.lastUsed = this.clock.now();
    this.state = 'idle';
  }

  retire(graceMs: number): Promise<void> {
    if (this.state === 'gone') return Promise.resolve();
    this.retireCalls.push(graceMs);
    this.state = 'retiring';
    this.die();
    return this.exited;
  }

  /** The process went away (crash, kill, or the end of a retire). */
  die(): void {
    this.state = 'gone';
    this.markClosed();
  }

  closed(): Promise<void> {
    return this.exited;
  }

  get retired(): boolean {
    return this.retireCalls.length > 0;
  }
}

export const asEnv = (e: FakeEnv) => e as unknown as Environment;
export const asFake = (e: Environment) => e as unknown as FakeEnv;

/** Starts FakeEnvs and remembers them. */
export class FakeFactory {
  readonly started: FakeEnv[] = [];
  failNext = 0;

  constructor(private readonly clock: Clock) {}

  /** AWS_LAMBDA_INITIALIZATION_TYPE each environment was started with. */
  readonly kinds: string[] = [];

  start(image: FunctionImage, kind = 'on-demand'): Environment {
    this.kinds.push(kind);
    const env = new FakeEnv(`env-${this.started.length}`, image, this.clock, this.failNext > 0);
    if (this.failNext > 0) this.failNext--;
    this.started.push(env);
    return asEnv(env);
  }

  asFactory(): EnvironmentFactory {
    return this as unknown as EnvironmentFactory;
  }
}

export function image(name = 'fn', revision = 1): FunctionImage {
  return {
    key: `${name}#${revision}`,
    name,
    version: '$LATEST',
    runtime: 'nodejs20.x',
    handler: 'index.handler',
    memoryMb: 128,
    timeoutS: 3,
    ephemeralStorageMb: 512,
    env: {},
    codeDir: `/code/${name}/${revision}`,
    region: 'us-east-1',
  };
}

/** Lets promise callbacks (e.g. `closed().then(...)`) run. */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
