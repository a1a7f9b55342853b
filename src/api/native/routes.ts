import { invalid } from '../../common/index.js';
import type { StoredRoute } from '../../control/index.js';
import type { LambdaApiDeps } from '../lambda/index.js';
import { CONFIG_BODY_LIMIT } from '../lambda/deps.js';
import { jsonBody, type Router, sendJson } from '../http.js';

const view = (r: StoredRoute) => ({
  RouteId: r.routeId,
  RouteKey: r.routeKey,
  Target: r.qualifier ? `${r.functionName}:${r.qualifier}` : r.functionName,
  CreatedDate: new Date(r.created).toISOString(),
});

/** `/hearth/v1/routes`: the gateway's route table (API Gateway's routes have no Lambda API). */
export function addRouteRoutes(router: Router, d: LambdaApiDeps): void {
  router.add({
    method: 'POST',
    path: '/hearth/v1/routes',
    async handler(req, res) {
      const b = await jsonBody<{ RouteKey?: unknown; Target?: unknown }>(req, CONFIG_BODY_LIMIT);
      for (const k of Object.keys(b)) if (k !== 'RouteKey' && k !== 'Target') throw invalid(`A route has no field ${k}.`);
      if (typeof b.RouteKey !== 'string') throw invalid('RouteKey is required (e.g. "GET /users/{id}").');
      if (typeof b.Target !== 'string') throw invalid('Target is required (NAME, NAME:ALIAS or NAME:VERSION).');
      sendJson(res, 201, view(d.routes.add(b.RouteKey, b.Target)));
    },
  });
  router.add({
    method: 'GET',
    path: '/hearth/v1/routes',
    handler(_req, res) {
      sendJson(res, 200, { Items: d.routes.list().map(view), GatewayUrl: d.gatewayUrl() });
    },
  });
  router.add({
    method: 'DELETE',
    path: '/hearth/v1/routes/{id}',
    handler(req, res) {
      d.routes.remove(req.params.id!);
      res.writeHead(204).end();
    },
  });
}
