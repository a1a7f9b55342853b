import { createReadStream } from 'node:fs';
import { invalid, notFound, parseFunctionRef } from '../../common/index.js';
import type { LambdaApiDeps } from '../lambda/index.js';
import { jsonBody, type Router, sendJson } from '../http.js';
import { CODE_BODY_LIMIT } from '../lambda/deps.js';
import { type ConfigBody, decodeZip, rejectUnsupported, toConfiguration } from '../lambda/function-configuration.js';
import { addRouteRoutes } from './routes.js';

export { addKvRoutes, type KvDeps } from './kv.js';

/** Hearth's own API (`/hearth/v1`): what the Lambda API has no operation for. */
export function addNativeRoutes(router: Router, d: LambdaApiDeps): void {
  addRouteRoutes(router, d);
  router.add({
    method: 'GET',
    path: '/hearth/v1/functions/{name}/logs',
    handler(req, res) {
      d.registry.get(req.params.name!);
      const since = Number(req.query.get('since') ?? 0);
      const afterId = Number(req.query.get('after') ?? 0);
      if (!Number.isFinite(since) || !Number.isFinite(afterId)) throw invalid('since and after must be numbers.');
      const records = d.logs.read(req.params.name!, { since, afterId });
      sendJson(res, 200, { records });
    },
  });
  router.add({
    method: 'POST',
    path: '/hearth/v1/deploy',
    async handler(req, res) {
      const b = await jsonBody<ConfigBody & { FunctionName?: string; ZipFile?: string }>(req, CODE_BODY_LIMIT);
      rejectUnsupported(b);
      if (!b.FunctionName) throw invalid('FunctionName is required.');
      const { fn, created } = await d.registry.deploy({
        name: b.FunctionName,
        runtime: b.Runtime ?? '',
        handler: b.Handler ?? '',
        role: b.Role,
        description: b.Description,
        memoryMb: b.MemorySize,
        timeoutS: b.Timeout,
        ephemeralStorageMb: b.EphemeralStorage?.Size,
        env: b.Environment?.Variables,
        layers: b.Layers,
        zip: decodeZip(b.ZipFile),
      });
      sendJson(res, created ? 201 : 200, toConfiguration(fn, d.registry));
    },
  });
  router.add({
    method: 'GET',
    path: '/hearth/v1/functions/{name}/environments',
    handler(req, res) {
      const fn = d.registry.get(parseFunctionRef(req.params.name!).name);
      const counts = d.pools.environments(fn.name).get(fn.name) ?? { initializing: 0, idle: 0, busy: 0, retiring: 0, gone: 0, provisioned: 0 };
      sendJson(res, 200, { FunctionName: fn.name, Environments: counts, Limits: limitsOf(d, fn.name) });
    },
  });
  router.add({
    method: 'GET',
    path: '/hearth/v1/environments',
    handler(_req, res) {
      const all = d.pools.environments();
      sendJson(res, 200, {
        ConcurrentExecutions: d.invoker.concurrentExecutions,
        Node: {
          ConcurrentExecutionsLimit: d.reserved.accountLimit,
          UnreservedConcurrentExecutions: d.reserved.accountLimit - d.reserved.totalReserved(),
          CapacityMb: d.pools.options.capacityMb,
          UsedMb: d.pools.usedMb(),
        },
        Functions: Object.fromEntries(all),
        Limits: Object.fromEntries(allFunctionNames(d).map((name) => [name, limitsOf(d, name)])),
      });
    },
  });
  router.add({
    method: 'GET',
    path: '/hearth/v1/code/{sha}',
    handler(req, res) {
      const sha = req.params.sha!;
      if (!/^[0-9a-f]{64}$/.test(sha)) throw notFound('No such code package.');
      const stream = createReadStream(d.registry.packagePath(sha));
      stream.once('error', () => res.writeHead(404).end());
      stream.once('open', () => res.writeHead(200, { 'content-type': 'application/zip' }));
      stream.pipe(res);
    },
  });
}

/** A function's concurrency limits and current use, as `hearth get` and `hearth ls` show them. */
function limitsOf(d: LambdaApiDeps, name: string) {
  const reserved = d.reserved.reservedFor(name);
  return {
    ConcurrentExecutions: d.invoker.ledger.concurrentExecutionsOf(name),
    MaxConcurrentRequests: d.registry.get(name).maxConcurrentRequests ?? 1,
    ...(reserved === undefined ? {} : { ReservedConcurrentExecutions: reserved }),
    ProvisionedConcurrency: d.provisioned.list(name).map((v) => ({ Qualifier: v.qualifier, Requested: v.requested, Allocated: v.allocated, Status: v.status })),
  };
}

function allFunctionNames(d: LambdaApiDeps): string[] {
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const page = d.registry.list(marker, 1000);
    names.push(...page.functions.map((f) => f.name));
    marker = page.nextMarker;
  } while (marker);
  return names;
}
