/**
 * Encryption of personal data at rest, and blind indexes to look it up.
 * Ciphertexts carry their key id so data keys can rotate without re-encrypting everything
 * at once; the column (context) is bound as AAD so a value cannot be moved to another column.
 */
import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import { pooledRandomBytes } from './random-pool.ts';

export interface DataKey {
  readonly id: string;
  readonly key: Buffer;
}

export interface FieldCipherKeys {
  readonly dataKeys: ReadonlyArray<DataKey>;
  readonly activeDataKeyId: string;
  readonly indexKey: Buffer;
}

export interface FieldCipher {
  /** `<keyId>.<base64url(iv | ciphertext | tag)>` */
  encrypt(plain: string, context: string): string;
  /** Throws when the key is unknown, the value was altered, or the context differs. */
  decrypt(enc: string, context: string): string;
  /** Deterministic keyed look-up value; `domain` separates indexes of different kinds. */
  blindIndex(domain: string, value: string): string;
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Key ids appear before the first dot, so they may not contain one.
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function createFieldCipher(keys: FieldCipherKeys): FieldCipher {
  if (keys.dataKeys.length === 0) throw new Error('field cipher: at least one data key is required');
  const byId = new Map<string, Buffer>();
  for (const { id, key } of keys.dataKeys) {
    if (!KEY_ID.test(id)) throw new Error(`field cipher: data key id "${id}" must match ${KEY_ID}`);
    if (key.length !== KEY_BYTES) throw new Error(`field cipher: data key "${id}" must be ${KEY_BYTES} bytes`);
    if (byId.has(id)) throw new Error(`field cipher: duplicate data key id "${id}"`);
    byId.set(id, Buffer.from(key));
  }
  const active = byId.get(keys.activeDataKeyId);
  if (!active) throw new Error(`field cipher: active data key "${keys.activeDataKeyId}" is not among the data keys`);
  if (keys.indexKey.length !== KEY_BYTES) throw new Error(`field cipher: index key must be ${KEY_BYTES} bytes`);
  // The index key must differ from every data key so one leak does not compromise both uses.
  for (const [id, key] of byId) {
    if (key.equals(keys.indexKey)) throw new Error(`field cipher: index key must differ from data key "${id}"`);
  }
  const activeId = keys.activeDataKeyId;
  const indexKey = Buffer.from(keys.indexKey);

  return {
    encrypt(plain, context) {
      const iv = pooledRandomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', active, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return `${activeId}.${Buffer.concat([iv, body, tag]).toString('base64url')}`;
    },

    decrypt(enc, context) {
      const dot = enc.indexOf('.');
      if (dot <= 0) throw new Error('field cipher: malformed ciphertext');
      const key = byId.get(enc.slice(0, dot));
      if (!key) throw new Error('field cipher: ciphertext uses an unknown data key');
      const raw = Buffer.from(enc.slice(dot + 1), 'base64url');
      if (raw.length < IV_BYTES + TAG_BYTES) throw new Error('field cipher: malformed ciphertext');
      const iv = raw.subarray(0, IV_BYTES);
      const tag = raw.subarray(raw.length - TAG_BYTES);
      const body = raw.subarray(IV_BYTES, raw.length - TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch {
        // Never echo the ciphertext or the cause: either may help an attacker probe.
        throw new Error('field cipher: ciphertext failed authentication');
      }
    },

    blindIndex(domain, value) {
      return createHmac('sha256', indexKey).update(`${domain}\0${value}`, 'utf8').digest('base64url');
    },
  };
}
