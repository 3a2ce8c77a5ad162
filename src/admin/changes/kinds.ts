/** Every kind of change the admin console can propose, one line each (see kind.ts). */
import type { AnyChangeKind } from './kind.ts';
import { keysRetire, keysRotate } from '../keys-admin/kinds.ts';
import { clientsScopes } from '../clients-admin/scopes.ts';
import { policyRollback, policyUpdate } from './policy-kinds.ts';
import { adminsAdd, adminsDeactivate, adminsRoles } from './admin-kinds.ts';

export const CHANGE_KINDS: readonly AnyChangeKind[] = [
  policyUpdate,
  policyRollback,
  adminsAdd,
  adminsRoles,
  adminsDeactivate,
  keysRotate,
  keysRetire,
  clientsScopes,
];
