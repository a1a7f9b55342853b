export { FunctionLogs } from './function-logs.js';
