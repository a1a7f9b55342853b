/**
 * An accepted event is not lost: PutEvents answers only after every delivery is stored.
 * The function target is held at zero concurrency so nothing can run before the server is
 * killed with SIGKILL; a new server on the same data directory, with the function
 * released, runs every accepted event, and the queue target holds every message.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startServerProcess } from '../support/cli.js';
import { eventually, RUNTIME } from '../support/hearth.js';
import { REPORTING_HANDLER, type Sink, startSink } from '../support/sink.js';
import { makeZip } from '../support/zip.js';

const EVENTS = 100;

async function call(url: string, target: string, input: unknown, json = '1.1'): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/`, { method: 'POST', headers: { 'content-type': `application/x-amz-json-${json}`, 'x-amz-target': target }, body: JSON.stringify(input) });
  const body = (await res.json()) as Record<string, unknown>;
  assert.equal(res.status, 200, JSON.stringify(body));
  return body;
}

describe('EventBridge delivery survives SIGKILL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-eb-durable-'));
  let sink: Sink | undefined;
  after(async () => {
    await sink?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers every accepted event to its function and queue targets after a crash', async () => {
    sink = await startSink();
    const first = await startServerProcess(['--port', '0', '--data-dir', dir]);
    const zip = await makeZip(REPORTING_HANDLER);
    const created = await fetch(`${first.url}/2015-03-31/functions`, {
      method: 'POST',
      body: JSON.stringify({ FunctionName: 'held', Runtime: RUNTIME, Handler: 'index.handler', Environment: { Variables: { SINK: sink.url } }, Code: { ZipFile: zip.toString('base64') } }),
    });
    assert.equal(created.status, 201);
    const held = await fetch(`${first.url}/2017-10-31/functions/held/concurrency`, { method: 'PUT', body: JSON.stringify({ ReservedConcurrentExecutions: 0 }) });
    assert.equal(held.status, 200);
    await call(first.url, 'AmazonSQS.CreateQueue', { QueueName: 'kept' }, '1.0');
    await call(first.url, 'AWSEvents.PutRule', { Name: 'all', EventPattern: '{"source":["durable"]}' });
    await call(first.url, 'AWSEvents.PutTargets', {
      Rule: 'all',
      Targets: [
        { Id: 'fn', Arn: 'arn:aws:lambda:us-east-1:000000000000:function:held', InputPath: '$.detail' },
        { Id: 'q', Arn: 'arn:aws:sqs:us-east-1:000000000000:kept' },
      ],
    });
    for (let n = 0; n < EVENTS; n += 10) {
      const out = await call(first.url, 'AWSEvents.PutEvents', {
        Entries: Array.from({ length: 10 }, (_, i) => ({ Source: 'durable', DetailType: 't', Detail: JSON.stringify({ n: n + i }) })),
      });
      assert.equal(out.FailedEntryCount, 0);
    }
    await first.kill('SIGKILL');
    assert.equal(sink.received.length, 0, 'nothing ran before the crash');

    const second = await startServerProcess(['--port', '0', '--data-dir', dir]);
    try {
      const released = await fetch(`${second.url}/2017-10-31/functions/held/concurrency`, { method: 'DELETE' });
      assert.equal(released.status, 204);
      const s = sink;
      await eventually(() => new Set(s.received.map((r) => r.event.n)).size === EVENTS, 120_000, 100);
      const attrs = await call(second.url, 'AmazonSQS.GetQueueAttributes', { QueueUrl: `${second.url}/000000000000/kept`, AttributeNames: ['ApproximateNumberOfMessages'] }, '1.0');
      assert.equal((attrs.Attributes as Record<string, string>).ApproximateNumberOfMessages, String(EVENTS));
    } finally {
      await second.kill('SIGTERM');
    }
  });
});
