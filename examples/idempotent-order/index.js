// Processes an order exactly once per idempotency key, with nothing but Hearth's KV
// client (`hearth-kv`, on the module path of every Node.js function; no bundling).
//
// 1. Claim the key with a conditional write (`ifAbsent`): of any number of deliveries of
//    the same event, sequential or concurrent, exactly one claim succeeds.
// 2. The winner does the effect (here: charging the order, an atomic increment) and
//    records the result under the key.
// 3. A later delivery finds the result and returns it without doing the effect again;
//    one that arrives while the first is still running fails, so its sender retries.
// The claim expires with the invocation's remaining time: if the winner crashes, a
// retry after that can claim the key again (the effect may then run twice, unless it is
// itself conditional — the same trade-off Powertools' in-progress expiry makes).
const { HearthKv, ConditionFailedError } = require('hearth-kv');

const kv = new HearthKv(); // HEARTH_ENDPOINT and the function's credential come from Hearth
const KEYS = process.env.IDEMPOTENCY_TABLE || 'order-idempotency';
const ORDERS = process.env.ORDERS_TABLE || 'orders';

exports.handler = async (event, context) => {
  const key = event.idempotencyKey || event.orderId;
  if (!key) throw new Error('an order event needs an idempotencyKey or orderId');
  const claimSeconds = Math.max(1, Math.ceil(context.getRemainingTimeInMillis() / 1000));
  try {
    await kv.put(KEYS, key, { status: 'IN_PROGRESS' }, { ifAbsent: true, ttl: claimSeconds });
  } catch (err) {
    if (!(err instanceof ConditionFailedError)) throw err;
    const prior = await kv.get(KEYS, key);
    if (prior && prior.value.status === 'COMPLETED') return { ...prior.value.result, replayed: true };
    throw new Error(`order ${key} is already being processed; retry later`);
  }
  // The effect: charge the order once.
  const charged = await kv.incr(ORDERS, `charged/${event.orderId}`, event.amount ?? 1);
  const result = { orderId: event.orderId, charged: charged.value };
  await kv.put(KEYS, key, { status: 'COMPLETED', result }, { ttl: 24 * 3600 });
  return result;
};
