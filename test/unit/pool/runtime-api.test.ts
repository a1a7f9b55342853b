import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EnvironmentMessage, InvokeMessage } from '../../../src/common/index.js';
import { systemClock } from '../../../src/common/index.js';
import { clientSocketInode, RuntimeApiServer } from '../../../src/pool/runtime-api/index.js';
import type { Sandbox } from '../../../src/sandbox/index.js';

const TABLE = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:2328 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1111 1 0000000000000000 100 0 0 10 0
   1: 0100007F:2328 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 2222 1 0000000000000000 20 4 30 10 -1
   2: 0100007F:C350 0100007F:2328 01 00000000:00000000 00:00000000 00000000     0        0 3333 1 0000000000000000 20 4 30 10 -1
   3: 0100007F:C351 0100007F:2328 06 00000000:00000000 03:00000000 00000000     0        0 0 3 0000000000000000
   4: 0A000001:C352 0100007F:2328 01 00000000:00000000 00:00000000 00000000     0        0 4444 1 0000000000000000 20 4 30 10 -1
`;

test('clientSocketInode: the client end of 127.0.0.1:client → 127.0.0.1:server, nothing else', () => {
  // 0x2328 = 9000 (server), 0xC350 = 50000 (client).
  assert.equal(clientSocketInode(50000, 9000, TABLE), '3333');
  assert.equal(clientSocketInode(9000, 50000, TABLE), '2222', 'the other direction is the server end');
  assert.equal(clientSocketInode(50001, 9000, TABLE), undefined, 'TIME_WAIT rows have no inode');
  assert.equal(clientSocketInode(50002, 9000, TABLE), undefined, 'not from loopback');
  assert.equal(clientSocketInode(50003, 9000, TABLE), undefined);
});

/** A sandbox whose only process is the given one (for the ownership check). */
const sandboxOf = (pids: () => number[]) => ({ pids }) as unknown as Sandbox;

async function open(pids: () => number[] = () => [process.pid]) {
  const api = await RuntimeApiServer.listen();
  const channel = api.attach(sandboxOf(pids), systemClock);
  const messages: EnvironmentMessage[] = [];
  const waiters: ((m: EnvironmentMessage) => void)[] = [];
  channel.receive((m) => {
    const w = waiters.shift();
    if (w) w(m);
    else messages.push(m);
  });
  const message = () => new Promise<EnvironmentMessage>((resolve) => (messages.length ? resolve(messages.shift()!) : waiters.push(resolve)));
  const base = `http://${api.address}/2018-06-01/runtime`;
  return { api, channel, message, base };
}

const invokeMsg = (id: string, payload = '{"x":1}'): InvokeMessage => ({
  t: 'invoke',
  id,
  payload,
  deadlineMs: 1_700_000_000_000,
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
  traceId: 'Root=1-abc',
  clientContext: '{"custom":{}}',
  cognitoIdentity: '{"cognitoIdentityId":"i"}',
});

async function json(res: Response) {
  return { status: res.status, body: (await res.json()) as unknown };
}

test('runtime API: first next is ready, an invoke answers it, the response becomes the result', async () => {
  const { api, channel, message, base } = await open();
  try {
    const next = fetch(`${base}/invocation/next`);
    const ready = await message();
    assert.equal(ready.t, 'ready');
    channel.send(invokeMsg('req-1'));
    const res = await next;
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '{"x":1}');
    assert.equal(res.headers.get('lambda-runtime-aws-request-id'), 'req-1');
    assert.equal(res.headers.get('lambda-runtime-deadline-ms'), '1700000000000');
    assert.equal(res.headers.get('lambda-runtime-invoked-function-arn'), 'arn:aws:lambda:us-east-1:000000000000:function:f');
    assert.equal(res.headers.get('lambda-runtime-trace-id'), 'Root=1-abc');
    assert.equal(res.headers.get('lambda-runtime-client-context'), '{"custom":{}}');
    assert.equal(res.headers.get('lambda-runtime-cognito-identity'), '{"cognitoIdentityId":"i"}');

    assert.deepEqual(await json(await fetch(`${base}/invocation/other/response`, { method: 'POST', body: '1' })), {
      status: 400,
      body: { errorType: 'InvalidRequestID', errorMessage: 'Invalid request ID' },
    });
    assert.deepEqual(await json(await fetch(`${base}/invocation/req-1/response`, { method: 'POST', body: '{"ok":true}' })), { status: 202, body: { status: 'OK' } });
    const result = await message();
    assert.equal(result.t, 'result');
    assert.deepEqual({ ...result, maxRssKb: 0 }, { t: 'result', id: 'req-1', ok: true, body: '{"ok":true}', logs: '', maxRssKb: 0 });
    const again = await json(await fetch(`${base}/invocation/req-1/response`, { method: 'POST', body: '{}' }));
    assert.equal(again.status, 403);
    assert.equal((again.body as { errorType: string }).errorType, 'InvalidStateTransition');

    // Work that arrives before the runtime asks is handed out on its next `next`.
    channel.send(invokeMsg('req-2', '"queued"'));
    const queued = await fetch(`${base}/invocation/next`);
    assert.equal(await queued.text(), '"queued"');
    assert.equal(queued.headers.get('lambda-runtime-aws-request-id'), 'req-2');
    await fetch(`${base}/invocation/req-2/error`, {
      method: 'POST',
      headers: { 'Lambda-Runtime-Function-Error-Type': 'Unhandled' },
      body: '{"errorMessage":"m","errorType":"T","stackTrace":["a"]}',
    });
    const failed = await message();
    assert.deepEqual({ ...failed, maxRssKb: 0 }, { t: 'result', id: 'req-2', ok: false, body: '{"errorMessage":"m","errorType":"T","stackTrace":["a"]}', logs: '', maxRssKb: 0 });

    assert.equal((await fetch(`${base}/nothing`)).status, 404);
    assert.equal((await fetch(`${base}/invocation/next`, { method: 'POST' })).status, 405);
    const late = await json(await fetch(`${base}/init/error`, { method: 'POST', body: '{}' }));
    assert.equal(late.status, 403);
  } finally {
    channel.close();
  }
  assert.equal(api.refused, 0);
});

test('runtime API: init/error ends Init; afterwards the API answers 500', async () => {
  const { channel, message, base } = await open();
  try {
    const r = await json(await fetch(`${base}/init/error`, { method: 'POST', headers: { 'Lambda-Runtime-Function-Error-Type': 'Runtime.Broken' }, body: 'cannot start' }));
    assert.deepEqual(r, { status: 202, body: { status: 'OK' } });
    assert.deepEqual(await message(), { t: 'init-error', error: { errorType: 'Runtime.Broken', errorMessage: 'cannot start' }, logs: '' });
    const after = await json(await fetch(`${base}/invocation/next`));
    assert.equal(after.status, 500);
  } finally {
    channel.close();
  }
});

test('runtime API: a response over 6 MB is refused with 413 and becomes Function.ResponseSizeTooLarge', async () => {
  const { channel, message, base } = await open();
  try {
    const next = fetch(`${base}/invocation/next`);
    await message();
    channel.send(invokeMsg('big'));
    await (await next).text();
    const r = await json(await fetch(`${base}/invocation/big/response`, { method: 'POST', body: 'x'.repeat(6 * 1024 * 1024 + 1) }));
    assert.deepEqual(r, { status: 413, body: { errorType: 'RequestEntityTooLarge', errorMessage: 'Exceeded maximum allowed payload size (6291456 bytes).' } });
    const result = (await message()) as Extract<EnvironmentMessage, { t: 'result' }>;
    assert.equal(result.ok, false);
    assert.equal(JSON.parse(result.body).errorType, 'Function.ResponseSizeTooLarge');
  } finally {
    channel.close();
  }
});

test("runtime API: connections from processes outside the environment are dropped before they're read", async () => {
  // The environment's processes are some other process: this one is an outsider.
  const { api, channel, base } = await open(() => [process.ppid]);
  try {
    await assert.rejects(fetch(`${base}/invocation/next`, { signal: AbortSignal.timeout(2000) }));
    await assert.rejects(fetch(`${base}/invocation/x/response`, { method: 'POST', body: '{}', signal: AbortSignal.timeout(2000) }));
    assert.ok(api.refused >= 2);
  } finally {
    channel.close();
  }
});

test('runtime API: nothing is served before the environment is attached, or after it is closed', async () => {
  const api = await RuntimeApiServer.listen();
  await assert.rejects(fetch(`http://${api.address}/2018-06-01/runtime/invocation/next`, { signal: AbortSignal.timeout(2000) }));
  const channel = api.attach(sandboxOf(() => [process.pid]), systemClock);
  channel.close();
  await assert.rejects(fetch(`http://${api.address}/2018-06-01/runtime/invocation/next`, { signal: AbortSignal.timeout(2000) }));
});
