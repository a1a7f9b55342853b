import { type Clock, shortId } from '../common/index.js';
import type { SandboxDriver } from '../sandbox/index.js';
import { Environment } from './environment.js';
import type { FunctionImage } from './function-image.js';
import type { GenericPool } from './generic-pool.js';
import { processVariables } from './process-variables.js';
import { closingOnError, RuntimeApiServer } from './runtime-api/index.js';
import type { RuntimeLauncher } from './runtimes.js';

/** Lambda's AWS_LAMBDA_INITIALIZATION_TYPE values that Hearth produces. */
export type InitializationType = 'on-demand' | 'provisioned-concurrency';

/** Starts environments for function images: builds the sandbox spec and Lambda's variables. */
export class EnvironmentFactory {
  constructor(
    private readonly driver: SandboxDriver,
    private readonly runtimes: Map<string, RuntimeLauncher>,
    private readonly clock: Clock,
    /** Pre-warmed generic environments: an on-demand cold start takes one when it fits. */
    private readonly generic?: GenericPool,
    /**
     * Variables the server adds to every function's environments (Hearth's endpoint and
     * the function's credential); applied last, so a function cannot override them.
     */
    private readonly serviceVariables: (functionName: string) => Record<string, string> = () => ({}),
  ) {}

  /** `kind` is what the function sees in AWS_LAMBDA_INITIALIZATION_TYPE. */
  async start(image: FunctionImage, kind: InitializationType = 'on-demand'): Promise<Environment> {
    const runtime = this.runtimes.get(image.runtime);
    if (!runtime) throw new Error(`runtime ${image.runtime} is not available on this node`);
    const warmed = kind === 'on-demand' ? this.generic?.take(image, (envId) => this.variables(image, runtime, envId, kind)) : undefined;
    if (warmed) return warmed;
    const id = shortId();
    const { taskRoot, runtimeRoot, optRoot } = this.driver.layout({ codeDir: image.codeDir, runtimeDir: runtime.runtimeDir, optDir: image.optDir });
    // A custom runtime gets its own Runtime API endpoint, open before the process starts.
    const api = runtime.runtimeApi ? await RuntimeApiServer.listen() : undefined;
    const roots = { taskRoot, optRoot: image.optDir ? optRoot : undefined };
    const sandbox = closingOnError(api, () => this.driver.start({
      id,
      command: runtime.command(runtimeRoot, image.memoryMb, !this.driver.capsMemory, roots),
      env: { ...this.variables(image, runtime, id, kind), ...(api ? { AWS_LAMBDA_RUNTIME_API: api.address } : {}) },
      codeDir: image.codeDir,
      runtimeDir: runtime.runtimeDir,
      readOnlyPaths: runtime.readOnlyPaths,
      optDir: image.optDir,
      memoryMb: image.memoryMb,
      ephemeralStorageMb: image.ephemeralStorageMb,
    }));
    return new Environment(id, sandbox, this.clock, image.memoryMb, api?.attach(sandbox, this.clock), runtime.initExitError);
  }

  /** The process environment of a start: the function's variables, the runtime's, Lambda's. */
  private variables(image: FunctionImage, runtime: RuntimeLauncher, id: string, kind: InitializationType): Record<string, string> {
    const { taskRoot, runtimeRoot, optRoot } = this.driver.layout({ codeDir: image.codeDir, runtimeDir: runtime.runtimeDir, optDir: image.optDir });
    return {
      ...image.env,
      ...runtime.env(taskRoot, runtimeRoot, optRoot),
      ...this.lambdaVariables(image, id, taskRoot, runtimeRoot, optRoot, kind),
      ...this.serviceVariables(image.name),
    };
  }

  /** Lambda's reserved variables; see "Defined runtime environment variables". */
  private lambdaVariables(image: FunctionImage, envId: string, taskRoot: string, runtimeRoot: string, optRoot: string, kind: InitializationType) {
    const day = new Date(this.clock.now()).toISOString().slice(0, 10).replace(/-/g, '/');
    return {
      _HANDLER: image.handler,
      AWS_EXECUTION_ENV: `AWS_Lambda_${image.runtime}`,
      AWS_LAMBDA_FUNCTION_NAME: image.name,
      AWS_LAMBDA_FUNCTION_VERSION: image.version,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(image.memoryMb),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${image.name}`,
      AWS_LAMBDA_LOG_STREAM_NAME: `${day}/[${image.version}]${envId}`,
      AWS_LAMBDA_INITIALIZATION_TYPE: kind,
      // Hearth extension: the bootstrap separates concurrent requests' logs only when asked.
      ...((image.maxConcurrentRequests ?? 1) > 1 ? { HEARTH_MAX_CONCURRENT_REQUESTS: String(image.maxConcurrentRequests) } : {}),
      AWS_REGION: image.region,
      AWS_DEFAULT_REGION: image.region,
      LAMBDA_TASK_ROOT: taskRoot,
      LAMBDA_RUNTIME_DIR: runtimeRoot,
      ...processVariables(taskRoot, runtimeRoot, optRoot),
    };
  }
}
