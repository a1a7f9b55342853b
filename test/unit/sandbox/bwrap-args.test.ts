import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bwrapArgs, RUNTIME_ROOT, TASK_ROOT } from '../../../src/sandbox/bwrap-args.js';

const args = (patch: Partial<Parameters<typeof bwrapArgs>[0]> = {}) =>
  bwrapArgs({ codeDir: '/data/code/abc', runtimeDir: '/opt/hearth/rt/node', ephemeralStorageMb: 512, extraReadOnly: [], ...patch });

/** Index of the first occurrence of `seq` as consecutive elements of `list`, or -1. */
function indexOfSeq(list: string[], seq: string[]): number {
  for (let i = 0; i + seq.length <= list.length; i++) {
    if (seq.every((s, j) => list[i + j] === s)) return i;
  }
  return -1;
}

test('roots are Lambda’s: /var/task and /var/runtime', () => {
  assert.equal(TASK_ROOT, '/var/task');
  assert.equal(RUNTIME_ROOT, '/var/runtime');
});

test('own PID and IPC namespaces, dies with the parent', () => {
  const a = args();
  for (const flag of ['--unshare-pid', '--unshare-ipc', '--die-with-parent']) assert.ok(a.includes(flag), flag);
});

test('the network namespace stays shared', () => {
  const a = args();
  assert.ok(!a.includes('--unshare-net'));
  assert.ok(!a.includes('--unshare-all'), '--unshare-all would unshare the network too');
});

test('code is mounted read-only at /var/task and the runtime at /var/runtime', () => {
  const a = args();
  assert.ok(indexOfSeq(a, ['--ro-bind', '/data/code/abc', '/var/task']) >= 0);
  assert.ok(indexOfSeq(a, ['--ro-bind', '/opt/hearth/rt/node', '/var/runtime']) >= 0);
  assert.equal(indexOfSeq(a, ['--bind', '/data/code/abc', '/var/task']), -1, 'never writable');
  assert.ok(indexOfSeq(a, ['--chdir', '/var/task']) >= 0);
});

test('/tmp is a tmpfs sized to the ephemeral storage, --size immediately before --tmpfs /tmp', () => {
  for (const mb of [512, 1024, 10240]) {
    const a = args({ ephemeralStorageMb: mb });
    const at = indexOfSeq(a, ['--tmpfs', '/tmp']);
    assert.ok(at >= 2, `--tmpfs /tmp present (${mb} MB)`);
    assert.equal(a[at - 2], '--size');
    assert.equal(a[at - 1], String(mb * 1024 * 1024));
    assert.equal(a.filter((x) => x === '--tmpfs').length, 1);
  }
});

test('proc and dev are fresh mounts', () => {
  const a = args();
  assert.ok(indexOfSeq(a, ['--proc', '/proc']) >= 0);
  assert.ok(indexOfSeq(a, ['--dev', '/dev']) >= 0);
});

test('extra read-only paths are bound only when they exist', () => {
  const a = args({ extraReadOnly: ['/etc', '/definitely/not/here'] });
  assert.ok(indexOfSeq(a, ['--ro-bind', '/etc', '/etc']) >= 0);
  assert.ok(!a.includes('/definitely/not/here'));
});

test('no host path is bound writable', () => {
  assert.ok(!args().includes('--bind'));
  assert.ok(!args().includes('--dev-bind'));
});

test('layers are mounted read-only at /opt, and only when there are any', () => {
  assert.ok(!args().includes('/opt'), 'no /opt without layers');
  const a = args({ optDir: '/data/opt/123' });
  assert.ok(indexOfSeq(a, ['--ro-bind', '/data/opt/123', '/opt']) >= 0);
  assert.equal(indexOfSeq(a, ['--bind', '/data/opt/123', '/opt']), -1, 'never writable');
});
