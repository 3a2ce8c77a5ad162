/**
 * /admin: the console's pages and /admin/api, with every area of areas.ts mounted behind one
 * authentication step (auth.ts), the CSRF check for console changes, and role checks in the
 * areas' own routes. The API speaks JSON only, errors included; the pages take urlencoded forms.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { AppError } from '../errors.ts';
import type { Lang } from '../i18n/text.ts';
import type { AdminArea } from './area.ts';
import { ADMIN_AREAS } from './areas.ts';
import { authenticate, checkCsrf } from './auth.ts';
import type { AdminDeps } from './deps.ts';
import { homePages, meApi } from './home.ts';
import { refusedPage } from './home-views.ts';
import { openApiDocument } from './openapi.ts';
import { adminSignIn } from './sign-in.ts';
import { elderOf } from '../web/elder.ts';

const WITHOUT_BODY = new Set(['GET', 'HEAD', 'OPTIONS', 'DELETE']);

/** The JSON API, mounted at /admin/api. */
export function adminApiRouter(deps: AdminDeps, areas: readonly AdminArea[] = ADMIN_AREAS): express.Router {
  const api = express.Router();
  const document = openApiDocument(deps.issuer, areas);
  api.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  api.use((req, _res, next) => {
    // a body in anything but JSON is refused before it is read (forms belong to the pages)
    const hasBody = req.headers['content-length'] !== undefined ? req.headers['content-length'] !== '0' : req.headers['transfer-encoding'] !== undefined;
    if (!WITHOUT_BODY.has(req.method) && hasBody && !req.is('application/json')) throw new AppError('unsupported_content_type');
    next();
  });
  api.use(express.json({ limit: '1mb' }));
  api.use(authenticate(deps));
  api.use((_req, res, next) => {
    if (res.locals.admin) return next();
    throw new AppError(res.locals.adminEnded ? 'admin_session_expired' : 'admin_sign_in_required');
  });
  api.use(checkCsrf(deps));
  api.use(meApi(deps, areas));
  for (const area of areas) if (area.api) api.use(area.api(deps));
  api.use(() => {
    throw new AppError('admin_not_found');
  });
  // the API answers in JSON whatever the caller accepts; outages go on to the service's handler
  api.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!(err instanceof AppError) || res.headersSent) return next(err);
    if (err.retryAfter) res.setHeader('Retry-After', String(err.retryAfter));
    res.status(err.status).json(err.toJSON());
  });
  return express.Router().use('/admin/api', api);
}

/** The console's pages, mounted at /admin. */
export function adminPagesRouter(deps: AdminDeps, areas: readonly AdminArea[] = ADMIN_AREAS): express.Router {
  const pages = express.Router();
  const signIn = adminSignIn(deps);
  pages.get('/login', (_req, res) => signIn.toLogin(res));
  pages.use(express.urlencoded({ extended: false, limit: '256kb', parameterLimit: 1000 }));
  pages.use(authenticate(deps));
  pages.use(checkCsrf(deps));
  pages.use(signIn.router);
  pages.use((req, res, next) => {
    if (res.locals.admin?.via === 'console') return next();
    // a page opened without a session starts the sign-in; a form sent after the session ended says so
    if (req.method === 'GET') return signIn.toLogin(res);
    res.status(401).type('html').set('cache-control', 'no-store').send(refusedPage(res.locals.lang as Lang, elderOf(res), req.originalUrl, 'admin_session_expired'));
  });
  pages.use(homePages(deps, areas));
  for (const area of areas) if (area.pages) pages.use(area.pages(deps));
  pages.use(() => {
    throw new AppError('admin_not_found');
  });
  return express.Router().use('/admin', pages);
}
