import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ECHO } from '../support/gateway.js';
import { hearthCli } from '../support/cli.js';
import { deploy, type Hearth, startTestHearth } from '../support/hearth.js';

describe('hearth route', () => {
  let h: Hearth;
  before(async () => {
    h = await startTestHearth();
    await deploy(h, { name: 'echo', files: { 'index.js': ECHO } });
  });
  after(() => h.stop());

  it('adds, lists and removes routes', async () => {
    const add = await hearthCli(['route', 'add', 'GET', '/users/{id}', 'echo'], h.url);
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /added route \w+: GET \/users\/\{id\} → echo/);
    assert.ok(add.stdout.includes(h.gatewayUrl));
    const res = await fetch(`${h.gatewayUrl}/users/5`);
    assert.deepEqual(((await res.json()) as { pathParameters: unknown }).pathParameters, { id: '5' });

    const ls = await hearthCli(['route', 'ls'], h.url);
    assert.equal(ls.code, 0);
    assert.match(ls.stdout, /GET \/users\/\{id\}\s+→ echo/);

    const rm = await hearthCli(['route', 'rm', 'GET', '/users/{id}'], h.url);
    assert.equal(rm.code, 0, rm.stderr);
    assert.equal((await fetch(`${h.gatewayUrl}/users/5`)).status, 404);
    assert.match((await hearthCli(['route', 'ls'], h.url)).stdout, /no routes/);
  });

  it('prints one line for a user error', async () => {
    const bad = await hearthCli(['route', 'add', 'GET', '/x', 'nobody'], h.url);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr.trim().split('\n').length, 1);
    assert.match(bad.stderr, /^hearth: ResourceNotFoundException: Function not found/);
    const rm = await hearthCli(['route', 'rm', 'nope'], h.url);
    assert.equal(rm.code, 2);
    assert.match(rm.stderr, /No route nope/);
  });
});

describe('routes and function URLs survive a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hearth-routes-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves the same route after the server restarts', async () => {
    const first = await startTestHearth({ ephemeral: false, dataDir });
    await deploy(first, { name: 'echo', files: { 'index.js': ECHO } });
    await fetch(`${first.url}/hearth/v1/routes`, { method: 'POST', body: JSON.stringify({ RouteKey: 'GET /kept', Target: 'echo' }) });
    await fetch(`${first.url}/2021-10-31/functions/echo/url`, { method: 'POST', body: JSON.stringify({ AuthType: 'NONE' }) });
    await first.stop();
    const second = await startTestHearth({ ephemeral: false, dataDir });
    try {
      const res = await fetch(`${second.gatewayUrl}/kept`);
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { routeKey: string }).routeKey, 'GET /kept');
      assert.equal((await fetch(`${second.gatewayUrl}/lambda-url/echo/`)).status, 200);
    } finally {
      await second.stop();
    }
  });
});
