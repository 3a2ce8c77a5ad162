/**
 * Drives the provider the way a browser would, through supertest with a cookie jar:
 * authorization request with PKCE, our real pages (forms with their CSRF tokens), and the
 * redirect back to the relying party, where the code is picked up.
 */
import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import assert from 'node:assert/strict';

export interface PkceRequest {
  url: string;
  state: string;
  nonce: string;
  verifier: string;
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function authUrl(clientId: string, redirectUri: string, extra: Record<string, string> = {}): PkceRequest {
  const { verifier, challenge } = pkce();
  const state = randomBytes(8).toString('hex');
  const nonce = randomBytes(8).toString('hex');
  const q = new URLSearchParams({
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'openid profile',
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  });
  return { url: `/auth?${q}`, state, nonce, verifier };
}

export class Browser {
  readonly agent: InstanceType<typeof TestAgent>;
  constructor(readonly issuer: string) {
    this.agent = request.agent(issuer);
  }

  /** GET, following redirects on the provider; stops at a page or at a redirect off-site. */
  async open(pathOrUrl: string): Promise<{ status: number; text: string; location?: string; path: string }> {
    let target = pathOrUrl;
    for (let i = 0; i < 10; i++) {
      const rel = target.startsWith(this.issuer) ? target.slice(this.issuer.length) : target;
      if (/^https?:/.test(rel)) return { status: 302, text: '', location: target, path: target };
      const res = await this.agent.get(rel).redirects(0);
      if (res.status >= 300 && res.status < 400 && res.headers.location) {
        target = res.headers.location;
        continue;
      }
      return { status: res.status, text: res.text, path: rel };
    }
    throw new Error('too many redirects');
  }

  /** Submits the form whose action matches `action` on `html`, with its hidden fields plus `fields`. */
  async submit(
    html: string,
    action: RegExp,
    fields: Record<string, string>,
    opts: { dropCsrf?: boolean; csrf?: string } = {},
  ): Promise<{ status: number; text: string; location?: string; path: string }> {
    const forms = [...html.matchAll(/<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)];
    const form = forms.find((f) => action.test(f[1]!));
    assert.ok(form, `no form matching ${action} on the page`);
    const hidden = Object.fromEntries([...form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\s*\/?>/g)].map((m) => [m[1]!, m[2]!]));
    const body = { ...hidden, ...fields };
    if (opts.dropCsrf) delete body.csrf;
    if (opts.csrf !== undefined) body.csrf = opts.csrf;
    const target = form[1]!.replace(/&amp;/g, '&');
    const res = await this.agent.post(target.startsWith(this.issuer) ? target.slice(this.issuer.length) : target).type('form').send(body).redirects(0);
    if (res.status >= 300 && res.status < 400 && res.headers.location) return this.open(res.headers.location);
    return { status: res.status, text: res.text, path: form[1]! };
  }
}

export function codeFrom(location: string | undefined, state: string): string {
  assert.ok(location, 'expected a redirect to the relying party');
  const u = new URL(location);
  assert.equal(u.searchParams.get('error'), null, `authorization error: ${u.searchParams.get('error')} ${u.searchParams.get('error_description')}`);
  assert.equal(u.searchParams.get('state'), state);
  const code = u.searchParams.get('code');
  assert.ok(code);
  return code;
}
