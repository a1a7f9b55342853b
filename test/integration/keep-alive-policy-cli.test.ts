import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hearthCli, hearthCliSync, startServerProcess } from '../support/cli.js';

describe('hearth server --keep-alive-policy', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hearth-keepalive-'));
    mkdirSync(join(dir, 'fn'));
    writeFileSync(join(dir, 'fn', 'index.js'), 'exports.handler = async () => ({ ok: true });');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs with the adaptive policy: functions deploy and answer, the second call warm', async () => {
    const server = await startServerProcess(['--port', '0', '--ephemeral', '--keep-alive-policy', 'adaptive']);
    try {
      const deploy = await hearthCli(['deploy', join(dir, 'fn'), '--name', 'ka'], server.url);
      assert.equal(deploy.code, 0, deploy.stderr);
      for (const expectInit of [true, false]) {
        const inv = await hearthCli(['invoke', 'ka', '--log'], server.url);
        assert.equal(inv.code, 0, inv.stderr);
        assert.deepEqual(JSON.parse(inv.stdout), { ok: true });
        assert.equal(/Init Duration/.test(inv.stderr), expectInit, inv.stderr);
      }
    } finally {
      await server.kill();
    }
  });

  it('refuses an unknown policy in one line, before starting anything', () => {
    const r = hearthCliSync(['server', '--port', '0', '--ephemeral', '--keep-alive-policy', 'lru']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /^hearth: Unknown keep-alive policy "lru" \(use fixed or adaptive\)\.\n$/);
  });
});
