/**
 * Compatibility: the real, unmodified AWS SDK for JavaScript v3 (`@aws-sdk/client-lambda`)
 * drives every Lambda operation Hearth implements, and its errors arrive as the SDK's
 * typed exceptions.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  GetFunctionCommand,
  GetFunctionConfigurationCommand,
  InvalidParameterValueException,
  InvalidRequestContentException,
  InvokeCommand,
  LambdaClient,
  type LambdaClientConfig,
  ListFunctionsCommand,
  paginateListFunctions,
  PreconditionFailedException,
  RequestTooLargeException,
  ResourceConflictException,
  ResourceNotFoundException,
  TooManyRequestsException,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { type Hearth, RUNTIME, startTestHearth } from '../support/hearth.js';
import { makeZip } from '../support/zip.js';

const ROLE = 'arn:aws:iam::000000000000:role/sdk-test';

function sdkClient(h: Hearth, extra: Partial<LambdaClientConfig> = {}): LambdaClient {
  return new LambdaClient({ endpoint: h.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, ...extra });
}

const sha256Base64 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('base64');
const codeZip = async (source: string) => new Uint8Array(await makeZip({ 'index.js': source }));
const json = (bytes: Uint8Array | undefined): unknown => JSON.parse(Buffer.from(bytes ?? new Uint8Array()).toString('utf8'));
const payload = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

/** Awaits a rejection and checks it is the SDK's typed exception with that HTTP status. */
async function rejectsWith<E extends Error & { $metadata: { httpStatusCode?: number } }>(
  p: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
  status: number,
): Promise<E> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof type, `expected ${type.name}, got ${(err as Error)?.name}: ${(err as Error)?.message}`);
    assert.equal(err.$metadata.httpStatusCode, status);
    assert.ok(err.message.length > 0, 'the error carries a message');
    return err;
  }
  assert.fail(`expected ${type.name}, but the call succeeded`);
}

describe('@aws-sdk/client-lambda against Hearth', () => {
  let h: Hearth;
  let lambda: LambdaClient;

  async function create(name: string, source: string, extra: { memory?: number; timeout?: number; env?: Record<string, string> } = {}) {
    const zip = await codeZip(source);
    const out = await lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Runtime: RUNTIME as never,
        Handler: 'index.handler',
        Role: ROLE,
        MemorySize: extra.memory,
        Timeout: extra.timeout,
        Environment: extra.env ? { Variables: extra.env } : undefined,
        Code: { ZipFile: zip },
      }),
    );
    return { out, zip };
  }

  before(async () => {
    h = await startTestHearth();
    lambda = sdkClient(h);
  });
  after(async () => {
    lambda.destroy();
    await h.stop();
  });

  it('CreateFunction with a ZipFile returns the configuration', async () => {
    const { out, zip } = await create('sdk-create', 'exports.handler = async () => "ok";', { memory: 256, timeout: 10, env: { GREETING: 'hello' } });
    assert.equal(out.$metadata.httpStatusCode, 201);
    assert.equal(out.FunctionName, 'sdk-create');
    assert.equal(out.FunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:sdk-create');
    assert.equal(out.CodeSha256, sha256Base64(zip));
    assert.equal(out.CodeSize, zip.length);
    assert.equal(out.Runtime, RUNTIME);
    assert.equal(out.Handler, 'index.handler');
    assert.equal(out.Role, ROLE);
    assert.equal(out.MemorySize, 256);
    assert.equal(out.Timeout, 10);
    assert.equal(out.State, 'Active');
    assert.equal(out.LastUpdateStatus, 'Successful');
    assert.equal(out.PackageType, 'Zip');
    assert.equal(out.Version, '$LATEST');
    assert.deepEqual(out.Environment?.Variables, { GREETING: 'hello' });
    assert.ok(out.RevisionId, 'a RevisionId');
    assert.match(out.LastModified ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
  });

  it('GetFunction and GetFunctionConfiguration return the stored function', async () => {
    const { out: created, zip } = await create('sdk-get', 'exports.handler = async () => "ok";', { env: { A: '1' } });
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'sdk-get' }));
    assert.equal(got.$metadata.httpStatusCode, 200);
    assert.equal(got.Configuration?.FunctionName, 'sdk-get');
    assert.equal(got.Configuration?.FunctionArn, created.FunctionArn);
    assert.equal(got.Configuration?.CodeSha256, sha256Base64(zip));
    assert.equal(got.Configuration?.RevisionId, created.RevisionId);
    assert.deepEqual(got.Configuration?.Environment?.Variables, { A: '1' });
    assert.equal(got.Code?.RepositoryType, 'S3');
    assert.ok(got.Code?.Location, 'Code.Location is set');
    // The location serves the very package that was uploaded.
    const download = await fetch(got.Code.Location);
    assert.equal(download.status, 200);
    assert.equal(sha256Base64(new Uint8Array(await download.arrayBuffer())), created.CodeSha256);

    const cfg = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'sdk-get' }));
    assert.equal(cfg.$metadata.httpStatusCode, 200);
    const { $metadata: _a, ...cfgFields } = cfg;
    const { $metadata: _b, ...createdFields } = created;
    assert.deepEqual(cfgFields, createdFields);

    // The same function named by ARN and with the $LATEST qualifier.
    const byArn = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: created.FunctionArn, Qualifier: '$LATEST' }));
    assert.equal(byArn.FunctionName, 'sdk-get');
  });

  it('ListFunctions pages with MaxItems and Marker, and paginateListFunctions walks every page', async () => {
    const names = ['sdk-list-a', 'sdk-list-b', 'sdk-list-c'];
    for (const n of names) await create(n, 'exports.handler = async () => 1;');

    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await lambda.send(new ListFunctionsCommand({ MaxItems: 2, Marker: marker }));
      assert.ok((page.Functions ?? []).length <= 2);
      seen.push(...(page.Functions ?? []).map((f) => f.FunctionName ?? ''));
      marker = page.NextMarker;
      pages++;
    } while (marker);
    assert.ok(pages >= 2, 'more than one page');
    for (const n of names) assert.ok(seen.includes(n), n);
    assert.equal(new Set(seen).size, seen.length, 'no function listed twice');
    assert.deepEqual(seen, [...seen].sort());

    const paged: string[] = [];
    let sdkPages = 0;
    for await (const page of paginateListFunctions({ client: lambda, pageSize: 1 }, {})) {
      sdkPages++;
      paged.push(...(page.Functions ?? []).map((f) => f.FunctionName ?? ''));
    }
    assert.deepEqual(paged, seen);
    assert.equal(sdkPages, seen.length, 'one function per page');

    await rejectsWith(lambda.send(new ListFunctionsCommand({ MaxItems: 0 })), InvalidParameterValueException, 400);
  });

  it('UpdateFunctionCode: new code runs next; DryRun changes nothing; a stale RevisionId is refused', async () => {
    const { out: v1 } = await create('sdk-code', 'exports.handler = async () => "v1";');
    const run = async () => json((await lambda.send(new InvokeCommand({ FunctionName: 'sdk-code' }))).Payload);
    assert.equal(await run(), 'v1');

    const v2zip = await codeZip('exports.handler = async () => "v2";');
    const dry = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'sdk-code', ZipFile: v2zip, DryRun: true }));
    assert.equal(dry.$metadata.httpStatusCode, 200);
    const afterDry = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'sdk-code' }));
    assert.equal(afterDry.CodeSha256, v1.CodeSha256, 'DryRun stored no code');
    assert.equal(afterDry.RevisionId, v1.RevisionId, 'DryRun made no new revision');
    assert.equal(await run(), 'v1');

    const stale = await rejectsWith(
      lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'sdk-code', ZipFile: v2zip, RevisionId: '00000000-0000-0000-0000-000000000000' })),
      PreconditionFailedException,
      412,
    );
    assert.match(stale.message, /Revision Id/);
    assert.equal(await run(), 'v1');

    const v2 = await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'sdk-code', ZipFile: v2zip, RevisionId: v1.RevisionId }));
    assert.equal(v2.CodeSha256, sha256Base64(v2zip));
    assert.notEqual(v2.RevisionId, v1.RevisionId);
    assert.equal(await run(), 'v2');

    // A package without the handler file is refused and the function keeps its code.
    const noHandler = new Uint8Array(await makeZip({ 'other.js': 'exports.handler = async () => "v3";' }));
    await rejectsWith(lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'sdk-code', ZipFile: noHandler })), InvalidParameterValueException, 400);
    assert.equal(await run(), 'v2');
  });

  it('UpdateFunctionConfiguration changes memory, environment and timeout for the next invoke', async () => {
    const source = `exports.handler = async (event, context) => ({
      mem: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      mode: process.env.MODE ?? null,
      remaining: context.getRemainingTimeInMillis(),
    });`;
    const { out: before } = await create('sdk-config', source);
    const first = json((await lambda.send(new InvokeCommand({ FunctionName: 'sdk-config' }))).Payload) as { mem: string; mode: string | null; remaining: number };
    assert.equal(first.mem, '128');
    assert.equal(first.mode, null);
    assert.ok(first.remaining <= 3000);

    const updated = await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'sdk-config', MemorySize: 512, Timeout: 30, Environment: { Variables: { MODE: 'blue' } }, RevisionId: before.RevisionId }),
    );
    assert.equal(updated.$metadata.httpStatusCode, 200);
    assert.equal(updated.MemorySize, 512);
    assert.equal(updated.Timeout, 30);
    assert.deepEqual(updated.Environment?.Variables, { MODE: 'blue' });
    assert.equal(updated.CodeSha256, before.CodeSha256, 'the code is unchanged');
    assert.notEqual(updated.RevisionId, before.RevisionId);

    const second = json((await lambda.send(new InvokeCommand({ FunctionName: 'sdk-config' }))).Payload) as { mem: string; mode: string | null; remaining: number };
    assert.equal(second.mem, '512');
    assert.equal(second.mode, 'blue');
    assert.ok(second.remaining > 3000 && second.remaining <= 30_000, `remaining ${second.remaining}`);

    await rejectsWith(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'sdk-config', MemorySize: 64 })), InvalidParameterValueException, 400);
    await rejectsWith(
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'sdk-config', Timeout: 5, RevisionId: before.RevisionId })),
      PreconditionFailedException,
      412,
    );
    await rejectsWith(
      lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'sdk-config', VpcConfig: { SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1'] } })),
      InvalidParameterValueException,
      400,
    );
    const unchanged = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'sdk-config' }));
    assert.equal(unchanged.RevisionId, updated.RevisionId, 'refused updates wrote nothing');
  });

  it('DeleteFunction removes the function', async () => {
    await create('sdk-delete', 'exports.handler = async () => 1;');
    assert.equal(json((await lambda.send(new InvokeCommand({ FunctionName: 'sdk-delete' }))).Payload), 1);
    const out = await lambda.send(new DeleteFunctionCommand({ FunctionName: 'sdk-delete' }));
    assert.equal(out.$metadata.httpStatusCode, 204);
    await rejectsWith(lambda.send(new GetFunctionCommand({ FunctionName: 'sdk-delete' })), ResourceNotFoundException, 404);
    await rejectsWith(lambda.send(new InvokeCommand({ FunctionName: 'sdk-delete' })), ResourceNotFoundException, 404);
    await rejectsWith(lambda.send(new DeleteFunctionCommand({ FunctionName: 'sdk-delete' })), ResourceNotFoundException, 404);
  });

  it('Invoke RequestResponse returns the payload, the tail of the log and the executed version', async () => {
    await create('sdk-echo', `exports.handler = async (event, context) => { console.log('got', event.n); return { doubled: event.n * 2, requestId: context.awsRequestId }; };`);
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'sdk-echo', Payload: payload({ n: 21 }), LogType: 'Tail' }));
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, undefined);
    assert.equal(out.ExecutedVersion, '$LATEST');
    const requestId = out.$metadata.requestId;
    assert.ok(requestId, 'x-amzn-RequestId is set');
    assert.deepEqual(json(out.Payload), { doubled: 42, requestId });

    assert.ok(out.LogResult, 'LogResult is set with LogType Tail');
    const log = Buffer.from(out.LogResult, 'base64').toString('utf8');
    assert.match(log, new RegExp(`^START RequestId: ${requestId} Version: \\$LATEST$`, 'm'));
    assert.match(log, new RegExp(`\\t${requestId}\\tINFO\\tgot 21$`, 'm'));
    assert.match(log, new RegExp(`^END RequestId: ${requestId}$`, 'm'));
    assert.match(log, new RegExp(`^REPORT RequestId: ${requestId}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB`, 'm'));

    const quiet = await lambda.send(new InvokeCommand({ FunctionName: 'sdk-echo', Payload: payload({ n: 1 }) }));
    assert.equal(quiet.LogResult, undefined, 'no log without LogType Tail');
    assert.equal((json(quiet.Payload) as { doubled: number }).doubled, 2);

    const qualified = await lambda.send(new InvokeCommand({ FunctionName: 'sdk-echo', Qualifier: '$LATEST', Payload: payload({ n: 2 }) }));
    assert.equal((json(qualified.Payload) as { doubled: number }).doubled, 4);
    await rejectsWith(lambda.send(new InvokeCommand({ FunctionName: 'sdk-echo', Qualifier: '7' })), ResourceNotFoundException, 404);
  });

  it('Invoke reports a thrown error as FunctionError Unhandled with errorType, errorMessage and trace', async () => {
    await create('sdk-throws', `exports.handler = async () => { throw new TypeError('bad input'); };`);
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'sdk-throws', Payload: payload({}) }));
    assert.equal(out.StatusCode, 200);
    assert.equal(out.FunctionError, 'Unhandled');
    assert.equal(out.ExecutedVersion, '$LATEST');
    const body = json(out.Payload) as { errorType: string; errorMessage: string; trace: string[] };
    assert.equal(body.errorType, 'TypeError');
    assert.equal(body.errorMessage, 'bad input');
    assert.ok(Array.isArray(body.trace) && body.trace.length > 0);
    assert.match(body.trace[0] ?? '', /TypeError: bad input/);
  });

  it('Invoke with InvocationType DryRun answers 204 without running the function', async () => {
    await create('sdk-dry', `exports.handler = async () => { throw new Error('must not run'); };`);
    const out = await lambda.send(new InvokeCommand({ FunctionName: 'sdk-dry', InvocationType: 'DryRun' }));
    assert.equal(out.StatusCode, 204);
    assert.equal(out.FunctionError, undefined);
    assert.equal(h.pools.environments('sdk-dry').get('sdk-dry'), undefined, 'no environment was started');
    await rejectsWith(lambda.send(new InvokeCommand({ FunctionName: 'sdk-missing', InvocationType: 'DryRun' })), ResourceNotFoundException, 404);
  });

  it('Invoke passes ClientContext through to context.clientContext', async () => {
    await create('sdk-context', `exports.handler = async (event, context) => ({ clientContext: context.clientContext, arn: context.invokedFunctionArn, name: context.functionName, version: context.functionVersion });`);
    const clientContext = { client: { installation_id: 'i-1', app_title: 'compat' }, custom: { tenant: 'acme' }, env: { platform: 'test' } };
    const out = await lambda.send(
      new InvokeCommand({ FunctionName: 'sdk-context', ClientContext: Buffer.from(JSON.stringify(clientContext)).toString('base64'), Payload: payload({}) }),
    );
    assert.equal(out.FunctionError, undefined);
    assert.deepEqual(json(out.Payload), {
      clientContext,
      arn: 'arn:aws:lambda:us-east-1:000000000000:function:sdk-context',
      name: 'sdk-context',
      version: '$LATEST',
    });
  });

  it('errors arrive as typed exceptions: ResourceNotFound, InvalidParameterValue, ResourceConflict, RequestTooLarge, InvalidRequestContent', async () => {
    const missing = await rejectsWith(lambda.send(new GetFunctionCommand({ FunctionName: 'sdk-nope' })), ResourceNotFoundException, 404);
    assert.match(missing.message, /Function not found: arn:aws:lambda:us-east-1:000000000000:function:sdk-nope/);
    await rejectsWith(lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'sdk-nope' })), ResourceNotFoundException, 404);
    await rejectsWith(lambda.send(new InvokeCommand({ FunctionName: 'sdk-nope' })), ResourceNotFoundException, 404);
    await rejectsWith(lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'sdk-nope', ZipFile: await codeZip('exports.handler = async () => 1;') })), ResourceNotFoundException, 404);
    await rejectsWith(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'sdk-nope', MemorySize: 256 })), ResourceNotFoundException, 404);
    await rejectsWith(lambda.send(new DeleteFunctionCommand({ FunctionName: 'sdk-nope' })), ResourceNotFoundException, 404);

    const zip = await codeZip('exports.handler = async () => 1;');
    const base = { Runtime: RUNTIME as never, Handler: 'index.handler', Role: ROLE, Code: { ZipFile: zip } };
    await rejectsWith(lambda.send(new CreateFunctionCommand({ ...base, FunctionName: 'sdk-bad-mem', MemorySize: 64 })), InvalidParameterValueException, 400);
    await rejectsWith(lambda.send(new CreateFunctionCommand({ ...base, FunctionName: 'sdk-bad-timeout', Timeout: 901 })), InvalidParameterValueException, 400);
    await rejectsWith(lambda.send(new CreateFunctionCommand({ ...base, FunctionName: 'sdk-bad-runtime', Runtime: 'python3.12' })), InvalidParameterValueException, 400);
    await rejectsWith(
      lambda.send(new CreateFunctionCommand({ ...base, FunctionName: 'sdk-bad-env', Environment: { Variables: { AWS_REGION: 'eu-west-1' } } })),
      InvalidParameterValueException,
      400,
    );
    await rejectsWith(
      lambda.send(new CreateFunctionCommand({ ...base, FunctionName: 'sdk-bad-zip', Code: { ZipFile: new TextEncoder().encode('not a zip') } })),
      InvalidParameterValueException,
      400,
    );
    await rejectsWith(
      lambda.send(new CreateFunctionCommand({ ...base, FunctionName: 'sdk-bad-vpc', VpcConfig: { SubnetIds: ['subnet-1'], SecurityGroupIds: ['sg-1'] } })),
      InvalidParameterValueException,
      400,
    );
    await rejectsWith(lambda.send(new CreateFunctionCommand({ ...base, FunctionName: 'sdk-bad-tracing', TracingConfig: { Mode: 'Active' } })), InvalidParameterValueException, 400);
    // Asynchronous invocation is supported now: a missing function is still a 404.
    await rejectsWith(lambda.send(new InvokeCommand({ FunctionName: 'sdk-nope', InvocationType: 'Event' })), ResourceNotFoundException, 404);
    const listed = await lambda.send(new ListFunctionsCommand({}));
    assert.ok(!(listed.Functions ?? []).some((f) => f.FunctionName?.startsWith('sdk-bad-')), 'refused creates wrote nothing');

    await create('sdk-dup', 'exports.handler = async () => 1;');
    await rejectsWith(lambda.send(new CreateFunctionCommand({ ...base, FunctionName: 'sdk-dup' })), ResourceConflictException, 409);

    const big = payload({ data: 'x'.repeat(6 * 1024 * 1024) });
    await rejectsWith(lambda.send(new InvokeCommand({ FunctionName: 'sdk-dup', Payload: big })), RequestTooLargeException, 413);

    await rejectsWith(lambda.send(new InvokeCommand({ FunctionName: 'sdk-dup', Payload: new TextEncoder().encode('{not json') })), InvalidRequestContentException, 400);
  });

  it('throttles past the node-wide concurrency cap with TooManyRequestsException (429)', async () => {
    const small = await startTestHearth({ maxConcurrency: 1 });
    // One attempt: the SDK retries throttles by default, which would hide the 429.
    const client = sdkClient(small, { maxAttempts: 1 });
    try {
      await client.send(
        new CreateFunctionCommand({
          FunctionName: 'sdk-busy',
          Runtime: RUNTIME as never,
          Handler: 'index.handler',
          Role: ROLE,
          Code: { ZipFile: await codeZip('exports.handler = async () => { await new Promise((r) => setTimeout(r, 800)); return "done"; };') },
        }),
      );
      const first = client.send(new InvokeCommand({ FunctionName: 'sdk-busy' }));
      await new Promise((r) => setTimeout(r, 150));
      const throttled = await rejectsWith(client.send(new InvokeCommand({ FunctionName: 'sdk-busy' })), TooManyRequestsException, 429);
      assert.equal(throttled.Reason, 'ConcurrentInvocationLimitExceeded');
      assert.equal(throttled.retryAfterSeconds, '1', 'Retry-After reaches the SDK');
      const done = await first;
      assert.equal(done.StatusCode, 200);
      assert.equal(json(done.Payload), 'done');
    } finally {
      client.destroy();
      await small.stop();
    }
  });
});
