import type { Router } from '../http.js';
import { createFunction } from './create-function.js';
import { deleteFunction } from './delete-function.js';
import type { LambdaApiDeps } from './deps.js';
import { getFunction } from './get-function.js';
import { getFunctionConfiguration } from './get-function-configuration.js';
import { invoke } from './invoke.js';
import { listFunctions } from './list-functions.js';
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
  ]) {
    router.add(route);
  }
}
