import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pageByMarker } from '../../../src/api/lambda/deps.js';

const items = ['a', 'b', 'c', 'd', 'e'];
const page = (q: string) => pageByMarker(items, (x) => x, new URLSearchParams(q), 2, 3);

test('pages with MaxItems and the previous page\'s last key as Marker', () => {
  assert.deepEqual(page(''), { page: ['a', 'b'], nextMarker: 'b' });
  assert.deepEqual(page('Marker=b'), { page: ['c', 'd'], nextMarker: 'd' });
  assert.deepEqual(page('Marker=d'), { page: ['e'] });
  assert.deepEqual(page('MaxItems=3'), { page: ['a', 'b', 'c'], nextMarker: 'c' });
});

test('refuses MaxItems outside its range', () => {
  assert.throws(() => page('MaxItems=4'), /MaxItems must be an integer between 1 and 3/);
  assert.throws(() => page('MaxItems=0'), /MaxItems/);
});
