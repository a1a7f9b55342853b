/**
 * Keeps the SQS section of docs/errors.md in step with the code: every error type the SQS
 * API writes (the keys of SQS_ERRORS) has a row with its status and query-protocol code.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SQS_ERRORS } from '../../src/api/index.js';
import { assertErrorTable } from '../support/errors-doc.js';

test('docs/errors.md lists every SQS error with its status and query code', () => {
  assert.ok(Object.keys(SQS_ERRORS).length > 10);
  const statuses = Object.fromEntries(Object.entries(SQS_ERRORS).map(([code, [status]]) => [code, status]));
  assertErrorTable('SQS errors', statuses, { code: 0, status: 1 }, (code, row) => {
    assert.equal(row[2], SQS_ERRORS[code as keyof typeof SQS_ERRORS][1], `query code of ${code}`);
  });
});
