export type Proofing = 'none' | 'remote' | 'in_person';

/** A person with personal data decrypted. Only for code that must show or release it. */
export interface Person {
  readonly id: string;
  readonly idNumber: string;
  readonly name: string;
  readonly phone: string | null;
  /** YYYY-MM-DD */
  readonly birthdate: string;
  readonly gender: 'male' | 'female';
  readonly proofing: Proofing;
  /** The blind index of the ID number: how the audit trail refers to this person. */
  readonly idNumberIndex: string;
  /**
   * Family proxy: the end of the latest mandate this person accepted as a helper, null when they
   * never did (kept by src/proxy/mandates.ts; a revoked mandate does not lower it).
   */
  readonly helpsUntil: Date | null;
}

export interface CredentialMatch {
  readonly personId: string;
  readonly credentialId: string;
  readonly secretHash: string | null;
  readonly status: 'active' | 'disabled';
}

export interface CredentialSummary {
  readonly id: string;
  readonly method: string;
  readonly status: 'active' | 'disabled';
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

export interface Consent {
  readonly scopes: string[];
  readonly claims: string[];
  readonly grantedAt: Date;
}

/** A consent as the person's own records show it, withdrawn ones included. */
export interface ConsentRecord extends Consent {
  readonly clientId: string;
  /** when the department last signed the person in under it; null before the first time */
  readonly lastUsedAt: Date | null;
  readonly withdrawnAt: Date | null;
}

export interface EnrolResult {
  readonly personId: string;
  /** the blind index of the ID number: how the audit trail names the person */
  readonly idNumberIndex: string;
  /** true when this call created the person */
  readonly created: boolean;
  /** in the order of the enrolment's credentials */
  readonly credentialIds: string[];
  /** methods of the credentials this call bound (not those already bound to the person) */
  readonly newCredentials: string[];
}

export interface BoundCredential {
  readonly id: string;
  /** false when the person already had it (a secret given replaced the old one) */
  readonly created: boolean;
}

export const PROOFING_RANK: Record<Proofing, number> = { none: 0, remote: 1, in_person: 2 };

/** Blind-index domains, kept in one place so writers and readers cannot drift apart. */
export const INDEX_DOMAIN = {
  idNumber: 'id_number',
  credential: (method: string) => `cred:${method}`,
} as const;

/** Encryption contexts (AAD): one per column, so a value cannot be moved to another. */
export const CONTEXT = {
  idNumber: 'persons.id_number',
  name: 'persons.name',
  phone: 'persons.phone',
} as const;

/** The canonical form the blind index is computed over: trimmed, final x upper-cased. */
export function normaliseIdNumber(raw: string): string {
  return raw.trim().toUpperCase();
}
