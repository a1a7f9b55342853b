export { FixedKeepAlive, type KeepAlivePolicy, type KeepAliveWindows } from './policy.js';
export { HybridHistogramKeepAlive, type HybridHistogramOptions } from './hybrid-histogram.js';
export { IdleHistogram } from './idle-histogram.js';
export { KEEP_ALIVE_POLICIES, keepAlivePolicy, type KeepAlivePolicyName } from './choose.js';
