/**
 * What every admin area gets: the service's parts, built once in app-context.ts. Areas add
 * the fields they bring with a line each (policy: `policy`, changes: `changes`).
 */
import type Provider from 'oidc-provider';
import type { Config } from '../config/env.ts';
import type { Keys } from '../keys/index.ts';
import type { Database } from '../store/database.ts';
import type { EphemeralStore } from '../store/ephemeral.ts';
import type { AuditLog } from '../audit/index.ts';
import type { IdentityService } from '../identity/index.ts';
import type { FieldCipher } from '../crypto/field-cipher.ts';
import type { ClientRegistry } from '../oidc/client-registry.ts';
import type { Csrf } from '../interaction/csrf.ts';
import type { ServiceLimiter } from '../policy/rate-limit.ts';
import type { StaffDirectory } from '../counter/staff-directory.ts';
import type { LoginMethod } from '../../providers/kit/index.ts';
import type { AdminDirectory } from './admin-directory.ts';
import type { AdminSessions } from './session.ts';
import type { ChangeService } from './changes/kind.ts';
import type { SigningKeyStore } from '../keys/index.ts';
import type { LivePolicy } from '../policy/live-policy.ts';

export interface AdminDeps {
  db: Database;
  store: EphemeralStore;
  audit: AuditLog;
  identity: IdentityService;
  cipher: FieldCipher;
  clients: ClientRegistry;
  provider: Provider;
  keys: Keys;
  config: Config;
  csrf: Csrf;
  limits: ServiceLimiter;
  staff: StaffDirectory;
  methods: ReadonlyMap<string, LoginMethod>;
  issuer: string;
  secureCookies: boolean;
  /** registers or replaces a department app, as the CLI and client files do */
  register(input: unknown, source: string): Promise<{ clientId: string }>;
  /** who holds which admin roles */
  admins: AdminDirectory;
  /** console sessions (idle timeout) */
  sessions: AdminSessions;
  /** the blind index of an ID number, for look-ups and audit */
  subjectIndexOf(idNumber: string): string;
  /** milliseconds; tests move it instead of sleeping */
  now(): number;
  /** four-eyes change requests (changes/service.ts) */
  changes: ChangeService;
  /** the stored, versioned policy in force (policy/live-policy.ts) */
  policy: LivePolicy;
  /** signing keys in PostgreSQL, followed live by every instance (keys area) */
  signingKeys: SigningKeyStore;
  /** method ids by their role ('password', 'phone-otp'): the accounts a helpdesk lift resets */
  methodRoles: Readonly<Partial<Record<string, string>>>;
}
