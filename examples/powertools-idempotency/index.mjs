// Powertools' idempotency utility with Hearth's KV as its store: the same order event
// (same `orderId`) is processed once; later deliveries get the stored result.
import { createRequire } from 'node:module';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { HearthKvPersistenceLayer } from './hearth-persistence-layer.mjs';

const { HearthKv } = createRequire(import.meta.url)('hearth-kv');
const kv = new HearthKv();

const persistenceStore = new HearthKvPersistenceLayer({ table: process.env.IDEMPOTENCY_TABLE || 'idempotency' });
const config = new IdempotencyConfig({ eventKeyJmesPath: 'orderId' });

const processOrder = async (event) => {
  const charged = await kv.incr(process.env.ORDERS_TABLE || 'orders', `charged/${event.orderId}`, event.amount ?? 1);
  return { orderId: event.orderId, charged: charged.value };
};

export const handler = makeIdempotent(processOrder, { persistenceStore, config });
