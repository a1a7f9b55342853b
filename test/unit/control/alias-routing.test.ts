import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from '../../../src/common/index.js';
import { routeAlias } from '../../../src/control/index.js';

const share = (alias: { functionVersion: string; weights: Record<string, number> }, version: string, picks: number, seed = 1) => {
  const random = seededRandom(seed);
  let hits = 0;
  for (let i = 0; i < picks; i++) if (routeAlias(alias, random) === version) hits++;
  return hits / picks;
};

test('an alias with AdditionalVersionWeights {2: 0.1} sends 10% ± 1.5 points of 10,000 picks to version 2', () => {
  for (const seed of [1, 2, 3, 42]) {
    const s = share({ functionVersion: '1', weights: { '2': 0.1 } }, '2', 10_000, seed);
    assert.ok(Math.abs(s - 0.1) <= 0.015, `seed ${seed}: version 2 got ${(s * 100).toFixed(2)}%`);
  }
});

test('the rest of the picks go to the alias’s own version', () => {
  const random = seededRandom(5);
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) seen.add(routeAlias({ functionVersion: '1', weights: { '2': 0.3 } }, random));
  assert.deepEqual([...seen].sort(), ['1', '2']);
});

test('without routing, or with weight 0, every pick is the alias’s version; weight 1 sends all to the other', () => {
  assert.equal(share({ functionVersion: '1', weights: {} }, '1', 1000), 1);
  assert.equal(share({ functionVersion: '$LATEST', weights: {} }, '$LATEST', 10), 1);
  assert.equal(share({ functionVersion: '1', weights: { '2': 0 } }, '1', 1000), 1);
  assert.equal(share({ functionVersion: '1', weights: { '2': 1 } }, '2', 1000), 1);
});

test('the pick follows the random source exactly: below the weight is the additional version', () => {
  const fixed = (x: number) => ({ next: () => x });
  const alias = { functionVersion: '3', weights: { '4': 0.25 } };
  assert.equal(routeAlias(alias, fixed(0)), '4');
  assert.equal(routeAlias(alias, fixed(0.2499)), '4');
  assert.equal(routeAlias(alias, fixed(0.25)), '3');
  assert.equal(routeAlias(alias, fixed(0.99)), '3');
});
