/** The admins area: who administers, with which roles (see area.ts). */
import type { AdminArea } from './area.ts';
import { adminsApi } from './admins-api.ts';
import { adminsPages } from './admins-pages.ts';
import { adminsPaths } from './changes/openapi-paths.ts';

export const adminsArea: AdminArea = {
  id: 'admins',
  api: adminsApi,
  pages: adminsPages,
  openapi: adminsPaths,
  nav: { path: '/admin/admins', label: 'chgNavAdmins', roles: ['admin_admin', 'auditor'] },
};
