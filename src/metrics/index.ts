/** Prometheus metrics: what the service counts (metrics.ts) and the listener that serves them (listener.ts). */
export {
  countBackchannelLogout,
  countCacheReload,
  countRateLimitRefusal,
  countSignIn,
  countTokenGrant,
  processMetrics,
  timeAuditAppend,
  timeAuthorityCall,
  watchPasswordHashes,
  type SignInOutcome,
} from './metrics.ts';
export { serveMetrics, startMetricsListener, type MetricsListener, type MetricsListenerOptions } from './listener.ts';
