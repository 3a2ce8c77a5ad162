/**
 * A bench service in WORKERS processes with node:cluster, sharing one port: the primary forks
 * the workers, each builds the service from the setup of a bench service the parent already
 * started (same schema, Redis prefix, keys and sandbox, so the same clients and persons) and
 * serves it. Prints "ready" once every worker listens. Started by cluster.ts.
 *
 *   BENCH_CLUSTER='{"workers":2,"port":4100,"setup":{…}}' node --import tsx bench/workers/serve.ts
 */
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { z } from 'zod';
import { createAppContext } from '../../src/app-context.ts';
import { benchAppOptions, benchConfig } from '../service.ts';

const input = z
  .object({
    workers: z.number().int().min(1).max(64),
    port: z.number().int().min(1).max(65535),
    setup: z.object({
      databaseUrl: z.string().optional(),
      redisUrl: z.string().optional(),
      keysDir: z.string(),
      clientsDir: z.string(),
      authoritiesUrl: z.string(),
      schema: z.string().optional(),
      prefix: z.string(),
    }),
  })
  .parse(JSON.parse(process.env.BENCH_CLUSTER ?? 'null'));

if (cluster.isPrimary) {
  let ready = 0;
  const stop = () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.kill();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  cluster.on('message', (_worker, message) => {
    if (message === 'ready' && ++ready === input.workers) console.log('ready');
  });
  cluster.on('exit', (_w, code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') {
      console.error(`a worker ended (${code ?? signal})`);
      stop();
    }
  });
  for (let i = 0; i < input.workers; i++) cluster.fork();
} else {
  const ctx = await createAppContext(benchConfig(input.setup, input.port), benchAppOptions(input.setup));
  const server = createServer(ctx.app);
  server.keepAliveTimeout = 30_000;
  server.listen(input.port, '127.0.0.1', () => process.send?.('ready'));
  process.on('disconnect', () => process.exit(0));
}
