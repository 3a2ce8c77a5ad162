/**
 * Who is signed in on the account pages, and the way to sign in when nobody is. The pages read
 * the provider's own session (the single sign-on cookie); a session a helper made on a citizen's
 * behalf (family proxy) never counts as the citizen's. Signing in goes through our own
 * authorization endpoint as the account client and comes back to /account/callback, whose state
 * travels in a Lax cookie on /account.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type Provider from 'oidc-provider';
import type { EphemeralStore } from '../store/ephemeral.ts';
import { ACCOUNT_CLIENT_ID } from './internal-clients.ts';
import { proxyLoginKey } from './act.ts';
import { acrOf, levelOf } from '../policy/index.ts';
import type { Level } from '../../providers/kit/index.ts';

export const ACCOUNT_STATE_COOKIE = 'tongban_account_state';

export interface AccountSessionDeps {
  provider: Provider;
  store: EphemeralStore;
  issuer: string;
  secureCookies: boolean;
}

export interface SignedIn {
  personId: string;
  sessionUid: string;
  /** the assurance level the session reached */
  level: number;
}

/** Which first-party client signs in, and where it comes back: `${path}/callback`, state cookie on `path`. */
export interface SignInClient {
  clientId: string;
  path: string;
  stateCookie: string;
}

const ACCOUNT_CLIENT: SignInClient = { clientId: ACCOUNT_CLIENT_ID, path: '/account', stateCookie: ACCOUNT_STATE_COOKIE };

export function accountSession(deps: AccountSessionDeps, client: SignInClient = ACCOUNT_CLIENT) {
  const cookieOpts = { httpOnly: true, sameSite: 'lax' as const, secure: deps.secureCookies, path: client.path };

  async function signedIn(req: Request, res: Response): Promise<SignedIn | null> {
    const session = await deps.provider.Session.get(deps.provider.createContext(req, res) as never);
    if (!session.accountId) return null;
    if (await deps.store.get(proxyLoginKey(session.uid))) return null;
    return { personId: session.accountId, sessionUid: session.uid, level: levelOf(session.acr) };
  }

  /** Signs in (again) through the client, at `level` when the page needs more than a sign-in. */
  function toLogin(res: Response, level?: Level): void {
    const state = randomBytes(16).toString('base64url');
    res.cookie(client.stateCookie, state, { ...cookieOpts, maxAge: 600_000 });
    const q = new URLSearchParams({
      client_id: client.clientId,
      redirect_uri: `${deps.issuer}${client.path}/callback`,
      response_type: 'code',
      scope: 'openid',
      state,
      // PKCE is required of every client; the page needs the sign-in, not the tokens
      code_challenge: createHash('sha256').update(randomBytes(32)).digest('base64url'),
      code_challenge_method: 'S256',
      ...(level ? { acr_values: acrOf(level) } : {}),
    });
    res.redirect(303, `/auth?${q}`);
  }

  return { signedIn, toLogin, cookieOpts };
}
