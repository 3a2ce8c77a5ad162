/**
 * Persons, credentials and consents. Personal data goes in and out of here in clear and is
 * stored only encrypted or as blind indexes.
 */
import type { CredentialLookup, Enrolment } from '../../providers/kit/index.ts';
import type { FieldCipher } from '../crypto/field-cipher.ts';
import type { Database, Queryable } from '../store/database.ts';
import { bindToPerson, enrol } from './enrol.ts';
import {
  CONTEXT,
  INDEX_DOMAIN,
  normaliseIdNumber,
  type Consent,
  type ConsentRecord,
  type CredentialMatch,
  type BoundCredential,
  type CredentialSummary,
  type EnrolResult,
  type Person,
  type Proofing,
} from './types.ts';

/**
 * Writes take an optional `tx`: the caller's transaction, when the write is part of an action
 * whose audit events must commit with it (AuditLog.transaction).
 */
export interface IdentityService {
  /** The credential of `method` whose identifier (phone, card number…) is `identifier`. */
  findCredential(method: string, identifier: string): Promise<CredentialMatch | null>;
  personExists(idNumber: string): Promise<boolean>;
  findPersonIdByIdNumber(idNumber: string): Promise<string | null>;
  /** The person as PostgreSQL has them now (and kept for recentPerson). */
  getPerson(personId: string): Promise<Person | null>;
  /**
   * The person as this process read them at most PERSON_REUSE_MS ago, else read now. For the
   * reads that follow a sign-in's own look-up (its completion; oidc-provider asks for the
   * account when the sign-in resumes the authorization and again for the ID token's claims): a
   * change made meanwhile through this process is seen at once, one made elsewhere after at most
   * PERSON_REUSE_MS.
   */
  recentPerson(personId: string): Promise<Person | null>;
  /**
   * Creates the person when absent and binds the credentials, all or nothing. Throws
   * AppError('credential_conflict', 409) when a credential belongs to another person.
   */
  enrol(idNumber: string, enrolment: Enrolment, tx?: Queryable): Promise<EnrolResult>;
  /** binds a credential to a signed-in person; AppError credential_conflict (409) when it is someone else's */
  bind(personId: string, credential: { method: string; identifier: string; secretHash?: string }, tx?: Queryable): Promise<BoundCredential>;
  /** replaces the phone on record (the contact number; binding it for SMS sign-in is separate) */
  setPhone(personId: string, phone: string | null, tx?: Queryable): Promise<void>;
  /** removes every credential of one method from the person; returns how many */
  removeCredentials(personId: string, method: string, tx?: Queryable): Promise<number>;
  /** removes one of the person's own credentials; false when it is not theirs */
  unbind(personId: string, credentialId: string, tx?: Queryable): Promise<boolean>;
  /** Notes a sign-in with the credential, to the hour: a write only when the time on record is an hour old. */
  touchCredential(credentialId: string): Promise<void>;
  listCredentials(personId: string): Promise<CredentialSummary[]>;
  /** The active consent, or null when none was given or it was withdrawn. */
  getConsent(personId: string, clientId: string): Promise<Consent | null>;
  /** Adds to an active consent (union) or starts a new one; returns the consent now in force. */
  saveConsent(personId: string, clientId: string, scopes: readonly string[], claims: readonly string[], tx?: Queryable): Promise<Consent>;
  /** true when an active consent was withdrawn */
  withdrawConsent(personId: string, clientId: string, tx?: Queryable): Promise<boolean>;
  /** Every consent the person gave, the withdrawn ones too; most recently given first. */
  listConsents(personId: string): Promise<ConsentRecord[]>;
  /** Notes a department's sign-in under its consent, to the hour like touchCredential (no write without a consent). */
  touchConsent(personId: string, clientId: string): Promise<void>;
  /** The view login methods get: look-ups only. */
  credentialLookup(): CredentialLookup;
}

/**
 * How fresh "last used" is kept. A sign-in writes the time only when the one on record is
 * older, so a person signing in again and again costs a write an hour, not one each time; the
 * account page says the time is to the hour.
 */
const LAST_USED_GRANULARITY = "interval '1 hour'";

/**
 * How long a person read from PostgreSQL may be handed out again by recentPerson(): one
 * sign-in's credential look-up (which reads the person beside the credential), completion,
 * resume and code exchange follow each other within it, so the row is read and decrypted once
 * instead of four times. The bound on staleness: a person changed or removed by another process
 * (or behind the service's back) is served as they were for at most this long after the read
 * began; a change through this identity service drops the copy as soon as its statement has run
 * (inside a caller's transaction: before that commits).
 */
export const PERSON_REUSE_MS = 5000;
// a bound on memory whatever the sign-in rate: the oldest copies go first
const MAX_KEPT_PERSONS = 10_000;
/** how long a look-up's "used within the hour" stands for the sign-in after it */
const FRESH_LOOKUP_MS = 60_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

// a person's columns, read by getPerson and beside a credential (findCredential)
const PERSON_COLUMNS = `p.id, p.id_number_enc, p.id_number_index, p.name_enc, p.phone_enc,
  to_char(p.birthdate, 'YYYY-MM-DD') AS birthdate, p.gender, p.proofing, p.helps_until`;

interface PersonRow {
  id: string;
  id_number_enc: string;
  id_number_index: string;
  name_enc: string;
  phone_enc: string | null;
  // to_char keeps the date a plain string: drivers otherwise turn it into a local-time Date.
  birthdate: string;
  gender: 'male' | 'female';
  proofing: Proofing;
  helps_until: Date | string | null;
}

function toConsent(row: { scopes: string[]; claims: string[]; granted_at: Date | string }): Consent {
  return { scopes: [...row.scopes], claims: [...row.claims], grantedAt: new Date(row.granted_at) };
}

export function createIdentityService(db: Database, cipher: FieldCipher, opts: { now?: () => number } = {}): IdentityService {
  const now = opts.now ?? Date.now;
  // person id → the person and when they were read (in order of reading: the first is the oldest)
  const kept = new Map<string, { person: Person; at: number }>();
  const keep = (person: Person, at: number) => {
    kept.delete(person.id);
    kept.set(person.id, { person, at });
    // copies past their time are not kept in memory either
    for (const [id, k] of kept) {
      if (kept.size <= MAX_KEPT_PERSONS && at - k.at <= PERSON_REUSE_MS) break;
      kept.delete(id);
    }
  };
  const forget = (personId: string) => kept.delete(personId);
  // counts changes through this service: a read that a change overlapped is not kept
  let changes = 0;
  const changed = (personId: string) => {
    changes++;
    forget(personId);
  };
  // credential id → when a look-up found it used within the hour: the sign-in that follows at
  // once need not write its last use (touchCredential). Taken once; a mark older than the
  // sign-in that follows a look-up (a wrong password left it) counts for nothing; forgotten in
  // bulk if sign-ins never follow.
  const fresh = new Map<string, number>();
  const usedLately = (credentialId: string) => {
    if (fresh.size >= MAX_KEPT_PERSONS) fresh.clear();
    fresh.set(credentialId, now());
  };
  const freshNow = (credentialId: string) => {
    const at = fresh.get(credentialId);
    fresh.delete(credentialId);
    return at !== undefined && now() - at <= FRESH_LOOKUP_MS;
  };
  const idNumberIndex = (idNumber: string) => cipher.blindIndex(INDEX_DOMAIN.idNumber, normaliseIdNumber(idNumber));

  async function findPersonIdByIdNumber(idNumber: string): Promise<string | null> {
    const { rows } = await db.query<{ id: string }>('SELECT id FROM persons WHERE id_number_index = $1', [
      idNumberIndex(idNumber),
    ]);
    return rows[0]?.id ?? null;
  }

  /** A person row as read, decrypted; kept for recentPerson unless a change overlapped the read. */
  function personOf(row: PersonRow, generation: number, at: number): Person {
    const person: Person = Object.freeze({
      id: row.id,
      idNumber: cipher.decrypt(row.id_number_enc, CONTEXT.idNumber),
      name: cipher.decrypt(row.name_enc, CONTEXT.name),
      phone: row.phone_enc === null ? null : cipher.decrypt(row.phone_enc, CONTEXT.phone),
      birthdate: row.birthdate,
      gender: row.gender,
      proofing: row.proofing,
      idNumberIndex: row.id_number_index,
      helpsUntil: row.helps_until === null ? null : new Date(row.helps_until),
    });
    if (generation === changes) keep(person, at);
    return person;
  }

  /**
   * The person is read in the same statement, and kept: the sign-in that follows a look-up
   * (after the secret is tested) has them from recentPerson without a second statement.
   */
  async function findCredential(method: string, identifier: string): Promise<CredentialMatch | null> {
    const generation = changes;
    const at = now();
    const { rows } = await db.query<PersonRow & {
      credential_id: string;
      secret_hash: string | null;
      status: 'active' | 'disabled';
      used_lately: boolean;
    }>(
      `SELECT c.id AS credential_id, c.secret_hash, c.status,
              coalesce(c.last_used_at >= now() - ${LAST_USED_GRANULARITY}, false) AS used_lately, ${PERSON_COLUMNS}
         FROM credentials c JOIN persons p ON p.id = c.person_id
        WHERE c.method = $1 AND c.identifier_index = $2`,
      [method, cipher.blindIndex(INDEX_DOMAIN.credential(method), identifier)],
    );
    const row = rows[0];
    if (!row) return null;
    if (row.used_lately) usedLately(row.credential_id);
    personOf(row, generation, at);
    return { personId: row.id, credentialId: row.credential_id, secretHash: row.secret_hash, status: row.status };
  }

  const service: IdentityService = {
    findCredential,
    findPersonIdByIdNumber,

    async personExists(idNumber) {
      return (await findPersonIdByIdNumber(idNumber)) !== null;
    },

    async getPerson(personId) {
      if (!UUID.test(personId)) return null;
      // a read started before a change through this service may finish after it: such a read is
      // not kept (its copy would outlive the change by up to PERSON_REUSE_MS)
      const generation = changes;
      const at = now();
      const { rows } = await db.query<PersonRow>(`SELECT ${PERSON_COLUMNS} FROM persons p WHERE p.id = $1`, [personId]);
      const row = rows[0];
      if (!row) {
        forget(personId);
        return null;
      }
      return personOf(row, generation, at);
    },

    async recentPerson(personId) {
      const k = kept.get(personId);
      if (k && now() - k.at <= PERSON_REUSE_MS) return k.person;
      return service.getPerson(personId);
    },

    async enrol(idNumber, enrolment, tx) {
      changes++;
      const e = await enrol(db, cipher, idNumber, enrolment, tx);
      // an existing person's proofing may have been raised
      changed(e.personId);
      return e;
    },
    bind(personId, credential, tx) {
      return bindToPerson(db, cipher, personId, credential, tx);
    },
    async setPhone(personId, phone, tx = db) {
      changed(personId);
      await tx.query('UPDATE persons SET phone_enc = $2, updated_at = now() WHERE id = $1', [
        personId,
        phone === null ? null : cipher.encrypt(phone, CONTEXT.phone),
      ]);
      // and again once written: a read between the two saw the old number
      changed(personId);
    },
    async removeCredentials(personId, method, tx = db) {
      const { rowCount } = await tx.query('DELETE FROM credentials WHERE person_id = $1 AND method = $2', [personId, method]);
      return rowCount;
    },
    async unbind(personId, credentialId, tx = db) {
      if (!UUID.test(credentialId)) return false;
      const { rowCount } = await tx.query('DELETE FROM credentials WHERE id = $1 AND person_id = $2', [credentialId, personId]);
      return rowCount > 0;
    },

    async touchCredential(credentialId) {
      if (freshNow(credentialId) || !UUID.test(credentialId)) return;
      await db.query(
        `UPDATE credentials SET last_used_at = now()
          WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - ${LAST_USED_GRANULARITY})`,
        [credentialId],
      );
    },

    async listCredentials(personId) {
      if (!UUID.test(personId)) return [];
      const { rows } = await db.query<{
        id: string;
        method: string;
        status: 'active' | 'disabled';
        created_at: Date | string;
        last_used_at: Date | string | null;
      }>(
        'SELECT id, method, status, created_at, last_used_at FROM credentials WHERE person_id = $1 ORDER BY created_at, id',
        [personId],
      );
      return rows.map((r) => ({
        id: r.id,
        method: r.method,
        status: r.status,
        createdAt: new Date(r.created_at),
        lastUsedAt: r.last_used_at === null ? null : new Date(r.last_used_at),
      }));
    },

    async getConsent(personId, clientId) {
      if (!UUID.test(personId)) return null;
      const { rows } = await db.query<{ scopes: string[]; claims: string[]; granted_at: Date | string }>(
        `SELECT scopes, claims, granted_at FROM consents
          WHERE person_id = $1 AND client_id = $2 AND withdrawn_at IS NULL`,
        [personId, clientId],
      );
      return rows[0] ? toConsent(rows[0]) : null;
    },

    async saveConsent(personId, clientId, scopes, claims, tx = db) {
      // One statement, so two concurrent grants both land in the union.
      const { rows } = await tx.query<{ scopes: string[]; claims: string[]; granted_at: Date | string }>(
        `INSERT INTO consents (person_id, client_id, scopes, claims)
         VALUES ($1, $2, $3::text[], $4::text[])
         ON CONFLICT (person_id, client_id) DO UPDATE SET
           scopes = CASE WHEN consents.withdrawn_at IS NULL
                         THEN ARRAY(SELECT DISTINCT s FROM unnest(consents.scopes || EXCLUDED.scopes) AS s ORDER BY s)
                         ELSE EXCLUDED.scopes END,
           claims = CASE WHEN consents.withdrawn_at IS NULL
                         THEN ARRAY(SELECT DISTINCT c FROM unnest(consents.claims || EXCLUDED.claims) AS c ORDER BY c)
                         ELSE EXCLUDED.claims END,
           granted_at = now(),
           withdrawn_at = NULL
         RETURNING scopes, claims, granted_at`,
        [personId, clientId, uniqueSorted(scopes), uniqueSorted(claims)],
      );
      return toConsent(rows[0]!);
    },

    async withdrawConsent(personId, clientId, tx = db) {
      if (!UUID.test(personId)) return false;
      // offline access ends with the consent: the refresh tokens and grant copies kept in
      // PostgreSQL (oidc/durable-grants.ts) go in the same statement
      const { rows } = await tx.query<{ withdrawn: boolean }>(
        `WITH w AS (UPDATE consents SET withdrawn_at = now()
                     WHERE person_id = $1::uuid AND client_id = $2 AND withdrawn_at IS NULL RETURNING 1),
              r AS (DELETE FROM oidc_refresh_tokens WHERE account_id = $1::text AND client_id = $2),
              g AS (DELETE FROM oidc_grants WHERE account_id = $1::text AND client_id = $2)
         SELECT EXISTS (SELECT 1 FROM w) AS withdrawn`,
        [personId, clientId],
      );
      return rows[0]?.withdrawn === true;
    },

    async listConsents(personId) {
      if (!UUID.test(personId)) return [];
      const { rows } = await db.query<{
        client_id: string;
        scopes: string[];
        claims: string[];
        granted_at: Date | string;
        last_used_at: Date | string | null;
        withdrawn_at: Date | string | null;
      }>(
        `SELECT client_id, scopes, claims, granted_at, last_used_at, withdrawn_at FROM consents
          WHERE person_id = $1 ORDER BY granted_at DESC, client_id`,
        [personId],
      );
      const at = (d: Date | string | null) => (d === null ? null : new Date(d));
      return rows.map((r) => ({ ...toConsent(r), clientId: r.client_id, lastUsedAt: at(r.last_used_at), withdrawnAt: at(r.withdrawn_at) }));
    },

    async touchConsent(personId, clientId) {
      if (!UUID.test(personId)) return;
      await db.query(
        `UPDATE consents SET last_used_at = now()
          WHERE person_id = $1 AND client_id = $2 AND withdrawn_at IS NULL
            AND (last_used_at IS NULL OR last_used_at < now() - ${LAST_USED_GRANULARITY})`,
        [personId, clientId],
      );
    },

    credentialLookup() {
      return {
        async find(method, identifier) {
          return findCredential(method, identifier);
        },
        personExists: (idNumber) => service.personExists(idNumber),
      };
    },
  };
  return service;
}
