import type { IncomingMessage, ServerResponse } from 'node:http';
import { ACCOUNT_ID, HearthError, requestId as newRequestId, type Clock } from '../common/index.js';
import type { FunctionImages, FunctionUrlConfigs, HttpRoutes, StoredFunctionUrl } from '../control/index.js';
import { SYNC_PAYLOAD_LIMIT, type Invoker } from '../invoke/index.js';
import { isPreflight, overrideHeaders, preflightHeaders, responseCorsHeaders } from './cors.js';
import { buildEventV2, type EventContext } from './event-v2.js';
import { mapResponseV2, type HttpReply } from './response-v2.js';
import { RouteMatcher } from './route-matcher.js';

export interface GatewayDeps {
  routes: HttpRoutes;
  urls: FunctionUrlConfigs;
  images: FunctionImages;
  invoker: Invoker;
  clock: Clock;
  /** The function's ARN as Lambda writes it (context.invokedFunctionArn). */
  arn(name: string, qualifier?: string): string;
}

export const URL_PREFIX = '/lambda-url/';
/** The apiId routes report; one HTTP API per node. */
const ROUTES_API_ID = 'hearth';

interface Target {
  name: string;
  qualifier?: string;
  rawPath: string;
  ctx: Omit<EventContext, 'domainName'>;
  url?: StoredFunctionUrl;
}

/**
 * The HTTP trigger listener (its own port): function URLs under `/lambda-url/NAME[:ALIAS]/…`
 * and the route table at the root. Each request becomes a payload 2.0 event and one
 * synchronous invocation; the result is mapped back to HTTP.
 */
export function createGateway(d: GatewayDeps) {
  let matcher = new RouteMatcher(d.routes.list());
  d.routes.onChange(() => (matcher = new RouteMatcher(d.routes.list())));

  function targetOf(method: string, path: string): Target | undefined {
    if (path.startsWith(URL_PREFIX) || path === URL_PREFIX.slice(0, -1)) {
      const rest = path.slice(URL_PREFIX.length);
      const slash = rest.indexOf('/');
      const [name = '', qualifier] = (slash < 0 ? rest : rest.slice(0, slash)).split(':');
      const url = d.urls.find(name, qualifier);
      if (!url) return undefined;
      const ctx = { accountId: ACCOUNT_ID, apiId: url.urlId, domainPrefix: url.urlId, routeKey: '$default', stage: '$default' };
      return { name, qualifier, rawPath: slash < 0 ? '/' : rest.slice(slash), ctx, url };
    }
    const m = matcher.match(method, path);
    if (!m) return undefined;
    const ctx = { accountId: ACCOUNT_ID, apiId: ROUTES_API_ID, domainPrefix: '', routeKey: m.route.routeKey, stage: '$default', pathParameters: m.pathParameters };
    return { name: m.route.functionName, qualifier: m.route.qualifier, rawPath: path, ctx };
  }

  async function handle(raw: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const url = raw.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const method = (raw.method ?? 'GET').toUpperCase();
    const target = targetOf(method, path);
    if (!target) return void drain(raw, res, reply(404, 'Not Found'), id);
    const cors = target.url?.cors;
    if (cors && isPreflight(method, raw.headers)) return void drain(raw, res, { statusCode: 200, headers: preflightHeaders(cors, raw.headers), body: Buffer.alloc(0) }, id);
    const body = await readLimited(raw, SYNC_PAYLOAD_LIMIT);
    if (!body) return void drain(raw, res, reply(413, 'Request Entity Too Large'), id);
    const host = raw.headers.host ?? '';
    const event = buildEventV2(
      {
        method,
        rawPath: target.rawPath,
        rawQueryString: q < 0 ? '' : url.slice(q + 1),
        rawHeaders: [...raw.rawHeaders, 'x-forwarded-for', raw.socket.remoteAddress ?? '', 'x-forwarded-proto', 'http'],
        body,
        sourceIp: raw.socket.remoteAddress ?? '',
        protocol: `HTTP/${raw.httpVersion}`,
        requestId: id,
        timeEpoch: d.clock.now(),
      },
      { ...target.ctx, domainName: host, domainPrefix: target.ctx.domainPrefix || host.split(/[.:]/)[0]! },
    );
    let out = await invoke(target, JSON.stringify(event));
    if (cors) out = { ...out, headers: overrideHeaders(out.headers, responseCorsHeaders(cors, raw.headers)) };
    send(res, out, id);
  }

  async function invoke(target: Target, payload: string): Promise<HttpReply> {
    try {
      const { image } = d.images.resolve(target.name, target.qualifier);
      const result = await d.invoker.invoke({ image, invokedArn: d.arn(target.name, target.qualifier), payload });
      if (result.functionError) return timedOut(result.payload) ? reply(504, 'Endpoint request timed out') : reply(502, 'Internal Server Error');
      return mapResponseV2(result.payload) ?? reply(502, 'Internal Server Error');
    } catch (err) {
      if (err instanceof HearthError && err.code === 'TooManyRequestsException') return reply(429, 'Too Many Requests');
      if (!(err instanceof HearthError)) console.error('hearth: gateway error:', err);
      return reply(502, 'Internal Server Error');
    }
  }

  return (raw: IncomingMessage, res: ServerResponse): void => {
    const id = newRequestId();
    handle(raw, res, id).catch((err: unknown) => {
      console.error('hearth: gateway error:', err);
      if (!res.headersSent) send(res, reply(500, 'Internal Server Error'), id);
      else res.destroy();
    });
  };
}

function timedOut(payload: string): boolean {
  try {
    return (JSON.parse(payload) as { errorType?: string }).errorType === 'Sandbox.Timedout';
  } catch {
    return false;
  }
}

/** API Gateway's own error shape: `{"message": "..."}`. */
function reply(statusCode: number, message: string): HttpReply {
  return { statusCode, headers: [['content-type', 'application/json']], body: Buffer.from(JSON.stringify({ message })) };
}

function send(res: ServerResponse, r: HttpReply, id: string): void {
  const lines: [string, string][] = [...r.headers.filter(([n]) => n !== 'content-length' && n !== 'transfer-encoding'), ['content-length', String(r.body.length)], ['x-amzn-requestid', id]];
  res.writeHead(r.statusCode, lines.flat());
  res.end(r.body);
}

/** Answers without reading the body; the rest of it is discarded. */
function drain(raw: IncomingMessage, res: ServerResponse, r: HttpReply, id: string): void {
  raw.resume();
  send(res, r, id);
}

/** The whole body, or undefined past `limit` bytes. */
function readLimited(raw: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  if (Number(raw.headers['content-length'] ?? 0) > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    raw.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        raw.removeAllListeners('data');
        raw.resume();
        resolve(undefined);
      } else chunks.push(c);
    });
    raw.on('end', () => resolve(Buffer.concat(chunks)));
    raw.on('error', reject);
  });
}
