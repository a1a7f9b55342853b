import { HearthError, invalid, parseFunctionRef } from '../../common/index.js';
import { logTail, SYNC_PAYLOAD_LIMIT } from '../../invoke/index.js';
import type { Route } from '../http.js';
import { type LambdaApiDeps, V } from './deps.js';

/** Lambda's asynchronous payload limit (1 MB since 2025). */
export const ASYNC_PAYLOAD_LIMIT = 1024 * 1024;

export const invoke = (d: LambdaApiDeps): Route => ({
  method: 'POST',
  path: `${V}/functions/{name}/invocations`,
  async handler(req, res) {
    const type = (req.headers['x-amz-invocation-type'] as string | undefined) ?? 'RequestResponse';
    if (type !== 'RequestResponse' && type !== 'DryRun' && type !== 'Event') {
      throw invalid(`InvocationType must be RequestResponse, Event or DryRun (got ${type}).`);
    }
    const ref = parseFunctionRef(req.params.name!);
    const qualifier = req.query.get('Qualifier') ?? ref.qualifier;
    const body = await req.body(type === 'Event' ? ASYNC_PAYLOAD_LIMIT : SYNC_PAYLOAD_LIMIT);
    const { image } = d.images.resolve(ref.name, qualifier);
    if (type === 'DryRun') {
      res.writeHead(204, { 'x-amz-executed-version': image.version }).end();
      return;
    }
    const payload = body.length === 0 ? '{}' : body.toString('utf8');
    if (body.length > 0) {
      try {
        JSON.parse(payload);
      } catch {
        throw new HearthError('InvalidRequestContentException', 'Could not parse request body into json: the payload is not valid JSON.');
      }
    }
    if (type === 'Event') {
      // 202 only once the event is durably stored; the function runs later.
      const id = d.async.enqueue(ref.name, qualifier, payload, req.headers['x-amzn-trace-id'] as string | undefined);
      res.writeHead(202, { 'x-amzn-requestid': id, 'content-length': 0 }).end();
      return;
    }
    const clientContext = req.headers['x-amz-client-context'] as string | undefined;
    const result = await d.invoker.invoke({
      image,
      invokedArn: d.registry.arn(ref.name, qualifier),
      payload,
      clientContext: clientContext ? Buffer.from(clientContext, 'base64').toString('utf8') : undefined,
      traceId: req.headers['x-amzn-trace-id'] as string | undefined,
    });
    const headers: Record<string, string | number> = {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(result.payload),
      'x-amz-executed-version': result.executedVersion,
      'x-amzn-requestid': result.requestId,
    };
    if (result.functionError) headers['x-amz-function-error'] = result.functionError;
    if (req.headers['x-amz-log-type'] === 'Tail') headers['x-amz-log-result'] = logTail(result.log);
    res.writeHead(200, headers);
    res.end(result.payload);
  },
});
