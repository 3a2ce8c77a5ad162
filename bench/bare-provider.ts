/**
 * A bare oidc-provider as the yardstick for our token endpoint: one client, client credentials
 * and introspection on, its default in-memory adapter, mounted in a plain express app.
 */
import { createServer } from 'node:http';
import express from 'express';
import Provider from 'oidc-provider';
import { generateClientSecret } from '../src/crypto/client-secret.ts';

export interface BareProvider {
  issuer: string;
  clientId: string;
  secret: string;
  close(): Promise<void>;
}

export async function startBareProvider(): Promise<BareProvider> {
  const server = createServer();
  // longer than any pause between windows, as for our service
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const clientId = 'bare-app';
  const secret = generateClientSecret();
  const provider = new Provider(issuer, {
    clients: [{ client_id: clientId, client_secret: secret, grant_types: ['client_credentials'], redirect_uris: [], response_types: [] }],
    features: { clientCredentials: { enabled: true }, introspection: { enabled: true } },
  });
  const app = express();
  app.use(provider.callback());
  server.on('request', app);
  return {
    issuer,
    clientId,
    secret,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
