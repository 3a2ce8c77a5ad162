/**
 * The bare oidc-provider yardstick in a process of its own, as the service runs in its own for
 * the latency part: prints one JSON line (issuer and client-credentials client) once it listens
 * and serves until SIGTERM. With BARE_REDIS_URL it keeps its models in that Redis.
 */
import argon2 from 'argon2';
import { startBareProvider } from './bare-provider.ts';

const bare = await startBareProvider(await argon2.hash('unused by the token endpoint'), { redisUrl: process.env.BARE_REDIS_URL || undefined });
process.stdout.write(`${JSON.stringify({ issuer: bare.issuer, clientId: bare.clientId, secret: bare.secret })}\n`);
process.once('SIGTERM', () => {
  void bare.close().then(() => process.exit(0));
});
