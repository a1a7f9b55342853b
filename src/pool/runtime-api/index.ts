export { closingOnError, RuntimeApiServer } from './runtime-api-server.js';
export { API_VERSION, RESPONSE_LIMIT, RuntimeSession } from './runtime-session.js';
export { clientSocketInode, connectionOwnedBy, heldByAny, peakRssKb } from './peer.js';
