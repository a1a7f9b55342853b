import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawn } from 'node:child_process';
import { CLI, hearthCli, hearthCliSync, startServerProcess } from '../support/cli.js';

describe('hearth server and CLI', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hearth-cli-'));
    mkdirSync(join(dir, 'fn'));
    writeFileSync(join(dir, 'fn', 'index.js'), `exports.handler = async (e) => { console.log('got', JSON.stringify(e)); if (e.fail) throw new Error('asked to fail'); return { echo: e, v: process.env.V ?? null }; };`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('deploys a folder, invokes, lists, shows, configures, prints logs and deletes', async () => {
    const server = await startServerProcess(['--port', '0', '--data-dir', join(dir, 'data')]);
    try {
      const deploy = await hearthCli(['deploy', join(dir, 'fn'), '--name', 'echo', '--env', 'V=1'], server.url);
      assert.equal(deploy.code, 0, deploy.stderr);
      assert.match(deploy.stdout, /created echo/);

      const inv = await hearthCli(['invoke', 'echo', '--data', '{"a":1}', '--log'], server.url);
      assert.equal(inv.code, 0, inv.stderr);
      assert.deepEqual(JSON.parse(inv.stdout), { echo: { a: 1 }, v: '1' });
      assert.match(inv.stderr, /REPORT RequestId/);

      const failed = await hearthCli(['invoke', 'echo', '--data', '{"fail":true}'], server.url);
      assert.notEqual(failed.code, 0, 'a function error exits non-zero');
      assert.match(failed.stdout, /asked to fail/);

      const ls = await hearthCli(['ls'], server.url);
      assert.match(ls.stdout, /^echo\s+nodejs\d+\.x\s+128 MB\s+3 s\s+busy 0, idle 1/m);

      const cfg = await hearthCli(['config', 'echo', '--memory', '256', '--timeout', '10'], server.url);
      assert.equal(cfg.code, 0, cfg.stderr);
      const get = await hearthCli(['get', 'echo'], server.url);
      const shown = JSON.parse(get.stdout) as { MemorySize: number; Timeout: number; Environments: object };
      assert.equal(shown.MemorySize, 256);
      assert.equal(shown.Timeout, 10);
      assert.ok(shown.Environments);

      const logs = await hearthCli(['logs', 'echo', '--since', '10m'], server.url);
      assert.match(logs.stdout, /START RequestId: [0-9a-f-]+ Version: \$LATEST/);
      assert.match(logs.stdout, /INFO\tgot \{"a":1\}/);

      const rm = await hearthCli(['rm', 'echo'], server.url);
      assert.equal(rm.code, 0);
      const after = await hearthCli(['invoke', 'echo'], server.url);
      assert.notEqual(after.code, 0);
      assert.equal(after.stderr.trim().split('\n').length, 1, 'one line');
      assert.match(after.stderr, /^hearth: ResourceNotFoundException: Function not found/);
    } finally {
      await server.kill();
    }
  });

  it('keeps functions and code across a restart', async () => {
    const data = join(dir, 'persist');
    let server = await startServerProcess(['--port', '0', '--data-dir', data]);
    await hearthCli(['deploy', join(dir, 'fn'), '--name', 'kept'], server.url);
    await server.kill('SIGKILL');
    server = await startServerProcess(['--port', '0', '--data-dir', data]);
    try {
      const inv = await hearthCli(['invoke', 'kept', '--data', '{"b":2}'], server.url);
      assert.equal(inv.code, 0, inv.stderr);
      assert.deepEqual(JSON.parse(inv.stdout).echo, { b: 2 });
    } finally {
      await server.kill();
    }
  });

  it('prints user errors as one line, never a stack trace', async () => {
    const unreachable = await hearthCli(['ls'], 'http://127.0.0.1:1');
    assert.equal(unreachable.code, 2);
    assert.match(unreachable.stderr, /^hearth: cannot reach Hearth at http:\/\/127\.0\.0\.1:1/);
    assert.equal(unreachable.stderr.trim().split('\n').length, 1);
    const badJson = await hearthCli(['invoke', 'x', '--data', '{oops'], 'http://127.0.0.1:1');
    assert.match(badJson.stderr, /^hearth: the event is not valid JSON\n$/);
    const badEnv = hearthCliSync(['deploy', dir, '--name', 'x', '--env', 'NOEQUALS']);
    assert.match(badEnv.stderr, /--env expects KEY=VALUE/);
    assert.doesNotMatch(badEnv.stderr, /at .*\.js:\d+/);
  });

  it('runs on the plain-process driver when asked, and says which guarantees are missing', async () => {
    const child = spawn(process.execPath, [CLI, 'server', '--port', '0', '--ephemeral', '--sandbox', 'process'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    await new Promise<void>((ok) => child.stdout.on('data', (b: Buffer) => ((out += b), out.includes('\n') && ok())));
    child.kill('SIGTERM');
    assert.match(out, /sandbox process\+signals — missing guarantees: no private \/tmp/);
    assert.equal(out.trim().split('\n').length, 1, 'one line');
  });

  it('refuses to bind a non-loopback address without credentials', () => {
    const r = hearthCliSync(['server', '--host', '0.0.0.0', '--port', '0', '--ephemeral']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /^hearth: Refusing to listen on 0\.0\.0\.0 without credentials/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });
});
