import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hearthCli } from '../support/cli.js';
import { type Hearth, startTestHearth } from '../support/hearth.js';

describe('KV store: native API and CLI', () => {
  let h: Hearth;
  before(async () => {
    h = await startTestHearth();
  });
  after(() => h.stop());

  const api = (method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
    fetch(`${h.url}/hearth/v1/kv/${path}`, { method, body, headers });

  it('puts, gets, lists, increments and deletes through the API', async () => {
    const created = await api('PUT', 'carts/u%2F1?ttl=60', JSON.stringify({ items: 2 }));
    assert.equal(created.status, 201);
    const item = (await created.json()) as { version: number; expiresAt: number; key: string };
    assert.equal(item.version, 1);
    assert.equal(item.key, 'u/1', 'a percent-encoded slash is part of the key');
    assert.ok(item.expiresAt > Date.now());
    const got = await api('GET', 'carts/u%2F1');
    assert.equal(got.headers.get('etag'), '"1"');
    assert.deepEqual(((await got.json()) as { value: unknown }).value, { items: 2 });
    assert.equal((await api('GET', 'carts/none')).status, 404);
    const incr = await api('POST', 'counters/hits/incr', JSON.stringify({ by: 3 }));
    assert.equal(((await incr.json()) as { value: number }).value, 3);
    const list = (await (await api('GET', 'carts?prefix=u%2F')).json()) as { Items: { key: string }[] };
    assert.deepEqual(list.Items.map((i) => i.key), ['u/1']);
    assert.deepEqual(await (await api('DELETE', 'carts/u%2F1')).json(), { Deleted: true });
    assert.equal((await api('GET', 'carts/u%2F1')).status, 404);
  });

  it('answers a failed condition with 409 ConditionalCheckFailedException and writes nothing', async () => {
    assert.equal((await api('PUT', 'c/k', '"a"', { 'if-none-match': '*' })).status, 201);
    const again = await api('PUT', 'c/k', '"b"', { 'if-none-match': '*' });
    assert.equal(again.status, 409);
    assert.equal(again.headers.get('x-amzn-errortype'), 'ConditionalCheckFailedException');
    const stale = await api('PUT', 'c/k', '"b"', { 'if-match': '7' });
    assert.equal(stale.status, 409);
    assert.match(((await stale.json()) as { message: string }).message, /at version 1, not at version 7/);
    assert.equal((await api('PUT', 'c/k', '"c"', { 'if-match': '1' })).status, 200);
    assert.deepEqual(((await (await api('GET', 'c/k')).json()) as { value: unknown; version: number }), { table: 'c', key: 'k', value: 'c', version: 2 });
    assert.equal((await api('PUT', 'c/k', 'not json')).status, 400);
    assert.equal((await api('PUT', 'c/k', '1', { 'if-match': 'abc' })).status, 400);
  });

  it('hearth kv put/get/incr/ls/rm, with one printed line per user error', async () => {
    const kv = (...args: string[]) => hearthCli(['kv', ...args], h.url);
    assert.deepEqual(await kv('put', 'cli', 'a', '{"n":1}'), { code: 0, stdout: 'version 1\n', stderr: '' });
    assert.equal((await kv('put', 'cli', 'a', '{"n":2}', '--if-version', '1')).stdout, 'version 2\n');
    const lost = await kv('put', 'cli', 'a', '{"n":3}', '--if-version', '1');
    assert.equal(lost.code, 2);
    assert.match(lost.stderr, /^hearth: ConditionalCheckFailedException: cli\/a is at version 2, not at version 1\.\n$/);
    const absent = await kv('put', 'cli', 'a', '1', '--if-absent');
    assert.equal(absent.code, 2);
    assert.equal(absent.stderr.split('\n').length, 2, 'one line');
    assert.equal((await kv('get', 'cli', 'a')).stdout, '{"n":2}\n');
    assert.match((await kv('put', 'cli', 't', '"x"', '--ttl', '60')).stdout, /^version 1 expires \d{4}-/);
    assert.equal((await kv('incr', 'cli', 'count', '--by', '5')).stdout, '5\n');
    assert.equal((await kv('incr', 'cli', 'count')).stdout, '6\n');
    assert.equal((await kv('ls', 'cli', '--prefix', 'c')).stdout, 'count\t2\t6\n');
    assert.equal((await kv('ls', 'cli')).stdout.split('\n').length, 4);
    assert.equal((await kv('rm', 'cli', 'a')).stdout, 'deleted\n');
    const missing = await kv('get', 'cli', 'a');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^hearth: ResourceNotFoundException: No item cli\/a\.\n$/);
    const notJson = await kv('put', 'cli', 'b', 'hello');
    assert.equal(notJson.code, 2);
    assert.match(notJson.stderr, /^hearth: the value must be JSON/);
    assert.equal((await kv('put', 'cli', 'b', '1', '--if-absent', '--if-version', '1')).stderr, 'hearth: use either --if-version or --if-absent, not both\n');
  });

  it('keeps items across a restart (durable)', async () => {
    const { startHearth } = await import('../../src/server/index.js');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'hearth-kv-'));
    try {
      const first = await startHearth({ port: 0, dataDir: dir, prewarm: 0 });
      first.kvTables.put('durable', 'k', { kept: true });
      await first.stop();
      const second = await startHearth({ port: 0, dataDir: dir, prewarm: 0 });
      assert.deepEqual(second.kvTables.get('durable', 'k')?.value, { kept: true });
      await second.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
