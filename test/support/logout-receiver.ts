/**
 * A department's back-channel logout endpoint: a real HTTP server that keeps every logout token
 * posted to it, and a check of a token the way a department must check it (OpenID Connect
 * Back-Channel Logout 1.0 §2.6): signature by the issuer's published keys, issuer, audience,
 * the logout event, no nonce.
 */
import { createServer } from 'node:http';
import assert from 'node:assert/strict';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';

export interface LogoutReceiver {
  url: string;
  tokens: string[];
  close(): Promise<void>;
}

export async function startLogoutReceiver(): Promise<LogoutReceiver> {
  const tokens: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const token = new URLSearchParams(body).get('logout_token');
      if (req.method !== 'POST' || !token) {
        res.writeHead(400).end();
        return;
      }
      tokens.push(token);
      res.writeHead(200, { 'cache-control': 'no-store' }).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/backchannel-logout`,
    tokens,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

const EVENT = 'http://schemas.openid.net/event/backchannel-logout';

/** The token's claims once it passes every check a department makes. */
export async function verifiedLogoutToken(issuer: string, clientId: string, token: string): Promise<JWTPayload> {
  const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
  const { payload } = await jwtVerify(token, jwks, { issuer, audience: clientId, requiredClaims: ['iat', 'jti'] });
  assert.equal(decodeProtectedHeader(token).typ, 'logout+jwt');
  assert.deepEqual((payload.events as Record<string, unknown> | undefined)?.[EVENT], {}, 'the back-channel logout event');
  assert.equal('nonce' in payload, false, 'a logout token carries no nonce');
  return payload;
}

/** The claims of a JWT the test received from the token endpoint itself. */
export function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}
