import { type Clock, parseFunctionRef } from '../common/index.js';
import type { FunctionImages } from '../control/index.js';
import { type AsyncInvoker, EventBuses, EventRouter, ScheduledRules } from '../events/index.js';
import type { Kv, SqliteDatabase } from '../store/index.js';
import type { QueuePort } from './wire-events.js';

export interface EventBusWiring {
  db: SqliteDatabase;
  kv: Kv;
  images: FunctionImages;
  async: AsyncInvoker;
  queues: QueuePort;
  clock: Clock;
  region: string;
  /** The Scheduler's hook for rules with a ScheduleExpression. */
  scheduledRules: ScheduledRules;
}

/** EventBridge: buses and rules in the KV, deliveries through asynchronous invocation and the queues. */
export function wireEventBuses(w: EventBusWiring): { buses: EventBuses; eventRouter: EventRouter } {
  const buses = new EventBuses(w.kv, w.clock, w.region, { queueExists: (arn) => w.queues.exists(arn) });
  const eventRouter = new EventRouter(
    buses,
    {
      functionExists(arn) {
        const ref = parseFunctionRef(arn);
        try {
          w.images.target(ref.name, ref.qualifier);
          return true;
        } catch {
          return false;
        }
      },
      invokeAsync(arn, payload, limits) {
        const ref = parseFunctionRef(arn);
        w.async.enqueue(ref.name, ref.qualifier, payload, undefined, limits);
      },
      sendToQueue: (arn, body, attributes) => w.queues.send(arn, body, attributes),
      // Jobs and queue messages live in the same SQLite database: one transaction holds them all.
      atomically: (fn) => w.db.transaction(fn)(),
      report: (message) => console.error(`hearth: ${message}`),
    },
    w.clock,
  );
  const rules = w.scheduledRules;
  buses.attachScheduler(
    {
      check: (expression) => ScheduledRules.check(expression),
      register: (arn, expression, fire) => rules.register(arn, expression, (event) => fire({ ...event })),
      unregister: (arn, forget) => rules.unregister(arn, forget),
    },
    (rule, event) => eventRouter.fireScheduled(rule, event),
  );
  return { buses, eventRouter };
}
