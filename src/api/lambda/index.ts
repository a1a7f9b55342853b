import type { Router } from '../http.js';
import { createAlias } from './create-alias.js';
import { createFunction } from './create-function.js';
import { deleteAlias } from './delete-alias.js';
import { deleteFunction } from './delete-function.js';
import type { LambdaApiDeps } from './deps.js';
import { getAlias } from './get-alias.js';
import { getFunction } from './get-function.js';
import { getFunctionConfiguration } from './get-function-configuration.js';
import { invoke } from './invoke.js';
import { listAliases } from './list-aliases.js';
import { listFunctions } from './list-functions.js';
import { listVersionsByFunction } from './list-versions-by-function.js';
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
  ]) {
    router.add(route);
  }
}
