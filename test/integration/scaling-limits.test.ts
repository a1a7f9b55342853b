/**
 * Concurrency limits on a real server with real environments: reserved concurrency caps
 * and guarantees, the account limit, the scale rate and the node's memory capacity all
 * answer with an immediate 429 and the matching Reason, and nothing hangs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { deploy, type Hearth, invoke, startTestHearth } from '../support/hearth.js';

const SLOW = {
  'index.js': `
    exports.handler = async (event) => {
      await new Promise((r) => setTimeout(r, event.ms ?? 300));
      return { stream: process.env.AWS_LAMBDA_LOG_STREAM_NAME };
    };`,
};

async function put(h: Hearth, path: string, body: unknown) {
  const res = await fetch(h.url + path, { method: 'PUT', body: JSON.stringify(body) });
  return { status: res.status, type: res.headers.get('x-amzn-errortype'), json: await res.json() as Record<string, unknown> };
}

/** Fires `n` invocations at once; every one must settle within `limitMs` (nothing hangs). */
async function burst(h: Hearth, name: string, n: number, event: unknown, limitMs = 30_000) {
  const started = Date.now();
  const all = await Promise.all(Array.from({ length: n }, () => invoke(h, name, event)));
  assert.ok(Date.now() - started < limitMs, `burst took ${Date.now() - started} ms`);
  return all;
}

describe('concurrency limits under load', () => {
  let h: Hearth;
  before(async () => {
    h = await startTestHearth({ maxConcurrency: 1000 });
  });
  after(() => h.stop());

  it('200 concurrent requests against reserved concurrency 20: at most 20 environments, the rest 429 at once', async () => {
    await deploy(h, { name: 'reserved20', files: SLOW, memory: 128 });
    assert.equal((await put(h, '/2017-10-31/functions/reserved20/concurrency', { ReservedConcurrentExecutions: 20 })).status, 200);

    let peak = 0;
    let peakRunning = 0;
    const sampler = setInterval(() => {
      const c = h.pools.environments('reserved20').get('reserved20');
      if (c) peak = Math.max(peak, c.initializing + c.idle + c.busy + c.retiring);
      peakRunning = Math.max(peakRunning, h.invoker.ledger.concurrentExecutionsOf('reserved20'));
    }, 2);
    const results = await burst(h, 'reserved20', 200, { ms: 1500 });
    clearInterval(sampler);

    const ok = results.filter((r) => r.status === 200);
    const throttled = results.filter((r) => r.status === 429);
    assert.equal(ok.length + throttled.length, 200, `statuses: ${[...new Set(results.map((r) => r.status))]}`);
    // On a loaded machine the 200 requests do not all arrive within one 1.5 s handler run,
    // so a few late ones may find a slot freed: the limit is on concurrency, not on totals.
    assert.ok(ok.length >= 1, `${ok.length} served`);
    assert.ok(throttled.length >= 150, `${throttled.length} throttled`);
    assert.ok(peakRunning <= 20, `peak ${peakRunning} concurrent executions`);
    for (const r of throttled) {
      assert.equal(r.headers.get('x-amzn-errortype'), 'TooManyRequestsException');
      assert.equal((r.json as { Reason: string }).Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
    }
    const streams = new Set(ok.map((r) => (r.json as { stream: string }).stream));
    assert.ok(streams.size <= 20, `${streams.size} distinct environments served`);
    assert.ok(peak <= 20, `peak ${peak} environments`);
  });

  it('reserved concurrency 0 stops the function; deleting the reservation starts it again', async () => {
    await deploy(h, { name: 'stopped', files: SLOW });
    await put(h, '/2017-10-31/functions/stopped/concurrency', { ReservedConcurrentExecutions: 0 });
    const r = await invoke(h, 'stopped', { ms: 1 });
    assert.equal(r.status, 429);
    assert.equal((r.json as { Reason: string }).Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
    await fetch(`${h.url}/2017-10-31/functions/stopped/concurrency`, { method: 'DELETE' });
    assert.equal((await invoke(h, 'stopped', { ms: 1 })).status, 200);
  });
});

describe('account limit and reservations as a guarantee', () => {
  let h: Hearth;
  before(async () => {
    h = await startTestHearth({ maxConcurrency: 10 });
  });
  after(() => h.stop());

  it('unreserved functions share what is left; a reserved function keeps its share under their load', async () => {
    await deploy(h, { name: 'guaranteed', files: SLOW });
    await deploy(h, { name: 'noisy', files: SLOW });
    assert.equal((await put(h, '/2017-10-31/functions/guaranteed/concurrency', { ReservedConcurrentExecutions: 4 })).status, 200);
    const [noisy, guaranteed] = await Promise.all([burst(h, 'noisy', 12, { ms: 800 }), burst(h, 'guaranteed', 4, { ms: 200 })]);
    assert.equal(guaranteed.filter((r) => r.status === 200).length, 4, 'all 4 reserved executions ran despite the noisy neighbour');
    const noisyOk = noisy.filter((r) => r.status === 200).length;
    assert.ok(noisyOk <= 6, `noisy ran ${noisyOk} at once with 6 unreserved`);
    const reasons = new Set(noisy.filter((r) => r.status === 429).map((r) => (r.json as { Reason: string }).Reason));
    assert.deepEqual([...reasons], ['ConcurrentInvocationLimitExceeded']);
  });

  it('refuses a reservation that leaves less than the minimum unreserved', async () => {
    const r = await put(h, '/2017-10-31/functions/noisy/concurrency', { ReservedConcurrentExecutions: 6 });
    assert.equal(r.status, 400);
    assert.equal(r.type, 'InvalidParameterValueException');
    assert.match(String(r.json.message), /UnreservedConcurrentExecution below its minimum value of \[1\]/);
  });
});

describe('scale rate and node capacity', () => {
  let h: Hearth;
  before(async () => {
    h = await startTestHearth({ scaleRate: { environments: 3, periodMs: 60_000 }, capacityMb: 512 });
  });
  after(() => h.stop());

  it('a function starts at most its scale rate of new environments: the rest get 429 FunctionInvocationRateLimitExceeded', async () => {
    await deploy(h, { name: 'scaler', files: SLOW, memory: 128 });
    const results = await burst(h, 'scaler', 6, { ms: 500 });
    assert.equal(results.filter((r) => r.status === 200).length, 3);
    const throttled = results.filter((r) => r.status === 429);
    assert.equal(throttled.length, 3);
    for (const r of throttled) assert.equal((r.json as { Reason: string }).Reason, 'FunctionInvocationRateLimitExceeded');
    // Warm environments need no new token.
    assert.equal((await invoke(h, 'scaler', { ms: 1 })).status, 200);
  });

});

describe('node memory capacity', () => {
  let h: Hearth;
  before(async () => {
    h = await startTestHearth({ capacityMb: 256 });
  });
  after(() => h.stop());

  it('a full node evicts the least recently used idle environment of another function', async () => {
    for (const name of ['cap-a', 'cap-b', 'cap-c']) await deploy(h, { name, files: SLOW, memory: 128 });
    assert.equal((await invoke(h, 'cap-a', { ms: 1 })).status, 200);
    assert.equal((await invoke(h, 'cap-b', { ms: 1 })).status, 200);
    assert.equal(h.pools.usedMb(), 256);
    assert.equal((await invoke(h, 'cap-c', { ms: 1 })).status, 200);
    const idleOf = (n: string) => h.pools.environments(n).get(n)?.idle ?? 0;
    assert.equal(idleOf('cap-a'), 0, 'cap-a was idle longest: evicted');
    assert.equal(idleOf('cap-b'), 1);
    assert.equal(idleOf('cap-c'), 1);
  });

  it('when busy environments fill the node, a new environment is refused at once with 429', async () => {
    const busy = [invoke(h, 'cap-b', { ms: 1500 }), invoke(h, 'cap-c', { ms: 1500 })];
    await new Promise((r) => setTimeout(r, 300));
    const started = Date.now();
    const refused = await invoke(h, 'cap-a', { ms: 1 });
    assert.equal(refused.status, 429);
    assert.equal((refused.json as { Reason: string }).Reason, 'ConcurrentInvocationLimitExceeded');
    assert.ok(Date.now() - started < 1000, 'refused immediately, not after the busy ones finished');
    for (const r of await Promise.all(busy)) assert.equal(r.status, 200);
    assert.equal((await invoke(h, 'cap-a', { ms: 1 })).status, 200, 'served once room is freed');
  });
});
