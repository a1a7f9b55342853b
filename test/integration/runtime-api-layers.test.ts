/**
 * A custom runtime supplied by a layer, through the real `@aws-sdk/client-lambda`: a
 * `provided.al2023` function whose package holds only its handler script runs the
 * layer's `/opt/bootstrap`, as on Lambda. A function with no bootstrap anywhere is
 * refused; a bootstrap that cannot be started fails Init with Runtime.InvalidEntrypoint.
 * Run with namespaces (/opt is a mount) and with the plain-process driver.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateFunctionCommand,
  GetFunctionConfigurationCommand,
  InvalidParameterValueException,
  InvokeCommand,
  LambdaClient,
  PublishLayerVersionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { systemClock } from '../../src/common/index.js';
import { availableRuntimes, EnvironmentFactory, InitError } from '../../src/pool/index.js';
import { eventually, type Hearth, startTestHearth } from '../support/hearth.js';
import { makeZip } from '../support/zip.js';

const ROLE = 'arn:aws:iam::000000000000:role/sdk-test';
const EXEC = 0o100755;

/**
 * The Lambda tutorial's shell runtime, shipped as a layer: it sources the handler's
 * script from the function's package (`_HANDLER` = FILE.FUNCTION, FILE.sh in /var/task)
 * and calls FUNCTION with the event for each invocation.
 */
const LAYER_BOOTSTRAP = `#!/bin/sh
set -eu
API="http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
. "$LAMBDA_TASK_ROOT/$(echo "$_HANDLER" | cut -d. -f1).sh"
FN=$(echo "$_HANDLER" | cut -d. -f2)
echo "layer runtime up: $0"
while true; do
  HEADERS=$(mktemp)
  EVENT=$(curl -sS -D "$HEADERS" "$API/invocation/next")
  ID=$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
  RESPONSE=$($FN "$EVENT")
  curl -sS -o /dev/null -X POST "$API/invocation/$ID/response" -d "$RESPONSE"
done
`;
const HANDLER_SCRIPT = `handler () {
  echo "handling: $1" >&2
  echo "{\\"from\\":\\"function.sh\\",\\"event\\":$1}"
}
`;
/** Answers with the PID of a child it leaves running in the background. */
const OWN_BOOTSTRAP = `#!/bin/sh
API="http://\${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
sleep 300 &
CHILD=$!
while true; do
  ID=$(curl -sS -D - -o /dev/null "$API/invocation/next" | grep -i '^Lambda-Runtime-Aws-Request-Id:' | tr -d '[:space:]' | cut -d: -f2)
  curl -sS -o /dev/null -X POST "$API/invocation/$ID/response" -d "{\\"from\\":\\"the package bootstrap\\",\\"child\\":$CHILD}"
done
`;

const zip = async (files: Record<string, string>, modes: Record<string, number> = {}) => new Uint8Array(await makeZip(files, modes));
/** Running, not a zombie: an orphan's exit is reaped by PID 1, which here may never do it. */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};
const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('utf8');

async function refused(p: Promise<unknown>, message: RegExp): Promise<void> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof InvalidParameterValueException, `expected InvalidParameterValueException, got ${(err as Error)?.name}: ${(err as Error)?.message}`);
    assert.equal(err.$metadata.httpStatusCode, 400);
    assert.match(err.message, message);
    return;
  }
  assert.fail('expected InvalidParameterValueException, but the call succeeded');
}

for (const sandbox of ['auto', 'process'] as const) {
  describe(`a custom runtime's bootstrap from a layer (sandbox: ${sandbox})`, () => {
    let h: Hearth;
    let lambda: LambdaClient;
    let runtimeLayer: string;
    const create = async (name: string, files: Record<string, string>, extra: { layers?: string[]; modes?: Record<string, number> } = {}) =>
      lambda.send(new CreateFunctionCommand({
        FunctionName: name, Runtime: 'provided.al2023', Handler: 'function.handler', Role: ROLE, MemorySize: 1024,
        Code: { ZipFile: await zip(files, extra.modes) }, Layers: extra.layers,
      }));
    const call = async (name: string, payload: unknown) => {
      const out = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)), LogType: 'Tail' }));
      return { out, body: text(out.Payload), log: Buffer.from(out.LogResult ?? '', 'base64').toString('utf8') };
    };

    before(async () => {
      h = await startTestHearth({ sandbox, keepAliveMs: 60_000 });
      lambda = new LambdaClient({ endpoint: h.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
      const layer = await lambda.send(new PublishLayerVersionCommand({
        LayerName: 'shell-runtime', CompatibleRuntimes: ['provided.al2023'], Content: { ZipFile: await zip({ bootstrap: LAYER_BOOTSTRAP }, { bootstrap: EXEC }) },
      }));
      runtimeLayer = layer.LayerVersionArn!;
    });
    after(async () => {
      lambda.destroy();
      await h.stop();
    });

    it("runs a function whose package has only its handler script, on the layer's bootstrap", async () => {
      const created = await create('layer-runtime', { 'function.sh': HANDLER_SCRIPT }, { layers: [runtimeLayer] });
      assert.equal(created.$metadata.httpStatusCode, 201);
      assert.deepEqual(created.Layers?.map((l) => l.Arn), [runtimeLayer]);
      const first = await call('layer-runtime', { n: 1 });
      assert.equal(first.out.FunctionError, undefined, first.body);
      assert.deepEqual(JSON.parse(first.body), { from: 'function.sh', event: { n: 1 } });
      const optRoot = sandbox === 'process' ? '\\S+' : '/opt';
      assert.match(first.log, new RegExp(`^layer runtime up: ${optRoot}/bootstrap\\nSTART RequestId: `), 'the layer’s bootstrap ran');
      assert.match(first.log, /handling: \{"n":1\}\nEND RequestId/);
      const warm = await call('layer-runtime', { n: 2 });
      assert.deepEqual(JSON.parse(warm.body), { from: 'function.sh', event: { n: 2 } });
      assert.doesNotMatch(warm.log, /Init Duration/);

      // New code without a bootstrap of its own is fine: the layer still provides it.
      await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'layer-runtime', ZipFile: await zip({ 'function.sh': HANDLER_SCRIPT.replace('function.sh', 'v2') }) }));
      assert.equal(JSON.parse((await call('layer-runtime', {})).body).from, 'v2');
    });

    it("prefers the package's own bootstrap to the layer's, as Lambda looks in /var/task first", async () => {
      await create('own-bootstrap', { bootstrap: OWN_BOOTSTRAP, 'function.sh': HANDLER_SCRIPT }, { layers: [runtimeLayer], modes: { bootstrap: EXEC } });
      const r = await call('own-bootstrap', {});
      assert.equal(r.out.FunctionError, undefined, r.body);
      const { from, child } = JSON.parse(r.body) as { from: string; child: number };
      assert.equal(from, 'the package bootstrap');
      if (sandbox !== 'process') return; // PIDs inside a PID namespace are not the host's
      // Retiring the environment ends what its runtime started too, not only the runtime.
      assert.ok(alive(child), 'the background child runs while the environment lives');
      await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'own-bootstrap', MemorySize: 512 }));
      await eventually(() => !alive(child), 5000);
    });

    it('refuses a custom runtime with no executable bootstrap in the package or its layers, and changes nothing', async () => {
      await refused(create('no-bootstrap', { 'function.sh': HANDLER_SCRIPT }), /no executable file "bootstrap" at its root and the function has no layers/);
      const libs = await lambda.send(new PublishLayerVersionCommand({ LayerName: 'just-libs', Content: { ZipFile: await zip({ 'lib/x.so': 'x', 'bin/bootstrap': '#!/bin/sh' }, { 'bin/bootstrap': EXEC }) } }));
      const notExec = await lambda.send(new PublishLayerVersionCommand({ LayerName: 'plain-bootstrap', Content: { ZipFile: await zip({ bootstrap: '#!/bin/sh' }) } }));
      await refused(create('libs-only', { 'function.sh': HANDLER_SCRIPT }, { layers: [libs.LayerVersionArn!] }), /neither the package nor its 1 layer\(s\).*have an executable file "bootstrap"/);
      // A later layer's file wins at /opt/bootstrap, so a non-executable one hides the runtime's.
      await refused(create('hidden', { 'function.sh': HANDLER_SCRIPT }, { layers: [runtimeLayer, notExec.LayerVersionArn!] }), /neither the package nor its 2 layer\(s\)/);
      await create('shadowed-ok', { 'function.sh': HANDLER_SCRIPT }, { layers: [notExec.LayerVersionArn!, runtimeLayer] });

      // Taking away the layer that brings the bootstrap, or new code without one after
      // that, is refused too; the function keeps running as before.
      await create('keeps-layer', { 'function.sh': HANDLER_SCRIPT }, { layers: [runtimeLayer] });
      await refused(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'keeps-layer', Layers: [] })), /the function has no layers/);
      await refused(lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: 'keeps-layer', Layers: [libs.LayerVersionArn!] })), /neither the package nor its 1 layer/);
      const config = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: 'keeps-layer' }));
      assert.deepEqual(config.Layers?.map((l) => l.Arn), [runtimeLayer]);
      const r = await call('keeps-layer', { still: true });
      assert.deepEqual(JSON.parse(r.body), { from: 'function.sh', event: { still: true } });
    });

    it('fails Init with Runtime.InvalidEntrypoint when the bootstrap cannot be started', async () => {
      // Executable, so accepted, but its interpreter does not exist: the exec fails.
      await create('bad-interpreter', { bootstrap: '#!/nonexistent/interpreter\n' }, { modes: { bootstrap: EXEC } });
      for (let i = 0; i < 2; i++) {
        const r = await call('bad-interpreter', {});
        assert.equal(r.out.FunctionError, 'Unhandled');
        const error = JSON.parse(r.body) as { errorType: string; errorMessage: string };
        assert.equal(error.errorType, 'Runtime.InvalidEntrypoint', r.body);
        assert.match(error.errorMessage, /^Error: fork\/exec \S*\/bootstrap: no such file or directory$/);
        assert.match(r.log, /Init Duration: [\d.]+ ms\tStatus: error/);
      }
    });

    it('an environment with no bootstrap at all fails Init as Lambda does (Couldn’t find valid bootstrap(s))', async () => {
      // Hearth refuses such a function, so this starts an environment directly on an
      // empty code folder, through the server's own sandbox driver and runtime launcher.
      const codeDir = await mkdtemp(join(tmpdir(), 'hearth-empty-code-'));
      try {
        const factory = new EnvironmentFactory(h.driver, availableRuntimes(), systemClock);
        const env = await factory.start({
          key: 'empty@1', name: 'empty', version: '$LATEST', runtime: 'provided.al2023', handler: 'x', memoryMb: 128,
          timeoutS: 3, ephemeralStorageMb: 512, env: {}, codeDir, region: 'us-east-1',
        });
        const err = await env.ready().then(() => assert.fail('Init succeeded'), (e: unknown) => e);
        assert.ok(err instanceof InitError, String(err));
        assert.equal(err.error.errorType, 'Runtime.InvalidEntrypoint');
        assert.match(err.error.errorMessage, /^Error: Couldn't find valid bootstrap\(s\): \[\S*\/bootstrap\]$/);
        assert.match(err.logs, /Couldn't find valid bootstrap/);
        await env.closed();
      } finally {
        await rm(codeDir, { recursive: true, force: true });
      }
    });
  });
}
