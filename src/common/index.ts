export * from './errors.js';
export * from './clock.js';
export * from './random.js';
export * from './ids.js';
export * from './arn.js';
export type * from './protocol.js';
