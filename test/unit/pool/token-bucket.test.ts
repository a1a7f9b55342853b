import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket } from '../../../src/pool/token-bucket.js';
import { FakeClock } from '../support/fake-clock.js';

test('a full bucket allows a burst of its size, then refuses', () => {
  const clock = new FakeClock();
  const bucket = new TokenBucket({ environments: 5, periodMs: 1000 }, clock);
  for (let i = 0; i < 5; i++) assert.equal(bucket.tryTake(), true, `token ${i}`);
  assert.equal(bucket.tryTake(), false);
});

test('tokens come back continuously, not in one step per period', () => {
  const clock = new FakeClock();
  const bucket = new TokenBucket({ environments: 10, periodMs: 1000 }, clock);
  for (let i = 0; i < 10; i++) bucket.tryTake();
  clock.advance(99);
  assert.equal(bucket.tryTake(), false, 'not yet one token after 99 ms at 10/s');
  clock.advance(1);
  assert.equal(bucket.tryTake(), true, 'one token after 100 ms');
  assert.equal(bucket.tryTake(), false);
  clock.advance(10_000);
  assert.equal(bucket.available, 10, 'never more than the bucket size');
});

test('giveBack returns a token taken for a start that did not happen', () => {
  const clock = new FakeClock();
  const bucket = new TokenBucket({ environments: 1, periodMs: 60_000 }, clock);
  assert.equal(bucket.tryTake(), true);
  assert.equal(bucket.tryTake(), false);
  bucket.giveBack();
  assert.equal(bucket.tryTake(), true);
});
