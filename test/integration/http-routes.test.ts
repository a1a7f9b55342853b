/**
 * Routes on the gateway port: path parameters, {proxy+}, the error statuses, and real
 * frameworks (Express behind serverless-http, middy with its http middlewares) answering
 * through them. The frameworks are packaged into the function zips from node_modules.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LambdaClient, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { deploy, type Hearth, startTestHearth } from '../support/hearth.js';
import { ECHO } from '../support/gateway.js';

/** A package and everything it depends on, as zip entries under node_modules/. */
function packageTree(roots: string[]): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const seen = new Set<string>();
  const visit = (pkg: string) => {
    const root = join('node_modules', pkg);
    if (seen.has(pkg) || !existsSync(root)) return;
    seen.add(pkg);
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else out[join('node_modules', pkg, relative(root, p))] = readFileSync(p);
      }
    };
    walk(root);
    const pj = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dep of Object.keys(pj.dependencies ?? {})) visit(dep);
  };
  roots.forEach(visit);
  return out;
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x10, 0x80]);

const EXPRESS_APP = `
const express = require('express');
const serverless = require('serverless-http');
const app = express();
app.use(express.json());
app.get('/shop/users/:id', (req, res) => {
  res.status(201).set('x-user', req.params.id).cookie('session', 'abc', { path: '/' }).cookie('theme', 'dark').json({ id: req.params.id, q: req.query.q, path: req.path });
});
app.post('/shop/echo', (req, res) => res.json({ got: req.body, type: req.get('content-type') }));
app.get('/shop/logo.png', (req, res) => res.type('image/png').send(Buffer.from(${JSON.stringify([...PNG])})));
app.use((req, res) => res.status(404).send('no such page'));
exports.handler = serverless(app, { binary: ['image/*'] });
`;

const MIDDY_APP = `
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpErrorHandler from '@middy/http-error-handler';
import { createError } from '@middy/util';

const base = async (event) => {
  if (event.body.name === 'bad') throw createError(422, 'name must not be bad');
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json', 'x-handled-by': 'middy' },
    cookies: ['visited=' + event.pathParameters.id],
    body: JSON.stringify({ hello: event.body.name, id: event.pathParameters.id, ct: event.headers['content-type'] }),
  };
};
export const handler = middy(base).use(httpHeaderNormalizer()).use(httpJsonBodyParser()).use(httpErrorHandler());
`;

describe('HTTP routes on the gateway', () => {
  let h: Hearth;
  let lambda: LambdaClient;
  const addRoute = async (RouteKey: string, Target: string) => {
    const res = await fetch(`${h.url}/hearth/v1/routes`, { method: 'POST', body: JSON.stringify({ RouteKey, Target }) });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  };
  const get = (path: string, init?: RequestInit) => fetch(`${h.gatewayUrl}${path}`, init);

  before(async () => {
    h = await startTestHearth();
    lambda = new LambdaClient({ endpoint: h.url, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 });
    await deploy(h, { name: 'echo', files: { 'index.js': ECHO } });
  });
  after(async () => {
    lambda.destroy();
    await h.stop();
  });

  it('answers 404 when no route matches', async () => {
    const res = await get('/nothing/here');
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { message: 'Not Found' });
  });

  it('passes path parameters and the route key; the most specific route wins', async () => {
    assert.equal((await addRoute('GET /users/{id}', 'echo')).status, 201);
    assert.equal((await addRoute('ANY /{proxy+}', 'echo')).status, 201);
    const one = (await (await get('/users/42')).json()) as Record<string, any>;
    assert.equal(one.routeKey, 'GET /users/{id}');
    assert.equal(one.requestContext.routeKey, 'GET /users/{id}');
    assert.deepEqual(one.pathParameters, { id: '42' });
    assert.equal(one.rawPath, '/users/42');
    const rest = (await (await get('/files/a/b.txt', { method: 'DELETE' })).json()) as Record<string, any>;
    assert.equal(rest.routeKey, 'ANY /{proxy+}');
    assert.deepEqual(rest.pathParameters, { proxy: 'files/a/b.txt' });
    assert.equal(rest.requestContext.http.method, 'DELETE');
  });

  it('refuses bad routes loudly', async () => {
    const dup = await addRoute('get /users/{id}', 'echo');
    assert.equal(dup.status, 409);
    const bad = await addRoute('GET /{proxy+}/x', 'echo');
    assert.equal(bad.status, 400);
    assert.match(bad.body.message!, /greedy/);
    assert.equal((await addRoute('GET /a', 'nobody')).status, 404);
    assert.equal((await addRoute('GET /a', 'echo:nope')).status, 404);
  });

  it('maps a function error to 502, a timeout to 504 and a throttle to 429', async () => {
    await deploy(h, { name: 'boom', files: { 'index.js': 'exports.handler = async () => { throw new Error("kaput"); };' } });
    await deploy(h, { name: 'slow', timeout: 1, files: { 'index.js': 'exports.handler = () => new Promise((ok) => setTimeout(ok, 5000));' } });
    await deploy(h, { name: 'held', files: { 'index.js': ECHO } });
    await addRoute('GET /boom', 'boom');
    await addRoute('GET /slow', 'slow');
    await addRoute('GET /held', 'held');
    const boom = await get('/boom');
    assert.equal(boom.status, 502);
    assert.deepEqual(await boom.json(), { message: 'Internal Server Error' });
    const slow = await get('/slow');
    assert.equal(slow.status, 504);
    assert.equal(typeof ((await slow.json()) as { message: string }).message, 'string');
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'held', ReservedConcurrentExecutions: 0 }));
    const held = await get('/held');
    assert.equal(held.status, 429);
    assert.deepEqual(await held.json(), { message: 'Too Many Requests' });
  });

  it('refuses a request body over 6 MB with 413', async () => {
    const big = await fetch(`${h.gatewayUrl}/anything`, { method: 'POST', body: Buffer.alloc(6 * 1024 * 1024 + 1, 97) });
    assert.equal(big.status, 413);
  });

  it('serves an Express app wrapped by serverless-http: status, headers, cookies, JSON and binary bodies', async () => {
    await deploy(h, { name: 'shop', memory: 256, files: { 'index.js': EXPRESS_APP, ...packageTree(['express', 'serverless-http']) } });
    await addRoute('ANY /shop/{proxy+}', 'shop');
    const user = await get('/shop/users/7?q=shoes');
    assert.equal(user.status, 201);
    assert.equal(user.headers.get('x-user'), '7');
    assert.match(user.headers.get('content-type')!, /application\/json/);
    assert.deepEqual(user.headers.getSetCookie(), ['session=abc; Path=/', 'theme=dark; Path=/']);
    assert.deepEqual(await user.json(), { id: '7', q: 'shoes', path: '/shop/users/7' });
    const echo = await get('/shop/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ a: [1, 2] }) });
    assert.deepEqual(await echo.json(), { got: { a: [1, 2] }, type: 'application/json' });
    const logo = await get('/shop/logo.png');
    assert.equal(logo.status, 200);
    assert.equal(logo.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await logo.arrayBuffer()), PNG);
    const missing = await get('/shop/nope');
    assert.equal(missing.status, 404);
    assert.equal(await missing.text(), 'no such page');
  });

  it('serves a middy handler with its http middlewares', async () => {
    const files = { 'index.mjs': MIDDY_APP, ...packageTree(['@middy/core', '@middy/http-header-normalizer', '@middy/http-json-body-parser', '@middy/http-error-handler', '@middy/util']) };
    await deploy(h, { name: 'greet', files });
    await addRoute('POST /greet/{id}', 'greet');
    const ok = await get('/greet/9', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Ada' }) });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('x-handled-by'), 'middy');
    assert.deepEqual(ok.headers.getSetCookie(), ['visited=9']);
    assert.deepEqual(await ok.json(), { hello: 'Ada', id: '9', ct: 'application/json' });
    const bad = await get('/greet/9', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bad' }) });
    assert.equal(bad.status, 422);
    assert.equal(await bad.text(), 'name must not be bad');
    const notJson = await get('/greet/9', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' });
    assert.equal(notJson.status, 415, 'middy v6 body parser refuses malformed JSON as 415, through the error handler');
  });
});
