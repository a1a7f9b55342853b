import { test } from 'node:test';
import assert from 'node:assert/strict';
import { billedMs, endLine, logTail, reportLine, startLine } from '../../../src/invoke/report.js';

const ID = '8f5a1c2e-0000-4000-8000-000000000001';

test('startLine and endLine have Lambda’s exact format', () => {
  assert.equal(startLine(ID, '$LATEST'), `START RequestId: ${ID} Version: $LATEST\n`);
  assert.equal(startLine(ID, '3'), `START RequestId: ${ID} Version: 3\n`);
  assert.equal(endLine(ID), `END RequestId: ${ID}\n`);
});

test('reportLine: tab-separated fields, a trailing tab, then newline', () => {
  const line = reportLine({ requestId: ID, durationMs: 12.3456, memoryMb: 128, maxMemoryUsedMb: 45 });
  assert.equal(
    line,
    `REPORT RequestId: ${ID}\tDuration: 12.35 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 45 MB\t\n`,
  );
});

test('reportLine: Init Duration (2 decimals) after Max Memory Used, on cold starts only', () => {
  const line = reportLine({ requestId: ID, durationMs: 2, memoryMb: 1024, maxMemoryUsedMb: 70, initMs: 150.4567 });
  assert.equal(
    line,
    `REPORT RequestId: ${ID}\tDuration: 2.00 ms\tBilled Duration: 2 ms\tMemory Size: 1024 MB\tMax Memory Used: 70 MB\tInit Duration: 150.46 ms\t\n`,
  );
  assert.doesNotMatch(reportLine({ requestId: ID, durationMs: 2, memoryMb: 128, maxMemoryUsedMb: 1 }), /Init Duration/);
});

test('reportLine: Status last, after Init Duration', () => {
  assert.equal(
    reportLine({ requestId: ID, durationMs: 3000.004, memoryMb: 128, maxMemoryUsedMb: 60, status: 'timeout' }),
    `REPORT RequestId: ${ID}\tDuration: 3000.00 ms\tBilled Duration: 3001 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\tStatus: timeout\t\n`,
  );
  assert.equal(
    reportLine({ requestId: ID, durationMs: 5, memoryMb: 128, maxMemoryUsedMb: 60, initMs: 10, status: 'error' }),
    `REPORT RequestId: ${ID}\tDuration: 5.00 ms\tBilled Duration: 5 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\tInit Duration: 10.00 ms\tStatus: error\t\n`,
  );
});

test('billed duration is the duration rounded up to a whole ms, at least 1', () => {
  assert.equal(billedMs(0), 1);
  assert.equal(billedMs(0.01), 1);
  assert.equal(billedMs(1), 1);
  assert.equal(billedMs(1.0001), 2);
  assert.equal(billedMs(12.01), 13);
  assert.equal(billedMs(100), 100);
  assert.match(reportLine({ requestId: ID, durationMs: 0.2, memoryMb: 128, maxMemoryUsedMb: 1 }), /\tBilled Duration: 1 ms\t/);
  assert.match(reportLine({ requestId: ID, durationMs: 0.2, memoryMb: 128, maxMemoryUsedMb: 1 }), /\tDuration: 0\.20 ms\t/);
});

test('logTail: short logs are returned whole, base64', () => {
  assert.equal(logTail(''), '');
  assert.equal(Buffer.from(logTail('hello\n'), 'base64').toString('utf8'), 'hello\n');
});

test('logTail: keeps exactly the last 4096 bytes', () => {
  const log = Array.from({ length: 600 }, (_, i) => `line ${i}\n`).join('');
  const bytes = Buffer.from(log);
  assert.ok(bytes.length > 4096);
  const tail = Buffer.from(logTail(log), 'base64');
  assert.equal(tail.length, 4096);
  assert.deepEqual(tail, bytes.subarray(bytes.length - 4096));
});

test('logTail: exactly 4096 bytes stays whole; 4097 drops the first byte', () => {
  const exact = 'a'.repeat(4095) + 'b';
  assert.equal(Buffer.from(logTail(exact), 'base64').toString(), exact);
  const over = 'X' + exact;
  assert.equal(Buffer.from(logTail(over), 'base64').toString(), exact);
});

test('logTail counts bytes, not characters (multi-byte text)', () => {
  const log = 'é'.repeat(3000); // 6000 bytes
  const tail = Buffer.from(logTail(log), 'base64');
  assert.equal(tail.length, 4096);
  assert.deepEqual(tail, Buffer.from(log).subarray(6000 - 4096));
});
