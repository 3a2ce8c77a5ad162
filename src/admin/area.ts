/**
 * One part of the admin console and API (policy, approvals, helpdesk, audit, clients, keys,
 * staff, admins). areas.ts lists them; router.ts mounts them behind authentication and CSRF.
 *
 * - `api` routers are mounted at /admin/api, their paths relative to it ('/policy/versions');
 *   bodies arrive parsed as JSON (1 MB at most).
 * - `pages` routers are mounted at /admin, paths relative to it ('/policy'); bodies arrive parsed
 *   as urlencoded forms (256 kB, 1000 fields at most). A page embeds `csrfTokenOf(res)` as `_csrf`.
 * - `openapi`: OpenAPI 3.1 `paths` entries, keys relative to /admin/api (the document's server),
 *   written with `{param}` where express has `:param`.
 */
import type express from 'express';
import type { Lang } from '../i18n/text.ts';
import type { UiKey } from '../i18n/ui.ts';
import type { Html } from '../web/html.ts';
import type { AdminDeps } from './deps.ts';
import type { AdminPrincipal } from './principal.ts';
import type { AdminRole } from './roles.ts';

export interface AdminArea {
  /** 'policy', 'approvals', 'helpdesk', 'audit', 'clients', 'keys', 'staff', 'admins' */
  id: string;
  /** mounted at /admin/api (JSON in and out) */
  api?(deps: AdminDeps): express.Router;
  /** mounted at /admin (HTML, urlencoded forms) */
  pages?(deps: AdminDeps): express.Router;
  /** OpenAPI 3.1 `paths` entries this area serves (relative to /admin/api) */
  openapi?: Record<string, unknown>;
  /** link on the admin home page, shown to holders of one of `roles` */
  nav?: { path: string; label: UiKey; roles: readonly AdminRole[] };
  /** a panel on the admin home page (e.g. pending approvals), or null for nothing to show */
  homePanel?(deps: AdminDeps, admin: AdminPrincipal, lang: Lang): Promise<Html | null>;
}
