/**
 * Nothing accepted is lost: 1,000 asynchronous events, the server killed with SIGKILL
 * while it works through them, a new server on the same data directory — every event
 * runs at least once, and a duplicate carries the request id of its first run.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startServerProcess } from '../support/cli.js';
import { eventually, RUNTIME } from '../support/hearth.js';
import { makeZip } from '../support/zip.js';
import { REPORTING_HANDLER, type Sink, startSink } from '../support/sink.js';

const EVENTS = 1000;

describe('asynchronous invocation survives SIGKILL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-durable-'));
  let sink: Sink | undefined;
  after(async () => {
    await sink?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs every one of 1,000 accepted events at least once across a crash and restart', async () => {
    sink = await startSink();
    const first = await startServerProcess(['--port', '0', '--data-dir', dir]);
    const zip = await makeZip(REPORTING_HANDLER);
    const created = await fetch(`${first.url}/2015-03-31/functions`, {
      method: 'POST',
      body: JSON.stringify({ FunctionName: 'durable', Runtime: RUNTIME, Handler: 'index.handler', Environment: { Variables: { SINK: sink.url } }, Code: { ZipFile: zip.toString('base64') } }),
    });
    assert.equal(created.status, 201);
    // A few environments at a time, so that the crash lands in the middle of the work.
    await fetch(`${first.url}/2017-10-31/functions/durable/concurrency`, { method: 'PUT', body: JSON.stringify({ ReservedConcurrentExecutions: 8 }) });

    const accepted = new Map<number, string>();
    for (let n = 0; n < EVENTS; n += 50) {
      await Promise.all(
        Array.from({ length: 50 }, async (_, i) => {
          const res = await fetch(`${first.url}/2015-03-31/functions/durable/invocations`, {
            method: 'POST',
            headers: { 'x-amz-invocation-type': 'Event' },
            body: JSON.stringify({ n: n + i, ms: 20 }),
          });
          assert.equal(res.status, 202);
          accepted.set(n + i, res.headers.get('x-amzn-requestid')!);
        }),
      );
    }
    assert.equal(accepted.size, EVENTS);
    const s = sink;
    const ranOnce = () => new Set(s.received.map((r) => (r.event as { n: number }).n)).size;
    await eventually(() => ranOnce() >= 100, 60_000);
    const before = ranOnce();
    await first.kill('SIGKILL');
    assert.ok(before < EVENTS, `the crash came mid-way (${before} of ${EVENTS} had run)`);

    const second = await startServerProcess(['--port', '0', '--data-dir', dir]);
    try {
      await eventually(() => ranOnce() === EVENTS, 120_000, 100);
    } finally {
      await second.kill('SIGTERM');
    }
    const runs = new Map<number, string[]>();
    for (const r of s.received) {
      const n = (r.event as { n: number }).n;
      runs.set(n, [...(runs.get(n) ?? []), r.id]);
    }
    for (const [n, id] of accepted) {
      const ids = runs.get(n) ?? [];
      assert.ok(ids.length >= 1, `event ${n} never ran`);
      // A duplicate is the same invocation again, recognisable by its request id.
      assert.deepEqual(new Set(ids), new Set([id]), `event ${n} ran under another request id`);
    }
    const duplicates = [...runs.values()].filter((ids) => ids.length > 1).length;
    assert.ok(duplicates <= 50, `${duplicates} events ran twice: duplicates must stay rare`);
  });
});
