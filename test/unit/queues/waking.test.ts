import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueueService } from '../../../src/queues/index.js';
import { Waiters } from '../../../src/queues/waiters.js';
import { openDatabase } from '../../../src/store/index.js';
import { FakeClock } from '../support/fake-clock.js';

const settle = () => new Promise((ok) => setImmediate(ok));

describe('QueueService long polls under many receivers', () => {
  it('one sent message wakes one parked receiver (the longest waiting), not all of them', async () => {
    const clock = new FakeClock();
    const waiters = new Waiters(clock);
    const woken: number[] = [];
    for (let i = 0; i < 20; i++) void waiters.wait('q', 20_000).then(() => woken.push(i));
    waiters.notify('q', 1);
    await settle();
    assert.deepEqual(woken, [0]);
    assert.equal(waiters.waiting('q'), 19);
    waiters.notify('q');
    await settle();
    assert.equal(woken.length, 20, 'a notify without a count wakes everyone (queue deleted, redrive)');
  });

  it('a sent message is taken by exactly one of many long-polling receivers', async () => {
    const clock = new FakeClock();
    const queues = new QueueService(openDatabase(':memory:'), clock, 'us-east-1');
    queues.create('q');
    const results = Array.from({ length: 20 }, () => queues.receive('q', { waitMs: 20_000 }));
    await settle();
    queues.send('q', { body: 'one' });
    await settle();
    clock.advance(20_000);
    const got = (await Promise.all(results)).flat();
    assert.deepEqual(got.map((m) => m.body), ['one']);
  });

  it('a receive whose caller already went away hides nothing', async () => {
    const clock = new FakeClock();
    const queues = new QueueService(openDatabase(':memory:'), clock, 'us-east-1');
    queues.create('q');
    queues.send('q', { body: 'keep me' });
    const gone = new AbortController();
    gone.abort();
    assert.deepEqual(await queues.receive('q', { signal: gone.signal }), []);
    assert.deepEqual((await queues.receive('q')).map((m) => m.body), ['keep me'], 'still visible to the next receiver');
  });
});
