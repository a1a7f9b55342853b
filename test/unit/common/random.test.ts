import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom, systemRandom } from '../../../src/common/index.js';

test('seededRandom repeats its sequence for a seed and stays in [0, 1)', () => {
  const a = seededRandom(7);
  const b = seededRandom(7);
  const c = seededRandom(8);
  const xs = Array.from({ length: 1000 }, () => a.next());
  assert.deepEqual(xs, Array.from({ length: 1000 }, () => b.next()));
  assert.notDeepEqual(xs.slice(0, 10), Array.from({ length: 10 }, () => c.next()));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.05, `mean ${mean}`);
});

test('systemRandom gives numbers in [0, 1)', () => {
  for (let i = 0; i < 100; i++) {
    const x = systemRandom.next();
    assert.ok(x >= 0 && x < 1);
  }
});
