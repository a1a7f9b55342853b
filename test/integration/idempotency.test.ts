import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { bundlePackages } from '../support/bundle.js';
import { deploy, type Hearth, invoke, startTestHearth } from '../support/hearth.js';

// Compiled to dist/test/integration/: the repository root is three levels up.
const example = (path: string) => readFileSync(new URL(`../../../examples/${path}`, import.meta.url), 'utf8');

/**
 * §5 of "State services": the same order event delivered twice — one after the other and
 * at the same time — charges the order once. The effect is counted in KV
 * (`orders/charged/ORDER`), so "once" is observed, not inferred from return values.
 */
describe('idempotent order processing over KV', () => {
  let h: Hearth;
  before(async () => {
    h = await startTestHearth({ prewarm: 0 });
  });
  after(() => h.stop());

  const charged = (orderId: string) => h.kvTables.get('orders', `charged/${orderId}`)?.value;

  for (const variant of ['idempotent-order', 'powertools-idempotency'] as const) {
    describe(variant, () => {
      before(async () => {
        const files: Record<string, string | Buffer> =
          variant === 'idempotent-order'
            ? { 'index.js': example('idempotent-order/index.js') }
            : {
                'index.mjs': example('powertools-idempotency/index.mjs'),
                'hearth-persistence-layer.mjs': example('powertools-idempotency/hearth-persistence-layer.mjs'),
                ...bundlePackages('@aws-lambda-powertools/idempotency'),
              };
        await deploy(h, { name: variant, files, timeout: 30, memory: 256 });
      });

      it('processes an event delivered twice in a row once', async () => {
        const event = { orderId: `${variant}-seq`, idempotencyKey: `${variant}-seq`, amount: 42 };
        const first = await invoke(h, variant, event);
        const second = await invoke(h, variant, event);
        assert.equal(first.functionError, null, first.body);
        assert.equal(second.functionError, null, second.body);
        assert.equal((first.json as { charged: number }).charged, 42);
        assert.equal((second.json as { charged: number }).charged, 42, 'the second delivery gets the first result');
        assert.equal(charged(event.orderId), 42, 'charged once');
      });

      it('processes an event delivered twice at the same time once', async () => {
        const event = { orderId: `${variant}-par`, idempotencyKey: `${variant}-par`, amount: 7 };
        const results = await Promise.all([invoke(h, variant, event), invoke(h, variant, event)]);
        const ok = results.filter((r) => r.functionError === null);
        assert.ok(ok.length >= 1, results.map((r) => r.body).join(' | '));
        for (const r of ok) assert.equal((r.json as { charged: number }).charged, 7);
        // A delivery that overlapped the first fails as "in progress" (its sender retries);
        // a retry now returns the stored result and still charges nothing.
        const retry = await invoke(h, variant, event);
        assert.equal(retry.functionError, null, retry.body);
        assert.equal((retry.json as { charged: number }).charged, 7);
        assert.equal(charged(event.orderId), 7, 'charged once');
      });

      it('processes a different order separately', async () => {
        const event = { orderId: `${variant}-other`, idempotencyKey: `${variant}-other`, amount: 1 };
        assert.equal(((await invoke(h, variant, event)).json as { charged: number }).charged, 1);
        assert.equal(charged(event.orderId), 1);
      });
    });
  }
});
