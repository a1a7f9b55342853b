export { Invoker, SYNC_PAYLOAD_LIMIT, type InvokeRequest, type InvokeResult, type InvokerOptions } from './invoker.js';
export { logTail, billedMs } from './report.js';
export { ConcurrencyLedger, type Reservations } from './concurrency-ledger.js';
