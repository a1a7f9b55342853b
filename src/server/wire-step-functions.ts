/** Step Functions: records and effect jobs in the main database, tasks through the Invoker. */
import type { Clock, Random } from '../common/index.js';
import type { FunctionImages, FunctionRegistry } from '../control/index.js';
import { DurableHost, lambdaCall, SfnRecords, StepFunctions, type TaskJob, taskOutcome } from '../executions/index.js';
import type { Invoker } from '../invoke/index.js';
import { SqliteJobStore, type SqliteDatabase } from '../store/index.js';
import type { TaskInvoker } from '../workflow/index.js';

export interface StepFunctionsWiring {
  db: SqliteDatabase;
  images: FunctionImages;
  registry: FunctionRegistry;
  invoker: Invoker;
  clock: Clock;
  random: Random;
  region: string;
  parallel: number;
}

export function wireStepFunctions(w: StepFunctionsWiring): { host: DurableHost; stepFunctions: StepFunctions } {
  const records = new SfnRecords(w.db);
  const resolve = (name: string, qualifier?: string) => w.images.resolve(name, qualifier).image;
  const arn = (name: string, qualifier?: string) => w.registry.arn(name, qualifier);
  const host = new DurableHost({
    records,
    jobs: new SqliteJobStore<TaskJob>(w.db, 'sfn_tasks'),
    invoker: w.invoker,
    resolve,
    arn,
    clock: w.clock,
    random: w.random,
    region: w.region,
    parallel: w.parallel,
    report: (m) => console.error(`hearth: ${m}`),
  });
  // Express executions call the same functions the same way, without the durable jobs.
  const sync: TaskInvoker = async (resource, payload) => {
    const call = lambdaCall(resource, payload);
    if (!('name' in call)) return { failure: call };
    const result = await w.invoker.invoke({ image: resolve(call.name, call.qualifier), invokedArn: arn(call.name, call.qualifier), payload: call.payload });
    return taskOutcome(call, result);
  };
  const stepFunctions = new StepFunctions({ records, host, sync, clock: w.clock, random: w.random, region: w.region });
  return { host, stepFunctions };
}
