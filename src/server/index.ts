export { startHearth, type Hearth } from './hearth-server.js';
export { DEFAULT_CONFIG, defaultCapacityMb, parseDuration, parseRetryDelays, parseScaleRate, type ServerConfig } from './config.js';
