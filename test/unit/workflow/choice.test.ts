/** Choice rules: every comparison operator and type test, And/Or/Not, Default. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Json } from '../../../src/workflow/index.js';
import { run } from './support.js';

/** Runs one rule against `input`; true when it matched, false when Default was taken. */
async function matches(rule: Record<string, unknown>, input: Json): Promise<boolean> {
  const def = {
    StartAt: 'C',
    States: {
      C: { Type: 'Choice', Choices: [{ ...rule, Next: 'Yes' }], Default: 'No' },
      Yes: { Type: 'Pass', Result: true, End: true },
      No: { Type: 'Pass', Result: false, End: true },
    },
  };
  const r = await run(def, input);
  assert.equal(r.status, 'SUCCEEDED', JSON.stringify(r.failure));
  return r.output as boolean;
}

test('specification example: Not, NumericEquals, And of a range, Default', async () => {
  const def = {
    StartAt: 'ChoiceStateX',
    States: {
      ChoiceStateX: {
        Type: 'Choice',
        Choices: [
          { Not: { Variable: '$.type', StringEquals: 'Private' }, Next: 'Public' },
          { Variable: '$.value', NumericEquals: 0, Next: 'ValueIsZero' },
          { And: [{ Variable: '$.value', NumericGreaterThanEquals: 20 }, { Variable: '$.value', NumericLessThan: 30 }], Next: 'ValueInTwenties' },
        ],
        Default: 'DefaultState',
      },
      Public: { Type: 'Pass', Result: 'Public', End: true },
      ValueIsZero: { Type: 'Pass', Result: 'ValueIsZero', End: true },
      ValueInTwenties: { Type: 'Pass', Result: 'ValueInTwenties', End: true },
      DefaultState: { Type: 'Pass', Result: 'DefaultState', End: true },
    },
  };
  const cases: [Json, string][] = [
    [{ type: 'Public', value: 22 }, 'Public'],
    [{ type: 'Private', value: 0 }, 'ValueIsZero'],
    [{ type: 'Private', value: 22 }, 'ValueInTwenties'],
    [{ type: 'Private', value: 30 }, 'DefaultState'],
  ];
  for (const [input, expected] of cases) assert.equal((await run(def, input)).output, expected);
});

test('String operators compare code points', async () => {
  const v = { s: 'b' };
  assert.equal(await matches({ Variable: '$.s', StringEquals: 'b' }, v), true);
  assert.equal(await matches({ Variable: '$.s', StringLessThan: 'c' }, v), true);
  assert.equal(await matches({ Variable: '$.s', StringLessThan: 'b' }, v), false);
  assert.equal(await matches({ Variable: '$.s', StringGreaterThan: 'a' }, v), true);
  assert.equal(await matches({ Variable: '$.s', StringLessThanEquals: 'b' }, v), true);
  assert.equal(await matches({ Variable: '$.s', StringGreaterThanEquals: 'c' }, v), false);
  assert.equal(await matches({ Variable: '$.s', StringEquals: 'b' }, { s: 1 }), false, 'wrong type is no match');
});

test('Numeric operators', async () => {
  const v = { n: 5 };
  assert.equal(await matches({ Variable: '$.n', NumericEquals: 5 }, v), true);
  assert.equal(await matches({ Variable: '$.n', NumericLessThan: 5.5 }, v), true);
  assert.equal(await matches({ Variable: '$.n', NumericGreaterThan: 5 }, v), false);
  assert.equal(await matches({ Variable: '$.n', NumericLessThanEquals: 5 }, v), true);
  assert.equal(await matches({ Variable: '$.n', NumericGreaterThanEquals: 6 }, v), false);
  assert.equal(await matches({ Variable: '$.n', NumericEquals: 5 }, { n: '5' }), false);
});

test('BooleanEquals and Timestamp operators (sub-millisecond precision)', async () => {
  assert.equal(await matches({ Variable: '$.b', BooleanEquals: true }, { b: true }), true);
  assert.equal(await matches({ Variable: '$.b', BooleanEquals: true }, { b: 'true' }), false);
  const t = { t: '2016-03-14T01:59:00Z' };
  assert.equal(await matches({ Variable: '$.t', TimestampEquals: '2016-03-14T01:59:00Z' }, t), true);
  assert.equal(await matches({ Variable: '$.t', TimestampEquals: '2016-03-14T02:59:00+01:00' }, t), true);
  assert.equal(await matches({ Variable: '$.t', TimestampLessThan: '2016-03-14T01:59:00.000001Z' }, t), true);
  assert.equal(await matches({ Variable: '$.t', TimestampGreaterThan: '2016-03-14T01:58:59Z' }, t), true);
  assert.equal(await matches({ Variable: '$.t', TimestampLessThanEquals: '2016-03-14T01:58:59Z' }, t), false);
  assert.equal(await matches({ Variable: '$.t', TimestampGreaterThanEquals: '2016-03-14T01:59:00Z' }, t), true);
  assert.equal(await matches({ Variable: '$.t', TimestampEquals: '2016-03-14T01:59:00Z' }, { t: 'yesterday' }), false);
});

test('…Path operators compare with another value of the input', async () => {
  const v = { a: 3, b: 4, s: 'x', s2: 'x', f: false, g: false, t1: '2020-01-01T00:00:00Z', t2: '2021-01-01T00:00:00Z' };
  assert.equal(await matches({ Variable: '$.a', NumericLessThanPath: '$.b' }, v), true);
  assert.equal(await matches({ Variable: '$.a', NumericEqualsPath: '$.b' }, v), false);
  assert.equal(await matches({ Variable: '$.a', NumericGreaterThanEqualsPath: '$.a' }, v), true);
  assert.equal(await matches({ Variable: '$.s', StringEqualsPath: '$.s2' }, v), true);
  assert.equal(await matches({ Variable: '$.s', StringGreaterThanPath: '$.s2' }, v), false);
  assert.equal(await matches({ Variable: '$.f', BooleanEqualsPath: '$.g' }, v), true);
  assert.equal(await matches({ Variable: '$.t1', TimestampLessThanPath: '$.t2' }, v), true);
  assert.equal(await matches({ Variable: '$.t1', TimestampGreaterThanEqualsPath: '$.t2' }, v), false);
});

test('StringMatches: * wildcard, escaped \\* literal', async () => {
  assert.equal(await matches({ Variable: '$.f', StringMatches: 'log-*.txt' }, { f: 'log-2024-01.txt' }), true);
  assert.equal(await matches({ Variable: '$.f', StringMatches: 'log-*.txt' }, { f: 'log-1.csv' }), false);
  assert.equal(await matches({ Variable: '$.f', StringMatches: 'a\\*b' }, { f: 'a*b' }), true);
  assert.equal(await matches({ Variable: '$.f', StringMatches: 'a\\*b' }, { f: 'axb' }), false);
});

test('type tests: IsPresent, IsNull, IsNumeric, IsString, IsBoolean, IsTimestamp', async () => {
  const v = { n: null, x: 1, s: 's', b: false, t: '2016-03-14T01:59:00Z' };
  assert.equal(await matches({ Variable: '$.missing', IsPresent: false }, v), true);
  assert.equal(await matches({ Variable: '$.n', IsPresent: true }, v), true);
  assert.equal(await matches({ Variable: '$.n', IsNull: true }, v), true);
  assert.equal(await matches({ Variable: '$.x', IsNull: false }, v), true);
  assert.equal(await matches({ Variable: '$.x', IsNumeric: true }, v), true);
  assert.equal(await matches({ Variable: '$.s', IsNumeric: true }, v), false);
  assert.equal(await matches({ Variable: '$.s', IsString: true }, v), true);
  assert.equal(await matches({ Variable: '$.b', IsBoolean: true }, v), true);
  assert.equal(await matches({ Variable: '$.t', IsTimestamp: true }, v), true);
  assert.equal(await matches({ Variable: '$.s', IsTimestamp: false }, v), true);
});

test('Or and nested Not', async () => {
  const rule = { Or: [{ Variable: '$.a', NumericEquals: 1 }, { Not: { Variable: '$.b', IsPresent: true } }] };
  assert.equal(await matches(rule, { a: 1, b: 0 }), true);
  assert.equal(await matches(rule, { a: 2 }), true);
  assert.equal(await matches(rule, { a: 2, b: 0 }), false);
});

test('no rule and no Default: States.NoChoiceMatched; a missing Variable: States.Runtime', async () => {
  const def = { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$.a', NumericEquals: 1, Next: 'D' }] }, D: { Type: 'Succeed' } } };
  assert.equal((await run(def, { a: 2 })).failure?.error, 'States.NoChoiceMatched');
  assert.equal((await run(def, {})).failure?.error, 'States.Runtime');
});

test('Choice applies InputPath and OutputPath to what it passes on', async () => {
  const def = {
    StartAt: 'C',
    States: { C: { Type: 'Choice', InputPath: '$.in', OutputPath: '$.keep', Choices: [{ Variable: '$.go', BooleanEquals: true, Next: 'D' }] }, D: { Type: 'Succeed' } },
  };
  assert.deepEqual((await run(def, { in: { go: true, keep: { k: 1 } } })).output, { k: 1 });
});
