import assert from 'node:assert/strict';
import { test } from 'node:test';
import { availableRuntimes, findPython, pythonReadOnlyPaths } from '../../../src/pool/runtimes.js';

test('pythonReadOnlyPaths: nothing to add for a system python under /usr', () => {
  assert.deepEqual(pythonReadOnlyPaths({ executable: '/usr/bin/python3', version: '3.11', prefixes: ['/usr'] }), []);
  assert.deepEqual(pythonReadOnlyPaths({ executable: '/usr/local/bin/python3', version: '3.12', prefixes: ['/usr/local'] }), []);
});

test('pythonReadOnlyPaths: an interpreter installed elsewhere brings its prefix, once', () => {
  const pyenv = '/nonexistent/.pyenv/versions/3.11.7';
  assert.deepEqual(pythonReadOnlyPaths({ executable: `${pyenv}/bin/python3`, version: '3.11', prefixes: [pyenv] }), [pyenv]);
  // A virtualenv inside another prefix is covered by that prefix's bind.
  assert.deepEqual(
    pythonReadOnlyPaths({ executable: `${pyenv}/envs/app/bin/python3`, version: '3.11', prefixes: [`${pyenv}/envs/app`, pyenv] }),
    [pyenv],
  );
  // Never the whole filesystem.
  assert.deepEqual(pythonReadOnlyPaths({ executable: '/bin/python3', version: '3.11', prefixes: ['/'] }), []);
});

test('availableRuntimes offers python3.N exactly when python3 is installed', () => {
  const py = findPython();
  const ids = [...availableRuntimes().keys()];
  const pythons = ids.filter((id) => id.startsWith('python'));
  if (!py) return assert.deepEqual(pythons, []);
  assert.deepEqual(pythons, [`python${py.version}`]);
  assert.match(pythons[0]!, /^python3\.\d+$/);
});

test('runtimes find layers at /opt, or where the driver says they are', () => {
  const runtimes = availableRuntimes();
  const node = [...runtimes].find(([id]) => id.startsWith('nodejs'))?.[1];
  assert.ok(node);
  assert.match(node.env('/var/task', '/var/runtime', '/opt').NODE_PATH!, /^\/opt\/nodejs\/node\d+\/node_modules:\/opt\/nodejs\/node_modules:/);
  assert.match(node.env('/t', '/r', '/data/opt/abc').NODE_PATH!, /^\/data\/opt\/abc\/nodejs\/node\d+\/node_modules:\/data\/opt\/abc\/nodejs\/node_modules:/);
  const py = findPython();
  const python = py && runtimes.get(`python${py.version}`);
  if (!python) return;
  assert.equal(python.env('/var/task', '/var/runtime', '/opt').PYTHONPATH, undefined, 'the bootstrap adds /opt/python itself');
  assert.equal(python.env('/t', '/r', '/data/opt/abc').PYTHONPATH, `/data/opt/abc/python/lib/python${py.version}/site-packages:/data/opt/abc/python`);
});

test('availableRuntimes always offers the custom runtimes, driven through the Runtime API', () => {
  const runtimes = availableRuntimes();
  for (const id of ['provided.al2023', 'provided']) {
    const r = runtimes.get(id);
    assert.ok(r, id);
    assert.equal(r.runtimeApi, true);
    // /var/task/bootstrap first, then /opt/bootstrap only where the function has layers.
    assert.deepEqual(r.command('/var/runtime', 128, false, { taskRoot: '/var/task', optRoot: '/opt' }).slice(3), ['bootstrap', '/var/task/bootstrap', '/opt/bootstrap']);
    assert.deepEqual(r.command('/var/runtime', 128, false, { taskRoot: '/var/task' }).slice(3), ['bootstrap', '/var/task/bootstrap']);
  }
  assert.equal(runtimes.get(`nodejs${process.versions.node.split('.')[0]}.x`)?.runtimeApi, undefined, 'Node keeps its private channel');
});

test("a custom runtime's launcher failures are Runtime.InvalidEntrypoint; the bootstrap's own exits are not", () => {
  const runtimes = availableRuntimes();
  const readExit = runtimes.get('provided.al2023')?.initExitError;
  assert.ok(readExit);
  assert.deepEqual(readExit(127, "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]\n"), {
    errorType: 'Runtime.InvalidEntrypoint',
    errorMessage: "Error: Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]",
  });
  assert.deepEqual(readExit(127, 'bootstrap: 1: exec: /var/task/bootstrap: not found\n'), {
    errorType: 'Runtime.InvalidEntrypoint',
    errorMessage: 'Error: fork/exec /var/task/bootstrap: no such file or directory',
  });
  assert.equal(readExit(126, 'bootstrap: 1: exec: /opt/bootstrap: Exec format error\n')?.errorMessage, 'Error: fork/exec /opt/bootstrap: exec format error');
  // Once exec'd, the bootstrap is $0 by its full path: a command it cannot find is its own failure.
  assert.equal(readExit(127, '/var/task/bootstrap: 3: jq: not found\n'), undefined);
  assert.equal(readExit(1, "Couldn't find valid bootstrap(s): [/var/task/bootstrap]\n"), undefined);
  assert.equal(readExit(null, ''), undefined);
  assert.equal(runtimes.get(`nodejs${process.versions.node.split('.')[0]}.x`)?.initExitError, undefined);
});
