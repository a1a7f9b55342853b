export { FunctionRegistry, type CreateFunctionInput, type RegistryOptions } from './function-registry.js';
export { FunctionImages } from './function-images.js';
export { type StoredFunction, type ConfigPatch, DEFAULTS, ENV_LIMIT_BYTES } from './function-config.js';
export { zipDirectory, ZIPPED_LIMIT, UNZIPPED_LIMIT } from './code-package.js';
