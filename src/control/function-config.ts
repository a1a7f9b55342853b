import { HearthError, invalid } from '../common/index.js';
import type { FunctionLayer } from './layer-registry.js';

/** A function as stored: Lambda's configuration plus where its code lives. */
export interface StoredFunction {
  name: string;
  runtime: string;
  handler: string;
  role: string;
  description: string;
  memoryMb: number;
  timeoutS: number;
  ephemeralStorageMb: number;
  env: Record<string, string>;
  tags: Record<string, string>;
  codeSha256: string;
  codeSize: number;
  /** Unzipped bytes of the code (absent in records written before layers existed). */
  codeUnzippedSize?: number;
  /** The layers, in order (absent when none). */
  layers?: FunctionLayer[];
  revisionId: string;
  lastModified: string;
  /** The number of the last version published (absent until the first): numbers are never reused. */
  lastVersion?: number;
  /**
   * Hearth extension: requests one environment may serve at once (absent: 1, as Lambda).
   * Node.js runtimes only; for I/O-bound handlers, as Cloud Run's concurrency setting.
   */
  maxConcurrentRequests?: number;
  /** DeadLetterConfig.TargetArn: an SQS queue for asynchronous events that failed for good. */
  deadLetterTargetArn?: string;
}

export type ConfigPatch = Partial<
  Pick<StoredFunction, 'runtime' | 'handler' | 'role' | 'description' | 'memoryMb' | 'timeoutS' | 'ephemeralStorageMb' | 'env' | 'maxConcurrentRequests' | 'deadLetterTargetArn'>
> & {
  /** Layer version ARNs, replacing the function's layers (`[]` removes them). */
  layers?: string[];
};

/** Lambda's LastModified format: 2019-09-24T17:38:42.223+0000 */
export const lambdaTimestamp = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');

/** A `RevisionId` precondition that does not hold (functions and aliases alike). */
export const revisionMismatch = () =>
  new HearthError(
    'PreconditionFailedException',
    'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
  );

export const DEFAULTS = { memoryMb: 128, timeoutS: 3, ephemeralStorageMb: 512, description: '' } as const;

/** Variables Lambda sets itself; a function may not define them. */
const RESERVED_VARIABLES = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE', 'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
  // Hearth's own, set from its settings.
  'HEARTH_MAX_CONCURRENT_REQUESTS',
  // Injected so the SDK and the KV client reach this Hearth (README, "Reaching state").
  'AWS_ENDPOINT_URL', 'HEARTH_ENDPOINT',
]);

/** Hearth's cap on requests per environment (Cloud Run allows up to 1,000 too). */
export const MAX_CONCURRENT_REQUESTS = 1000;

/** Lambda's limit on all environment variables of a function together. */
export const ENV_LIMIT_BYTES = 4096;

function intInRange(value: number, min: number, max: number, field: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${field} must be an integer between ${min} and ${max} (got ${value}).`);
  }
}

export function validateName(name: string): void {
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(name)) {
    throw invalid(`Function name "${name}" is invalid: use 1-64 letters, digits, hyphens or underscores.`);
  }
}

/** Checks a complete configuration against Lambda's rules; throws one clear message. */
export function validateConfig(fn: Omit<StoredFunction, 'codeSha256' | 'codeSize' | 'revisionId' | 'lastModified'>, runtimes: ReadonlySet<string>): void {
  validateName(fn.name);
  if (!runtimes.has(fn.runtime)) {
    throw invalid(`Runtime ${fn.runtime} is not supported on this node; available: ${[...runtimes].join(', ')}.`);
  }
  if (isCustomRuntime(fn.runtime)) {
    // The bootstrap reads _HANDLER as it likes: Lambda only asks for no whitespace.
    if (!/^[^\s]+$/.test(fn.handler) || fn.handler.length > 128) {
      throw invalid(`Handler "${fn.handler}" is invalid: expected 1-128 characters without whitespace.`);
    }
  } else if (!/^[^\s]+\.[^\s.]+$/.test(fn.handler) || fn.handler.length > 128 || fn.handler.startsWith('.')) {
    throw invalid(`Handler "${fn.handler}" is invalid: expected path/to/file.export.`);
  }
  intInRange(fn.memoryMb, 128, 10240, 'MemorySize');
  intInRange(fn.timeoutS, 1, 900, 'Timeout');
  intInRange(fn.ephemeralStorageMb, 512, 10240, 'EphemeralStorage.Size');
  if (fn.description.length > 256) throw invalid('Description must be at most 256 characters.');
  if (fn.deadLetterTargetArn && !/^arn:aws:sqs:[a-z0-9-]+:\d{12}:[\w-]{1,80}$/.test(fn.deadLetterTargetArn)) {
    throw invalid(`DeadLetterConfig TargetArn ${fn.deadLetterTargetArn} is not supported: Hearth delivers dead letters to its SQS queues (an SNS topic is not available yet).`);
  }
  if (fn.maxConcurrentRequests !== undefined) {
    intInRange(fn.maxConcurrentRequests, 1, MAX_CONCURRENT_REQUESTS, 'MaxConcurrentRequests');
    if (fn.maxConcurrentRequests > 1 && !fn.runtime.startsWith('nodejs')) {
      throw invalid(`MaxConcurrentRequests above 1 needs a Node.js runtime: ${fn.runtime} serves one request per environment at a time.`);
    }
  }
  let bytes = 0;
  for (const [key, value] of Object.entries(fn.env)) {
    if (!/^[a-zA-Z][a-zA-Z0-9_]*$/.test(key)) throw invalid(`Environment variable name "${key}" is invalid.`);
    if (RESERVED_VARIABLES.has(key)) {
      throw invalid(`Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${key}`);
    }
    if (typeof value !== 'string') throw invalid(`Environment variable ${key} must be a string.`);
    bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  if (bytes > ENV_LIMIT_BYTES) {
    throw invalid(`Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: ${bytes} bytes.`);
  }
}

/** Custom runtimes (`provided`, `provided.al2023`) run the package's own `bootstrap`. */
export const isCustomRuntime = (runtime: string): boolean => runtime === 'provided' || runtime.startsWith('provided.');

/** The files a handler `path/to/file.export` may live in. */
export function handlerFiles(handler: string): string[] {
  const base = handler.slice(0, handler.lastIndexOf('.'));
  return [...['.js', '.mjs', '.cjs'].map((ext) => base + ext), ...['.py', '/__init__.py'].map((ext) => base.replace(/\./g, '/') + ext)];
}
