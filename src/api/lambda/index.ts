import type { Router } from '../http.js';
import { createAlias } from './create-alias.js';
import { createFunction } from './create-function.js';
import { deleteAlias } from './delete-alias.js';
import { deleteFunction } from './delete-function.js';
import { deleteLayerVersion } from './delete-layer-version.js';
import type { LambdaApiDeps } from './deps.js';
import { getAlias } from './get-alias.js';
import { getFunction } from './get-function.js';
import { getFunctionConfiguration } from './get-function-configuration.js';
import { getLayerVersion } from './get-layer-version.js';
import { deleteFunctionConcurrency, getFunctionConcurrency, putFunctionConcurrency } from './function-concurrency.js';
import {
  deleteFunctionEventInvokeConfig,
  getFunctionEventInvokeConfig,
  listFunctionEventInvokeConfigs,
  putFunctionEventInvokeConfig,
  updateFunctionEventInvokeConfig,
} from './event-invoke-config.js';
import {
  createEventSourceMapping,
  deleteEventSourceMapping,
  getEventSourceMapping,
  listEventSourceMappings,
  updateEventSourceMapping,
} from './event-source-mapping.js';
import { getAccountSettings } from './get-account-settings.js';
import { createFunctionUrlConfig, deleteFunctionUrlConfig, getFunctionUrlConfig, listFunctionUrlConfigs, updateFunctionUrlConfig } from './function-url-config.js';
import { invoke } from './invoke.js';
import { deleteProvisionedConcurrencyConfig, getProvisionedConcurrencyConfig, putProvisionedConcurrencyConfig } from './provisioned-concurrency-config.js';
import { listAliases } from './list-aliases.js';
import { listFunctions } from './list-functions.js';
import { listLayers } from './list-layers.js';
import { listLayerVersions } from './list-layer-versions.js';
import { listVersionsByFunction } from './list-versions-by-function.js';
import { publishLayerVersion } from './publish-layer-version.js';
import { publishVersion } from './publish-version.js';
import { updateAlias } from './update-alias.js';
import { updateFunctionCode } from './update-function-code.js';
import { updateFunctionConfiguration } from './update-function-configuration.js';

export type { LambdaApiDeps } from './deps.js';

export function addLambdaRoutes(router: Router, d: LambdaApiDeps): void {
  for (const route of [
    invoke(d),
    createFunction(d),
    listFunctions(d),
    getFunction(d),
    getFunctionConfiguration(d),
    updateFunctionCode(d),
    updateFunctionConfiguration(d),
    deleteFunction(d),
    publishVersion(d),
    listVersionsByFunction(d),
    createAlias(d),
    listAliases(d),
    getAlias(d),
    updateAlias(d),
    deleteAlias(d),
    publishLayerVersion(d),
    getLayerVersion(d),
    listLayers(d), // also GetLayerVersionByArn (same path, ?find=LayerVersion)
    listLayerVersions(d),
    deleteLayerVersion(d),
    putFunctionConcurrency(d),
    getFunctionConcurrency(d),
    deleteFunctionConcurrency(d),
    putProvisionedConcurrencyConfig(d),
    getProvisionedConcurrencyConfig(d), // also ListProvisionedConcurrencyConfigs (?List=ALL)
    deleteProvisionedConcurrencyConfig(d),
    getAccountSettings(d),
    putFunctionEventInvokeConfig(d),
    updateFunctionEventInvokeConfig(d),
    getFunctionEventInvokeConfig(d),
    deleteFunctionEventInvokeConfig(d),
    listFunctionEventInvokeConfigs(d),
    createEventSourceMapping(d),
    getEventSourceMapping(d),
    updateEventSourceMapping(d),
    deleteEventSourceMapping(d),
    listEventSourceMappings(d),
    createFunctionUrlConfig(d),
    getFunctionUrlConfig(d),
    updateFunctionUrlConfig(d),
    deleteFunctionUrlConfig(d),
    listFunctionUrlConfigs(d),
  ]) {
    router.add(route);
  }
}
