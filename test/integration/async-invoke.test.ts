/**
 * Asynchronous invocation on a real server: 202 at once, the function runs later with the
 * request id the caller got, retries with backoff on errors, destinations receive Lambda's
 * record, throttled events wait instead of being dropped.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hearthCli } from '../support/cli.js';
import { deploy, eventually, type Hearth, startTestHearth } from '../support/hearth.js';
import { REPORTING_HANDLER, type Sink, startSink } from '../support/sink.js';

async function invokeAsync(h: Hearth, name: string, event: unknown) {
  const res = await fetch(`${h.url}/2015-03-31/functions/${name}/invocations`, {
    method: 'POST',
    headers: { 'x-amz-invocation-type': 'Event' },
    body: JSON.stringify(event),
  });
  return { status: res.status, id: res.headers.get('x-amzn-requestid'), body: await res.text() };
}

describe('asynchronous invocation', () => {
  let h: Hearth;
  let sink: Sink;
  before(async () => {
    sink = await startSink();
    h = await startTestHearth({ asyncRetryDelaysMs: [300, 600] });
    for (const name of ['worker', 'catcher']) await deploy(h, { name, files: REPORTING_HANDLER, env: { SINK: sink.url } });
  });
  after(async () => {
    await h.stop();
    await sink.close();
  });

  it('answers 202 with a request id before the function runs; the function sees that id', async () => {
    const r = await invokeAsync(h, 'worker', { n: 1, ms: 300 });
    assert.equal(r.status, 202);
    assert.equal(r.body, '');
    assert.match(r.id ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(sink.received.filter((x) => x.id === r.id).length, 0, 'not run before the answer');
    await eventually(() => sink.received.some((x) => x.id === r.id), 10_000);
    assert.deepEqual(sink.received.find((x) => x.id === r.id)!.event, { n: 1, ms: 300 });
    await eventually(() => h.async.backlog('worker') === 0, 5000);
  });

  it('hearth invoke --async queues the event and prints its request id', async () => {
    const cli = await hearthCli(['invoke', 'worker', '--async', '--data', '{"n":2}'], h.url);
    assert.equal(cli.code, 0, cli.stderr);
    const id = /request id (\S+)/.exec(cli.stdout)?.[1];
    assert.ok(id, cli.stdout);
    await eventually(() => sink.received.some((x) => x.id === id), 10_000);
  });

  it('retries a failing event twice with the configured delays, then sends the record to OnFailure', async () => {
    const cfg = await fetch(`${h.url}/2019-09-25/functions/worker/event-invoke-config`, {
      method: 'PUT',
      body: JSON.stringify({ DestinationConfig: { OnFailure: { Destination: 'arn:aws:lambda:us-east-1:000000000000:function:catcher' } } }),
    });
    assert.equal(cfg.status, 200, await cfg.text());
    const started = Date.now();
    const r = await invokeAsync(h, 'worker', { fail: true, n: 3 });
    const runs = () => sink.received.filter((x) => x.id === r.id);
    await eventually(() => runs().length === 3, 10_000);
    assert.ok(Date.now() - started >= 900, 'waited ~0.3 s then ~0.6 s between attempts');
    // The catcher gets Lambda's invocation record as its event.
    const record = await eventually(() => sink.received.find((x) => (x.event as { requestContext?: { requestId: string } }).requestContext?.requestId === r.id), 10_000);
    const ev = record!.event as Record<string, any>;
    assert.equal(ev.requestContext.condition, 'RetriesExhausted');
    assert.equal(ev.requestContext.approximateInvokeCount, 3);
    assert.equal(ev.requestContext.functionArn, 'arn:aws:lambda:us-east-1:000000000000:function:worker');
    assert.deepEqual(ev.requestPayload, { fail: true, n: 3 });
    assert.equal(ev.responseContext.functionError, 'Unhandled');
    assert.equal(ev.responsePayload.errorMessage, 'asked to fail');
    await new Promise((r2) => setTimeout(r2, 800));
    assert.equal(runs().length, 3, 'no fourth attempt');
    await fetch(`${h.url}/2019-09-25/functions/worker/event-invoke-config`, { method: 'DELETE' });
  });

  it('throttled events wait in the queue and all run: none is dropped', async () => {
    await deploy(h, { name: 'narrow', files: REPORTING_HANDLER, env: { SINK: sink.url } });
    await fetch(`${h.url}/2017-10-31/functions/narrow/concurrency`, { method: 'PUT', body: JSON.stringify({ ReservedConcurrentExecutions: 1 }) });
    const ids: (string | null)[] = [];
    for (let n = 0; n < 6; n++) ids.push((await invokeAsync(h, 'narrow', { n, ms: 150 })).id);
    await eventually(() => ids.every((id) => sink.received.some((x) => x.id === id)), 15_000);
    await eventually(() => h.async.backlog('narrow') === 0, 5000);
  });

  it('refuses a payload over 1 MB (413) and settings that cannot take effect (400)', async () => {
    const big = await fetch(`${h.url}/2015-03-31/functions/worker/invocations`, {
      method: 'POST',
      headers: { 'x-amz-invocation-type': 'Event' },
      body: JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }),
    });
    assert.equal(big.status, 413);
    for (const [body, type] of [
      [{ MaximumRetryAttempts: 3 }, 'ValidationException'],
      [{ MaximumEventAgeInSeconds: 30 }, 'ValidationException'],
      [{ DestinationConfig: { OnFailure: { Destination: 'arn:aws:sns:us-east-1:000000000000:topic' } } }, 'InvalidParameterValueException'],
      [{ DestinationConfig: { OnSuccess: { Destination: 'arn:aws:lambda:us-east-1:000000000000:function:nope' } } }, 'InvalidParameterValueException'],
    ] as const) {
      const res = await fetch(`${h.url}/2019-09-25/functions/worker/event-invoke-config`, { method: 'PUT', body: JSON.stringify(body) });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.headers.get('x-amzn-errortype'), type);
    }
    const missing = await invokeAsync(h, 'nope', {});
    assert.equal(missing.status, 404);
  });
});
