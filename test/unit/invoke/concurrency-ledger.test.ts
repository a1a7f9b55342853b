import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HearthError } from '../../../src/common/index.js';
import { ConcurrencyLedger } from '../../../src/invoke/concurrency-ledger.js';

function reservations(map: Record<string, number>) {
  return {
    reservedFor: (name: string) => map[name],
    totalReserved: () => Object.values(map).reduce((a, b) => a + b, 0),
  };
}

function reasonOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof HearthError);
    assert.equal(err.code, 'TooManyRequestsException');
    return err.extra.Reason as string;
  }
  return undefined;
}

test('a function with reserved concurrency runs at most that many at once', () => {
  const ledger = new ConcurrencyLedger(100, reservations({ r: 2 }));
  const a = ledger.enter('r');
  ledger.enter('r');
  assert.equal(reasonOf(() => ledger.enter('r')), 'ReservedFunctionConcurrentInvocationLimitExceeded');
  a();
  assert.doesNotThrow(() => ledger.enter('r'));
});

test('reserved concurrency 0 stops the function', () => {
  const ledger = new ConcurrencyLedger(100, reservations({ stopped: 0 }));
  assert.equal(reasonOf(() => ledger.enter('stopped')), 'ReservedFunctionConcurrentInvocationLimitExceeded');
});

test('functions without a reservation share what the account limit leaves unreserved', () => {
  const ledger = new ConcurrencyLedger(10, reservations({ r: 7 }));
  ledger.enter('a');
  ledger.enter('b');
  ledger.enter('a');
  assert.equal(reasonOf(() => ledger.enter('c')), 'ConcurrentInvocationLimitExceeded');
  // The reservation is a guarantee: unreserved traffic did not eat into it.
  for (let i = 0; i < 7; i++) ledger.enter('r');
  assert.equal(ledger.concurrentExecutions, 10);
  assert.equal(ledger.concurrentExecutionsOf('a'), 2);
});

test('a release counts once, and goes back to the share it came from', () => {
  const res = { r: undefined as number | undefined };
  const ledger = new ConcurrencyLedger(2, { reservedFor: () => res.r, totalReserved: () => res.r ?? 0 });
  const leave = ledger.enter('f');
  res.r = 1; // reserved while the request runs
  leave();
  leave();
  assert.equal(ledger.concurrentExecutions, 0);
  res.r = undefined;
  ledger.enter('g');
  ledger.enter('h');
  assert.equal(reasonOf(() => ledger.enter('i')), 'ConcurrentInvocationLimitExceeded');
});
