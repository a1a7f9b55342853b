import { type Clock, parseFunctionRef, type Random } from '../common/index.js';
import type { FunctionImages } from '../control/index.js';
import { type AsyncInvoker, type PendingDelivery, ScheduleDelivery, ScheduledRules, Scheduler, Schedules } from '../events/index.js';
import type { QueueService } from '../queues/index.js';
import { type Kv, type SqliteDatabase, SqliteJobStore } from '../store/index.js';

export interface SchedulesWiring {
  db: SqliteDatabase;
  kv: Kv;
  images: FunctionImages;
  async: AsyncInvoker;
  queues: QueueService;
  clock: Clock;
  random: Random;
  region: string;
}

/** Schedules (EventBridge Scheduler) and the hook for scheduled EventBridge rules, on one Scheduler. */
export function wireSchedules(w: SchedulesWiring): { scheduler: Scheduler; schedules: Schedules; scheduledRules: ScheduledRules; delivery: ScheduleDelivery } {
  const report = (message: string) => console.error(`hearth: ${message}`);
  const functionExists = (arn: string) => {
    try {
      const ref = parseFunctionRef(arn);
      w.images.target(ref.name, ref.qualifier);
      return true;
    } catch {
      return false;
    }
  };
  const queueExists = (arn: string) => {
    try {
      w.queues.queue(arn);
      return true;
    } catch {
      return false;
    }
  };
  const delivery = new ScheduleDelivery(
    {
      invokeFunction(arn, payload) {
        // Scheduler invokes Lambda asynchronously; the function's own retries apply from there.
        const ref = parseFunctionRef(arn);
        w.images.target(ref.name, ref.qualifier);
        w.async.enqueue(ref.name, ref.qualifier, payload);
      },
      sendToQueue(arn, body, attributes) {
        w.queues.send(arn, { body, attributes });
      },
    },
    new SqliteJobStore<PendingDelivery>(w.db, 'schedule_deliveries'),
    w.clock,
    w.random,
    report,
  );
  const scheduler = new Scheduler(w.clock, w.random, report);
  const schedules = new Schedules({
    kv: w.kv,
    scheduler,
    delivery,
    checks: { functionExists, queueExists },
    clock: w.clock,
    region: w.region,
    transaction: (fn) => w.db.transaction(fn)(),
  });
  const scheduledRules = new ScheduledRules(w.kv, scheduler, w.clock, w.region);
  return { scheduler, schedules, scheduledRules, delivery };
}
