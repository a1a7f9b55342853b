import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../bench/keepalive/virtual-clock.js';

test('VirtualClock fires timers in time order, ties in arming order, and moves now() to each', () => {
  const clock = new VirtualClock(1000);
  const fired: string[] = [];
  clock.setTimer(300, () => fired.push(`c@${clock.now()}`));
  clock.setTimer(100, () => fired.push(`a@${clock.now()}`));
  clock.setTimer(100, () => fired.push(`b@${clock.now()}`));
  clock.setTimer(-5, () => fired.push(`now@${clock.now()}`));
  assert.equal(clock.pending, 4);
  while (clock.fireNext()) {}
  assert.deepEqual(fired, ['now@1000', 'a@1100', 'b@1100', 'c@1300']);
  assert.equal(clock.monotonic(), 1300);
  assert.equal(clock.pending, 0);
});

test('VirtualClock: cancelled timers never fire; fireNext respects its limit; time never goes back', () => {
  const clock = new VirtualClock(0);
  let fired = 0;
  const t = clock.setTimer(50, () => fired++);
  clock.setTimer(200, () => fired++);
  t.cancel();
  t.cancel();
  assert.equal(clock.pending, 1);
  assert.equal(clock.nextAt(), 200);
  assert.equal(clock.fireNext(199), false);
  assert.equal(fired, 0);
  clock.advanceTo(150);
  assert.equal(clock.now(), 150);
  assert.throws(() => clock.advanceTo(100), /cannot go back/);
  assert.equal(clock.fireNext(), true);
  assert.equal(fired, 1);
  assert.equal(clock.nextAt(), undefined);
});

test('VirtualClock: a timer armed while firing runs later in the same order', () => {
  const clock = new VirtualClock(0);
  const order: number[] = [];
  clock.setTimer(10, () => {
    order.push(clock.now());
    clock.setTimer(0, () => order.push(clock.now() + 0.5));
    clock.setTimer(5, () => order.push(clock.now()));
  });
  clock.setTimer(12, () => order.push(clock.now()));
  while (clock.fireNext()) {}
  assert.deepEqual(order, [10, 10.5, 12, 15]);
});
