export type { Sandbox, SandboxDriver, SandboxLayout, SandboxSpec } from './driver.js';
export { ProcessDriver } from './process-sandbox.js';
export { CgroupV1, MB_PER_CPU } from './cgroup-v1.js';
export { createSandboxDriver, type SandboxMode } from './detect.js';
export { Slots, type Slot } from './slots.js';
