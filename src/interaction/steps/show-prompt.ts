/** The interaction's page: the consent page when the provider asks for consent, otherwise the method chooser. */
import { SCOPE_CLAIMS } from '../../oidc/provider.ts';
import { consentPage } from '../views.ts';
import { renderChooser } from '../respond.ts';
import { need, type Step } from '../exchange.ts';

// claims that say nothing about the person are not listed on the consent page
const NOT_PERSONAL = new Set(['acr', 'amr', 'auth_time', 'sid', 'iss', 'aud', 'exp', 'iat', 'nonce', 'at_hash', 'c_hash']);

export const showPrompt: Step = async (x) => {
  const l = need(x.loaded, 'the interaction');
  if (l.details.prompt.name !== 'consent') return renderChooser(x, l);
  const d = l.details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
  // everything the app will receive, also what an earlier consent already allowed: a repeat
  // consent (a new scope) lists the whole of it, not only what is new
  const allowed = typeof l.client.scope === 'string' ? new Set(l.client.scope.split(' ')) : undefined;
  const requested = String(l.details.params.scope ?? '').split(' ').filter((s) => s && (!allowed || allowed.has(s)));
  const fromScopes = [...new Set([...requested, ...(d.missingOIDCScope ?? [])])].flatMap((s) =>
    s === 'offline_access' ? ['offline_access'] : [...((SCOPE_CLAIMS as Record<string, readonly string[]>)[s] ?? [])],
  );
  const claims = [...new Set([...fromScopes, ...(d.missingOIDCClaims ?? [])])].filter((c) => !NOT_PERSONAL.has(c));
  x.res.type('html').send(consentPage(l.page, { claims }));
  return 'done';
};
