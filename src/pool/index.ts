export { Environment, InitError, type InvokeOutcome, type EnvironmentState } from './environment.js';
export { EnvironmentFactory, type InitializationType } from './environment-factory.js';
export type { FunctionImage } from './function-image.js';
export { FunctionPool, type Placement } from './function-pool.js';
export { PoolManager, type PoolOptions } from './pool-manager.js';
export { GenericPool, MAX_SLOT_ENTRIES, type GenericPoolOptions } from './generic-pool.js';
export { GenericLauncher, GENERIC_IDLE_MB, GENERIC_TMP_MB } from './generic-environment.js';
export { availableRuntimes, findPython, type PythonInstall, type RuntimeLauncher } from './runtimes.js';
