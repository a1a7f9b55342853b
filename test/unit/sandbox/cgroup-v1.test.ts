import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CgroupV1, CPU_PERIOD_US, MB_PER_CPU, PIDS_MAX } from '../../../src/sandbox/cgroup-v1.js';

/** A plain directory standing in for /sys/fs/cgroup (files are regular files, not kernel knobs). */
function withRoot(fn: (root: string) => void): void {
  const root = mkdtempSync(join(tmpdir(), 'hearth-cg-'));
  try {
    fn(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const read = (...p: string[]) => readFileSync(join(...p), 'utf8');

test('constants: Lambda’s CPU share and process limit', () => {
  assert.equal(MB_PER_CPU, 1769);
  assert.equal(CPU_PERIOD_US, 100_000);
  assert.equal(PIDS_MAX, 1024);
});

test('groups live under <controller>/hearth/srv-<pid>/<env>', () => {
  const cg = new CgroupV1('/cg');
  assert.equal(cg.serverGroup, `srv-${process.pid}`);
  assert.equal(cg.dir('memory', 'e1'), `/cg/memory/hearth/srv-${process.pid}/e1`);
});

test('create writes the memory cap and pids limit and returns every cgroup.procs file', () => {
  withRoot((root) => {
    const cg = new CgroupV1(root);
    const procs = cg.create('env1', 256);
    assert.deepEqual(
      procs,
      ['memory', 'cpu', 'freezer', 'pids'].map((c) => join(root, c, 'hearth', cg.serverGroup, 'env1', 'cgroup.procs')),
    );
    assert.equal(read(cg.dir('memory', 'env1'), 'memory.limit_in_bytes'), String(256 * 1024 * 1024));
    assert.equal(read(cg.dir('pids', 'env1'), 'pids.max'), '1024');
  });
});

test('limitCpu: quota is memory/1769 of one CPU, at least 1 ms per period', () => {
  withRoot((root) => {
    const cg = new CgroupV1(root);
    cg.create('e', 128);
    cg.limitCpu('e', 1769);
    assert.equal(read(cg.dir('cpu', 'e'), 'cpu.cfs_period_us'), '100000');
    assert.equal(read(cg.dir('cpu', 'e'), 'cpu.cfs_quota_us'), '100000');
    cg.limitCpu('e', 128);
    assert.equal(read(cg.dir('cpu', 'e'), 'cpu.cfs_quota_us'), String(Math.round((128 / 1769) * 100_000)));
    cg.limitCpu('e', 10240);
    assert.equal(read(cg.dir('cpu', 'e'), 'cpu.cfs_quota_us'), String(Math.round((10240 / 1769) * 100_000)));
    cg.limitCpu('e', 1);
    assert.equal(read(cg.dir('cpu', 'e'), 'cpu.cfs_quota_us'), '1000');
  });
});

test('setFrozen writes FROZEN / THAWED', () => {
  withRoot((root) => {
    const cg = new CgroupV1(root);
    cg.create('e', 128);
    cg.setFrozen('e', true);
    assert.equal(read(cg.dir('freezer', 'e'), 'freezer.state'), 'FROZEN');
    cg.setFrozen('e', false);
    assert.equal(read(cg.dir('freezer', 'e'), 'freezer.state'), 'THAWED');
  });
});

test('pids and oomKills parse the kernel files, and default when absent', () => {
  withRoot((root) => {
    const cg = new CgroupV1(root);
    assert.deepEqual(cg.pids('missing'), []);
    assert.equal(cg.oomKills('missing'), 0);
    cg.create('e', 128);
    writeFileSync(join(cg.dir('memory', 'e'), 'cgroup.procs'), '12\n345\n');
    assert.deepEqual(cg.pids('e'), [12, 345]);
    writeFileSync(join(cg.dir('memory', 'e'), 'memory.oom_control'), 'oom_kill_disable 0\nunder_oom 0\noom_kill 2\n');
    assert.equal(cg.oomKills('e'), 2);
    writeFileSync(join(cg.dir('memory', 'e'), 'memory.oom_control'), 'oom_kill_disable 0\nunder_oom 0\n');
    assert.equal(cg.oomKills('e'), 0);
  });
});

test('usable is true for a writable hierarchy and false otherwise', () => {
  withRoot((root) => {
    assert.equal(CgroupV1.usable(root), true);
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    assert.equal(CgroupV1.usable(file), false);
  });
});

test('sweep removes (empty) groups of dead servers and keeps its own and live servers’ groups', () => {
  withRoot((root) => {
    const cg = new CgroupV1(root);
    const dead = 'srv-99999999'; // above any pid_max
    const live = `srv-${process.ppid}`;
    for (const c of ['memory', 'cpu', 'freezer', 'pids']) {
      mkdirSync(join(root, c, 'hearth', dead, 'old-env'), { recursive: true });
      mkdirSync(join(root, c, 'hearth', live, 'other-env'), { recursive: true });
      mkdirSync(join(root, c, 'hearth', cg.serverGroup, 'mine'), { recursive: true });
    }
    cg.sweep();
    // The freezer group is thawed first so its processes can die. (On cgroupfs that file is a
    // kernel knob and rmdir succeeds; in this plain directory the written file keeps it.)
    assert.equal(read(root, 'freezer', 'hearth', dead, 'old-env', 'freezer.state'), 'THAWED');
    for (const c of ['memory', 'cpu', 'pids']) {
      assert.equal(existsSync(join(root, c, 'hearth', dead)), false, `${c}: dead server's group removed`);
    }
    for (const c of ['memory', 'cpu', 'freezer', 'pids']) {
      assert.equal(existsSync(join(root, c, 'hearth', live, 'other-env')), true, `${c}: live server's group kept`);
      assert.equal(existsSync(join(root, c, 'hearth', cg.serverGroup, 'mine')), true, `${c}: own group kept`);
    }
  });
});
