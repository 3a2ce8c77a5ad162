/**
 * Every audit event, by type. A person appears only as `subjectIndex` (the blind index of the
 * ID number), never by name, number or phone. `clientId` and `source` (the caller's address)
 * are stored in their own columns; everything else goes into the row's data.
 */

export type ProofingLevel = 'none' | 'remote' | 'in_person';
export type ProxyRole = 'citizen' | 'helper';

export interface AuditEventFields {
  'login.succeeded': {
    method: string;
    clientId: string;
    acr: string;
    amr: readonly string[];
    subjectIndex: string;
    /** non-personal facts from the method (authority request ids, match scores) */
    evidence?: Readonly<Record<string, string | number | boolean>>;
  };
  'login.failed': { method: string; reason: string; subjectIndex?: string };
  /**
   * refused attempts, counted per window (refusal-tally.ts): the window's first refusal writes a
   * row with count 1 (final false); after the window a closing row gives its total (final true)
   */
  'login.rate_limited': {
    method: string;
    scope: string;
    identifierIndex?: string;
    windowStart: string;
    windowSeconds: number;
    count: number;
    final: boolean;
  };
  /** sign-in with `method` paused for the person after repeated failures (`scope`: which limit) */
  'login.locked': { method: string; scope: string; seconds: number; subjectIndex: string };
  /** the person signed in with `method` after a pause: the pause is over */
  'login.unlocked': { method: string; subjectIndex: string };
  'person.enrolled': { method: string; subjectIndex: string; proofing: ProofingLevel };
  /** a credential newly bound to the person (never for a sign-in with one bound before) */
  'credential.bound': { method: string; subjectIndex: string };
  /** the person set a new secret (password) for a credential they already had */
  'credential.secret_replaced': { method: string; subjectIndex: string };
  /** the person removed one of their own login methods */
  'credential.unbound': { method: string; subjectIndex: string };
  /** someone tried to bind a credential that belongs to another person */
  'credential.conflict': { method: string; subjectIndex: string };
  'consent.granted': { clientId: string; subjectIndex: string; scopes: readonly string[]; claims: readonly string[] };
  'consent.withdrawn': { clientId: string; subjectIndex: string };
  /** the person signed out everywhere: `sessions` ended, the departments told (`clients`) */
  'sessions.ended': { subjectIndex: string; sessions: number; clients: readonly string[] };
  /** the person downloaded everything held about them (the right of access) */
  'data.exported': { subjectIndex: string };
  'claims.released': { clientId: string; subjectIndex: string; claims: readonly string[]; use: 'id_token' | 'userinfo' };
  /**
   * `registeredVia` is how the client arrived (file, admin console, CLI…); it is not named
   * `source` because `source` is the caller's address on every event.
   */
  'client.registered': { clientId: string; registeredVia: string };
  'client.removed': { clientId: string; removedVia: string };
  'keys.rotated': { activated: readonly string[]; published: readonly string[]; removed?: readonly string[] };
  'authority.unavailable': {
    authority: string;
    kind: 'timeout' | 'http' | 'malformed' | 'signature' | 'network';
    method: string;
  };
  logout: { subjectIndex: string; clients: readonly string[] };
  /** a department app's back-channel logout endpoint did not take the logout (the app id is `clientId`) */
  'logout.backchannel_failed': { subjectIndex?: string };
  /** counter actions: who (staff person id), where (centre), about whom, and the reason staff typed */
  'counter.signed_in': { staffId: string; centreId: string };
  'counter.verified_in_person': { staffId: string; centreId: string; subjectIndex: string; reason: string; enrolled: boolean };
  'counter.code_issued': { staffId: string; centreId: string; subjectIndex: string; reason: string; expiresIn: number };
  'counter.kiosk_approved': { staffId: string; centreId: string; subjectIndex: string; reason: string; kioskClientId: string };
  'counter.request_created': { staffId: string; centreId: string; subjectIndex: string; reason: string; kind: string; requestId: string };
  'counter.request_approved': { staffId: string; centreId: string; subjectIndex: string; reason: string; kind: string; requestId: string };
  'counter.request_refused': { staffId: string; centreId: string; subjectIndex?: string; reason: string; kind?: string; requestId?: string };
  'counter.lockout_lifted': { staffId: string; centreId: string; subjectIndex: string; reason: string };
  /** an action the rules refused (self-approval, another centre, no open visit, …) */
  'counter.refused': { staffId: string; centreId: string; action: string; why: string; subjectIndex?: string };
  /**
   * family proxy (亲友代办): each event writes one row for the citizen and one for the helper
   * (`role` says whose row it is), so both see it in their activity; `mandateId` ties them
   */
  /** at a counter (`via: 'counter'`) it names the staff member, the centre and the reason typed */
  'proxy.requested': { subjectIndex: string; mandateId: string; role: ProxyRole; clients: readonly string[]; scopes: readonly string[]; until: string; via: 'online' | 'counter'; staffId?: string; centreId?: string; reason?: string };
  'proxy.accepted': { subjectIndex: string; mandateId: string; role: ProxyRole };
  'proxy.revoked': { subjectIndex: string; mandateId: string; role: ProxyRole };
  /** the helper signed in to `clientId` on the citizen's behalf */
  'proxy.signed_in': { subjectIndex: string; mandateId: string; role: ProxyRole; acr: string };
  /** a sign-in on someone's behalf the rules refused (the helper's row) */
  'proxy.refused': { subjectIndex: string; mandateId: string; reason: string };
  'staff.added': { staffId: string; centreId: string; role: string };
  'staff.deactivated': { staffId: string; centreId: string };
  /**
   * admin console, operations: who (`actorId`, `roles`), why (`reason`, typed by the admin); the
   * citizen only as `subjectIndex`, so each of these also shows in the citizen's "my activity"
   */
  'helpdesk.looked_up': { actorId: string; roles: readonly string[]; reason: string; subjectIndex: string };
  'helpdesk.lockout_lifted': { actorId: string; roles: readonly string[]; reason: string; subjectIndex: string; methods: readonly string[] };
  'helpdesk.sessions_ended': { actorId: string; roles: readonly string[]; reason: string; subjectIndex: string; sessions: number; clients: readonly string[] };
  /** an auditor's export: the filters (blind indexes only) and how many rows left */
  'audit.exported': { actorId: string; roles: readonly string[]; format: 'csv' | 'json'; filters: Readonly<Record<string, string>>; rows: number };
  /** a department app changed from the console (`clientId` in the envelope); secrets never appear, only that one was set */
  'client.changed': {
    actorId: string;
    roles: readonly string[];
    reason: string;
    change: 'registered' | 'updated' | 'disabled' | 'enabled' | 'secret_rotated' | 'scopes';
    before: Readonly<Record<string, unknown>> | null;
    after: Readonly<Record<string, unknown>> | null;
  };
  /** a signing key published, activated (the alg's former key `retired`) or withdrawn from the JWKS */
  'keys.changed': { actorId: string; roles: readonly string[]; reason: string; change: 'published' | 'activated' | 'removed'; kid: string; alg: string; retired?: string | null };
  /** service centres and counter staff changed from the console */
  'staff.changed': {
    actorId: string;
    roles: readonly string[];
    reason: string;
    change: 'centre_added' | 'staff_added' | 'staff_deactivated';
    centreId: string;
    staffId?: string;
    before: Readonly<Record<string, unknown>> | null;
    after: Readonly<Record<string, unknown>> | null;
  };
  /** the first policy version, seeded from config/ on the first start */
  'policy.seeded': { version: number; reason: string };
  /** a new policy version in force: who, with which roles, why, and what changed (the diff's lines) */
  'policy.changed': { version: number; actorId: string; roles: readonly string[]; reason: string; rollbackOf?: number; diff: readonly string[] };
  /** security admins: `actorId` is 'person:<id>' (console), 'client:<id>' (API token) or 'cli:<user>' */
  'admin.signed_in': { actorId: string; roles: readonly string[]; subjectIndex: string };
  'admin.signed_out': { actorId: string; roles: readonly string[]; subjectIndex: string };
  /** a person's admin roles or state set (`subjectIndex`: the admin's); before is null for a new admin */
  'admins.changed': {
    actorId: string;
    roles: readonly string[];
    reason: string;
    subjectIndex: string;
    before: { roles: readonly string[]; active: boolean } | null;
    after: { roles: readonly string[]; active: boolean };
  };
  /**
   * admin change requests (four-eyes): `actorId` is who acted ('person:<id>' or 'client:<id>'),
   * `roles` their admin roles, `summary` readable lines of what changes (before → after)
   */
  'admin.change_proposed': { actorId: string; roles: readonly string[]; reason: string; requestId: string; kind: string; summary: readonly string[]; expiresAt: string };
  /** a change that only tightens, in force at once */
  'admin.change_applied': { actorId: string; roles: readonly string[]; reason: string; kind: string; summary: readonly string[] };
  'admin.change_approved': { actorId: string; roles: readonly string[]; reason: string; requestId: string; kind: string; summary: readonly string[]; proposedBy: string; proposalReason: string };
  'admin.change_rejected': { actorId: string; roles: readonly string[]; reason: string; requestId: string; kind: string; proposedBy: string };
  'admin.change_lapsed': { actorId: string; roles: readonly string[]; reason: string; requestId: string; kind: string; proposedBy: string };
  /** a step the rules refused (`why`: the error code: self-approval, a role missing, an unsafe change, …) */
  'admin.change_refused': { actorId: string; roles: readonly string[]; reason: string; kind: string; step: 'propose' | 'approve' | 'reject'; why: string; requestId?: string };
}

export type AuditEventType = keyof AuditEventFields;

/** Carried by any event: the caller's address, and the department app involved. */
export interface AuditEnvelope {
  source?: string;
  clientId?: string;
}

export type AuditEvent = {
  [K in AuditEventType]: { type: K } & AuditEnvelope & AuditEventFields[K];
}[AuditEventType];

export type AuditEventOf<K extends AuditEventType> = Extract<AuditEvent, { type: K }>;

/** A stored event as read back. */
export interface AuditRecord {
  /** bigint as text */
  readonly seq: string;
  /** ISO 8601, UTC, millisecond precision */
  readonly at: string;
  readonly type: string;
  readonly subjectIndex: string | null;
  readonly clientId: string | null;
  readonly source: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}
