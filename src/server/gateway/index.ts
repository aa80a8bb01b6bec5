/** The WebSocket service: the web app, /healthz and live sessions over /ws, from one Node process. */
export { startGateway, DEFAULT_DIST_DIR, DEFAULT_HOST, DEFAULT_PORT, type Gateway, type GatewayHealth, type GatewayOptions } from './server.ts';
export { DEFAULT_LIMITS, TokenBucket, type GatewayLimits } from './limits.ts';
export { buildCatalog, RPC_SCRIPTS } from './catalog.ts';
export { checkUpgrade, contentSecurityPolicy, isLoopbackHost, joinCodeMatches, makeJoinCode, securityHeaders } from './security.ts';
export { resolveStatic } from './static.ts';
export { fieldPath } from './connection.ts';
