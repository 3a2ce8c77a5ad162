/**
 * The protocol half of the demo department app: discovery, code exchange, ID-token and
 * logout-token validation, written against fetch and jose only so it exercises the
 * provider the way an independent relying party would.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as jose from 'jose';
import { z } from 'zod';

const Discovery = z.object({
  issuer: z.url(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  jwks_uri: z.url(),
  userinfo_endpoint: z.url().optional(),
  end_session_endpoint: z.url().optional(),
});
export type Discovery = z.infer<typeof Discovery>;

const TokenResponse = z.object({
  access_token: z.string().min(1),
  id_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number().optional(),
  refresh_token: z.string().optional(),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';
const ALGORITHMS = ['ES256', 'RS256'];

/** An expected protocol failure whose message may be shown on the demo page. */
export class RelyingPartyError extends Error {
  override name = 'RelyingPartyError';
}

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

const trimSlash = (s: string) => s.replace(/\/+$/, '');

export class RelyingParty {
  #discovery?: Promise<Discovery>;
  #jwks?: ReturnType<typeof jose.createRemoteJWKSet>;

  constructor(readonly opts: { issuer: string; clientId: string; clientSecret: string }) {}

  /** Fetched on first use and cached; a failed fetch is retried on the next call. */
  discovery(): Promise<Discovery> {
    this.#discovery ??= this.#discover().catch((err: unknown) => {
      this.#discovery = undefined;
      throw err;
    });
    return this.#discovery;
  }

  async #discover(): Promise<Discovery> {
    const url = `${trimSlash(this.opts.issuer)}/.well-known/openid-configuration`;
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new RelyingPartyError(`discovery failed: HTTP ${res.status} from ${url}`);
    const doc = Discovery.parse(await res.json());
    // OpenID Connect Discovery 1.0 §4.3: the document must name the issuer we asked.
    if (trimSlash(doc.issuer) !== trimSlash(this.opts.issuer)) {
      throw new RelyingPartyError(`discovery issuer mismatch: ${doc.issuer}`);
    }
    this.#jwks = jose.createRemoteJWKSet(new URL(doc.jwks_uri));
    return doc;
  }

  async #keys(): Promise<{ doc: Discovery; jwks: ReturnType<typeof jose.createRemoteJWKSet> }> {
    const doc = await this.discovery();
    return { doc, jwks: this.#jwks! };
  }

  async authorizationUrl(p: {
    redirectUri: string; scope: string; state: string; nonce: string; codeVerifier: string; acrValues?: string;
  }): Promise<string> {
    const { authorization_endpoint } = await this.discovery();
    const url = new URL(authorization_endpoint);
    const q = url.searchParams;
    q.set('client_id', this.opts.clientId);
    q.set('response_type', 'code');
    q.set('redirect_uri', p.redirectUri);
    q.set('scope', p.scope);
    q.set('state', p.state);
    q.set('nonce', p.nonce);
    q.set('code_challenge', pkceChallenge(p.codeVerifier));
    q.set('code_challenge_method', 'S256');
    if (p.acrValues) q.set('acr_values', p.acrValues);
    return url.href;
  }

  /** client_secret_basic: both parts form-urlencoded before base64 (RFC 6749 §2.3.1). */
  #basicAuth(): string {
    const enc = (s: string) => new URLSearchParams({ v: s }).toString().slice(2);
    return 'Basic ' + Buffer.from(`${enc(this.opts.clientId)}:${enc(this.opts.clientSecret)}`).toString('base64');
  }

  async exchangeCode(p: { code: string; redirectUri: string; codeVerifier: string }): Promise<TokenResponse> {
    const { token_endpoint } = await this.discovery();
    const res = await fetch(token_endpoint, {
      method: 'POST',
      headers: { authorization: this.#basicAuth(), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'authorization_code', code: p.code, redirect_uri: p.redirectUri, code_verifier: p.codeVerifier,
      }),
      signal: AbortSignal.timeout(10000),
    });
    const body: unknown = await res.json().catch(() => ({}));
    if (!res.ok) {
      const e = z.object({ error: z.string(), error_description: z.string().optional() }).safeParse(body);
      throw new RelyingPartyError(
        e.success ? `token endpoint: ${e.data.error}${e.data.error_description ? ` (${e.data.error_description})` : ''}` : `token endpoint: HTTP ${res.status}`,
      );
    }
    const parsed = TokenResponse.safeParse(body);
    if (!parsed.success) throw new RelyingPartyError('token endpoint: malformed response');
    if (parsed.data.token_type.toLowerCase() !== 'bearer') throw new RelyingPartyError('token endpoint: unexpected token_type');
    return parsed.data;
  }

  async verifyIdToken(idToken: string, nonce: string): Promise<jose.JWTPayload> {
    const { doc, jwks } = await this.#keys();
    try {
      const { payload } = await jose.jwtVerify(idToken, jwks, {
        issuer: doc.issuer, audience: this.opts.clientId, algorithms: ALGORITHMS, requiredClaims: ['sub', 'iat', 'exp'],
      });
      if (payload.nonce !== nonce) throw new RelyingPartyError('ID token nonce does not match');
      // OIDC Core §3.1.3.7: with several audiences, azp must name us.
      if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== this.opts.clientId) {
        throw new RelyingPartyError('ID token azp does not name this client');
      }
      return payload;
    } catch (err) {
      if (err instanceof jose.errors.JOSEError) throw new RelyingPartyError(`ID token rejected: ${err.code}`);
      throw err;
    }
  }

  async userinfo(accessToken: string, sub: string): Promise<Record<string, unknown>> {
    const { userinfo_endpoint } = await this.discovery();
    if (!userinfo_endpoint) return {};
    const res = await fetch(userinfo_endpoint, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      signal: AbortSignal.timeout(10000),
    });
    if (!res.ok) throw new RelyingPartyError(`userinfo: HTTP ${res.status}`);
    const claims = z.record(z.string(), z.unknown()).parse(await res.json());
    // OIDC Core §5.3.2: a userinfo response for another subject must not be used.
    if (claims.sub !== sub) throw new RelyingPartyError('userinfo sub does not match the ID token');
    return claims;
  }

  async endSessionUrl(p: { idTokenHint: string; postLogoutRedirectUri: string }): Promise<string | undefined> {
    const { end_session_endpoint } = await this.discovery();
    if (!end_session_endpoint) return undefined;
    const url = new URL(end_session_endpoint);
    url.searchParams.set('id_token_hint', p.idTokenHint);
    url.searchParams.set('post_logout_redirect_uri', p.postLogoutRedirectUri);
    url.searchParams.set('client_id', this.opts.clientId);
    return url.href;
  }

  /**
   * OpenID Connect Back-Channel Logout 1.0 §2.6. Returns the payload, or undefined for a
   * token that must be refused; network trouble reaching the JWKS still throws.
   */
  async verifyLogoutToken(token: string): Promise<jose.JWTPayload | undefined> {
    const { doc, jwks } = await this.#keys();
    let verified: jose.JWTVerifyResult;
    try {
      verified = await jose.jwtVerify(token, jwks, {
        issuer: doc.issuer, audience: this.opts.clientId, algorithms: ALGORITHMS,
        requiredClaims: ['iat', 'jti'], maxTokenAge: '10 minutes', clockTolerance: 60,
      });
    } catch (err) {
      if (err instanceof jose.errors.JWKSTimeout) throw err;
      if (err instanceof jose.errors.JOSEError) return undefined;
      throw err;
    }
    const { payload, protectedHeader } = verified;
    const typ = protectedHeader.typ?.toLowerCase();
    if (typ !== undefined && typ !== 'logout+jwt' && typ !== 'application/logout+jwt') return undefined;
    const events = payload.events;
    if (typeof events !== 'object' || events === null || Array.isArray(events)) return undefined;
    const event: unknown = (events as Record<string, unknown>)[BACKCHANNEL_EVENT];
    if (typeof event !== 'object' || event === null || Array.isArray(event)) return undefined;
    const hasSub = typeof payload.sub === 'string' && payload.sub !== '';
    const hasSid = typeof payload.sid === 'string' && payload.sid !== '';
    if (!hasSub && !hasSid) return undefined;
    // A nonce would let an ID token be replayed as a logout token.
    if ('nonce' in payload) return undefined;
    return payload;
  }
}
