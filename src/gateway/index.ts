export { createGateway, URL_PREFIX, type GatewayDeps } from './gateway.js';
export { RouteMatcher, type RouteMatch } from './route-matcher.js';
export { buildEventV2, clfTime, isTextual, queryParameters, type EventContext, type HttpEventV2, type HttpRequestParts } from './event-v2.js';
export { mapResponseV2, type HttpReply } from './response-v2.js';
export { isPreflight, preflightHeaders, responseCorsHeaders, overrideHeaders } from './cors.js';
