import type { FunctionImages, FunctionRegistry } from '../../control/index.js';
import type { Invoker } from '../../invoke/index.js';
import type { FunctionLogs } from '../../telemetry/index.js';
import type { PoolManager } from '../../pool/index.js';

/** What the Lambda API handlers reach; wired in `server/`. */
export interface LambdaApiDeps {
  registry: FunctionRegistry;
  images: FunctionImages;
  invoker: Invoker;
  logs: FunctionLogs;
  pools: PoolManager;
}

/** Lambda's API version prefix in every path. */
export const V = '/2015-03-31';
/** Request bodies that carry a zip (base64): 50 MB zipped grows by a third. */
export const CODE_BODY_LIMIT = 70 * 1024 * 1024;
export const CONFIG_BODY_LIMIT = 1024 * 1024;
