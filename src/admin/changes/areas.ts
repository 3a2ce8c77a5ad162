/** The policy and approvals areas of the admin console and API (see ../area.ts). */
import type { AdminArea } from '../area.ts';
import { policyPages } from '../policy-pages/routes.ts';
import { approvalsApi } from './approvals-api.ts';
import { approvalsPages, approvalsPanel } from './approvals-pages.ts';
import { approvalPaths, policyPaths } from './openapi-paths.ts';
import { policyApi } from './policy-api.ts';

export const policyArea: AdminArea = {
  id: 'policy',
  api: policyApi,
  pages: policyPages,
  openapi: policyPaths,
  nav: { path: '/admin/policy', label: 'chgNavPolicy', roles: ['policy_admin', 'auditor'] },
};

export const approvalsArea: AdminArea = {
  id: 'approvals',
  api: approvalsApi,
  pages: approvalsPages,
  openapi: approvalPaths,
  // the roles some change kind names (who may decide a request)
  nav: { path: '/admin/approvals', label: 'chgNavApprovals', roles: ['policy_admin', 'client_admin', 'key_admin', 'staff_admin', 'admin_admin'] },
  homePanel: approvalsPanel,
};
