/**
 * Function URLs end to end: the configuration through the real AWS SDK client, requests
 * with plain fetch to the gateway port, the function seeing a payload 2.0 event.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateFunctionUrlConfigCommand,
  DeleteFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  LambdaClient,
  ListFunctionUrlConfigsCommand,
  UpdateFunctionUrlConfigCommand,
} from '@aws-sdk/client-lambda';
import { ECHO } from '../support/gateway.js';
import { deploy, type Hearth, startTestHearth } from '../support/hearth.js';


describe('function URLs', () => {
  let h: Hearth;
  let lambda: LambdaClient;

  before(async () => {
    h = await startTestHearth();
    lambda = new LambdaClient({ endpoint: h.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 });
    await deploy(h, { name: 'echo', files: { 'index.js': ECHO } });
  });
  after(async () => {
    lambda.destroy();
    await h.stop();
  });

  it('is created, read, updated, listed and deleted with the SDK', async () => {
    const created = await lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'echo', AuthType: 'NONE', Cors: { AllowOrigins: ['https://app.example'], AllowMethods: ['GET', 'POST'], MaxAge: 60 } }));
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.equal(created.FunctionUrl, `${h.gatewayUrl}/lambda-url/echo/`);
    assert.equal(created.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:echo');
    assert.equal(created.AuthType, 'NONE');
    assert.ok(created.CreationTime);
    const got = await lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'echo' }));
    assert.equal(got.InvokeMode, 'BUFFERED');
    assert.deepEqual(got.Cors, { AllowOrigins: ['https://app.example'], AllowMethods: ['GET', 'POST'], MaxAge: 60 });
    const updated = await lambda.send(new UpdateFunctionUrlConfigCommand({ FunctionName: 'echo', Cors: { AllowOrigins: ['https://app.example'], AllowMethods: ['*'], ExposeHeaders: ['x-echo'], AllowCredentials: true } }));
    assert.equal(updated.Cors?.AllowCredentials, true);
    const list = await lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: 'echo' }));
    assert.deepEqual(list.FunctionUrlConfigs?.map((c) => c.FunctionUrl), [created.FunctionUrl]);
    await assert.rejects(lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'echo', AuthType: 'NONE' })), { name: 'ResourceConflictException' });
  });

  it('serves the function under /lambda-url/NAME/ with a payload 2.0 event', async () => {
    const res = await fetch(`${h.gatewayUrl}/lambda-url/echo/items/7?tag=a&tag=b&q=x%20y`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', cookie: 'a=1; b=2', 'x-rep': 'one' },
      body: 'hello',
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-echo'), 'yes');
    assert.deepEqual(res.headers.getSetCookie(), ['seen=1; Path=/']);
    assert.ok(res.headers.get('x-amzn-requestid'));
    const event = (await res.json()) as Record<string, any>;
    assert.equal(event.version, '2.0');
    assert.equal(event.routeKey, '$default');
    assert.equal(event.rawPath, '/items/7');
    assert.equal(event.rawQueryString, 'tag=a&tag=b&q=x%20y');
    assert.deepEqual(event.queryStringParameters, { tag: 'a,b', q: 'x y' });
    assert.deepEqual(event.cookies, ['a=1', 'b=2']);
    assert.equal(event.headers['x-rep'], 'one');
    assert.equal(event.headers.cookie, undefined);
    assert.equal(event.body, 'hello');
    assert.equal(event.isBase64Encoded, false);
    assert.equal(event.requestContext.http.method, 'POST');
    assert.equal(event.requestContext.http.path, '/items/7');
    assert.equal(event.requestContext.http.protocol, 'HTTP/1.1');
    assert.match(event.requestContext.http.sourceIp, /127\.0\.0\.1/);
    assert.equal(event.requestContext.requestId, res.headers.get('x-amzn-requestid'));
    assert.equal(event.requestContext.stage, '$default');
    assert.equal(event.requestContext.accountId, '000000000000');
    assert.equal(typeof event.requestContext.timeEpoch, 'number');
    assert.equal(event.requestContext.domainName, new URL(h.gatewayUrl).host);
  });

  it('honours CORS: preflight answered from the configuration, headers on responses', async () => {
    const pre = await fetch(`${h.gatewayUrl}/lambda-url/echo/x`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'PUT' } });
    assert.equal(pre.status, 200);
    assert.equal(pre.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.equal(pre.headers.get('access-control-allow-methods'), '*');
    assert.equal(pre.headers.get('access-control-allow-credentials'), 'true');
    const res = await fetch(`${h.gatewayUrl}/lambda-url/echo/`, { headers: { origin: 'https://app.example' } });
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.equal(res.headers.get('access-control-expose-headers'), 'x-echo');
    const other = await fetch(`${h.gatewayUrl}/lambda-url/echo/`, { headers: { origin: 'https://evil.example' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });

  it('refuses what it cannot honour, loudly', async () => {
    await deploy(h, { name: 'other', files: { 'index.js': ECHO } });
    await assert.rejects(lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'other', AuthType: 'AWS_IAM' })), (e: Error & { $metadata: { httpStatusCode?: number } }) => {
      assert.equal(e.name, 'InvalidParameterValueException');
      assert.equal(e.$metadata.httpStatusCode, 400);
      assert.match(e.message, /AWS_IAM is not supported/);
      return true;
    });
    await assert.rejects(lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'other', AuthType: 'NONE', InvokeMode: 'RESPONSE_STREAM' })), /RESPONSE_STREAM is not supported/);
    await assert.rejects(lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'other', AuthType: 'NONE', Qualifier: '1' })), /must be an alias/);
    await assert.rejects(lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'other', AuthType: 'NONE', Cors: { MaxAge: 999999 } })), /MaxAge/);
    await assert.rejects(lambda.send(new GetFunctionUrlConfigCommand({ FunctionName: 'other' })), { name: 'ResourceNotFoundException' });
    await assert.rejects(lambda.send(new CreateFunctionUrlConfigCommand({ FunctionName: 'missing', AuthType: 'NONE' })), { name: 'ResourceNotFoundException' });
  });

  it('stops serving once deleted', async () => {
    await lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'echo' }));
    const res = await fetch(`${h.gatewayUrl}/lambda-url/echo/`);
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { message: 'Not Found' });
    await assert.rejects(lambda.send(new DeleteFunctionUrlConfigCommand({ FunctionName: 'echo' })), { name: 'ResourceNotFoundException' });
  });
});
