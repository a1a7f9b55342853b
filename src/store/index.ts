export type * from './ports.js';
export { openDatabase, type SqliteDatabase } from './sqlite/database.js';
export { SqliteKv } from './sqlite/sqlite-kv.js';
export { SqliteLogStore } from './sqlite/sqlite-log-store.js';
export { FsBlobs } from './fs-blobs.js';
export type * from './jobs.js';
export { SqliteJobStore } from './sqlite/sqlite-job-store.js';
