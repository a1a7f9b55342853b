import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FsBlobs } from '../../../src/store/fs-blobs.js';

function withBlobs(fn: (blobs: FsBlobs, dir: string) => void): void {
  const root = mkdtempSync(join(tmpdir(), 'hearth-blobs-'));
  try {
    fn(new FsBlobs(join(root, 'nested', 'blobs')), join(root, 'nested', 'blobs'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

test('put returns the sha256 hex of the bytes and stores them at path(sha)', () => {
  withBlobs((blobs, dir) => {
    const bytes = Buffer.from('hello hearth');
    const id = blobs.put(bytes);
    assert.equal(id, sha(bytes));
    assert.match(id, /^[0-9a-f]{64}$/);
    assert.equal(blobs.path(id), join(dir, id));
    assert.deepEqual(readFileSync(blobs.path(id)), bytes);
    assert.equal(blobs.has(id), true);
  });
});

test('put of the empty blob works (known sha256 of "")', () => {
  withBlobs((blobs) => {
    const id = blobs.put(new Uint8Array());
    assert.equal(id, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(readFileSync(blobs.path(id)).length, 0);
  });
});

test('put is idempotent: same bytes, same sha, one file, no temp files left', () => {
  withBlobs((blobs, dir) => {
    const bytes = Buffer.from([0, 1, 2, 3, 255]);
    const a = blobs.put(bytes);
    const mtime = statSync(blobs.path(a)).mtimeMs;
    const b = blobs.put(Buffer.from(bytes));
    assert.equal(a, b);
    assert.equal(statSync(blobs.path(a)).mtimeMs, mtime, 'existing blob not rewritten');
    assert.deepEqual(readdirSync(dir), [a]);
    const c = blobs.put(Buffer.from('other'));
    assert.notEqual(c, a);
    assert.deepEqual(readdirSync(dir).sort(), [a, c].sort());
  });
});

test('has is false for unknown blobs; delete removes and tolerates absence', () => {
  withBlobs((blobs) => {
    const id = blobs.put(Buffer.from('x'));
    assert.equal(blobs.has('0'.repeat(64)), false);
    blobs.delete(id);
    assert.equal(blobs.has(id), false);
    blobs.delete(id);
  });
});

test('path rejects anything that is not a lowercase 64-hex sha256', () => {
  withBlobs((blobs, dir) => {
    const good = 'a'.repeat(64);
    assert.equal(dirname(blobs.path(good)), dir);
    for (const bad of [
      '',
      'abc',
      'a'.repeat(63),
      'a'.repeat(65),
      'A'.repeat(64),
      'g'.repeat(64),
      `../${'a'.repeat(61)}`,
      '../../etc/passwd',
      `${'a'.repeat(64)}/`,
      `${'a'.repeat(64)}\n`,
    ]) {
      assert.throws(() => blobs.path(bad), /not a sha256/, JSON.stringify(bad));
      assert.throws(() => blobs.delete(bad), /not a sha256/, JSON.stringify(bad));
    }
  });
});
