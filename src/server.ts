/**
 * The express app: security headers, language, our pages, health, then oidc-provider for
 * every protocol endpoint. Errors end as a 4xx page or JSON with a stable code, never a stack.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type Provider from 'oidc-provider';
import type { Config } from './config/env.ts';
import type { Database } from './store/database.ts';
import type { EphemeralStore } from './store/ephemeral.ts';
import { AppError, StoreUnavailable } from './errors.ts';
import { logOf, requestLogging } from './log.ts';
import { retryTarget, unavailablePage } from './web/unavailable-page.ts';
import { interactionRouter, type InteractionDeps } from './interaction/routes.ts';
import { errorPage } from './interaction/views.ts';
import { methodApiRouter } from './interaction/method-api.ts';
import { passwordHelpRouter, type PasswordHelpDeps } from './account/password-reset-routes.ts';
import { accountRouter, type AccountDeps } from './account/routes.ts';
import { counterRouter, type CounterDeps } from './counter/routes.ts';
import { onBehalfRouter, proxySetupRouter, type ProxyDeps } from './proxy/index.ts';
import { adminApiRouter, adminPagesRouter } from './admin/router.ts';
import type { AdminDeps } from './admin/deps.ts';
import { LANG_COOKIE, requestLang } from './web/lang.ts';
import { elderMode, elderOf } from './web/elder.ts';
import { serveAsset } from './web/assets.ts';
import { requestFault } from './web/request-fault.ts';
import { deviceConfirmationAtCounterOnly } from './oidc/device-confirmation.ts';
import { isDraining } from './lifecycle/listener.ts';
import { isLang, type Lang } from './i18n/text.ts';

export interface ServerDeps {
  account: AccountDeps;
  /** the forgotten-password help and its reset by text message */
  help: PasswordHelpDeps;
  counter: CounterDeps;
  config: Config;
  provider: Provider;
  db: Database;
  store: EphemeralStore;
  interaction: InteractionDeps;
  proxy: ProxyDeps;
  admin: AdminDeps;
}

// /readyz answers within this even when a store has frozen
const READY_TIMEOUT_MS = 2000;

const CSP = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self'",
  "script-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function buildServer(deps: ServerDeps): express.Express {
  const { config, provider } = deps;
  const app = express();
  app.disable('x-powered-by');
  // our pages and APIs are never served from a cache (below), so a validator hashed from every
  // body would be of no use; the static files carry their own (web/assets.ts)
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  // X-Request-Id is taken from the peer only when express trusts it as a proxy
  const trustedPeer = (req: { socket: { remoteAddress?: string } }) =>
    (app.get('trust proxy fn') as (addr: string, hop: number) => boolean)(req.socket.remoteAddress ?? '', 0);
  app.use(requestLogging(trustedPeer, { quietPaths: ['/healthz', '/readyz'] }));

  app.use((req, res, next) => {
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    if (config.issuer.startsWith('https:')) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
    const query = req.query.lang;
    if (isLang(query)) {
      res.append('Set-Cookie', `${LANG_COOKIE}=${query}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly${config.issuer.startsWith('https:') ? '; Secure' : ''}`);
    }
    // worked out when a page or an error first asks: protocol requests (the token endpoint above
    // all) never do, and negotiating Accept-Language is not free
    let lang: Lang | undefined;
    Object.defineProperty(res.locals, 'lang', {
      enumerable: true,
      configurable: true,
      get: () => (lang ??= requestLang(req)),
      set: (chosen: Lang) => (lang = chosen),
    });
    next();
  });

  app.use(elderMode(config.issuer.startsWith('https:')));
  app.get('/assets/:name', serveAsset);
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (req, res) => {
    // shutting down (SIGTERM): not ready from the first moment, whatever the stores say
    if (isDraining(req.app)) {
      res.status(503).json({ status: 'shutting_down' });
      return;
    }
    const [database, store] = await Promise.all([answers(deps.db.query('SELECT 1')), answers(deps.store.get('readyz'))]);
    if (database && store) {
      res.json({ status: 'ready', database: deps.db.kind, store: deps.store.kind });
      return;
    }
    res
      .status(503)
      .setHeader('Retry-After', String(StoreUnavailable.retryAfter))
      .json({ status: 'unavailable', database: database ? 'ok' : 'unavailable', store: store ? 'ok' : 'unavailable' });
  });

  // Our own pages, each router under its prefix, in one layer: protocol requests (/token above
  // all) go straight on to the provider without walking the routers' route tables.
  const sections: Array<{ prefix: string; forms: boolean; handler: express.RequestHandler }> = [
    // family proxy's choice at sign-in sits in the interaction (its cookie's path), ahead of the login pages
    { prefix: '/interaction', forms: true, handler: express.Router().use(onBehalfRouter(deps.proxy), interactionRouter(deps.interaction)) },
    { prefix: '/account/proxy', forms: true, handler: proxySetupRouter(deps.proxy) },
    { prefix: '/account', forms: true, handler: accountRouter(deps.account) },
    { prefix: '/counter', forms: true, handler: counterRouter(deps.counter) },
    // the admin API (JSON) ahead of the console's pages (forms)
    { prefix: '/admin/api', forms: false, handler: adminApiRouter(deps.admin) },
    { prefix: '/admin', forms: true, handler: adminPagesRouter(deps.admin) },
    { prefix: '/help', forms: true, handler: passwordHelpRouter(deps.help) },
    {
      prefix: '/api/methods',
      forms: false,
      handler: methodApiRouter({ provider, methods: deps.interaction.methods, store: deps.store, limits: deps.interaction.services.limits, sealer: deps.interaction.services.sealer }),
    },
  ];
  app.use((req, res, next) => {
    const path = req.path;
    const section = sections.find((s) => path === s.prefix || path.startsWith(`${s.prefix}/`));
    if (!section) return next();
    // pages that carry a form's CSRF token, an interaction or a person's data, and the answers of
    // our APIs, are kept by no cache, the browser's included
    res.setHeader('Cache-Control', 'no-store');
    // our forms take urlencoded bodies only
    if (section.forms && req.method === 'POST' && !req.is('application/x-www-form-urlencoded')) return next(new AppError('unsupported_content_type'));
    section.handler(req, res, next);
  });
  app.use(deviceConfirmationAtCounterOnly);
  app.use(provider.callback());
  app.use(errorHandler);
  return app;
}

/** true when the probe settles well within READY_TIMEOUT_MS */
async function answers(probe: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
  });
  try {
    return await Promise.race([probe.then(() => true, () => false), late]);
  } finally {
    clearTimeout(timer);
  }
}

function errorHandler(err: unknown, req: Request, res: Response, _next: NextFunction): void {
  const lang = (res.locals.lang as Lang | undefined) ?? 'zh-CN';
  if (err instanceof StoreUnavailable) return storeUnavailable(err, req, res, lang);
  let appErr: AppError;
  if (err instanceof AppError) appErr = err;
  else {
    const fault = requestFault(err);
    if (fault) appErr = fault;
    else {
      // unexpected: logged once, with the request id; the serializer keeps out bodies and personal data
      logOf(req).error({ err, method: req.method, path: req.path }, 'unexpected error');
      appErr = new AppError('internal');
    }
  }
  if (res.headersSent) return;
  if (appErr.retryAfter) res.setHeader('Retry-After', String(appErr.retryAfter));
  if (req.accepts(['html', 'json']) === 'json') {
    res.status(appErr.status).json(appErr.toJSON());
    return;
  }
  res.status(appErr.status).type('html').send(errorPage(lang, elderOf(res), req.originalUrl, { code: appErr.code, params: appErr.params }));
}

/** A store outage: 503 with Retry-After, a page with a way to retry or JSON, never the person's fault. */
function storeUnavailable(err: StoreUnavailable, req: Request, res: Response, lang: Lang): void {
  logOf(req).warn({ store: err.store, err: err.cause, path: req.path }, 'store unavailable');
  if (res.headersSent) return;
  res.status(503).setHeader('Retry-After', String(StoreUnavailable.retryAfter));
  if (req.accepts(['html', 'json']) === 'json') {
    res.json(new AppError('temporarily_unavailable', { retryAfter: StoreUnavailable.retryAfter }).toJSON());
    return;
  }
  res.type('html').send(unavailablePage(lang, elderOf(res), retryTarget(req.method, req.originalUrl)));
}
