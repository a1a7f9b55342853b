/**
 * Keeps the EventBridge section of docs/errors.md in step with the code: every error type
 * the EventBridge API writes (the keys of EVENTBRIDGE_ERRORS) has a row with its status.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EVENTBRIDGE_ERRORS } from '../../src/api/index.js';
import { assertErrorTable } from '../support/errors-doc.js';

test('docs/errors.md lists every EventBridge error with its status', () => {
  assert.ok(Object.keys(EVENTBRIDGE_ERRORS).length >= 7);
  // Columns: status, type, when.
  assertErrorTable('EventBridge errors', EVENTBRIDGE_ERRORS, { code: 1, status: 0 });
});
