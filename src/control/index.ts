export { FunctionRegistry, type CreateFunctionInput, type RegistryOptions } from './function-registry.js';
export { FunctionImages, type Target } from './function-images.js';
export { VersionRegistry, type VersionRegistryOptions, type PublishInput, type VersionEntry } from './version-registry.js';
export { AliasRegistry, type AliasInput, type AliasPatch } from './alias-registry.js';
export { routeAlias } from './alias-routing.js';
export type { StoredAlias, StoredVersion } from './version-store.js';
export { type StoredFunction, type ConfigPatch, DEFAULTS, ENV_LIMIT_BYTES } from './function-config.js';
export { LayerRegistry, MAX_FUNCTION_LAYERS, type FunctionLayer, type LayerFilter, type LayerRegistryOptions, type PublishLayerInput, type StoredLayerVersion } from './layer-registry.js';
export { zipDirectory, ZIPPED_LIMIT, UNZIPPED_LIMIT } from './code-package.js';
