import type { IncomingMessage, ServerResponse } from 'node:http';
import { HearthError, requestId } from '../common/index.js';
import { sendError } from './errors.js';
import { readBody, type Request, Router, sendJson } from './http.js';
import { addLambdaRoutes, type LambdaApiDeps } from './lambda/index.js';
import { addKvRoutes, addNativeRoutes, type KvDeps } from './native/index.js';
import { type SqsDeps, sqsService } from './sqs/index.js';
import { addSchedulerRoutes, type SchedulerDeps } from './scheduler/index.js';
import { type EventBridgeDeps, eventBridgeService } from './events/index.js';
import { handleS3, type S3Deps, signedService } from './s3/index.js';
import { type SfnDeps, stepFunctionsService } from './sfn/index.js';
import { addJsonProtocolRoute } from './aws-json.js';

export type { LambdaApiDeps } from './lambda/index.js';
export type { KvDeps } from './native/index.js';
export { SQS_ERRORS, SQS_OPERATIONS, type SqsDeps } from './sqs/index.js';
export { SCHEDULER_ERRORS, SCHEDULER_OPERATIONS, type SchedulerDeps } from './scheduler/index.js';
export { EVENTBRIDGE_ERRORS, EVENTBRIDGE_OPERATIONS, type EventBridgeDeps } from './events/index.js';
export { S3_ERRORS, type S3Deps } from './s3/index.js';
export { SFN_ERRORS, SFN_OPERATIONS, type SfnDeps } from './sfn/index.js';

export interface ApiOptions {
  /** When set, requests must be signed with this access key (non-loopback binding). */
  accessKeyId?: string;
  /** Further access key ids to accept (each function's own credential, see server/function-credentials). */
  acceptsKey?: (accessKeyId: string) => boolean;
}

/** The main port's request listener: Lambda's REST API, SQS's JSON protocol (`POST /`) and Hearth's native API. */
export function createApi(deps: LambdaApiDeps & SqsDeps & SchedulerDeps & EventBridgeDeps & KvDeps & SfnDeps & Partial<S3Deps>, options: ApiOptions = {}) {
  const router = new Router();
  addLambdaRoutes(router, deps);
  addJsonProtocolRoute(router, [eventBridgeService(deps), stepFunctionsService(deps)], sqsService(deps));
  addNativeRoutes(router, deps);
  addKvRoutes(router, deps);
  addSchedulerRoutes(router, deps);
  const reserved = router.firstSegments();
  const s3 = deps.objects && deps.uploads ? { objects: deps.objects, uploads: deps.uploads } : undefined;

  return (raw: IncomingMessage, res: ServerResponse): void => {
    const url = raw.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const method = raw.method ?? 'GET';
    const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    // One port, many AWS protocols: a signed request names its service in the credential
    // scope; an unsigned one is S3's when no Hearth route takes it and its path is a bucket's.
    const service = signedService(raw.headers.authorization) ?? signedService(`Credential=${query.get('X-Amz-Credential') ?? ''}`);
    const match = service === 's3' ? undefined : router.match(method, path);
    if (s3 && !match && (service === 's3' || (service === undefined && isS3Path(method, path, reserved)))) {
      if (options.accessKeyId && !signedWith(raw, options.accessKeyId, options.acceptsKey) && !query.get('X-Amz-Credential')?.startsWith(`${options.accessKeyId}/`)) {
        raw.resume();
        sendJson(res, 403, { Type: 'User', message: 'The security token included in the request is invalid.' }, { 'x-amzn-errortype': 'UnrecognizedClientException' });
        return;
      }
      handleS3(s3, raw, res, path, query);
      return;
    }
    const id = requestId();
    if (!match) {
      raw.resume();
      sendJson(res, 404, { Type: 'User', message: `No Hearth API operation for ${method} ${path}` }, { 'x-amzn-errortype': 'UnknownOperationException' });
      return;
    }
    if (options.accessKeyId && !signedWith(raw, options.accessKeyId, options.acceptsKey)) {
      raw.resume();
      sendJson(res, 403, { Type: 'User', message: 'The security token included in the request is invalid.' }, { 'x-amzn-errortype': 'UnrecognizedClientException' });
      return;
    }
    const req: Request = {
      method,
      path,
      query,
      params: match.params,
      headers: raw.headers,
      raw,
      body: (limit) => readBody(raw, limit),
    };
    try {
      const done = match.handler(req, res);
      if (done) done.catch((err: unknown) => fail(err));
    } catch (err) {
      fail(err);
    }
    function fail(err: unknown) {
      if (!(err instanceof HearthError) || err.code === 'RequestTooLargeException') raw.resume();
      sendError(res, err, id);
    }
  };
}

/** `GET /` (ListBuckets) or a path whose first segment is no Hearth API's. */
function isS3Path(method: string, path: string, reserved: Set<string>): boolean {
  const first = path.split('/')[1] ?? '';
  if (first === '') return method === 'GET' && path === '/';
  return !reserved.has(first);
}

/**
 * SigV4 `Authorization: AWS4-HMAC-SHA256 Credential=<key>/…` naming the configured key or
 * one `acceptsKey` knows (a function's own credential).
 */
function signedWith(raw: IncomingMessage, accessKeyId: string, acceptsKey?: (id: string) => boolean): boolean {
  const auth = raw.headers.authorization ?? '';
  if (!auth.startsWith('AWS4-HMAC-SHA256')) return false;
  const key = /Credential=([^/,\s]+)\//.exec(auth)?.[1];
  return key !== undefined && (key === accessKeyId || (acceptsKey?.(key) ?? false));
}
