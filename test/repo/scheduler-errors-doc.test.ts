/**
 * Keeps the Scheduler section of docs/errors.md in step with the code: every error type
 * the Scheduler API writes (the keys of SCHEDULER_ERRORS) has a row with its status.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SCHEDULER_ERRORS } from '../../src/api/index.js';
import { assertErrorTable } from '../support/errors-doc.js';

test('docs/errors.md lists every Scheduler error with its status', () => {
  assert.ok(Object.keys(SCHEDULER_ERRORS).length >= 6);
  // Columns: status, type, when.
  assertErrorTable('Scheduler errors', SCHEDULER_ERRORS, { code: 1, status: 0 });
});
