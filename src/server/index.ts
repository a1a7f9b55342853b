export { startHearth, type Hearth } from './hearth-server.js';
export { DEFAULT_CONFIG, parseDuration, type ServerConfig } from './config.js';
