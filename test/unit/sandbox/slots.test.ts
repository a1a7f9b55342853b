import assert from 'node:assert/strict';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Slots } from '../../../src/sandbox/slots.js';

describe('Slots', () => {
  const root = mkdtempSync(join(tmpdir(), 'hearth-slots-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('fills a slot with hard links of a tree, keeping folders, modes and symlinks', () => {
    const src = join(root, 'code');
    mkdirSync(join(src, 'lib', 'deep'), { recursive: true });
    writeFileSync(join(src, 'index.js'), 'exports.handler = 1;');
    writeFileSync(join(src, 'lib', 'deep', 'x.txt'), 'x');
    writeFileSync(join(src, 'bootstrap'), '#!/bin/sh');
    chmodSync(join(src, 'bootstrap'), 0o755);
    chmodSync(join(src, 'lib'), 0o750);
    symlinkSync('lib/deep/x.txt', join(src, 'link'));

    const slots = new Slots(join(root, 'slots'));
    slots.reset();
    assert.equal(slots.entries(src), 6);
    const slot = slots.create('env1');
    slots.fill(slot.task, src);

    assert.equal(readFileSync(join(slot.task, 'index.js'), 'utf8'), 'exports.handler = 1;');
    assert.equal(lstatSync(join(slot.task, 'index.js')).ino, lstatSync(join(src, 'index.js')).ino, 'a hard link, not a copy');
    assert.equal(lstatSync(join(slot.task, 'bootstrap')).mode & 0o777, 0o755);
    assert.equal(lstatSync(join(slot.task, 'lib')).mode & 0o777, 0o750);
    assert.equal(readFileSync(join(slot.task, 'lib', 'deep', 'x.txt'), 'utf8'), 'x');
    assert.equal(readlinkSync(join(slot.task, 'link')), 'lib/deep/x.txt');
    assert.ok(existsSync(slot.opt));

    slots.remove('env1');
    assert.equal(existsSync(join(root, 'slots', 'env1')), false);
    assert.equal(readFileSync(join(src, 'index.js'), 'utf8'), 'exports.handler = 1;', 'the original stays');
  });

  it('reset removes slots left by an earlier server', () => {
    const slots = new Slots(join(root, 'slots2'));
    slots.reset();
    slots.create('old');
    new Slots(join(root, 'slots2')).reset();
    assert.equal(existsSync(join(root, 'slots2', 'old')), false);
  });
});
