/**
 * The metrics listener: GET /metrics in the Prometheus text format, on its own port (METRICS_PORT,
 * loopback unless METRICS_HOST says otherwise), never on the public listener. It serves this
 * process's metrics, or, in the primary of a cluster, the sum of every worker's (each worker
 * answers from its own registry; see metrics.ts).
 */
import { createServer, type Server } from 'node:http';
import { AggregatorRegistry } from 'prom-client';
import type { Config } from '../config/env.ts';
import { log } from '../log.ts';
import { METRICS_CONTENT_TYPE, processMetrics } from './metrics.ts';

export interface MetricsListener {
  url: string;
  close(): Promise<void>;
}

export interface MetricsListenerOptions {
  host: string;
  /** 0 picks a free port (tests); turning metrics off is the caller's choice, not this module's */
  port: number;
  /** 'cluster': run in the primary, report the workers' metrics summed */
  source: 'process' | 'cluster';
}

export async function startMetricsListener(o: MetricsListenerOptions): Promise<MetricsListener> {
  const collect = o.source === 'cluster' ? clusterCollector() : processMetrics;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    collect().then(
      (text) => res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : text),
      (err: unknown) => {
        log.error({ err }, 'metrics not collected');
        res.writeHead(503, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
      },
    );
  });
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new Error(`metrics listener on ${o.host}:${o.port} (METRICS_HOST, METRICS_PORT): ${err.code ?? err.message}`, { cause: err })),
    );
    server.listen(o.port, o.host, () => resolve());
  });
  const address = server.address() as { address: string; port: number };
  const host = address.address.includes(':') ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function clusterCollector(): () => Promise<string> {
  const aggregator = new AggregatorRegistry();
  return () => aggregator.clusterMetrics();
}

/**
 * The listener the configuration asks for (METRICS_PORT=0: none). `cluster` in the primary of
 * several workers; `process` in a single process. Returns how to stop it.
 */
export async function serveMetrics(config: Pick<Config, 'metrics'>, source: MetricsListenerOptions['source']): Promise<{ url?: string; close(): Promise<void> }> {
  if (!config.metrics) return { close: async () => undefined };
  const listener = await startMetricsListener({ ...config.metrics, source });
  log.info({ url: listener.url, source }, 'metrics listening');
  return listener;
}
