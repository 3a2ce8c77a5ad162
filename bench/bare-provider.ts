/**
 * A bare oidc-provider as the yardstick: its default in-memory adapter and default account
 * (no storage, no password), mounted in a plain express app, with
 * - one confidential client for client credentials and introspection, and
 * - one for the authorization code flow with PKCE, signed in through pages shaped like ours
 *   (a chooser, a form, a POST) whose POST verifies the password against the same argon2id hash
 *   our persons have, and otherwise stores and checks nothing.
 * The second is the fair yardstick for our password login: the same six requests and the same
 * hash, with none of our work (look-up, limits, audit, policy, CSRF, sessions in Redis).
 */
import argon2 from 'argon2';
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import express from 'express';
import Provider from 'oidc-provider';
import { generateClientSecret } from '../src/crypto/client-secret.ts';
import type { BenchClient } from './service.ts';
import { redisAdapterClass } from './bare-redis-adapter.ts';
import type { Floor } from './bare-floor.ts';

export interface BareProvider {
  issuer: string;
  clientId: string;
  secret: string;
  /** for the login flow; the method page is /interaction/<uid>/method/<any> as on ours */
  loginClient: BenchClient;
  close(): Promise<void>;
}

const page = (body: string) => `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>登录</title></head><body>${body}</body></html>`;

/**
 * `redisUrl`: the provider keeps its models in that Redis (bare-redis-adapter.ts) instead of its
 * memory; `floor`: its sign-in does the least the project's rules ask (bare-floor.ts).
 */
export async function startBareProvider(secretHash: string, o: { redisUrl?: string; floor?: Floor } = {}): Promise<BareProvider> {
  const { floor } = o;
  const store = o.redisUrl ? await redisAdapterClass(o.redisUrl, `bare:${randomBytes(4).toString('hex')}:`) : undefined;
  const server = createServer();
  // longer than any pause between windows, as for our service
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const clientId = 'bare-app';
  const secret = generateClientSecret();
  const loginClient: BenchClient = { clientId: 'bare-login-app', secret: generateClientSecret(), redirectUri: 'http://127.0.0.1:9/callback' };
  const provider = new Provider(issuer, {
    ...(store ? { adapter: store.Adapter } : {}),
    clients: [
      { client_id: clientId, client_secret: secret, grant_types: ['client_credentials'], redirect_uris: [], response_types: [] },
      { client_id: loginClient.clientId, client_secret: loginClient.secret, redirect_uris: [loginClient.redirectUri] },
    ],
    features: { clientCredentials: { enabled: true }, introspection: { enabled: true }, devInteractions: { enabled: false } },
    pkce: { required: () => true },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  });

  const app = express();
  app.get('/interaction/:uid', async (req, res, next) => {
    try {
      const { uid } = await provider.interactionDetails(req, res);
      res.type('html').send(page(`<a href="/interaction/${uid}/method/any">登录</a>`));
    } catch (err) {
      next(err);
    }
  });
  app.get('/interaction/:uid/method/:method', async (req, res, next) => {
    try {
      const { uid } = await provider.interactionDetails(req, res);
      const csrf = floor ? floor.csrf(uid) : randomBytes(16).toString('base64url');
      res.type('html').send(
        page(
          `<form method="post" action="/interaction/${uid}/method/${encodeURIComponent(req.params.method)}"><input type="hidden" name="csrf" value="${csrf}">` +
            `<input type="hidden" name="step" value="login"><input name="id_number"><input name="password" type="password"><button>登录</button></form>`,
        ),
      );
    } catch (err) {
      next(err);
    }
  });
  app.post('/interaction/:uid/method/:method', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res, next) => {
    try {
      const details = await provider.interactionDetails(req, res);
      const body = req.body as { id_number?: unknown; password?: unknown; csrf?: unknown };
      if (floor && !floor.csrfHolds(details.uid, body.csrf)) {
        res.status(403).type('html').send(page('请刷新页面'));
        return;
      }
      const idNumber = String(body.id_number ?? 'anybody');
      const password = String(body.password ?? '');
      const signedIn = floor
        ? await floor.signIn(idNumber, password, req.socket.remoteAddress ?? '', String(details.params.client_id))
        : (await argon2.verify(secretHash, password)) ? idNumber : undefined;
      if (!signedIn) {
        res.status(400).type('html').send(page('密码错误'));
        return;
      }
      const accountId = signedIn;
      // what a first-party client gets on ours: no consent page
      const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { login: { accountId }, consent: { grantId } }, { mergeWithLastSubmission: false });
    } catch (err) {
      next(err);
    }
  });
  app.use(provider.callback());
  server.on('request', app);
  return {
    issuer,
    clientId,
    secret,
    loginClient,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await store?.close();
      await floor?.close();
    },
  };
}
