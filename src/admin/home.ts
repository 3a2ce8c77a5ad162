/**
 * The admin home page (/admin): who is signed in, their roles, the areas their roles reach and
 * each area's panel (pending approvals, …); and its API twin, GET /admin/api/me.
 */
import express from 'express';
import type { Lang } from '../i18n/text.ts';
import type { Html } from '../web/html.ts';
import type { AdminArea } from './area.ts';
import { csrfTokenOf } from './auth.ts';
import type { AdminDeps } from './deps.ts';
import { homePage } from './home-views.ts';
import { adminOf, hasRole, type AdminPrincipal } from './principal.ts';
import { elderOf } from '../web/elder.ts';

/** The nav links of the areas `admin` reaches, in the areas' order. */
export function linksFor(areas: readonly AdminArea[], admin: AdminPrincipal) {
  return areas.flatMap((a) => (a.nav && hasRole(admin, ...a.nav.roles) ? [{ path: a.nav.path, label: a.nav.label }] : []));
}

export function homePages(deps: AdminDeps, areas: readonly AdminArea[]): express.Router {
  const router = express.Router();
  router.get('/', async (req, res) => {
    const admin = adminOf(res);
    const lang = res.locals.lang as Lang;
    const person = admin.personId ? await deps.identity.getPerson(admin.personId) : null;
    const panels: Html[] = [];
    for (const area of areas) {
      const panel = area.homePanel ? await area.homePanel(deps, admin, lang) : null;
      if (panel) panels.push(panel);
    }
    res.set('cache-control', 'no-store').type('html').send(
      homePage({
        lang,
        elder: elderOf(res),
        path: req.originalUrl,
        csrf: csrfTokenOf(res),
        name: person?.name ?? admin.actorId,
        roles: admin.roles,
        links: linksFor(areas, admin),
        panels,
        idleMinutes: Math.round(deps.sessions.idleSeconds / 60),
      }),
    );
  });
  return router;
}

export function meApi(deps: AdminDeps, areas: readonly AdminArea[]): express.Router {
  const router = express.Router();
  router.get('/me', async (_req, res) => {
    const admin = adminOf(res);
    const person = admin.personId ? await deps.identity.getPerson(admin.personId) : null;
    res.set('cache-control', 'no-store').json({
      actor_id: admin.actorId,
      via: admin.via,
      roles: admin.roles,
      ...(admin.personId ? { person_id: admin.personId, name: person?.name ?? null } : {}),
      ...(admin.clientId ? { client_id: admin.clientId } : {}),
      // a console caller of the API sends this back as X-CSRF-Token on every change
      ...(admin.via === 'console' ? { csrf_token: csrfTokenOf(res) } : {}),
      areas: linksFor(areas, admin).map((l) => l.path),
    });
  });
  return router;
}
