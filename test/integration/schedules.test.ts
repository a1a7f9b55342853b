/**
 * Schedules end to end: a real function on `rate(N seconds)` (Hearth's extension) reports
 * each run to a loopback sink; the CLI's schedule commands; and a server restarted on its
 * data directory, which neither repeats a tick nor replays every missed one.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hearthCli, startServerProcess } from '../support/cli.js';
import { deploy, eventually, type Hearth, RUNTIME, sleep, startTestHearth } from '../support/hearth.js';
import { REPORTING_HANDLER, type Sink, startSink } from '../support/sink.js';
import { makeZip } from '../support/zip.js';

const INPUT = '{"tick":"<aws.scheduler.scheduled-time>","schedule":"<aws.scheduler.schedule-arn>"}';
const ticksOf = (sink: Sink, schedule: string) =>
  sink.received.filter((r) => String(r.event.schedule).endsWith(`/${schedule}`)).map((r) => String(r.event.tick));

/**
 * The ticks fired, one per fire. A fire is one asynchronous invocation; an attempt cut
 * short by a shutdown runs again after the restart with the same request id (at-least-once
 * delivery), which is the same fire, not a second one.
 */
const firesOf = (sink: Sink, schedule: string) => {
  const seen = new Map<string, string>();
  for (const r of sink.received) if (String(r.event.schedule).endsWith(`/${schedule}`)) seen.set(r.id, String(r.event.tick));
  return [...seen.values()];
};

describe('schedules with a real function', () => {
  let h: Hearth;
  let sink: Sink;
  before(async () => {
    sink = await startSink();
    h = await startTestHearth();
    await deploy(h, { name: 'ticker', files: REPORTING_HANDLER, env: { SINK: sink.url } });
  });
  after(async () => {
    await h.stop();
    await sink.close();
  });

  it('fires rate(1 second) once per tick, with the Input and its context attributes', async () => {
    const add = await hearthCli(['schedule', 'add', 'every-second', 'rate(1 second)', 'ticker', '--input', INPUT], h.url);
    assert.equal(add.code, 0, add.stderr);
    assert.equal(add.stdout.trim(), 'arn:aws:scheduler:us-east-1:000000000000:schedule/default/every-second');
    await eventually(() => ticksOf(sink, 'every-second').length >= 4, 20_000);
    await fetch(`${h.url}/schedules/every-second`, { method: 'DELETE' });
    const ticks = ticksOf(sink, 'every-second');
    assert.equal(new Set(ticks).size, ticks.length, `a tick fired twice: ${ticks}`);
    const times = ticks.map((t) => Date.parse(t)).sort((a, b) => a - b);
    // Whole seconds, one apart (the first is the creation second).
    for (let i = 1; i < times.length; i++) assert.equal(times[i]! - times[i - 1]!, 1000, String(ticks));
  });

  it('hearth schedule next / run / ls, and one-line errors', async () => {
    const add = await hearthCli(['schedule', 'add', 'new-year', 'cron(0 0 1 1 ? *)', 'ticker', '--timezone', 'Asia/Tokyo', '--input', INPUT], h.url);
    assert.equal(add.code, 0, add.stderr);
    const next = await hearthCli(['schedule', 'next', 'new-year', '3'], h.url);
    assert.equal(next.code, 0, next.stderr);
    const lines = next.stdout.trim().split('\n');
    assert.equal(lines.length, 3);
    // Midnight on 1 January in Tokyo is 15:00Z on 31 December.
    for (const l of lines) assert.match(l, /^\d{4}-12-31T15:00:00\.000Z$/);
    assert.equal(Number(lines[1]!.slice(0, 4)) - Number(lines[0]!.slice(0, 4)), 1);

    const run = await hearthCli(['schedule', 'run', 'new-year'], h.url);
    assert.equal(run.code, 0, run.stderr);
    await eventually(() => ticksOf(sink, 'new-year').length === 1, 15_000);

    const ls = await hearthCli(['schedule', 'ls'], h.url);
    assert.equal(ls.code, 0, ls.stderr);
    assert.match(ls.stdout, /^NAME\s+GROUP\s+STATE\s+EXPRESSION\s+TARGET/);
    assert.match(ls.stdout, /new-year\s+default\s+ENABLED\s+cron\(0 0 1 1 \? \*\) Asia\/Tokyo\s+arn:aws:lambda:us-east-1:000000000000:function:ticker/);

    for (const args of [
      ['schedule', 'add', 'bad', 'rate(5 weeks)', 'ticker'],
      ['schedule', 'add', 'nofn', 'rate(5 minutes)', 'missing-fn'],
      ['schedule', 'next', 'missing'],
      ['schedule', 'run', 'missing'],
    ]) {
      const r = await hearthCli(args, h.url);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /^hearth: (ValidationException|ResourceNotFoundException): /, r.stderr);
    }
  });
});

describe('schedules across a restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-sched-'));
  let sink: Sink | undefined;
  after(async () => {
    await sink?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('repeats no tick after a restart, and fires the ticks missed while down once', async () => {
    sink = await startSink();
    const s = sink;
    let server = await startServerProcess(['--port', '0', '--data-dir', dir]);
    const zip = await makeZip(REPORTING_HANDLER);
    const created = await fetch(`${server.url}/2015-03-31/functions`, {
      method: 'POST',
      body: JSON.stringify({ FunctionName: 'durable-ticker', Runtime: RUNTIME, Handler: 'index.handler', Environment: { Variables: { SINK: s.url } }, Code: { ZipFile: zip.toString('base64') } }),
    });
    assert.equal(created.status, 201);
    const add = await hearthCli(['schedule', 'add', 'every-3s', 'rate(3 seconds)', 'durable-ticker', '--input', INPUT], server.url);
    assert.equal(add.code, 0, add.stderr);
    await eventually(() => firesOf(s, 'every-3s').length >= 2, 20_000);

    // A quick restart: the ticks already fired must not fire again.
    await server.kill('SIGTERM');
    server = await startServerProcess(['--port', '0', '--data-dir', dir]);
    await eventually(() => firesOf(s, 'every-3s').length >= 3, 20_000);
    const beforeDown = firesOf(s, 'every-3s');
    assert.equal(new Set(beforeDown).size, beforeDown.length, `a tick fired twice: ${beforeDown}`);

    // Down for 10 s: three or four ticks are missed; the next start fires once for them.
    await server.kill('SIGTERM');
    await sleep(300); // deliveries already on their way reach the sink
    const fired = new Set(firesOf(s, 'every-3s'));
    const downAt = Date.now();
    await sleep(10_000);
    server = await startServerProcess(['--port', '0', '--data-dir', dir]);
    const upAt = Date.now();
    await eventually(() => firesOf(s, 'every-3s').length > fired.size, 20_000);
    await sleep(7000);
    await server.kill('SIGTERM');

    const afterRestart = firesOf(s, 'every-3s').filter((t) => !fired.has(t));
    assert.equal(new Set(afterRestart).size, afterRestart.length, `a tick fired twice: ${afterRestart}`);
    const missed = afterRestart.filter((t) => Date.parse(t) < upAt - 1000);
    assert.equal(missed.length, 1, `ticks of the downtime that fired: ${missed} (down ${downAt}..${upAt})`);
    // ...and then the regular ticks resume.
    assert.ok(afterRestart.length >= 2, String(afterRestart));
  });
});
