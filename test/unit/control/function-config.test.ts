import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HearthError } from '../../../src/common/index.js';
import { DEFAULTS, ENV_LIMIT_BYTES, handlerFiles, validateConfig, validateName } from '../../../src/control/function-config.js';

const RUNTIMES: ReadonlySet<string> = new Set(['nodejs20.x', 'nodejs22.x']);

type Config = Parameters<typeof validateConfig>[0];

function config(patch: Partial<Config> = {}): Config {
  return {
    name: 'my-fn',
    runtime: 'nodejs20.x',
    handler: 'index.handler',
    role: 'arn:aws:iam::000000000000:role/r',
    description: '',
    memoryMb: 128,
    timeoutS: 3,
    ephemeralStorageMb: 512,
    env: {},
    tags: {},
    ...patch,
  };
}

const isInvalid = (err: unknown) => err instanceof HearthError && err.code === 'InvalidParameterValueException';
const ok = (patch: Partial<Config>) => assert.doesNotThrow(() => validateConfig(config(patch), RUNTIMES), JSON.stringify(patch).slice(0, 200));
const bad = (patch: Partial<Config>, message?: RegExp) =>
  assert.throws(
    () => validateConfig(config(patch), RUNTIMES),
    (err: unknown) => isInvalid(err) && (!message || message.test((err as Error).message)),
    JSON.stringify(patch).slice(0, 200),
  );

test('the defaults make a valid configuration', () => {
  ok({ memoryMb: DEFAULTS.memoryMb, timeoutS: DEFAULTS.timeoutS, ephemeralStorageMb: DEFAULTS.ephemeralStorageMb });
});

test('MemorySize: 128..10240 integers', () => {
  ok({ memoryMb: 128 });
  ok({ memoryMb: 10240 });
  bad({ memoryMb: 127 }, /MemorySize/);
  bad({ memoryMb: 10241 }, /MemorySize/);
  bad({ memoryMb: 128.5 }, /MemorySize/);
  bad({ memoryMb: Number.NaN }, /MemorySize/);
});

test('Timeout: 1..900 integers', () => {
  ok({ timeoutS: 1 });
  ok({ timeoutS: 900 });
  bad({ timeoutS: 0 }, /Timeout/);
  bad({ timeoutS: 901 }, /Timeout/);
  bad({ timeoutS: 1.5 }, /Timeout/);
});

test('EphemeralStorage: 512..10240 integers', () => {
  ok({ ephemeralStorageMb: 512 });
  ok({ ephemeralStorageMb: 10240 });
  bad({ ephemeralStorageMb: 511 }, /EphemeralStorage/);
  bad({ ephemeralStorageMb: 10241 }, /EphemeralStorage/);
});

test('environment: keys plus values up to 4096 bytes in total', () => {
  assert.equal(ENV_LIMIT_BYTES, 4096);
  ok({ env: { AB: 'x'.repeat(4094) } });
  bad({ env: { AB: 'x'.repeat(4095) } }, /4KB/);
  // Spread over several variables.
  ok({ env: { K1: 'a'.repeat(1022), K2: 'b'.repeat(1022), K3: 'c'.repeat(1022), K4: 'd'.repeat(1022) } });
  bad({ env: { K1: 'a'.repeat(1022), K2: 'b'.repeat(1022), K3: 'c'.repeat(1022), K4: 'd'.repeat(1023) } }, /4KB/);
});

test('environment: the limit counts UTF-8 bytes, not characters', () => {
  ok({ env: { AB: 'é'.repeat(2047) } }); // 2 + 4094 bytes
  bad({ env: { AB: 'é'.repeat(2048) } }, /4KB/); // 2 + 4096 bytes
});

test('environment: reserved keys are refused', () => {
  for (const key of ['AWS_REGION', 'AWS_LAMBDA_FUNCTION_NAME', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'LAMBDA_TASK_ROOT', 'AWS_LAMBDA_RUNTIME_API']) {
    bad({ env: { [key]: 'v' } }, new RegExp(`reserved keys.*${key}`));
  }
  bad({ env: { _HANDLER: 'x' } }); // reserved, and not a valid name either
  ok({ env: { AWS_PROFILE_X: 'fine', NODE_OPTIONS: '--enable-source-maps' } });
});

test('environment: key names must start with a letter and hold only letters, digits, underscores', () => {
  ok({ env: { Ab_9: 'v', camelCase: 'v' } });
  for (const key of ['1ABC', 'A-B', 'A B', 'A.B', '', '_X', 'ÄB', 'A=B']) bad({ env: { [key]: 'v' } }, /Environment variable name/);
});

test('environment: values must be strings', () => {
  bad({ env: { AB: 5 as unknown as string } });
});

test('handler: path/to/file.export formats', () => {
  for (const handler of ['index.handler', 'src/a/b.handler', 'a.b.c', 'dist/index.main_1', 'index.$h']) ok({ handler });
  for (const handler of ['index', '.handler', 'a b.c', 'index.', '', 'a.b ', ' a.b', 'x'.repeat(120) + '.handlerX']) {
    bad({ handler }, /Handler/);
  }
});

test('handler: at most 128 characters', () => {
  ok({ handler: 'x'.repeat(120) + '.handler' }); // 128
  bad({ handler: 'x'.repeat(121) + '.handler' }, /Handler/); // 129
});

test('runtime: must be one this node offers', () => {
  ok({ runtime: 'nodejs22.x' });
  bad({ runtime: 'python3.12' }, /Runtime python3\.12 is not supported/);
  bad({ runtime: '' });
});

test('name: 1-64 letters, digits, hyphens, underscores', () => {
  ok({ name: 'a' });
  ok({ name: 'A_b-9'.padEnd(64, 'x') });
  for (const name of ['', 'a'.repeat(65), 'a:b', 'a/b', 'a.b', 'a b']) {
    assert.throws(() => validateName(name), isInvalid, name);
    bad({ name });
  }
});

test('description: at most 256 characters', () => {
  ok({ description: 'd'.repeat(256) });
  bad({ description: 'd'.repeat(257) }, /Description/);
});

test('handlerFiles: the module file candidates for a handler', () => {
  assert.deepEqual(handlerFiles('index.handler'), ['index.js', 'index.mjs', 'index.cjs', 'index.py', 'index/__init__.py']);
  assert.deepEqual(handlerFiles('src/a/b.handler'), ['src/a/b.js', 'src/a/b.mjs', 'src/a/b.cjs', 'src/a/b.py', 'src/a/b/__init__.py']);
  assert.deepEqual(
    handlerFiles('lib.v2.main'),
    ['lib.v2.js', 'lib.v2.mjs', 'lib.v2.cjs', 'lib/v2.py', 'lib/v2/__init__.py'],
    'the export is after the last dot; a Python module path may use dots',
  );
});
