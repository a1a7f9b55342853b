export { conditionFailed, KvTables, MAX_VALUE_BYTES, type KvItem, type ListResult, type PutOptions } from './kv/kv-tables.js';
