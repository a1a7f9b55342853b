import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hearthCli, startServerProcess } from '../support/cli.js';

describe('hearth publish, alias and invoke NAME:QUALIFIER', () => {
  let dir: string;
  const write = (tag: string) =>
    writeFileSync(join(dir, 'fn', 'index.js'), `exports.handler = async (e, ctx) => ({ tag: ${JSON.stringify(tag)}, version: ctx.functionVersion, arn: ctx.invokedFunctionArn });`);
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hearth-versions-cli-'));
    mkdirSync(join(dir, 'fn'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('publishes versions, points an alias at them with a weight, and invokes through it', async () => {
    const server = await startServerProcess(['--port', '0', '--ephemeral']);
    const cli = async (...args: string[]) => {
      const r = await hearthCli(args, server.url);
      assert.equal(r.code, 0, `hearth ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    };
    const invoke = async (ref: string) => JSON.parse(await cli('invoke', ref)) as { tag: string; version: string; arn: string };
    try {
      write('A');
      await cli('deploy', join(dir, 'fn'), '--name', 'canary');
      assert.equal(await cli('publish', 'canary', '--description', 'first'), '1\n');
      assert.equal(await cli('publish', 'canary'), '1\n', 'nothing changed: the same version');
      write('B');
      await cli('deploy', join(dir, 'fn'), '--name', 'canary');
      assert.equal(await cli('publish', 'canary'), '2\n');

      assert.match(await cli('alias', 'canary', 'live', '1', '--description', 'prod'), /^created alias live → 1\n$/);
      const viaAlias = await invoke('canary:live');
      assert.deepEqual(viaAlias, { tag: 'A', version: '1', arn: 'arn:aws:lambda:us-east-1:000000000000:function:canary:live' });
      assert.equal((await invoke('canary:2')).tag, 'B');
      assert.equal((await invoke('canary:1')).tag, 'A');
      assert.equal((await invoke('canary')).version, '$LATEST');

      assert.match(await cli('alias', 'canary', 'live', '1', '--weight', '2=0.5'), /^updated alias live → 1 \(version 2 gets 50%\)\n$/);
      const tags = new Set<string>();
      for (let i = 0; i < 20 && tags.size < 2; i++) tags.add((await invoke('canary:live')).tag);
      assert.deepEqual([...tags].sort(), ['A', 'B'], 'both versions serve the alias');
      assert.match(await cli('alias', 'canary', 'live', '2'), /^updated alias live → 2\n$/, 'no --weight removes the routing');
      assert.equal((await invoke('canary:live')).tag, 'B');

      const listed = await cli('versions', 'canary');
      assert.match(listed, /^\$LATEST\s/m);
      assert.match(listed, /^1\s+\S+\s+first$/m);
      assert.match(listed, /^2\s/m);
      assert.match(listed, /^alias live → 2$/m);

      const refused = await hearthCli(['rm', 'canary:2'], server.url);
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, /^hearth: ResourceConflictException: Unable to delete version because the following aliases reference it: \[live\]\n$/);
      const badWeight = await hearthCli(['alias', 'canary', 'live', '1', '--weight', '2=3'], server.url);
      assert.match(badWeight.stderr, /^hearth: --weight expects VERSION=WEIGHT/);
      const missing = await hearthCli(['invoke', 'canary:9'], server.url);
      assert.match(missing.stderr, /^hearth: ResourceNotFoundException: Function not found: .*:function:canary:9\n$/);
      await cli('rm', 'canary:1');
      assert.doesNotMatch(await cli('versions', 'canary'), /^1\s/m);
    } finally {
      await server.kill();
    }
  });
});
