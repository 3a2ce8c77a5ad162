/**
 * The third login yardstick: the least any sign-in must do under the project's own rules, added
 * to the bare provider that keeps its models in Redis. Per password sign-in it does
 * - a CSRF token on the form (an HMAC of the interaction) and its check on the POST;
 * - one atomic attempt count per credential check, per person and per address, in one round
 *   trip (two one-key scripts sent together; nothing given back after a success);
 * - the person looked up by a blind index of the ID number (one SELECT; no plaintext number is
 *   stored), and the hash verified (a dummy one for an unknown person);
 * - one audit row (one INSERT, no hash chain).
 * Nothing else: no policy, no device record, no lockout notices, no progress or sealed state.
 * What this floor costs against the bare flow is what no implementation keeping those rules
 * can avoid; what ours costs against the floor is our own.
 */
import argon2 from 'argon2';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import pg from 'pg';
import { createClient } from 'redis';
import { deletePrefix, dropSchema } from './store-cleanup.ts';

export interface Floor {
  /** the form's CSRF token for an interaction */
  csrf(uid: string): string;
  /** whether `token` is that interaction's token */
  csrfHolds(uid: string, token: unknown): boolean;
  /** counts the attempt, looks the person up, verifies, audits: the person's index when signed in */
  signIn(idNumber: string, password: string, address: string, clientId: string): Promise<string | undefined>;
  close(): Promise<void>;
}

// INCR, and the window starts with the first attempt: one key, so one slot on a cluster
const COUNT = "local n = redis.call('INCR', KEYS[1]) if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end return n";
const WINDOW_MS = 900_000;
// never reached by the bench's logins (a real limit would also give back a success's count: one
// more round trip the floor leaves out)
const PER_PERSON = 5_000;
const PER_ADDRESS = 1_000_000;

export async function startFloor(o: { databaseUrl: string; redisUrl: string; idNumbers: readonly string[]; secretHash: string }): Promise<Floor> {
  const key = randomBytes(32);
  const schema = `bench_floor_${randomBytes(4).toString('hex')}`;
  const prefix = `floor:${randomBytes(4).toString('hex')}:`;
  const index = (idNumber: string) => createHmac('sha256', key).update(idNumber).digest();
  const db = new pg.Pool({ connectionString: o.databaseUrl, max: 10 });
  const redis = createClient({ url: o.redisUrl });
  await redis.connect();
  await db.query(`CREATE SCHEMA ${schema}`);
  await db.query(`CREATE TABLE ${schema}.person (id_index bytea PRIMARY KEY, secret_hash text NOT NULL)`);
  await db.query(`CREATE TABLE ${schema}.audit (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), type text NOT NULL, subject_index bytea, client_id text)`);
  for (const id of o.idNumbers) await db.query(`INSERT INTO ${schema}.person VALUES ($1, $2)`, [index(id), o.secretHash]);
  const sha = await redis.scriptLoad(COUNT);
  const dummy = await argon2.hash(randomBytes(16).toString('hex'));
  const mac = (uid: string) => createHmac('sha256', key).update(`csrf:${uid}`).digest('base64url');
  const count = (k: string) => redis.evalSha(sha, { keys: [`${prefix}${k}`], arguments: [String(WINDOW_MS)] }) as Promise<number>;

  return {
    csrf: mac,
    csrfHolds(uid, token) {
      const want = Buffer.from(mac(uid));
      const got = Buffer.from(typeof token === 'string' ? token : '');
      return got.length === want.length && timingSafeEqual(got, want);
    },
    async signIn(idNumber, password, address, clientId) {
      const subject = index(idNumber);
      const [perPerson, perAddress] = await Promise.all([count(`p:${subject.toString('base64url')}`), count(`a:${address}`)]);
      if (perPerson > PER_PERSON || perAddress > PER_ADDRESS) return undefined;
      const found = await db.query<{ secret_hash: string }>({ name: 'floor-person', text: `SELECT secret_hash FROM ${schema}.person WHERE id_index = $1`, values: [subject] });
      const hash = found.rows[0]?.secret_hash;
      const ok = (await argon2.verify(hash ?? dummy, password)) && hash !== undefined;
      await db.query({ name: 'floor-audit', text: `INSERT INTO ${schema}.audit (type, subject_index, client_id) VALUES ($1, $2, $3)`, values: [ok ? 'login.succeeded' : 'login.failed', subject, clientId] });
      return ok ? subject.toString('base64url') : undefined;
    },
    async close() {
      await db.end();
      await redis.quit();
      await dropSchema(o.databaseUrl, schema);
      await deletePrefix(o.redisUrl, prefix);
    },
  };
}
