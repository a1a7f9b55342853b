import { type Clock, invalid, parseFunctionRef, type Random } from '../common/index.js';
import type { FunctionImages, FunctionRegistry } from '../control/index.js';
import { AsyncInvoker, type AsyncEvent, type DestinationSinks, EventInvokeConfigs, EventSourceMappings } from '../events/index.js';
import type { Invoker } from '../invoke/index.js';
import type { QueueService } from '../queues/index.js';
import { type Kv, type SqliteDatabase, SqliteJobStore } from '../store/index.js';

/** What asynchronous invocation can send to queues; absent until the queue service is wired. */
export interface QueuePort {
  exists(queueArn: string): boolean;
  send(queueArn: string, body: string, attributes?: Record<string, { DataType: string; StringValue: string }>): void;
}

/** The queue service as asynchronous invocation sees it: queues named by ARN. */
export function queueSink(queues: QueueService): QueuePort {
  return {
    exists(queueArn) {
      try {
        queues.queue(queueArn);
        return true;
      } catch {
        return false;
      }
    },
    send(queueArn, body, attributes) {
      queues.send(queueArn, { body, attributes });
    },
  };
}

export interface EventsWiring {
  db: SqliteDatabase;
  kv: Kv;
  registry: FunctionRegistry;
  images: FunctionImages;
  invoker: Invoker;
  clock: Clock;
  random: Random;
  retryDelaysMs: readonly number[];
  parallel: number;
  queues: QueuePort;
  /** The queue service itself: event source mappings poll it. */
  queueService: QueueService;
  region: string;
}

/** Asynchronous invocation: its durable event table, settings, destinations. */
export function wireEvents(w: EventsWiring): { async: AsyncInvoker; eventConfigs: EventInvokeConfigs; mappings: EventSourceMappings } {
  const target = (name: string, qualifier?: string) => void w.images.target(name, qualifier);
  const eventConfigs = new EventInvokeConfigs(
    w.kv,
    {
      target,
      destination(arn) {
        if (arn.startsWith('arn:aws:sqs:')) {
          if (!w.queues.exists(arn)) throw invalid(`The destination queue ${arn} does not exist.`);
          return;
        }
        if (arn.startsWith('arn:aws:lambda:')) {
          const ref = parseFunctionRef(arn);
          try {
            target(ref.name, ref.qualifier);
          } catch {
            throw invalid(`The destination function ${arn} does not exist.`);
          }
          return;
        }
        throw invalid(`Destination ${arn} is not supported by Hearth yet: use an SQS queue or a Lambda function ARN.`);
      },
    },
    w.clock,
  );
  w.registry.onDelete((name) => eventConfigs.forget(name));

  let async: AsyncInvoker;
  const sinks: DestinationSinks = {
    sendToQueue(queueArn, body, attributes) {
      w.queues.send(queueArn, body, attributes);
    },
    invokeAsync(functionArn, payload) {
      const ref = parseFunctionRef(functionArn);
      async.enqueue(ref.name, ref.qualifier, payload);
    },
  };
  async = new AsyncInvoker({
    jobs: new SqliteJobStore<AsyncEvent>(w.db, 'async_invocations'),
    invoker: w.invoker,
    configs: eventConfigs,
    sinks,
    resolve: (name, qualifier) => w.images.resolve(name, qualifier).image,
    arn: (name, qualifier) => w.registry.arn(name, qualifier),
    deadLetterTarget: (name, qualifier) => w.images.resolve(name, qualifier).fn.deadLetterTargetArn,
    clock: w.clock,
    random: w.random,
    retryDelaysMs: w.retryDelaysMs,
    parallel: w.parallel,
    report: (message) => console.error(`hearth: ${message}`),
  });
  const report = (message: string) => console.error(`hearth: ${message}`);
  const mappings = new EventSourceMappings(
    w.kv,
    w.queueService,
    {
      target,
      timeoutOf: (name, qualifier) => w.images.target(name, qualifier).fn.timeoutS,
      parseFunction: parseFunctionRef,
    },
    {
      queues: w.queueService,
      invoke: (name, qualifier, payload) =>
        w.invoker.invoke({ image: w.images.resolve(name, qualifier).image, invokedArn: w.registry.arn(name, qualifier), payload }),
      clock: w.clock,
      random: w.random,
      region: w.region,
      report,
    },
    w.clock,
  );
  w.registry.onDelete((name) => mappings.forgetFunction(name));
  return { async, eventConfigs, mappings };
}
