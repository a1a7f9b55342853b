import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HearthError } from '../../../src/common/index.js';
import { checkExposure, DEFAULT_CONFIG, isLoopback, parseDuration, type ServerConfig } from '../../../src/server/config.js';

const isInvalid = (err: unknown) =>
  err instanceof HearthError && err.code === 'InvalidParameterValueException';

test('parseDuration: units, returned in milliseconds', () => {
  assert.equal(parseDuration('10m'), 600_000);
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('1h'), 3_600_000);
  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration('0s'), 0);
});

test('parseDuration: a plain number is seconds', () => {
  assert.equal(parseDuration('15'), 15_000);
  assert.equal(parseDuration('0'), 0);
});

test('parseDuration: decimals and surrounding whitespace', () => {
  assert.equal(parseDuration('1.5s'), 1500);
  assert.equal(parseDuration('0.5m'), 30_000);
  assert.equal(parseDuration('  2m '), 120_000);
});

test('parseDuration: bad input throws InvalidParameterValueException', () => {
  for (const bad of ['', ' ', 'abc', '10x', '10 m', '-5s', 'm', '1e3', '10mm', '1h30m', '.5s', '5.s', 'ms']) {
    assert.throws(() => parseDuration(bad), isInvalid, JSON.stringify(bad));
  }
});

test('isLoopback: loopback spellings', () => {
  for (const h of ['localhost', '127.0.0.1', '127.0.0.2', '127.255.255.254', '::1']) assert.equal(isLoopback(h), true, h);
});

test('isLoopback: everything else (including look-alikes) is not loopback', () => {
  for (const h of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', '128.0.0.1', 'example.com', '127.0.0.1.example.com', '', 'localhost.example.com']) {
    assert.equal(isLoopback(h), false, h);
  }
});

const config = (patch: Partial<ServerConfig>): ServerConfig => ({ ...DEFAULT_CONFIG, ...patch });

test('checkExposure: the default configuration (127.0.0.1) is fine', () => {
  assert.equal(DEFAULT_CONFIG.host, '127.0.0.1');
  checkExposure(DEFAULT_CONFIG);
  checkExposure(config({ host: 'localhost' }));
  checkExposure(config({ host: '::1' }));
});

test('checkExposure: 0.0.0.0 (or any non-loopback host) without credentials throws', () => {
  for (const host of ['0.0.0.0', '::', '192.168.1.10']) {
    assert.throws(() => checkExposure(config({ host })), (err: unknown) => isInvalid(err) && /credentials/.test((err as Error).message), host);
  }
});

test('checkExposure: non-loopback with credentials is allowed', () => {
  checkExposure(config({ host: '0.0.0.0', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } }));
});
