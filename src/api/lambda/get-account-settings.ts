import { UNZIPPED_LIMIT, ZIPPED_LIMIT } from '../../control/index.js';
import type { Route } from '../http.js';
import { sendJson } from '../http.js';
import type { LambdaApiDeps } from './deps.js';

/** GetAccountSettings: this node's limits and use, in Lambda's shape. */
export const getAccountSettings = (d: LambdaApiDeps): Route => ({
  method: 'GET',
  path: '/2016-08-19/account-settings',
  handler(_req, res) {
    let count = 0;
    let codeBytes = 0;
    let marker: string | undefined;
    do {
      const page = d.registry.list(marker, 1000);
      for (const fn of page.functions) {
        count++;
        codeBytes += fn.codeSize;
      }
      marker = page.nextMarker;
    } while (marker);
    sendJson(res, 200, {
      AccountLimit: {
        CodeSizeZipped: ZIPPED_LIMIT,
        CodeSizeUnzipped: UNZIPPED_LIMIT,
        ConcurrentExecutions: d.reserved.accountLimit,
        UnreservedConcurrentExecutions: d.reserved.accountLimit - d.reserved.totalReserved(),
      },
      // $LATEST only: published versions share their code package with it or an earlier one.
      AccountUsage: { TotalCodeSize: codeBytes, FunctionCount: count },
    });
  },
});
