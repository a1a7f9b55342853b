import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isPreflight, overrideHeaders, preflightHeaders, responseCorsHeaders } from '../../../src/gateway/index.js';

describe('function URL CORS', () => {
  const cors = { AllowOrigins: ['https://app.example'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['content-type', 'x-api'], ExposeHeaders: ['x-total'], MaxAge: 600, AllowCredentials: true };

  it('recognises a preflight', () => {
    assert.equal(isPreflight('OPTIONS', { origin: 'https://app.example', 'access-control-request-method': 'POST' }), true);
    assert.equal(isPreflight('OPTIONS', { origin: 'https://app.example' }), false);
    assert.equal(isPreflight('GET', { origin: 'https://app.example', 'access-control-request-method': 'POST' }), false);
  });

  it('answers an allowed preflight from the configuration', () => {
    assert.deepEqual(preflightHeaders(cors, { origin: 'https://app.example', 'access-control-request-method': 'POST' }), [
      ['access-control-allow-origin', 'https://app.example'],
      ['vary', 'Origin'],
      ['access-control-allow-methods', 'GET,POST'],
      ['access-control-allow-headers', 'content-type,x-api'],
      ['access-control-max-age', '600'],
      ['access-control-allow-credentials', 'true'],
    ]);
  });

  it('gives no CORS headers to another origin or method', () => {
    assert.deepEqual(preflightHeaders(cors, { origin: 'https://evil.example', 'access-control-request-method': 'GET' }), []);
    assert.deepEqual(preflightHeaders(cors, { origin: 'https://app.example', 'access-control-request-method': 'DELETE' }), []);
    assert.deepEqual(responseCorsHeaders(cors, { origin: 'https://evil.example' }), []);
    assert.deepEqual(responseCorsHeaders(cors, {}), []);
  });

  it('a wildcard origin answers * without credentials and echoes the origin with them', () => {
    assert.deepEqual(responseCorsHeaders({ AllowOrigins: ['*'] }, { origin: 'https://x.example' }), [['access-control-allow-origin', '*']]);
    assert.equal(responseCorsHeaders({ AllowOrigins: ['*'], AllowCredentials: true }, { origin: 'https://x.example' })[0]![1], 'https://x.example');
  });

  it('adds expose and credentials headers to responses, replacing the function\'s own', () => {
    const extra = responseCorsHeaders(cors, { origin: 'https://app.example' });
    assert.deepEqual(extra, [
      ['access-control-allow-origin', 'https://app.example'],
      ['vary', 'Origin'],
      ['access-control-expose-headers', 'x-total'],
      ['access-control-allow-credentials', 'true'],
    ]);
    assert.deepEqual(overrideHeaders([['access-control-allow-origin', '*'], ['x-a', '1']], extra.slice(0, 1)), [['x-a', '1'], ['access-control-allow-origin', 'https://app.example']]);
  });
});
