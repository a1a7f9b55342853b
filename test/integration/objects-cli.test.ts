/**
 * `hearth bucket` and `hearth obj` against a real server: create, list, put a file,
 * get it back byte for byte, list with folders, remove; S3 errors as one line.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hearthCli } from '../support/cli.js';
import { type Hearth, startTestHearth } from '../support/hearth.js';

describe('hearth bucket / hearth obj', () => {
  let h: Hearth;
  const dir = mkdtempSync(join(tmpdir(), 'hearth-obj-cli-'));
  before(async () => {
    h = await startTestHearth({ prewarm: 0 });
  });
  after(async () => {
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const cli = async (...args: string[]) => hearthCli(args, h.url);

  it('creates buckets, puts, lists, gets and removes objects', async () => {
    assert.equal((await cli('bucket', 'create', 'cli-bucket')).code, 0);
    const ls = await cli('bucket', 'ls');
    assert.match(ls.stdout, /^\d{4}-\d\d-\d\dT\S+Z {2}cli-bucket$/m);
    const file = join(dir, 'in.bin');
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) & 255));
    writeFileSync(file, bytes);
    const put = await cli('obj', 'put', 'cli-bucket/docs/a file.bin', file, '--content-type', 'application/x-test');
    assert.equal(put.code, 0, put.stderr);
    assert.match(put.stdout, /^"[0-9a-f]{32}"$/m);
    assert.equal((await cli('obj', 'put', 'cli-bucket/top.txt', file)).code, 0);
    const out = join(dir, 'out.bin');
    const get = await cli('obj', 'get', 'cli-bucket/docs/a file.bin', out);
    assert.equal(get.code, 0, get.stderr);
    assert.ok(readFileSync(out).equals(bytes));
    const top = await cli('obj', 'ls', 'cli-bucket');
    assert.match(top.stdout, /PRE\s+docs\/$/m);
    assert.match(top.stdout, /^\s+70000\s+\S+\s+top\.txt$/m);
    const deep = await cli('obj', 'ls', 'cli-bucket/docs/', '--recursive');
    assert.match(deep.stdout, /docs\/a file\.bin$/m);
    const notEmpty = await cli('bucket', 'rm', 'cli-bucket');
    assert.equal(notEmpty.code, 2);
    assert.equal(notEmpty.stderr.trim(), 'hearth: BucketNotEmpty: The bucket you tried to delete is not empty');
    assert.equal((await cli('obj', 'rm', 'cli-bucket/docs/a file.bin')).code, 0);
    assert.equal((await cli('obj', 'rm', 'cli-bucket/top.txt')).code, 0);
    assert.equal((await cli('bucket', 'rm', 'cli-bucket')).code, 0);
    const missing = await cli('obj', 'get', 'cli-bucket/x');
    assert.equal(missing.stderr.trim(), 'hearth: NoSuchBucket: The specified bucket does not exist');
  });
});
