import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MessageMoveTasks, QueueError, QueueService } from '../../../src/queues/index.js';
import { openDatabase } from '../../../src/store/index.js';
import { FakeClock } from '../support/fake-clock.js';

function setup() {
  const clock = new FakeClock();
  const queues = new QueueService(openDatabase(':memory:'), clock, 'us-east-1');
  return { clock, queues };
}

function throwsCode(fn: () => unknown, code: string, message?: RegExp) {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof QueueError, `expected QueueError ${code}, got ${String(err)}`);
    assert.equal(err.code, code);
    if (message) assert.match(err.message, message);
    return true;
  });
}

/** Lets pending promise continuations run (the fake clock fires timers synchronously). */
const settle = () => new Promise((ok) => setImmediate(ok));

describe('QueueService', () => {
  it('creates queues idempotently and refuses a different attribute value', () => {
    const { queues } = setup();
    queues.create('jobs', { VisibilityTimeout: '10' });
    assert.equal(queues.create('jobs', { VisibilityTimeout: '10' }).name, 'jobs');
    assert.equal(queues.create('jobs').name, 'jobs');
    throwsCode(() => queues.create('jobs', { VisibilityTimeout: '11' }), 'QueueNameExists', /VisibilityTimeout/);
    assert.equal(queues.attributes('jobs').VisibilityTimeout, '10');
    assert.equal(queues.attributes('arn:aws:sqs:us-east-1:000000000000:jobs').QueueArn, 'arn:aws:sqs:us-east-1:000000000000:jobs');
    assert.equal(queues.queue('http://localhost:9000/000000000000/jobs').name, 'jobs');
  });

  it('refuses FIFO, KMS, Policy, unknown attributes and out-of-range values loudly', () => {
    const { queues } = setup();
    throwsCode(() => queues.create('a.fifo', { FifoQueue: 'true' }), 'UnsupportedOperation', /FIFO/);
    throwsCode(() => queues.create('a', { FifoQueue: 'true' }), 'UnsupportedOperation');
    throwsCode(() => queues.create('a', { KmsMasterKeyId: 'alias/x' }), 'UnsupportedOperation', /KMS/);
    throwsCode(() => queues.create('a', { Policy: '{}' }), 'UnsupportedOperation', /IAM/);
    throwsCode(() => queues.create('a', { Colour: 'blue' }), 'InvalidAttributeName', /Colour/);
    throwsCode(() => queues.create('a', { VisibilityTimeout: '43201' }), 'InvalidAttributeValue', /VisibilityTimeout/);
    throwsCode(() => queues.create('a', { MessageRetentionPeriod: '59' }), 'InvalidAttributeValue');
    throwsCode(() => queues.create('a', { DelaySeconds: '901' }), 'InvalidAttributeValue');
    throwsCode(() => queues.create('a', { ReceiveMessageWaitTimeSeconds: '21' }), 'InvalidAttributeValue');
    throwsCode(() => queues.create('a', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queues.arn('nope'), maxReceiveCount: 2 }) }), 'InvalidAttributeValue', /does not exist/);
    throwsCode(() => queues.create('bad name'), 'InvalidParameterValue');
    assert.deepEqual(queues.list(), []);
  });

  it('hides a received message for the visibility timeout, then redelivers it with a new receipt', async () => {
    const { clock, queues } = setup();
    queues.create('q', { VisibilityTimeout: '30' });
    const sent = queues.send('q', { body: 'hello' });
    const [first] = await queues.receive('q');
    assert.equal(first?.messageId, sent.messageId);
    assert.equal(first.receiveCount, 1);
    assert.deepEqual(await queues.receive('q'), []);
    assert.deepEqual(queues.counts('q'), { visible: 0, inflight: 1, delayed: 0 });
    clock.advance(29_999);
    assert.deepEqual(await queues.receive('q'), []);
    clock.advance(1);
    const [second] = await queues.receive('q');
    assert.equal(second?.messageId, sent.messageId);
    assert.equal(second.receiveCount, 2);
    assert.equal(second.firstReceiveTimestamp, first.firstReceiveTimestamp);
    assert.notEqual(second.receiptHandle, first.receiptHandle);
    // The stale handle deletes nothing (as in SQS); the current one deletes.
    queues.deleteMessage('q', first.receiptHandle);
    assert.equal(queues.counts('q').inflight, 1);
    queues.deleteMessage('q', second.receiptHandle);
    assert.deepEqual(queues.counts('q'), { visible: 0, inflight: 0, delayed: 0 });
    throwsCode(() => queues.deleteMessage('q', 'garbage'), 'ReceiptHandleIsInvalid');
  });

  it('never hands one message to two receivers within a visibility window', async () => {
    const { queues } = setup();
    queues.create('q');
    for (let i = 0; i < 200; i++) queues.send('q', { body: `m${i}` });
    const batches = await Promise.all(Array.from({ length: 40 }, () => queues.receive('q', { max: 10 })));
    const ids = batches.flat().map((m) => m.messageId);
    assert.equal(ids.length, 200);
    assert.equal(new Set(ids).size, 200);
    assert.deepEqual(await queues.receive('q', { max: 10 }), []);
  });

  it('changes visibility of in-flight messages only', async () => {
    const { clock, queues } = setup();
    queues.create('q');
    queues.send('q', { body: 'x' });
    const [m] = await queues.receive('q', { visibilityTimeout: 100 });
    queues.changeVisibility('q', m!.receiptHandle, 5);
    clock.advance(5000);
    assert.equal(queues.counts('q').visible, 1);
    throwsCode(() => queues.changeVisibility('q', m!.receiptHandle, 5), 'MessageNotInflight');
    const [again] = await queues.receive('q');
    throwsCode(() => queues.changeVisibility('q', m!.receiptHandle, 5), 'ReceiptHandleIsInvalid');
    throwsCode(() => queues.changeVisibility('q', again!.receiptHandle, 43_201), 'InvalidParameterValue');
    queues.changeVisibility('q', again!.receiptHandle, 0);
    assert.equal((await queues.receive('q')).length, 1);
  });

  it('delays messages per queue and per message', async () => {
    const { clock, queues } = setup();
    queues.create('q', { DelaySeconds: '10' });
    queues.send('q', { body: 'queue-delay' });
    queues.send('q', { body: 'now', delaySeconds: 0 });
    queues.send('q', { body: 'later', delaySeconds: 60 });
    assert.deepEqual(queues.counts('q'), { visible: 1, inflight: 0, delayed: 2 });
    assert.deepEqual((await queues.receive('q', { max: 10, visibilityTimeout: 3600 })).map((m) => m.body), ['now']);
    clock.advance(10_000);
    assert.deepEqual((await queues.receive('q', { max: 10, visibilityTimeout: 3600 })).map((m) => m.body), ['queue-delay']);
    clock.advance(50_000);
    assert.deepEqual((await queues.receive('q', { max: 10 })).map((m) => m.body), ['later']);
    throwsCode(() => queues.send('q', { body: 'x', delaySeconds: 901 }), 'InvalidParameterValue', /DelaySeconds/);
  });

  it('drops messages older than MessageRetentionPeriod', async () => {
    const { clock, queues } = setup();
    queues.create('q', { MessageRetentionPeriod: '60' });
    queues.send('q', { body: 'old' });
    clock.advance(30_000);
    queues.send('q', { body: 'young' });
    clock.advance(30_000);
    assert.deepEqual((await queues.receive('q', { max: 10 })).map((m) => m.body), ['young']);
  });

  it('the retention sweep removes expired messages without anyone reading the queue', () => {
    const { clock, queues } = setup();
    queues.create('q', { MessageRetentionPeriod: '60' });
    queues.send('q', { body: 'old' });
    queues.start();
    clock.advance(120_000);
    queues.stop();
    assert.equal(queues.store.maxSeq('q'), 0);
  });

  it('moves a message to the dead-letter queue at the receive past maxReceiveCount, keeping its attributes', async () => {
    const { clock, queues } = setup();
    queues.create('dlq');
    queues.create('src', { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queues.arn('dlq'), maxReceiveCount: 2 }) });
    const sent = queues.send('src', { body: 'poison', attributes: { kind: { DataType: 'String', StringValue: 'bad' } } });
    for (const count of [1, 2]) {
      const [m] = await queues.receive('src');
      assert.equal(m?.receiveCount, count);
      clock.advance(1000);
    }
    assert.deepEqual(await queues.receive('src'), []);
    assert.deepEqual(queues.deadLetterSources('dlq'), ['src']);
    const [dead] = await queues.receive('dlq');
    assert.equal(dead?.messageId, sent.messageId);
    assert.equal(dead.body, 'poison');
    assert.deepEqual(dead.attributes, { kind: { DataType: 'String', StringValue: 'bad' } });
    assert.equal(dead.md5OfAttributes, sent.md5OfAttributes);
    assert.equal(dead.deadLetterSourceArn, queues.arn('src'));
  });

  it('redrives a dead-letter queue back to its source queue', async () => {
    const { clock, queues } = setup();
    const tasks = new MessageMoveTasks(queues, clock);
    queues.create('dlq');
    queues.create('src', { VisibilityTimeout: '0', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queues.arn('dlq'), maxReceiveCount: 1 }) });
    for (let i = 0; i < 3; i++) queues.send('src', { body: `m${i}` });
    await queues.receive('src', { max: 10 });
    assert.deepEqual(await queues.receive('src', { max: 10 }), []);
    assert.equal(queues.counts('dlq').visible, 3);
    throwsCode(() => tasks.start('src'), 'InvalidParameterValue', /Dead Letter Queue/);
    const task = tasks.start(queues.arn('dlq'), { maxPerSecond: 2 });
    assert.equal(task.status, 'RUNNING');
    assert.equal(task.toMove, 3);
    clock.advance(0);
    assert.equal(tasks.list('dlq')[0]?.moved, 2);
    clock.advance(1000);
    const [done] = tasks.list('dlq');
    assert.equal(done?.status, 'COMPLETED');
    assert.equal(done.moved, 3);
    assert.equal(queues.counts('dlq').visible, 0);
    const back = await queues.receive('src', { max: 10 });
    assert.deepEqual(back.map((m) => m.body).sort(), ['m0', 'm1', 'm2']);
    assert.ok(back.every((m) => m.receiveCount === 1));
  });

  it('wakes a long poll when a message arrives, and times out empty otherwise', async () => {
    const { clock, queues } = setup();
    queues.create('q');
    const polling = queues.receive('q', { waitMs: 20_000 });
    await settle();
    queues.send('q', { body: 'wake' });
    assert.deepEqual((await polling).map((m) => m.body), ['wake']);

    const empty = queues.receive('q', { waitMs: 5000 });
    await settle();
    clock.advance(5000);
    assert.deepEqual(await empty, []);
  });

  it('wakes a long poll when a delayed message becomes visible', async () => {
    const { clock, queues } = setup();
    queues.create('q');
    queues.send('q', { body: 'soon', delaySeconds: 3 });
    const polling = queues.receive('q', { waitMs: 20_000 });
    await settle();
    clock.advance(3000);
    assert.deepEqual((await polling).map((m) => m.body), ['soon']);
  });

  it('notifies onMessage listeners on each send until unsubscribed', () => {
    const { queues } = setup();
    queues.create('q');
    const seen: string[] = [];
    const off = queues.onMessage(queues.arn('q'), (name) => seen.push(name));
    queues.send('q', { body: 'a' });
    off();
    queues.send('q', { body: 'b' });
    assert.deepEqual(seen, ['q']);
  });

  it('enforces the message size limit including attributes', () => {
    const { queues } = setup();
    queues.create('q', { MaximumMessageSize: '1024' });
    queues.send('q', { body: 'x'.repeat(1024) });
    throwsCode(() => queues.send('q', { body: 'x'.repeat(1020), attributes: { ab: { DataType: 'String', StringValue: 'y' } } }), 'InvalidParameterValue', /shorter than 1024/);
    throwsCode(() => queues.send('q', { body: 'bad \u0000 char' }), 'InvalidMessageContents');
  });

  it('keeps queues and messages across reopening the database file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-queues-'));
    try {
      const clock = new FakeClock();
      const db1 = openDatabase(join(dir, 'hearth.db'));
      const a = new QueueService(db1, clock, 'us-east-1');
      a.create('durable', { VisibilityTimeout: '60' });
      a.send('durable', { body: 'in flight' });
      const [inflight] = await a.receive('durable');
      a.send('durable', { body: 'kept', attributes: { bin: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) } } });
      db1.close();

      const db2 = openDatabase(join(dir, 'hearth.db'));
      const b = new QueueService(db2, clock, 'us-east-1');
      assert.equal(b.attributes('durable').VisibilityTimeout, '60');
      assert.deepEqual(b.counts('durable'), { visible: 1, inflight: 1, delayed: 0 });
      const [m] = await b.receive('durable');
      assert.equal(m?.body, 'kept');
      assert.deepEqual(m.attributes.bin?.BinaryValue, Buffer.from([1, 2, 3]));
      b.deleteMessage('durable', inflight!.receiptHandle);
      assert.equal(b.counts('durable').inflight, 1);
      db2.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
