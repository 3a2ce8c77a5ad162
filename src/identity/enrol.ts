/**
 * Enrolment: a person (created on first sight) and the credentials that sign them in, in one
 * transaction, so a conflict anywhere leaves nothing behind.
 */
import { randomUUID } from 'node:crypto';
import type { Enrolment } from '../../providers/kit/index.ts';
import type { FieldCipher } from '../crypto/field-cipher.ts';
import { parseIdNumber } from '../crypto/id-number.ts';
import { AppError } from '../errors.ts';
import type { Database, Queryable } from '../store/database.ts';
import { CONTEXT, INDEX_DOMAIN, PROOFING_RANK, type BoundCredential, type EnrolResult, type Proofing } from './types.ts';

/** In its own transaction, or in `tx` when the caller's action runs in one (its audit rows with it). */
export async function enrol(db: Database, cipher: FieldCipher, rawIdNumber: string, enrolment: Enrolment, tx?: Queryable): Promise<EnrolResult> {
  const parsed = parseIdNumber(rawIdNumber);
  if (!parsed.ok) throw new AppError(parsed.code);
  const { idNumber, birthdate, gender } = parsed.value;
  const idNumberIndex = cipher.blindIndex(INDEX_DOMAIN.idNumber, idNumber);
  // Encrypt before the transaction opens, so its row locks are held only for the SQL.
  const sealed = {
    idNumber: cipher.encrypt(idNumber, CONTEXT.idNumber),
    name: cipher.encrypt(enrolment.name, CONTEXT.name),
    phone: enrolment.phone !== undefined ? cipher.encrypt(enrolment.phone, CONTEXT.phone) : null,
  };
  const credentials = enrolment.credentials.map((c) => ({
    method: c.method,
    index: cipher.blindIndex(INDEX_DOMAIN.credential(c.method), c.identifier),
    secretHash: c.secretHash ?? null,
  }));

  const run = async (tx: Queryable): Promise<EnrolResult> => {
    const { personId, created } = await upsertPerson(tx, {
      idNumberIndex,
      birthdate,
      gender,
      proofing: enrolment.proofing,
      ...sealed,
    });
    const credentialIds: string[] = [];
    const newCredentials: string[] = [];
    for (const c of credentials) {
      const bound = await bindCredential(tx, personId, c);
      credentialIds.push(bound.id);
      if (bound.created) newCredentials.push(c.method);
    }
    return { personId, idNumberIndex, created, credentialIds, newCredentials };
  };
  return tx ? run(tx) : db.transaction(run);
}

async function upsertPerson(
  tx: Queryable,
  p: {
    idNumberIndex: string;
    idNumber: string;
    name: string;
    phone: string | null;
    birthdate: string;
    gender: 'male' | 'female';
    proofing: Proofing;
  },
): Promise<{ personId: string; created: boolean }> {
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO persons (id, id_number_enc, id_number_index, name_enc, phone_enc, birthdate, gender, proofing)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (id_number_index) DO NOTHING
     RETURNING id`,
    [randomUUID(), p.idNumber, p.idNumberIndex, p.name, p.phone, p.birthdate, p.gender, p.proofing],
  );
  const row = inserted.rows[0];
  if (row) return { personId: row.id, created: true };

  const existing = await tx.query<{ id: string; proofing: Proofing }>(
    'SELECT id, proofing FROM persons WHERE id_number_index = $1 FOR UPDATE',
    [p.idNumberIndex],
  );
  const person = existing.rows[0];
  if (!person) throw new Error('person vanished during enrolment');
  // Proofing records the strongest evidence seen; a later remote check never undoes a counter visit.
  if (PROOFING_RANK[p.proofing] > PROOFING_RANK[person.proofing]) {
    await tx.query('UPDATE persons SET proofing = $2, updated_at = now() WHERE id = $1', [person.id, p.proofing]);
  }
  return { personId: person.id, created: false };
}

async function bindCredential(
  tx: Queryable,
  personId: string,
  c: { method: string; index: string; secretHash: string | null },
): Promise<BoundCredential> {
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO credentials (id, person_id, method, identifier_index, secret_hash)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (method, identifier_index) DO NOTHING
     RETURNING id`,
    [randomUUID(), personId, c.method, c.index, c.secretHash],
  );
  const row = inserted.rows[0];
  if (row) return { id: row.id, created: true };

  const existing = await tx.query<{ id: string; person_id: string }>(
    'SELECT id, person_id FROM credentials WHERE method = $1 AND identifier_index = $2 FOR UPDATE',
    [c.method, c.index],
  );
  const current = existing.rows[0];
  if (!current) throw new Error('credential vanished during enrolment');
  // Never re-bind silently: the whole enrolment rolls back.
  if (current.person_id !== personId) throw new AppError('credential_conflict');
  if (c.secretHash !== null) {
    await tx.query('UPDATE credentials SET secret_hash = $2 WHERE id = $1', [current.id, c.secretHash]);
  }
  return { id: current.id, created: false };
}

/** Binds one more credential to an existing person (from the account page); a credential of someone else is refused. */
export async function bindToPerson(
  db: Database,
  cipher: FieldCipher,
  personId: string,
  credential: { method: string; identifier: string; secretHash?: string },
  tx?: Queryable,
): Promise<BoundCredential> {
  const c = {
    method: credential.method,
    index: cipher.blindIndex(INDEX_DOMAIN.credential(credential.method), credential.identifier),
    secretHash: credential.secretHash ?? null,
  };
  return tx ? bindCredential(tx, personId, c) : db.transaction((t) => bindCredential(t, personId, c));
}
