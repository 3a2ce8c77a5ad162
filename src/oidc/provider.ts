/**
 * The OpenID Provider: oidc-provider configured for authorization code + PKCE only, pairwise
 * subjects, ordered assurance levels, consents kept in PostgreSQL and hashed client secrets.
 */
import Provider, { errors, interactionPolicy, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Config } from '../config/env.ts';
import type { EphemeralStore } from '../store/ephemeral.ts';
import type { Database } from '../store/database.ts';
import type { ClientRegistry } from './client-registry.ts';
import type { Keys } from '../keys/index.ts';
import type { IdentityService } from '../identity/index.ts';
import type { AuditLog } from '../audit/index.ts';
import { verifyClientSecret } from '../crypto/client-secret.ts';
import { cookieSigner } from '../crypto/cookie-signer.ts';
import { createAdapterClass, opaqueTokenBits } from './adapter.ts';
import { durableGrants } from './durable-grants.ts';
import { ACR_VALUES, clientRuleOf, requiredLevelFor, sessionSuffices, type PolicySource } from '../policy/index.ts';
import { DEFAULT_LIFETIMES, type Lifetimes } from '../policy/lifetimes.ts';
import { openGrant } from './grants.ts';
import { actFor, markProxiedSessions, proxyLoginKey, type MandateInForce } from './act.ts';
import { pairwiseSub } from './subject.ts';
import { adminResourceIndicators, ADMIN_SCOPES } from './admin-resource.ts';
import { createFindAccount } from './find-account.ts';
import { renderError, logoutSource, postLogoutSuccessSource, deviceCodePage } from './pages.ts';
import { watchProviderFailures } from './provider-events.ts';
import { logBackgroundFailure } from '../log.ts';
import { loopbackAwareFetch } from './outbound-fetch.ts';
import { recordAccountUse } from './account-use.ts';
import { installBeforeResponse } from './before-response.ts';

export interface ProviderDeps {
  config: Config;
  keys: Keys;
  store: EphemeralStore;
  /** refresh tokens and their grants (offline access outlives Redis) */
  db: Database;
  clients: ClientRegistry;
  identity: IdentityService;
  audit: AuditLog;
  policy: PolicySource;
  /** family proxy: whether a mandate is still in force (a helper's tokens stop at once when it ends) */
  mandateInForce?: MandateInForce;
  /** shorter lifetimes for tests */
  ttl?: Partial<Record<'Interaction' | 'AccessToken' | 'Session', number>>;
  /** the policy's lifetimes in force, read at each issue (a change applies to the next token or session) */
  lifetimes?: () => Lifetimes;
}

export const SCOPE_CLAIMS = {
  // acr, amr and auth_time ride on `openid` so every ID token carries them
  openid: ['sub', 'acr', 'amr', 'auth_time', 'act'],
  profile: ['name', 'birthdate', 'gender'],
  phone: ['phone_number', 'phone_number_verified'],
  id_number: ['id_number'],
  proofing: ['proofing'],
} as const;

/** A signed-in session is asked to verify again when the policy table says it does not suffice. */
function stepUpCheck(policy: PolicySource): InstanceType<typeof interactionPolicy.Check> {
  return new interactionPolicy.Check(
    'acr_step_up',
    'a higher assurance level is required',
    // with prompt=none the answer is login_required: only a new login can raise the level
    'login_required',
    (ctx: KoaContextWithOIDC) => {
      const { oidc } = ctx;
      if (!oidc.session?.accountId || !oidc.client) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
      const data = policy.data();
      const verdict = sessionSuffices(data, {
        client: clientRuleOf(data, oidc.client),
        acr: oidc.session.acr,
        authTime: oidc.session.authTime(),
        now: Math.floor(Date.now() / 1000),
        params: oidc.params ?? {},
      });
      return verdict.ok ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT;
    },
    (ctx: KoaContextWithOIDC) => ({
      required_level: requiredLevelFor(ctx.oidc.client ? clientRuleOf(policy.data(), ctx.oidc.client) : { minLevel: 1 }, ctx.oidc.params ?? {}),
    }),
  );
}

/** The lifetimes, from the policy in force when it is given (read at each issue), else fixed. */
function ttlOf(deps: ProviderDeps): Configuration['ttl'] {
  const fixed: Lifetimes = {
    ...DEFAULT_LIFETIMES,
    ...(deps.ttl?.Session ? { sessionTtl: deps.ttl.Session } : {}),
    ...(deps.ttl?.Interaction ? { interactionTtl: deps.ttl.Interaction } : {}),
    ...(deps.ttl?.AccessToken ? { accessTokenTtl: deps.ttl.AccessToken } : {}),
  };
  const life = deps.lifetimes ?? (() => fixed);
  return {
    // a kiosk's tokens are short: the session ends soon after the citizen walks away
    AccessToken: (_ctx, _token, client) => (client && clientRuleOf(deps.policy.data(), client).kiosk ? life().kioskAccessTokenTtl : life().accessTokenTtl),
    DeviceCode: () => life().deviceCodeTtl,
    AuthorizationCode: () => life().authorizationCodeTtl,
    ClientCredentials: () => life().clientCredentialsTtl,
    IdToken: () => life().idTokenTtl,
    RefreshToken: () => life().refreshTokenTtl,
    Interaction: () => life().interactionTtl,
    Session: () => life().sessionTtl,
    Grant: () => life().grantTtl,
  };
}

/**
 * A session a helper made on a citizen's behalf (family proxy) serves only the department it was
 * made for: anywhere else, the browser signs in again.
 */
function proxySessionCheck(store: EphemeralStore): InstanceType<typeof interactionPolicy.Check> {
  return new interactionPolicy.Check('proxy_session', 'the session was made on a citizen\'s behalf for another department', 'login_required', async (ctx: KoaContextWithOIDC) => {
    const { oidc } = ctx;
    if (!oidc.session?.accountId || !oidc.client) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
    // a session this very request made (a browser's first sign-in) has a uid nobody has marked yet
    if ((oidc.session as { new?: boolean }).new) return interactionPolicy.Check.NO_NEED_TO_PROMPT;
    const madeFor = await store.get(proxyLoginKey(oidc.session.uid));
    return madeFor !== null && madeFor !== oidc.client.clientId ? interactionPolicy.Check.REQUEST_PROMPT : interactionPolicy.Check.NO_NEED_TO_PROMPT;
  });
}

function buildPolicy(policy: PolicySource, store: EphemeralStore) {
  const prompts = interactionPolicy.base();
  const login = prompts.get('login')!;
  login.checks.add(proxySessionCheck(store));
  // the built-in checks match acr values exactly; ours orders them (3 satisfies 2)
  login.checks.remove('essential_acrs');
  login.checks.remove('essential_acr');
  login.checks.add(stepUpCheck(policy));
  return prompts;
}

export function createProvider(deps: ProviderDeps): Provider {
  const { config, keys, store, db, clients, identity, audit } = deps;

  const loadExistingGrant: Configuration['loadExistingGrant'] = async (ctx) => {
    const { oidc } = ctx;
    const client = oidc.client!;
    const accountId = oidc.session!.accountId!;
    const grantId = oidc.result?.consent?.grantId ?? oidc.session!.grantIdFor(client.clientId);
    const grant = await openGrant(oidc.provider, { accountId, clientId: client.clientId, grantId });
    // a grant found has its id; a new one gets it when saved
    if (grant.jti) return grant;
    if (clientRuleOf(deps.policy.data(), client).firstParty) {
      // the city's own apps: everything they may ask for, without a consent page
      grant.addOIDCScope(client.scope ?? 'openid');
      grant.addOIDCClaims(['sub', 'acr', 'amr', 'auth_time', 'sid']);
    } else {
      const consent = await identity.getConsent(accountId, client.clientId);
      if (!consent) return undefined;
      grant.addOIDCScope(consent.scopes.join(' '));
      if (consent.claims.length) grant.addOIDCClaims(consent.claims);
    }
    await grant.save();
    return grant;
  };

  const configuration: Configuration = {
    adapter: createAdapterClass(store, clients, durableGrants(db)),
    findAccount: createFindAccount(identity, audit, (grantId) => actFor(store, grantId, deps.mandateInForce)),
    claims: { ...SCOPE_CLAIMS, sid: null } as unknown as Configuration['claims'],
    // admin scopes are known scopes, so a client gets one only when registered with it
    scopes: ['openid', 'offline_access', 'profile', 'phone', 'id_number', 'proofing', ...ADMIN_SCOPES],
    acrValues: [...ACR_VALUES],
    responseTypes: ['code'],
    pkce: { required: () => true },
    discovery: { ui_locales_supported: ['zh-CN', 'en'] },
    subjectTypes: ['public', 'pairwise'],
    pairwiseIdentifier: (_ctx, accountId, client) => pairwiseSub(keys.pairwiseSalt, client.sectorIdentifier, accountId),
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    clientDefaults: {
      grant_types: ['authorization_code'],
      response_types: ['code'],
      id_token_signed_response_alg: 'ES256',
      subject_type: 'pairwise',
      token_endpoint_auth_method: 'client_secret_basic',
    },
    enabledJWA: {
      idTokenSigningAlgValues: ['ES256', 'RS256'],
      userinfoSigningAlgValues: ['ES256', 'RS256'],
      introspectionSigningAlgValues: ['ES256', 'RS256'],
      clientAuthSigningAlgValues: ['ES256', 'RS256', 'PS256', 'EdDSA'],
    },
    formats: { bitsOfOpaqueRandomness: (_ctx, token) => opaqueTokenBits(token.kind) },
    extraClientMetadata: {
      properties: ['tongban_first_party', 'tongban_min_level', 'tongban_allowed_methods', 'tongban_kiosk', 'tongban_proxy_allowed'],
    },
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: true },
      clientCredentials: { enabled: true },
      // the admin API is the one resource server: client-credentials tokens with admin scopes are for it
      resourceIndicators: adminResourceIndicators(config.issuer),
      // a department may look at and revoke only the tokens issued to it
      introspection: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      userinfo: { enabled: true },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      // hall kiosks: the user_code is confirmed by counter staff in the console, not on /device
      deviceFlow: { enabled: true, userCodeInputSource: deviceCodePage, userCodeConfirmSource: deviceCodePage, successSource: deviceCodePage },
    },
    cookies: {
      // a Keygrip-compatible signer (sign, verify, index) that checks through our one constant-time compare
      keys: cookieSigner(keys.cookieKeys),
      long: { signed: true, httpOnly: true, sameSite: 'lax' },
      short: { signed: true, httpOnly: true, sameSite: 'lax' },
    },
    jwks: { keys: keys.signing.keys as never },
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
      policy: buildPolicy(deps.policy, store),
    },
    loadExistingGrant,
    issueRefreshToken: async (_ctx, client, code) =>
      !clientRuleOf(deps.policy.data(), client).kiosk && client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    rotateRefreshToken: true,
    // as oidc-provider's default, except that a replayed device code revokes the grant's tokens
    // but keeps the Grant: oidc-provider looks it up only after consuming the code, so the poll
    // that consumed first would otherwise fail too (the grant serves that one device code only)
    revokeGrantPolicy: (ctx) =>
      !(ctx.oidc.route === 'revocation' && ctx.oidc.entities.AccessToken) &&
      !(ctx.oidc.route === 'token' && ctx.oidc.params?.grant_type === 'urn:ietf:params:oauth:grant-type:device_code'),
    // access tokens remember the level of the login behind them: introspection shows it, and
    // method APIs (the city app approving a QR login) rely on it
    extraTokenClaims: async (ctx, token) => {
      if (token.kind !== 'AccessToken') return undefined;
      const source = ctx.oidc.entities.AuthorizationCode ?? ctx.oidc.entities.RefreshToken ?? ctx.oidc.entities.DeviceCode;
      if (!source?.acr) return undefined;
      const grant = ctx.oidc.entities.Grant as { getOIDCClaims?(): string[] } | undefined;
      const named = source === ctx.oidc.entities.DeviceCode || Boolean(grant?.getOIDCClaims?.().includes('act'));
      const act = named ? await actFor(store, token.grantId, deps.mandateInForce) : undefined;
      // a helper's mandate ended between the sign-in and this token: none is issued
      if (act === 'revoked') throw new errors.InvalidGrant('the mandate this sign-in was made under has ended');
      return { acr: source.acr, amr: source.amr, ...(act ? { act } : {}) };
    },
    ttl: ttlOf(deps),
    renderError,
    fetch: loopbackAwareFetch(config.allowLoopbackFetch),
  };

  const provider = new Provider(config.issuer, configuration);
  // Requests reach the provider through express, which derives the client address by TRUST_PROXY's
  // rules (a hop count or trusted addresses); koa alone would take the leftmost X-Forwarded-For
  // entry, which the client writes.
  provider.proxy = config.trustProxy !== false;
  // plain functions, not async ones: a layer every request passes pays for each promise it adds
  provider.use((ctx, next) => {
    const ip = (ctx.req as { ip?: unknown }).ip;
    if (typeof ip === 'string') ctx.request.ip = ip;
    return next();
  });
  installBeforeResponse(provider);

  // secrets are stored as keyed hashes; compare the presented one against the hash
  const clientProto = provider.Client.prototype as unknown as { compareClientSecret(actual: string): boolean; clientSecret?: string };
  clientProto.compareClientSecret = function compareClientSecret(this: { clientSecret?: string }, actual: string) {
    return typeof this.clientSecret === 'string' && verifyClientSecret(this.clientSecret, actual, keys.clientSecretKey);
  };

  // oidc-provider hashes a client's metadata on every look-up to find the Client it built from
  // it; the registry hands out the same metadata object until that client changes, so the
  // built Client is kept per object and a change (a new object) builds a new one
  const built = new WeakMap<object, InstanceType<Provider['Client']>>();
  const findClient = provider.Client.find.bind(provider.Client);
  provider.Client.find = async (id: string) => {
    const metadata = typeof id === 'string' ? clients.find(id) : undefined;
    if (!metadata) return findClient(id);
    let client = built.get(metadata);
    if (!client) {
      client = await findClient(id);
      if (client) built.set(metadata, client);
    }
    return client;
  };

  provider.on('end_session.success', (ctx: KoaContextWithOIDC) => {
    const accountId = ctx.oidc.session?.accountId;
    if (!accountId) return;
    void identity.getPerson(accountId).then((p) =>
      p ? audit.record({ type: 'logout', subjectIndex: p.idNumberIndex, clients: ctx.oidc.session?.authorizations ? Object.keys(ctx.oidc.session.authorizations) : [] }) : undefined,
    ).catch((err: unknown) => logBackgroundFailure('logout not audited', err));
  });

  watchProviderFailures(provider, { audit, identity });
  recordAccountUse(provider, { store, identity, policy: deps.policy, sessionTtl: deps.ttl?.Session ?? 8 * 3600 });
  markProxiedSessions(provider, store, deps.ttl?.Session ?? 8 * 3600);
  return provider;
}
