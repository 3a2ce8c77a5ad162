/** Every area of the admin console and API, one line each (see area.ts). */
import type { AdminArea } from './area.ts';
import { helpdeskArea } from './helpdesk/area.ts';
import { auditArea } from './audit-search/area.ts';
import { keysArea } from './keys-admin/area.ts';
import { staffArea } from './staff-admin/area.ts';
import { clientsArea } from './clients-admin/area.ts';
import { approvalsArea, policyArea } from './changes/areas.ts';
import { adminsArea } from './admins-area.ts';

export const ADMIN_AREAS: readonly AdminArea[] = [
  policyArea,
  approvalsArea,
  adminsArea,
  helpdeskArea,
  auditArea,
  keysArea,
  staffArea,
  clientsArea,
];
