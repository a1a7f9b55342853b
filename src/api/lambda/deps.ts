import { invalid } from '../../common/index.js';
import type { AliasRegistry, FunctionImages, FunctionRegistry, FunctionUrlConfigs, HttpRoutes, LayerRegistry, ProvisionedConcurrency, ReservedConcurrency, VersionRegistry } from '../../control/index.js';
import type { AsyncInvoker, EventInvokeConfigs, EventSourceMappings } from '../../events/index.js';
import type { Invoker } from '../../invoke/index.js';
import type { FunctionLogs } from '../../telemetry/index.js';
import type { PoolManager } from '../../pool/index.js';

/** What the Lambda API handlers reach; wired in `server/`. */
export interface LambdaApiDeps {
  registry: FunctionRegistry;
  versions: VersionRegistry;
  aliases: AliasRegistry;
  layers: LayerRegistry;
  images: FunctionImages;
  invoker: Invoker;
  logs: FunctionLogs;
  pools: PoolManager;
  reserved: ReservedConcurrency;
  provisioned: ProvisionedConcurrency;
  async: AsyncInvoker;
  eventConfigs: EventInvokeConfigs;
  mappings: EventSourceMappings;
  functionUrls: FunctionUrlConfigs;
  routes: HttpRoutes;
  /** The HTTP trigger listener's base URL (known once it listens). */
  gatewayUrl: () => string;
  region: string;
}

/** Lambda's API version prefix in every path. */
export const V = '/2015-03-31';
/** The layer operations' API version prefix. */
export const LV = '/2018-10-31';
/** Request bodies that carry a zip (base64): 50 MB zipped grows by a third. */
export const CODE_BODY_LIMIT = 70 * 1024 * 1024;
export const CONFIG_BODY_LIMIT = 1024 * 1024;

/** `MaxItems` of a List operation: 1–`max` (10000, 50 for layers), `fallback` when absent. */
export function maxItems(query: URLSearchParams, fallback = 50, max = 10_000): number {
  if (!query.has('MaxItems')) return fallback;
  const n = Number(query.get('MaxItems'));
  if (!Number.isInteger(n) || n < 1 || n > max) throw invalid(`MaxItems must be an integer between 1 and ${max}.`);
  return n;
}

/**
 * One page of a list that Lambda pages with `Marker` (the key of the last item of the
 * previous page) and `MaxItems`: the items after the marker, and the next marker.
 */
export function pageByMarker<T>(all: T[], keyOf: (item: T) => string, query: URLSearchParams, fallback: number, max: number): { page: T[]; nextMarker?: string } {
  const limit = maxItems(query, fallback, max);
  const marker = query.get('Marker');
  const start = marker ? all.findIndex((item) => keyOf(item) === marker) + 1 : 0;
  const page = all.slice(start, start + limit);
  const last = page[page.length - 1];
  return { page, ...(start + limit < all.length && last !== undefined ? { nextMarker: keyOf(last) } : {}) };
}
