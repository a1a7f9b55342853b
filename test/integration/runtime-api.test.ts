import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createFunction, deploy, eventually, type Hearth, invoke, sleep, startTestHearth } from '../support/hearth.js';

const EXEC = { bootstrap: 0o100755 };

/** The Lambda docs' shell runtime: curl next → echo a response built from the event → curl POST. */
const SHELL_BOOTSTRAP = `#!/bin/sh
set -eu
API="http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
ME=$(cat /proc/sys/kernel/random/uuid)
echo "init: handler=$_HANDLER"
while true; do
  HEADERS=$(mktemp)
  EVENT=$(curl -sS -D "$HEADERS" "$API/invocation/next")
  ID=$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
  echo "handling $ID: $EVENT"
  case "$EVENT" in
    *slow*) sleep 2 ;;
  esac
  case "$EVENT" in
    *fail*)
      curl -sS -o /dev/null -X POST "$API/invocation/$ID/error" -H "Lambda-Runtime-Function-Error-Type: Unhandled" \\
        -d '{"errorMessage":"asked to fail","errorType":"ShellError","stackTrace":["bootstrap line 14"]}' ;;
    *)
      curl -sS -o /dev/null -X POST "$API/invocation/$ID/response" -d "{\\"echo\\":$EVENT,\\"handler\\":\\"$_HANDLER\\",\\"me\\":\\"$ME\\",\\"api\\":\\"$AWS_LAMBDA_RUNTIME_API\\"}" ;;
  esac
done
`;

/** A runtime in plain Node (http module) that probes the API's answers to mistakes. */
const PROBE_RUNTIME = `
import http from 'node:http';
const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function call(method, path, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port, method, path: '/2018-06-01/runtime' + path, agent, headers }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
const json = (r) => ({ status: r.status, body: r.body ? JSON.parse(r.body) : null });
const early = json(await call('POST', '/invocation/nope/response', '{}'));
for (;;) {
  const next = await call('GET', '/invocation/next');
  const id = next.headers['lambda-runtime-aws-request-id'];
  const event = JSON.parse(next.body);
  const seen = { early };
  if (event.probe) {
    seen.headers = next.headers;
    seen.wrongId = json(await call('POST', '/invocation/not-' + id + '/response', '{}'));
    seen.nextAgain = json(await call('GET', '/invocation/next'));
    seen.initErrorLate = json(await call('POST', '/init/error', '{}'));
    seen.unknown = (await call('GET', '/invocation/' + id + '/nothing')).status;
  }
  if (event.big) {
    seen.big = json(await call('POST', '/invocation/' + id + '/response', 'x'.repeat(6 * 1024 * 1024 + 1)));
    seen.afterBig = json(await call('POST', '/invocation/' + id + '/response', '{}'));
    console.log(JSON.stringify(seen));
    continue;
  }
  const ok = json(await call('POST', '/invocation/' + id + '/response', JSON.stringify(seen)));
  const twice = json(await call('POST', '/invocation/' + id + '/response', '{}'));
  console.log('after response:', JSON.stringify({ ok, twice }));
}
`;

const nodeBootstrap = (entry: string) => `#!/bin/sh\nexec ${process.execPath} "$LAMBDA_TASK_ROOT/${entry}"\n`;

describe('custom runtimes (provided.al2023) through the Lambda Runtime API', () => {
  let h: Hearth;
  before(async () => {
    h = await startTestHearth({ keepAliveMs: 60_000 });
  });
  after(() => h.stop());

  it('runs a shell bootstrap that loops with curl: event in, response out, logs framed per request', async () => {
    await deploy(h, { name: 'shell', runtime: 'provided.al2023', handler: 'function.handler', memory: 1024, files: { bootstrap: SHELL_BOOTSTRAP }, modes: EXEC });
    const first = await invoke(h, 'shell', { n: 1 }, { log: true });
    assert.equal(first.status, 200);
    assert.equal(first.functionError, null, first.body);
    const body = first.json as { echo: unknown; handler: string; me: string; api: string };
    assert.deepEqual(body.echo, { n: 1 });
    assert.equal(body.handler, 'function.handler');
    const id = first.headers.get('x-amzn-requestid')!;
    const log = first.log!;
    // Init output first, then START, the request's output, END and REPORT with the Init Duration.
    assert.match(log, new RegExp(`^init: handler=function.handler\\nSTART RequestId: ${id} Version: \\$LATEST\\nhandling ${id}: \\{"n":1\\}\\n`));
    assert.match(log, new RegExp(`END RequestId: ${id}\\nREPORT RequestId: ${id}\\tDuration: [\\d.]+ ms\\t.*Init Duration: [\\d.]+ ms\\t\\n$`));
    assert.ok(log.indexOf('handling') < log.indexOf('END RequestId'));

    // Warm: the same process answers, no Init Duration, the previous request's trailing
    // output is not lost.
    const second = await invoke(h, 'shell', { n: 2 }, { log: true });
    assert.deepEqual((second.json as typeof body).echo, { n: 2 });
    assert.equal((second.json as typeof body).me, body.me);
    assert.doesNotMatch(second.log!, /Init Duration/);
    assert.match(second.log!, /handling [0-9a-f-]+: \{"n":2\}/);
  });

  it('reports an invocation error posted to /error as the function error, and keeps the environment', async () => {
    await deploy(h, { name: 'shell-err', runtime: 'provided', handler: 'x', memory: 1024, files: { bootstrap: SHELL_BOOTSTRAP }, modes: EXEC });
    const failed = await invoke(h, 'shell-err', { fail: true }, { log: true });
    assert.equal(failed.status, 200);
    assert.equal(failed.functionError, 'Unhandled');
    assert.deepEqual(failed.json, { errorMessage: 'asked to fail', errorType: 'ShellError', stackTrace: ['bootstrap line 14'] });
    assert.match(failed.log!, /START RequestId[^\n]*\nhandling [^\n]*fail[^\n]*\n/);
    const fine = await invoke(h, 'shell-err', { ok: 1 });
    assert.equal(fine.functionError, null);
    assert.equal(h.pools.environments('shell-err').get('shell-err')?.idle, 1, 'one environment served both');
  });

  it('turns /init/error into the invoke error, discards the environment and retries Init next time', async () => {
    const bootstrap = `#!/bin/sh
echo "init failing"
curl -sS -o /dev/null -X POST "http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/init/error" \\
  -H "Lambda-Runtime-Function-Error-Type: Runtime.ConfigInvalid" -d '{"errorMessage":"missing config","errorType":"ConfigError"}'
sleep 30
`;
    await deploy(h, { name: 'init-err', runtime: 'provided.al2023', handler: 'x', memory: 1024, files: { bootstrap }, modes: EXEC });
    for (let i = 0; i < 2; i++) {
      const r = await invoke(h, 'init-err', {}, { log: true });
      assert.equal(r.status, 200);
      assert.equal(r.functionError, 'Unhandled');
      assert.deepEqual(r.json, { errorMessage: 'missing config', errorType: 'ConfigError' });
      assert.match(r.log!, /^init failing\nSTART RequestId: \S+ Version: \$LATEST\nEND RequestId: \S+\nREPORT .*Init Duration: [\d.]+ ms\tStatus: error\t\n$/);
    }
    const counts = h.pools.environments('init-err').get('init-err');
    assert.equal((counts?.idle ?? 0) + (counts?.busy ?? 0), 0, 'no environment kept after a failed Init');
  });

  it("builds the error from the error-type header when the body isn't a JSON object", async () => {
    const bootstrap = `#!/bin/sh
API="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime"
while true; do
  ID=$(curl -sS -D - -o /dev/null "$API/invocation/next" | grep -i '^Lambda-Runtime-Aws-Request-Id:' | tr -d '[:space:]' | cut -d: -f2)
  curl -sS -o /dev/null -X POST "$API/invocation/$ID/error" -H "Lambda-Runtime-Function-Error-Type: Runtime.NoSuchHandler" -d 'no handler here'
done
`;
    await deploy(h, { name: 'err-header', runtime: 'provided.al2023', handler: 'x', memory: 1024, files: { bootstrap }, modes: EXEC });
    const r = await invoke(h, 'err-header');
    assert.equal(r.functionError, 'Unhandled');
    assert.deepEqual(r.json, { errorType: 'Runtime.NoSuchHandler', errorMessage: 'no handler here' });
  });

  it('answers protocol mistakes with Lambda status codes and error types; passes the invoke headers', async () => {
    await deploy(h, {
      name: 'probe',
      runtime: 'provided.al2023',
      handler: 'probe',
      timeout: 10,
      files: { bootstrap: nodeBootstrap('runtime.mjs'), 'runtime.mjs': PROBE_RUNTIME },
      modes: EXEC,
    });
    const clientContext = { custom: { a: 1 } };
    const r = await invoke(h, 'probe', { probe: true }, {
      log: true,
      headers: { 'x-amz-client-context': Buffer.from(JSON.stringify(clientContext)).toString('base64') },
    });
    assert.equal(r.functionError, null, r.body);
    const seen = r.json as Record<string, { status: number; body: Record<string, string> } & Record<string, unknown>>;
    const id = r.headers.get('x-amzn-requestid')!;
    assert.deepEqual(seen.early, {
      status: 403,
      body: { errorType: 'InvalidStateTransition', errorMessage: 'State transition from Initializing to InvocationResponse failed for runtime. Error: not allowed in this state' },
    });
    const headers = seen.headers as unknown as Record<string, string>;
    assert.equal(headers['lambda-runtime-aws-request-id'], id);
    assert.equal(headers['lambda-runtime-invoked-function-arn'], 'arn:aws:lambda:us-east-1:000000000000:function:probe');
    const deadline = Number(headers['lambda-runtime-deadline-ms']);
    assert.ok(deadline > Date.now() && deadline <= Date.now() + 10_000, `deadline ${deadline}`);
    assert.deepEqual(JSON.parse(headers['lambda-runtime-client-context']!), clientContext);
    assert.equal(headers['content-type'], 'application/json');
    assert.deepEqual(seen.wrongId, { status: 400, body: { errorType: 'InvalidRequestID', errorMessage: 'Invalid request ID' } });
    assert.equal(seen.nextAgain!.status, 403);
    assert.equal(seen.nextAgain!.body.errorType, 'InvalidStateTransition');
    assert.equal(seen.initErrorLate!.status, 403);
    assert.equal(seen.unknown, 404);
    // The accepted response, then the same response again (logged by the runtime, read on the next request).
    const next = await invoke(h, 'probe', { plain: true }, { log: true });
    assert.match(next.log!, /after response: \{"ok":\{"status":202,"body":\{"status":"OK"\}\},"twice":\{"status":403,"body":\{"errorType":"InvalidStateTransition"/);

    // A response over 6 MB: 413 to the runtime, Function.ResponseSizeTooLarge to the caller.
    const big = await invoke(h, 'probe', { big: true }, { log: true });
    assert.equal(big.functionError, 'Unhandled');
    assert.deepEqual(big.json, {
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: `Response payload size exceeded maximum allowed payload size (${6 * 1024 * 1024} bytes).`,
    });
    const after = await invoke(h, 'probe', { plain: true }, { log: true });
    const line = /\{"early".*"big".*\}/.exec(after.log!)?.[0];
    assert.ok(line, after.log);
    const logged = JSON.parse(line) as { big: { status: number; body: unknown }; afterBig: { status: number } };
    assert.deepEqual(logged.big, { status: 413, body: { errorType: 'RequestEntityTooLarge', errorMessage: `Exceeded maximum allowed payload size (${6 * 1024 * 1024} bytes).` } });
    assert.equal(logged.afterBig.status, 403);
  });

  it('applies the timeout to a custom runtime: killed, Sandbox.Timedout, the next request starts a new one', async () => {
    const bootstrap = `#!/bin/sh
API="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime"
ME=$(cat /proc/sys/kernel/random/uuid)
while true; do
  EVENT=$(curl -sS -D /tmp/h "$API/invocation/next")
  ID=$(grep -i '^Lambda-Runtime-Aws-Request-Id:' /tmp/h | tr -d '[:space:]' | cut -d: -f2)
  case "$EVENT" in *slow*) echo "sleeping"; sleep 10 ;; esac
  curl -sS -o /dev/null -X POST "$API/invocation/$ID/response" -d "\\"$ME\\""
done
`;
    await deploy(h, { name: 'slow', runtime: 'provided.al2023', handler: 'x', timeout: 1, memory: 1769, files: { bootstrap }, modes: EXEC });
    const before = await invoke(h, 'slow', { fast: true });
    const t0 = Date.now();
    const r = await invoke(h, 'slow', { slow: true }, { log: true });
    assert.ok(Date.now() - t0 < 5000, 'did not wait for the sleep');
    assert.equal(r.functionError, 'Unhandled');
    assert.equal((r.json as { errorType: string }).errorType, 'Sandbox.Timedout');
    assert.match(r.log!, /sleeping\n.*Task timed out after 1\.00 seconds\nEND RequestId/s);
    const again = await invoke(h, 'slow', { fast: true });
    assert.equal(again.functionError, null);
    assert.notEqual(again.json, before.json, 'a new process serves the next request');
  });

  it('refuses a custom runtime package without an executable bootstrap; takes any handler', async () => {
    const missing = await createFunction(h, { name: 'no-boot', runtime: 'provided.al2023', handler: 'x', files: { 'main.sh': 'echo' } });
    assert.equal(missing.status, 400);
    assert.match(((await missing.json()) as { message: string }).message, /no executable file "bootstrap"/);
    const notExec = await createFunction(h, { name: 'no-exec', runtime: 'provided.al2023', handler: 'x', files: { bootstrap: '#!/bin/sh' } });
    assert.equal(notExec.status, 400);
    const free = await createFunction(h, { name: 'free', runtime: 'provided', handler: 'not-a-file/anything::goes', files: { bootstrap: '#!/bin/sh' }, modes: EXEC });
    assert.equal(free.status, 201);
    const spaced = await createFunction(h, { name: 'spaced', runtime: 'provided', handler: 'has space', files: { bootstrap: '#!/bin/sh' }, modes: EXEC });
    assert.equal(spaced.status, 400);
  });
});

describe("an environment's Runtime API is reachable by that environment only", () => {
  let h: Hearth;
  before(async () => {
    h = await startTestHearth({ keepAliveMs: 60_000 });
  });
  after(() => h.stop());

  it('refuses connections from another function and from the host; the owner keeps working', async () => {
    await deploy(h, { name: 'victim', runtime: 'provided.al2023', handler: 'x', memory: 1024, timeout: 10, files: { bootstrap: SHELL_BOOTSTRAP }, modes: EXEC });
    await deploy(h, {
      name: 'intruder',
      timeout: 10,
      files: {
        'index.js': `
const http = require('node:http');
function attempt(port, method, path, body) {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, agent: false }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, body: text }));
    });
    req.on('error', (err) => resolve({ error: err.code || err.message }));
    req.setTimeout(3000, () => req.destroy(new Error('no answer')));
    req.end(body);
  });
}
exports.handler = async (e) => ({
  next: await attempt(e.port, 'GET', '/2018-06-01/runtime/invocation/next'),
  response: await attempt(e.port, 'POST', '/2018-06-01/runtime/invocation/' + e.id + '/response', '"stolen"'),
});`,
      },
    });
    const first = await invoke(h, 'victim', { n: 1 });
    const { api, me } = first.json as { api: string; me: string };
    const port = Number(api.split(':')[1]);
    assert.match(api, /^127\.0\.0\.1:\d+$/);

    // While the victim works on a request (so there is an event to steal and a response
    // to forge), another function goes for its endpoint.
    const busy = invoke(h, 'victim', { slow: true, n: 2 });
    await new Promise((r) => setTimeout(r, 500));
    const attack = await invoke(h, 'intruder', { port, id: first.headers.get('x-amzn-requestid') });
    assert.equal(attack.functionError, null, attack.body);
    const seen = attack.json as { next: { error?: string; status?: number }; response: { error?: string; status?: number } };
    assert.ok(seen.next.error && seen.next.status === undefined, `GET next from another function got ${JSON.stringify(seen.next)}`);
    assert.ok(seen.response.error && seen.response.status === undefined, `POST response from another function got ${JSON.stringify(seen.response)}`);

    // Nor can the host reach it (Hearth's own process is not the environment either).
    await assert.rejects(fetch(`http://${api}/2018-06-01/runtime/invocation/next`, { signal: AbortSignal.timeout(3000) }));

    // The owner was not disturbed: it answers its own requests, from the same process.
    const done = await busy;
    assert.equal(done.functionError, null, done.body);
    assert.deepEqual((done.json as { echo: unknown }).echo, { slow: true, n: 2 });
    const third = await invoke(h, 'victim', { n: 3 });
    assert.deepEqual(third.json, { echo: { n: 3 }, handler: 'x', me, api });
  });
});

describe('the sandbox lifecycle applies to custom runtimes as to any other', () => {
  let h: Hearth;
  let cgroups = false;
  before(async () => {
    h = await startTestHearth({ keepAliveMs: 2000 });
    cgroups = h.driver.name.includes('cgroup');
  });
  after(() => h.stop());

  // A background ticker (to see the freeze), and on request a memory hog: the runtime
  // process itself becomes a program that fills 400 MB.
  const bootstrap = `#!/bin/sh
API="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime"
ME=$(cat /proc/sys/kernel/random/uuid)
( while true; do echo x >> /tmp/ticks; sleep 0.02; done ) &
while true; do
  EVENT=$(curl -sS -D /tmp/h "$API/invocation/next")
  ID=$(grep -i '^Lambda-Runtime-Aws-Request-Id:' /tmp/h | tr -d '[:space:]' | cut -d: -f2)
  case "$EVENT" in *hog*) exec ${process.execPath} -e 'Buffer.alloc(400e6).fill(1)' ;; esac
  curl -sS -o /dev/null -X POST "$API/invocation/$ID/response" -d "{\\"me\\":\\"$ME\\",\\"ticks\\":$(wc -l < /tmp/ticks)}"
done
`;

  it('freezes an idle custom runtime (its background jobs stop) and reclaims it after the keep-alive window', async () => {
    await deploy(h, { name: 'ticker', runtime: 'provided.al2023', handler: 'x', memory: 1769, files: { bootstrap }, modes: EXEC });
    const first = (await invoke(h, 'ticker')).json as { me: string; ticks: number };
    const warm = (await invoke(h, 'ticker')).json as { me: string; ticks: number };
    await sleep(1000);
    const later = (await invoke(h, 'ticker')).json as { me: string; ticks: number };
    assert.equal(later.me, first.me, 'warm within the window');
    // Running, 1 s of 20 ms ticks would add ~50.
    assert.ok(later.ticks - warm.ticks < 20, `ticks advanced by ${later.ticks - warm.ticks} while idle`);
    await eventually(() => (h.pools.environments('ticker').get('ticker')?.idle ?? 1) === 0, 8000);
    const next = await invoke(h, 'ticker', {}, { log: true });
    assert.notEqual((next.json as { me: string }).me, first.me, 'a new environment after reclaim');
    assert.match(next.log!, /Init Duration/);
  });

  it("caps a custom runtime's memory: past it, Runtime.OutOfMemory and a fresh environment", async (t) => {
    if (!cgroups) return t.skip('no writable cgroup v1 here: memory is capped only inside Node');
    await deploy(h, { name: 'hog', runtime: 'provided.al2023', handler: 'x', memory: 128, timeout: 20, files: { bootstrap }, modes: EXEC });
    const fine = (await invoke(h, 'hog')).json as { me: string };
    const r = await invoke(h, 'hog', { hog: true }, { log: true });
    assert.equal(r.functionError, 'Unhandled');
    const error = r.json as { errorType: string; errorMessage: string };
    assert.equal(error.errorType, 'Runtime.OutOfMemory', r.body);
    const again = await invoke(h, 'hog');
    assert.equal(again.functionError, null);
    assert.notEqual((again.json as { me: string }).me, fine.me);
  });
});
