/**
 * Wires the service together from configuration: keys, stores, identity, audit, methods,
 * the provider and the express app. Tests, the CLI and main.ts all start here.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type Provider from 'oidc-provider';
import type express from 'express';
import { REPO_ROOT, type Config } from './config/env.ts';
import { createSigningKeyStore, loadKeys, type Keys, type SigningKeyStore } from './keys/index.ts';
// the openers load only the backends in use (see open-database.ts, open-ephemeral.ts)
import type { Database } from './store/database.ts';
import type { EphemeralStore } from './store/ephemeral.ts';
import { openDatabase, postgresOptions } from './store/open-database.ts';
import { openEphemeral } from './store/open-ephemeral.ts';
import { runMigrations } from './store/migrate.ts';
import { setLogLevel } from './log.ts';
import { createFieldCipher, type FieldCipher } from './crypto/field-cipher.ts';
import { createSecretHasher } from './crypto/password.ts';
import { watchPasswordHashes } from './metrics/index.ts';
import { createIdentityService, type IdentityService } from './identity/index.ts';
import { INDEX_DOMAIN } from './identity/types.ts';
import { createAuditLog, createRefusalTally, type AuditLog, type RefusalTally } from './audit/index.ts';
import { createAuthorities, type Authorities } from './authorities/index.ts';
import { configureAuthorities } from './authorities/configure.ts';
import { createRateLimiter, type RateScope } from './policy/rate-limit.ts';
import { lockAudit } from './policy/lock-events.ts';
import { createClientRegistry, type ClientRegistry } from './oidc/client-registry.ts';
import { createProvider, type ProviderDeps } from './oidc/provider.ts';
import { createLivePolicy, liveMethods, policyBuilder, policyDocumentSchemaFor, seedDocument, type LivePolicy } from './policy/index.ts';
import { createMandateStore, departmentsFor, offerOnBehalf, type ProxyDeps } from './proxy/index.ts';
import type { CompleteDeps } from './interaction/complete-login.ts';
import { registerClientFiles, registerClient, useInternalClients, type RegisterDeps } from './oidc/register-client.ts';
import { createMethods, DEFINITIONS, methodRoles, overlaySettings, type BuiltMethods } from '../providers/registry.ts';
import { passwordHelpDeps } from './account/password-reset-routes.ts';
import type { LoginMethod } from '../providers/kit/index.ts';
import { createCsrf } from './interaction/csrf.ts';
import { buildServer } from './server.ts';
import { oneTimeCodes, sharedState, type ContextServices, type Sealer } from './interaction/method-context.ts';
import { consoleSessions } from './counter/console-session.ts';
import { createStaffDirectory, type StaffDirectory } from './counter/staff-directory.ts';
import { ConfigError } from './errors.ts';
import { createAdminDirectory } from './admin/admin-directory.ts';
import { adminSessions } from './admin/session.ts';
import type { AdminDeps } from './admin/deps.ts';
import { approvalWindowSeconds, createChangeService } from './admin/changes/service.ts';
import { loadServiceInfo, useServiceInfo } from './config/service-info.ts';

export interface AppOptions {
  /** PostgreSQL schema to use (tests isolate themselves this way) */
  schema?: string;
  /** ephemeral key prefix (tests) */
  prefix?: string;
  /** true: PGlite in memory instead of DATA_DIR */
  inMemory?: boolean;
  /** PGlite in memory starts from this dumped data directory (tests: an already migrated one) */
  pgliteImage?: Blob;
  ttl?: ProviderDeps['ttl'];
  /** replaces some rate-limit scopes (tests use short back-offs) */
  rateScopes?: Record<string, RateScope>;
  /** the rate limits' clock in milliseconds (tests move it instead of sleeping) */
  clock?: () => number;
  /** method settings laid over config/methods.json, method by method */
  methodSettings?: unknown;
  /** argon2 below production strength: tests that hash a lot only */
  weakArgon2?: boolean;
  /** the window refused attempts are counted in for the audit trail (default 600 s) */
  refusalWindowSeconds?: number;
}

export interface AppContext {
  config: Config;
  keys: Keys;
  db: Database;
  store: EphemeralStore;
  cipher: FieldCipher;
  identity: IdentityService;
  audit: AuditLog;
  refusals: RefusalTally;
  clients: ClientRegistry;
  /** the enabled methods of the policy version in force */
  methods: ReadonlyMap<string, LoginMethod>;
  /** the stored, versioned policy, followed live by every instance */
  policy: LivePolicy;
  authorities: Authorities;
  staff: StaffDirectory;
  /** signing keys in PostgreSQL, followed live by every instance */
  signingKeys: SigningKeyStore;
  /** seals method state in the ephemeral store (tests issue counter codes through it) */
  sealer: Sealer;
  provider: Provider;
  /** what the admin console and API are built on (tests create admins through it) */
  admin: AdminDeps;
  app: express.Express;
  register(input: unknown, source: string): Promise<{ clientId: string }>;
  close(): Promise<void>;
}

async function readMethodSettings(): Promise<unknown> {
  const file = path.join(REPO_ROOT, 'config', 'methods.json');
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`${file}: ${(err as Error).message}`);
  }
}

export async function createAppContext(config: Config, opts: AppOptions = {}): Promise<AppContext> {
  if (!config.authoritiesUrl) throw new ConfigError('AUTHORITIES_URL is not set and no sandbox was started');
  // who runs the service, the help line and the chooser's first ways: checked now, not at the first page
  useServiceInfo(loadServiceInfo(config.rawEnv));
  // AUTHORITIES_FILE over config/methods.json; in production, every sandbox value is refused at once
  const outside = await configureAuthorities(config, await readMethodSettings());
  const methodSettings = overlaySettings(outside.methodSettings, opts.methodSettings);
  const methodEnv = { authoritiesUrl: config.authoritiesUrl, issuer: config.issuer, timeoutMs: config.authorityTimeoutMs, production: config.production };
  // config/ is checked at every start as before; the stored policy then decides (the same methods are kept when it agrees)
  const builtMethods: BuiltMethods = new Map();
  outside.check(() => createMethods(methodSettings, methodEnv, builtMethods));
  const keys = await loadKeys({ production: config.production, dir: config.keysDir, env: config.rawEnv });
  setLogLevel(config.logLevel);
  const db = await openDatabase({
    url: config.databaseUrl,
    dataDir: opts.inMemory ? undefined : config.dataDir,
    image: opts.inMemory ? opts.pgliteImage : undefined,
    schema: opts.schema,
    ...postgresOptions(config.postgres),
  });
  const closers: Array<() => Promise<unknown>> = [() => db.close()];
  try {
    await runMigrations(db);
    const store = await openEphemeral({ url: config.redisUrl, prefix: opts.prefix, commandTimeoutMs: config.redisCommandTimeoutMs });
    closers.unshift(() => store.close());
    const cipher = createFieldCipher({ dataKeys: keys.dataKeys, activeDataKeyId: keys.activeDataKeyId, indexKey: keys.indexKey });
    const identity = createIdentityService(db, cipher, { now: opts.clock });
    const audit = createAuditLog(db);
    // events a crashed process committed but did not chain: now, then every 30 s
    closers.unshift(audit.startSweeper(30_000));
    // refused attempts: one count per window in the trail; ended windows closed now, then every minute
    const refusals = createRefusalTally(store, audit, { windowSeconds: opts.refusalWindowSeconds ?? 600 });
    closers.unshift(refusals.startCloser(60_000));
    const clients = await createClientRegistry(db, store);
    closers.unshift(() => clients.close());
    const authorities = createAuthorities({ sandboxUrl: config.authoritiesUrl, timeoutMs: config.authorityTimeoutMs, registry: outside.registry, sms: outside.sms });
    const secrets = createSecretHasher(
      opts.weakArgon2 ? { memoryCost: 1024, timeCost: 1, parallelism: 1, allowWeak: true } : config.argon2,
    );
    watchPasswordHashes(() => secrets.load());
    // make the dummy hash now, so the first unknown ID number costs what a wrong password costs
    await secrets.verify(null, 'warm-up');
    const subjectIndexOf = (idNumber: string) => cipher.blindIndex(INDEX_DOMAIN.idNumber, idNumber);
    // the policy in force: seeded from config/ on the first start, then the newest stored version
    const schema = policyDocumentSchemaFor(DEFINITIONS);
    const policy = await createLivePolicy({
      db,
      store,
      audit,
      schema,
      seed: () => seedDocument({ definitions: DEFINITIONS, passwordMethod: methodRoles().password, schema, methodSettings, env: methodEnv, rateScopes: opts.rateScopes, ttl: opts.ttl }),
      build: policyBuilder({ settings: methodSettings, env: methodEnv, definitions: DEFINITIONS, createMethods, built: builtMethods }),
    });
    closers.unshift(() => policy.close());
    const methods = liveMethods(() => policy.built().methods);
    const roles = methodRoles();
    const limits = createRateLimiter(store, (scope, id) => cipher.blindIndex(`rate:${scope}`, id), opts.rateScopes, {
      now: opts.clock,
      phoneMethod: roles['phone-otp'],
      scopes: () => policy.built().rateScopes,
      events: lockAudit({ identity, credentials: identity.credentialLookup(), audit, subjectIndexOf }),
    });
    const mandates = createMandateStore(db);
    const provider = createProvider({ config, keys, store, db, clients, identity, audit, policy, ttl: opts.ttl, lifetimes: () => policy.built().lifetimes, mandateInForce: mandates.inForceNow });
    // the stored signing keys replace the configured ones before the first request, and follow every rotation
    const signingKeys = createSigningKeyStore({ db, store, cipher, source: keys.signing.document });
    closers.unshift(await signingKeys.start(provider));
    const complete: CompleteDeps = { identity, audit, store, policy, progressTtl: opts.ttl?.Interaction ?? 900, subjectIndexOf };
    const registerDeps: RegisterDeps = { provider, clients, audit, clientSecretKey: keys.clientSecretKey };
    await registerClientFiles(registerDeps, config.clientsDir);

    // the account page and the counter console: from this process's ISSUER, never from storage
    await useInternalClients(registerDeps, config.issuer);
    const staff = createStaffDirectory(db);
    const csrf = createCsrf(keys.indexKey);
    const services: ContextServices = {
      issuer: config.issuer,
      store,
      sealer: { seal: (p, c) => cipher.encrypt(p, `ephemeral:${c}`), unseal: (s, c) => cipher.decrypt(s, `ephemeral:${c}`) },
      credentials: identity.credentialLookup(),
      secrets,
      limits,
      authorities,
      codeKey: keys.indexKey,
    };
    const proxy: ProxyDeps = {
      provider,
      issuer: config.issuer,
      identity,
      audit,
      csrf,
      store,
      clients,
      policy,
      mandates,
      pairwiseSalt: keys.pairwiseSalt,
      secureCookies: config.issuer.startsWith('https:'),
      interactionTtl: opts.ttl?.Interaction ?? 900,
      ...(opts.clock ? { clock: opts.clock } : {}),
    };
    const now = opts.clock ?? Date.now;
    const admin: AdminDeps = {
      db,
      store,
      audit,
      identity,
      cipher,
      clients,
      provider,
      keys,
      config,
      csrf,
      limits,
      staff,
      methods,
      issuer: config.issuer,
      secureCookies: config.issuer.startsWith('https:'),
      register: (input, source) => registerClient(registerDeps, input, source),
      admins: createAdminDirectory(db),
      sessions: adminSessions(store, config.adminIdleSeconds, now),
      subjectIndexOf,
      now,
      signingKeys,
      methodRoles: roles,
      policy,
      changes: createChangeService(() => admin, { windowSeconds: approvalWindowSeconds(config.rawEnv) }),
    };
    // a request whose window ended is closed, with its audit row, even when nobody looks at it
    closers.unshift(admin.changes.startLapser(60_000));
    const app = buildServer({
      admin,
      proxy,
      config,
      provider,
      db,
      store,
      account: { provider, issuer: config.issuer, methods, identity, audit, csrf, services, staff, db, secureCookies: config.issuer.startsWith('https:'), complete },
      help: passwordHelpDeps(
        {
          provider,
          identity,
          audit,
          csrf,
          services,
          secureCookies: config.issuer.startsWith('https:'),
          passwordMethod: () => (roles.password && methods.has(roles.password) ? roles.password : undefined),
          rules: () => policy.current().document.global.password,
        },
        methodSettings,
      ),
      counter: {
        provider,
        issuer: config.issuer,
        db,
        store,
        cipher,
        identity,
        audit,
        csrf,
        staff,
        sessions: consoleSessions(store),
        methods,
        sharedFor: (methodId: string) => sharedState(store, methodId, services.sealer),
        roles,
        codes: oneTimeCodes(keys.indexKey),
        limits,
        authorities,
        approvalSeconds: 15 * 60,
        secureCookies: config.issuer.startsWith('https:'),
        complete,
        proxy: { mandates, departments: () => departmentsFor({ clients, policy }) },
      },
      interaction: {
        provider,
        methods,
        identity,
        audit,
        store,
        csrf,
        complete,
        refusals,
        identifierIndexOf: (method, identifier) => cipher.blindIndex(INDEX_DOMAIN.credential(method), identifier),
        offerOnBehalf: (o) => offerOnBehalf(proxy, o),
        services,
        secureCookies: config.issuer.startsWith('https:'),
      },
    });

    return {
      config,
      keys,
      db,
      store,
      cipher,
      identity,
      audit,
      refusals,
      clients,
      methods,
      policy,
      authorities,
      staff,
      signingKeys,
      sealer: services.sealer!,
      provider,
      admin,
      app,
      register: (input, source) => registerClient(registerDeps, input, source),
      async close() {
        for (const c of closers) await c().catch(() => undefined);
      },
    };
  } catch (err) {
    for (const c of closers) await c().catch(() => undefined);
    throw err;
  }
}
