/**
 * Layers in running environments: merged in order under /opt (later layers win), found by
 * Node's and Python's module resolution, kept when the layer version is deleted, and
 * swapped (with a cold start) when a function's Layers change. Run with namespaces
 * (/opt is a read-only mount) and with the plain-process driver (NODE_PATH/PYTHONPATH).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { findPython } from '../../src/pool/index.js';
import { deploy, type Hearth, invoke, publishLayer, startTestHearth } from '../support/hearth.js';

const python = findPython();

async function call(h: Hearth, method: string, path: string, body?: unknown) {
  const res = await fetch(h.url + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

for (const sandbox of ['auto', 'process'] as const) {
  describe(`layers in environments (sandbox: ${sandbox})`, () => {
    let h: Hearth;
    before(async () => {
      h = await startTestHearth({ sandbox });
    });
    after(() => h.stop());

    it('a Node function requires a module from a layer, and the later of two layers wins', async () => {
      const first = await publishLayer(h, 'greet', {
        'nodejs/node_modules/greet/index.js': 'module.exports = (n) => `hello ${n}`;',
        'nodejs/node_modules/shared/who.js': `module.exports = 'first';`,
        'nodejs/node_modules/onlyfirst/index.js': `module.exports = 'kept';`,
      });
      const second = await publishLayer(h, 'override', { 'nodejs/node_modules/shared/who.js': `module.exports = 'second';` });
      const files = { 'index.js': `exports.handler = async () => ({ greeting: require('greet')('ada'), who: require('shared/who'), kept: require('onlyfirst') });` };
      await deploy(h, { name: 'node-layers', files, layers: [first, second] });
      const r = await invoke(h, 'node-layers');
      assert.equal(r.functionError, null, r.body);
      assert.deepEqual(r.json, { greeting: 'hello ada', who: 'second', kept: 'kept' });

      await deploy(h, { name: 'node-layers-reversed', files, layers: [second, first] });
      assert.deepEqual((await invoke(h, 'node-layers-reversed')).json, { greeting: 'hello ada', who: 'first', kept: 'kept' });
    });

    it('/opt holds the merged layers, read-only (namespaces only)', async (t) => {
      if (!h.driver.name.includes('namespaces')) return t.skip('no mount namespace: layers are not at /opt');
      const layer = await publishLayer(h, 'opt-files', { 'bin/tool': 'x', 'lib/data.txt': 'data' });
      await deploy(h, {
        name: 'opt-view',
        layers: [layer],
        files: {
          'index.js': `const fs = require('fs');
exports.handler = async () => {
  let write;
  try { fs.writeFileSync('/opt/new.txt', 'x'); write = 'ok'; } catch (e) { write = e.code; }
  return { top: fs.readdirSync('/opt').sort(), data: fs.readFileSync('/opt/lib/data.txt', 'utf8'), write, path: process.env.PATH };
};`,
        },
      });
      const r = await invoke(h, 'opt-view');
      assert.deepEqual(r.json, { top: ['bin', 'lib'], data: 'data', write: 'EROFS', path: '/usr/local/bin:/usr/bin:/bin:/opt/bin' });
    });

    it("a Python function imports from a layer's python/ folder", { skip: python ? false : 'python3 is not installed on this machine' }, async () => {
      const layer = await publishLayer(h, 'pylib', {
        'python/pylib.py': 'def hi():\n    return "hi from a layer"\n',
        [`python/lib/python${python!.version}/site-packages/sp.py`]: 'V = 2\n',
      });
      await deploy(h, {
        name: 'py-layers',
        runtime: `python${python!.version}`,
        handler: 'app.handler',
        layers: [layer],
        files: { 'app.py': 'import pylib\nimport sp\n\ndef handler(event, context):\n    return {"hi": pylib.hi(), "v": sp.V}\n' },
      });
      const r = await invoke(h, 'py-layers');
      assert.equal(r.functionError, null, r.body);
      assert.deepEqual(r.json, { hi: 'hi from a layer', v: 2 });
    });

    it('deleting a layer version does not break a function that uses it', async () => {
      const layer = await publishLayer(h, 'short-lived', { 'nodejs/node_modules/sl/index.js': `module.exports = 'still here';` });
      await deploy(h, { name: 'uses-deleted', layers: [layer], files: { 'index.js': `exports.handler = async () => require('sl');` } });
      assert.equal((await invoke(h, 'uses-deleted')).json, 'still here');
      assert.equal((await call(h, 'DELETE', '/2018-10-31/layers/short-lived/versions/1')).status, 204);
      // A configuration change retires the warm environment: the next one starts from the stored layers.
      assert.equal((await call(h, 'PUT', '/2015-03-31/functions/uses-deleted/configuration', { MemorySize: 256 })).status, 200);
      const r = await invoke(h, 'uses-deleted', {}, { log: true });
      assert.match(r.log!, /Init Duration/, 'a new environment');
      assert.equal(r.json, 'still here');
    });

    it("changing a function's Layers makes the next invoke cold and see the new content; versions keep theirs", async () => {
      const v1 = await publishLayer(h, 'counter', { 'nodejs/node_modules/counter/index.js': 'module.exports = 1;' });
      const v2 = await publishLayer(h, 'counter', { 'nodejs/node_modules/counter/index.js': 'module.exports = 2;' });
      await deploy(h, { name: 'layer-switch', layers: [v1], files: { 'index.js': `exports.handler = async () => require('counter');` } });
      assert.equal((await invoke(h, 'layer-switch')).json, 1);
      const warm = await invoke(h, 'layer-switch', {}, { log: true });
      assert.doesNotMatch(warm.log!, /Init Duration/);
      assert.equal((await call(h, 'POST', '/2015-03-31/functions/layer-switch/versions', {})).json.Version, '1');

      assert.equal((await call(h, 'PUT', '/2015-03-31/functions/layer-switch/configuration', { Layers: [v2] })).status, 200);
      const next = await invoke(h, 'layer-switch', {}, { log: true });
      assert.match(next.log!, /Init Duration/, 'cold start');
      assert.equal(next.json, 2);
      assert.equal((await invoke(h, 'layer-switch:1')).json, 1, 'version 1 runs its own layers');

      assert.equal((await call(h, 'PUT', '/2015-03-31/functions/layer-switch/configuration', { Layers: [] })).status, 200);
      const none = await invoke(h, 'layer-switch');
      assert.equal(none.functionError, 'Unhandled');
      assert.match(none.body, /Cannot find module 'counter'/);
    });
  });
}
