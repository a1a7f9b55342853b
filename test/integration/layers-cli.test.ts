import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hearthCli, startServerProcess } from '../support/cli.js';

describe('hearth layer publish / ls / rm, deploy and config --layer', () => {
  let dir: string;
  const write = (rel: string, text: string) => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), text);
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'hearth-layers-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('publishes a folder as a layer and runs a function that uses it', async () => {
    const server = await startServerProcess(['--port', '0', '--ephemeral']);
    const cli = async (...args: string[]) => {
      const r = await hearthCli(args, server.url);
      assert.equal(r.code, 0, `hearth ${args.join(' ')}: ${r.stderr}`);
      return r.stdout;
    };
    try {
      write('layer/nodejs/node_modules/greet/index.js', 'module.exports = (n) => `hi ${n}`;');
      write('fn/index.js', `exports.handler = async () => { try { return require('greet')('cli'); } catch { return 'no layer'; } };`);
      const runtime = `nodejs${process.versions.node.split('.')[0]}.x`;
      const arn = (await cli('layer', 'publish', 'greet', join(dir, 'layer'), '--runtime', runtime, '--description', 'greetings')).trim();
      assert.equal(arn, 'arn:aws:lambda:us-east-1:000000000000:layer:greet:1');
      assert.equal((await cli('layer', 'publish', 'greet', join(dir, 'layer'))).trim(), 'arn:aws:lambda:us-east-1:000000000000:layer:greet:2');

      const listed = await cli('layer', 'ls');
      assert.match(listed, /^NAME\s+VERSION\s+RUNTIMES\s+CREATED\s+DESCRIPTION$/m);
      assert.match(listed, /^greet\s+2\s+-\s+\S+$/m);
      const versions = await cli('layer', 'ls', 'greet');
      assert.match(versions, new RegExp(`^greet\\s+2\\s+-[\\s\\S]*^greet\\s+1\\s+${runtime.replace('.', '\\.')}\\s+\\S+\\s+greetings$`, 'm'), 'newest first');

      await cli('deploy', join(dir, 'fn'), '--name', 'greeter', '--layer', arn);
      assert.equal(JSON.parse(await cli('invoke', 'greeter')), 'hi cli');
      assert.match(await cli('config', 'greeter', '--no-layers'), /^updated greeter: 128 MB, 3 s, handler index\.handler\n$/);
      assert.equal(JSON.parse(await cli('invoke', 'greeter')), 'no layer');
      assert.match(await cli('config', 'greeter', '--layer', arn), /, layers greet:1\n$/);
      assert.equal(JSON.parse(await cli('invoke', 'greeter')), 'hi cli');

      assert.equal(await cli('layer', 'rm', 'greet', '1'), 'deleted greet:1\n');
      assert.doesNotMatch(await cli('layer', 'ls', 'greet'), /^greet\s+1\s/m);
      const missing = await hearthCli(['config', 'greeter', '--layer', arn], server.url);
      assert.match(missing.stderr, /^hearth: InvalidParameterValueException: Layer version .*:layer:greet:1 does not exist\.\n$/);
      const unreadable = await hearthCli(['layer', 'publish', 'x', join(dir, 'nope')], server.url);
      assert.match(unreadable.stderr, /^hearth: cannot read /);
    } finally {
      await server.kill();
    }
  });
});
