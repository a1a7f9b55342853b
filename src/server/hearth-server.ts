import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createApi } from '../api/index.js';
import { systemClock, systemRandom, type Clock, type Random } from '../common/index.js';
import { AliasRegistry, FunctionImages, FunctionRegistry, FunctionUrlConfigs, HttpRoutes, LayerRegistry, ProvisionedConcurrency, ReservedConcurrency, VersionRegistry } from '../control/index.js';
import { createGateway } from '../gateway/index.js';
import { Invoker } from '../invoke/index.js';
import { keepAlivePolicy } from '../keepalive/index.js';
import { availableRuntimes, EnvironmentFactory, type GenericPool, PoolManager } from '../pool/index.js';
import { createSandboxDriver, type SandboxDriver } from '../sandbox/index.js';
import { FsBlobs, openDatabase, SqliteKv, SqliteLogStore } from '../store/index.js';
import { FunctionLogs } from '../telemetry/index.js';
import { MessageMoveTasks, QueueService } from '../queues/index.js';
import type { AsyncInvoker, EventSourceMappings } from '../events/index.js';
import type { ScheduledRules, Schedules } from '../events/index.js';
import { queueSink, wireEvents } from './wire-events.js';
import { wireSchedules } from './wire-schedules.js';
import { wireEventBuses } from './wire-event-buses.js';
import { checkExposure, DEFAULT_CONFIG, type ServerConfig } from './config.js';
import { createGenericPool } from './prewarm.js';
import { wireObjects } from './wire-objects.js';
import { FunctionCredentials } from './function-credentials.js';
import { KvTables } from '../services/index.js';
import type { StepFunctions } from '../executions/index.js';
import { wireStepFunctions } from './wire-step-functions.js';

export interface Hearth {
  url: string;
  port: number;
  /** Base URL of the HTTP trigger listener (function URLs, routes). */
  gatewayUrl: string;
  gatewayPort: number;
  dataDir: string;
  driver: SandboxDriver;
  pools: PoolManager;
  /** Pre-warmed generic environments; absent when disabled (`--prewarm 0`) or unsupported. */
  generic?: GenericPool;
  invoker: Invoker;
  registry: FunctionRegistry;
  versions: VersionRegistry;
  aliases: AliasRegistry;
  layers: LayerRegistry;
  /** SQS-compatible standard queues: the port for sending to and taking from queues. */
  queues: QueueService;
  reserved: ReservedConcurrency;
  provisioned: ProvisionedConcurrency;
  async: AsyncInvoker;
  mappings: EventSourceMappings;
  /** EventBridge Scheduler's schedules. */
  schedules: Schedules;
  /** The hook that makes EventBridge rules with a ScheduleExpression fire. */
  scheduledRules: ScheduledRules;
  routes: HttpRoutes;
  functionUrls: FunctionUrlConfigs;
  /** The KV store's tables. */
  kvTables: KvTables;
  /** Step Functions: state machines and their durable executions. */
  stepFunctions: StepFunctions;
  stop(): Promise<void>;
}

/** The composition root: config → adapters → wiring → listening server. Decides nothing. */
export async function startHearth(
  partial: Partial<ServerConfig> = {},
  clock: Clock = systemClock,
  random: Random = systemRandom,
): Promise<Hearth> {
  const config: ServerConfig = { ...DEFAULT_CONFIG, ...partial };
  checkExposure(config);
  const policy = keepAlivePolicy(config.keepAlivePolicy, config.keepAliveMs);
  const dataDir = config.ephemeral ? mkdtempSync(join(tmpdir(), 'hearth-')) : resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true });

  const db = openDatabase(join(dataDir, 'hearth.db'));
  const kv = new SqliteKv(db);
  const queues = new QueueService(db, clock, config.region);
  const moveTasks = new MessageMoveTasks(queues, clock);
  const logs = new FunctionLogs(new SqliteLogStore(db, config.logRetentionPerFunction), clock);
  const runtimes = availableRuntimes();
  const driver = createSandboxDriver(config.sandbox);
  driver.sweep();
  // Generic environments and pools share the node's capacity: refills only into free room.
  const generic = createGenericPool(config.prewarm, driver, runtimes, dataDir, clock, (mb) => pools.hasRoom(mb));
  const credentials = FunctionCredentials.open(dataDir);
  let apiUrl = '';
  // Every environment reaches this Hearth with no configuration: the AWS SDK through
  // AWS_ENDPOINT_URL and the function's own credential, the KV client through HEARTH_ENDPOINT.
  const serviceVariables = (name: string) => {
    const { accessKeyId, secretAccessKey } = credentials.forFunction(name);
    return { AWS_ENDPOINT_URL: apiUrl, HEARTH_ENDPOINT: apiUrl, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey };
  };
  const factory = new EnvironmentFactory(driver, runtimes, clock, generic, serviceVariables);
  const pools: PoolManager = new PoolManager(factory, clock, {
    reservedMb: () => generic?.reservedMb() ?? 0,
    shedReserved: (mb) => void generic?.shed(mb),
    keepAliveMs: config.keepAliveMs,
    keepAlivePolicy: policy,
    shutdownGraceMs: config.shutdownGraceMs,
    capacityMb: config.capacityMb,
    scaleRate: config.scaleRate,
  });
  const blobs = new FsBlobs(join(dataDir, 'packages'));
  const codeDir = join(dataDir, 'code');
  const layers = new LayerRegistry({ kv, blobs, codeDir, optDir: join(dataDir, 'opt'), region: config.region, clock, unzippedLimit: config.unzippedLimitBytes });
  const queuePort = queueSink(queues);
  const registry = new FunctionRegistry({
    deadLetterTargetExists: (arn) => queuePort.exists(arn),
    kv,
    blobs,
    codeDir,
    layers,
    runtimes: new Set(runtimes.keys()),
    region: config.region,
    clock,
    // A redeploy retires $LATEST's old environments (the next request cold-starts the new
    // code); published versions keep theirs. Deleting the function retires them all.
    onChange: (name, version) => void (version ? pools.retireVersion(name, version) : pools.retireFunction(name)),
  });
  let provisioned: ProvisionedConcurrency | undefined;
  const versions = new VersionRegistry({
    kv,
    registry,
    clock,
    onDelete: (name, version) => {
      provisioned?.forgetVersion(name, version);
      void pools.retireVersion(name, version);
    },
  });
  const aliases = new AliasRegistry(kv, registry, versions);
  const images = new FunctionImages(registry, versions, aliases, config.region, random);
  const reserved = new ReservedConcurrency(kv, registry, config.maxConcurrency);
  provisioned = new ProvisionedConcurrency({ kv, registry, aliases, images, pools, reserved, clock });
  const invoker = new Invoker(pools, logs, clock, { maxConcurrency: config.maxConcurrency, reservations: reserved });
  const { async, eventConfigs, mappings } = wireEvents({
    queues: queuePort,
    queueService: queues,
    region: config.region,
    db,
    kv,
    registry,
    images,
    invoker,
    clock,
    random,
    retryDelaysMs: config.asyncRetryDelaysMs,
    parallel: Math.min(config.maxConcurrency, 256),
  });
  const kvTables = new KvTables(kv, clock);
  const functionUrls = new FunctionUrlConfigs(kv, registry, images, clock);
  const routes = new HttpRoutes(kv, images, clock);
  let gatewayUrl = '';
  const { scheduler, schedules, scheduledRules, delivery: scheduleDelivery } = wireSchedules({ db, kv, images, async, queues, clock, random, region: config.region });
  const { buses, eventRouter } = wireEventBuses({ db, kv, images, async, queues: queuePort, clock, region: config.region, scheduledRules });
  const { objects, uploads } = wireObjects({ db, dataDir, images, async, queues: queuePort, clock, region: config.region });
  const { host: workflowHost, stepFunctions } = wireStepFunctions({ db, images, registry, invoker, clock, random, region: config.region, parallel: Math.min(config.maxConcurrency, 256) });
  const api = createApi(
    { stepFunctions, objects, uploads, schedules, buses, eventRouter, functionUrls, routes, gatewayUrl: () => gatewayUrl, registry, versions, aliases, layers, images, invoker, logs, pools, reserved, provisioned, async, eventConfigs, mappings, region: config.region, queues, tasks: moveTasks, kvTables },
    { accessKeyId: config.credentials?.accessKeyId, acceptsKey: (id) => credentials.knows(id) },
  );

  const server: Server = createServer({ keepAliveTimeout: 65_000 }, api);
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(config.port, config.host, () => ok());
  });
  // Known before any environment starts (pools start below), so each one sees it.
  apiUrl = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${(server.address() as AddressInfo).port}`;
  const gateway: Server = createServer({ keepAliveTimeout: 65_000 }, createGateway({ routes, urls: functionUrls, images, invoker, clock, arn: (n, q) => registry.arn(n, q) }));
  try {
    await new Promise<void>((ok, fail) => {
      gateway.once('error', fail);
      gateway.listen(config.gatewayPort ?? (config.port === 0 ? 0 : 9001), config.host, () => ok());
    });
  } catch (err) {
    server.close();
    throw err;
  }
  pools.start();
  kvTables.start();
  generic?.start();
  provisioned.start();
  queues.start();
  async.start();
  mappings.start();
  scheduleDelivery.start();
  schedules.start();
  scheduler.start();
  workflowHost.start();
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const gatewayPort = (gateway.address() as AddressInfo).port;
  gatewayUrl = `http://${host}:${gatewayPort}`;

  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    gatewayUrl,
    gatewayPort,
    routes,
    functionUrls,
    kvTables,
    stepFunctions,
    dataDir,
    driver,
    pools,
    generic,
    invoker,
    registry,
    versions,
    aliases,
    layers,
    queues,
    reserved,
    provisioned,
    async,
    mappings,
    schedules,
    scheduledRules,
    stop() {
      stopping ??= (async () => {
        async.stop();
        mappings.stop();
        scheduler.stop();
        scheduleDelivery.stop();
        workflowHost.stop();
        server.closeAllConnections();
        gateway.closeAllConnections();
        await Promise.all([server, gateway].map((s) => new Promise<void>((ok) => s.close(() => ok()))));
        await Promise.all([pools.shutdown(), generic?.shutdown()]);
        moveTasks.stop();
        kvTables.stop();
        queues.stop();
        logs.flush();
        db.close();
        if (config.ephemeral) rmSync(dataDir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}
