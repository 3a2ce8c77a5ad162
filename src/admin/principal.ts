/**
 * Who is acting in /admin: a console admin (a person signed in at level 3) or an API client (a
 * client-credentials token with admin scopes). Set by the router's authentication step in
 * `res.locals.admin`; handlers read it with `adminOf(res)`.
 */
import type { Response } from 'express';
import { AppError } from '../errors.ts';
import type { AdminRole } from './roles.ts';

export interface AdminPrincipal {
  /** 'person:<persons.id>' for a console admin, 'client:<client_id>' for an API token: who approves must differ from who proposed */
  actorId: string;
  /** console admins */
  personId?: string;
  /** console admins: blind index of their ID number, for audit */
  subjectIndex?: string;
  /** API tokens (client credentials) */
  clientId?: string;
  roles: readonly AdminRole[];
  via: 'console' | 'token';
  /** source address (req.ip) */
  address: string;
}

export function personActor(personId: string): string {
  return `person:${personId}`;
}

export function clientActor(clientId: string): string {
  return `client:${clientId}`;
}

/** The principal of this request; throws 401 when the request was not authenticated. */
export function adminOf(res: Response): AdminPrincipal {
  const admin = res.locals.admin as AdminPrincipal | undefined;
  if (!admin) throw new AppError('admin_sign_in_required');
  return admin;
}

export function hasRole(admin: AdminPrincipal, ...roles: readonly AdminRole[]): boolean {
  return roles.some((r) => admin.roles.includes(r));
}
