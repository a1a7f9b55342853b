import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildMerged, mergedName } from '../../../src/control/layer-merge.js';

/** Writes `{ path: content }` under a new folder; content `->x` makes a symlink to x, `/` ending a path a directory. */
async function tree(root: string, files: Record<string, string>): Promise<string> {
  for (const [rel, content] of Object.entries(files)) {
    const p = path.join(root, rel);
    if (rel.endsWith('/')) {
      await fs.mkdir(p, { recursive: true });
      continue;
    }
    await fs.mkdir(path.dirname(p), { recursive: true });
    if (content.startsWith('->')) await fs.symlink(content.slice(2), p);
    else await fs.writeFile(p, content, { mode: rel.endsWith('.sh') ? 0o755 : 0o644 });
  }
  return root;
}

async function withTmp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'layer-merge-'));
  try {
    await fn(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

test('mergedName depends on the layers and their order', () => {
  assert.match(mergedName(['a', 'b']), /^[0-9a-f]{64}$/);
  assert.equal(mergedName(['a', 'b']), mergedName(['a', 'b']));
  assert.notEqual(mergedName(['a', 'b']), mergedName(['b', 'a']));
  assert.notEqual(mergedName(['ab']), mergedName(['a', 'b']));
});

test('later layers win on a shared path; the rest of each layer stays', () =>
  withTmp(async (dir) => {
    const one = await tree(path.join(dir, 'one'), { 'nodejs/node_modules/m/index.js': 'one', 'nodejs/node_modules/only1.js': '1', 'bin/run.sh': '#!/bin/sh' });
    const two = await tree(path.join(dir, 'two'), { 'nodejs/node_modules/m/index.js': 'two', 'python/p.py': 'p' });
    const dest = path.join(dir, 'opt', 'merged');
    await buildMerged(dest, [one, two]);
    assert.equal(await fs.readFile(path.join(dest, 'nodejs/node_modules/m/index.js'), 'utf8'), 'two');
    assert.equal(await fs.readFile(path.join(dest, 'nodejs/node_modules/only1.js'), 'utf8'), '1');
    assert.equal(await fs.readFile(path.join(dest, 'python/p.py'), 'utf8'), 'p');
    assert.equal((await fs.stat(path.join(dest, 'bin/run.sh'))).mode & 0o777, 0o755, 'modes are kept');
    // Hard links: the same inode as the unpacked layer's file, no copy.
    const [a, b] = await Promise.all([fs.stat(path.join(dest, 'python/p.py')), fs.stat(path.join(two, 'python/p.py'))]);
    assert.equal(a.ino, b.ino);
    // The sources are untouched.
    assert.equal(await fs.readFile(path.join(one, 'nodejs/node_modules/m/index.js'), 'utf8'), 'one');
    assert.deepEqual((await fs.readdir(path.dirname(dest))).sort(), ['merged'], 'no temporary folder is left');
  }));

test('a later file replaces an earlier directory and the reverse; symlinks are copied as links', () =>
  withTmp(async (dir) => {
    const one = await tree(path.join(dir, 'one'), { 'x/inner.txt': 'dir', 'y': 'file', 'link': '->x' });
    const two = await tree(path.join(dir, 'two'), { 'x': 'now a file', 'y/inner.txt': 'now a dir', 'z/': '' });
    const dest = path.join(dir, 'merged');
    await buildMerged(dest, [one, two]);
    assert.equal(await fs.readFile(path.join(dest, 'x'), 'utf8'), 'now a file');
    assert.equal(await fs.readFile(path.join(dest, 'y/inner.txt'), 'utf8'), 'now a dir');
    assert.equal(await fs.readlink(path.join(dest, 'link')), 'x');
    assert.ok((await fs.stat(path.join(dest, 'z'))).isDirectory(), 'empty directories are kept');
  }));

test('an existing merged folder is left as it is (content-addressed, built once)', () =>
  withTmp(async (dir) => {
    const one = await tree(path.join(dir, 'one'), { 'a.txt': 'a' });
    const dest = path.join(dir, 'merged');
    await buildMerged(dest, [one]);
    await fs.writeFile(path.join(one, 'b.txt'), 'b');
    await buildMerged(dest, [one]);
    assert.deepEqual(await fs.readdir(dest), ['a.txt']);
    // Concurrent builds of the same folder both succeed.
    const other = path.join(dir, 'merged2');
    await Promise.all([buildMerged(other, [one]), buildMerged(other, [one]), buildMerged(other, [one])]);
    assert.deepEqual((await fs.readdir(other)).sort(), ['a.txt', 'b.txt']);
  }));
