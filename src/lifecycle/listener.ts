/**
 * The service's HTTP listener, with a graceful stop: drain() marks the app as draining (its
 * /readyz answers 503 from then on), stops accepting connections, lets the requests in flight
 * finish and closes every keep-alive connection as soon as it has nothing in flight. Requests
 * still running at the deadline lose their connections.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { log } from '../log.ts';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const draining = new WeakSet<object>();

/** true once the listener serving `app` has begun to stop (read by /readyz) */
export function isDraining(app: object): boolean {
  return draining.has(app);
}

export interface Listener {
  server: Server;
  port: number;
  /** Resolves 'clean' when every request finished within `timeoutMs`, 'forced' when the deadline cut some off. */
  drain(timeoutMs: number): Promise<'clean' | 'forced'>;
}

export async function listen(app: Handler & object, port: number, host: string): Promise<Listener> {
  const inFlight = new Set<ServerResponse>();
  let stopping = false;
  let drained: Promise<'clean' | 'forced'> | undefined;

  const server = createServer((req, res) => {
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      // the connection this response leaves idle is closed (once Node has marked it idle) rather than kept alive
      if (stopping) setImmediate(() => server.closeIdleConnections());
    });
    if (stopping) res.setHeader('Connection', 'close');
    app(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  return {
    server,
    port: (server.address() as AddressInfo).port,
    drain(timeoutMs) {
      return (drained ??= drainWithin(timeoutMs));
    },
  };

  async function drainWithin(timeoutMs: number): Promise<'clean' | 'forced'> {
    stopping = true;
    draining.add(app);
    for (const res of inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    // close() stops accepting and closes idle connections; its callback waits for the busy ones
    const closed = new Promise<'clean'>((resolve) => server.close(() => resolve('clean')));
    // after close(): whoever reads this line finds the port refusing connections
    log.info({ inFlight: inFlight.size, timeoutMs }, 'draining: no new connections, waiting for requests in flight');
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'forced'>((resolve) => {
      timer = setTimeout(() => resolve('forced'), timeoutMs);
    });
    const outcome = await Promise.race([closed, deadline]);
    clearTimeout(timer);
    if (outcome === 'forced') {
      server.closeAllConnections();
      await closed;
    }
    return outcome;
  }
}
