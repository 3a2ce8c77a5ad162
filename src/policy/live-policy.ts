/**
 * The policy in force, kept in each process's memory: the login path reads it (`data()`, the
 * methods, the limits, the lifetimes) without a database round trip. A new version is saved in
 * PostgreSQL in the admin's transaction, then announced on the ephemeral store's `policy:changed`
 * channel (Redis pub/sub; the in-process store within one process); every process reloads on
 * the announcement. A lost announcement (Redis restarting, a subscriber reconnecting) is caught
 * by a check of the newest version number every second: one primary-key look-up a second per
 * process costs nothing measurable and keeps every instance within 2 s of a change.
 */
import type { Database, Queryable } from '../store/database.ts';
import type { EphemeralStore } from '../store/ephemeral.ts';
import type { AuditedTx, AuditLog } from '../audit/index.ts';
import { AppError } from '../errors.ts';
import { log } from '../log.ts';
import { runPeriodically } from '../background-task.ts';
import { countCacheReload } from '../metrics/index.ts';
import { describeIssues } from '../validation/issues.ts';
import type { PolicyData, PolicySource } from './policy-data.ts';
import type { PolicyDocument, PolicyDocumentSchema } from './policy-document.ts';
import { ConfigError } from '../errors.ts';
import { documentOf, insertVersion, latestVersion, latestVersionNumber, listVersions, seedFirstVersion, type VersionMeta, type VersionSummary } from './policy-versions.ts';

export const POLICY_CHANNEL = 'policy:changed';

export interface LivePolicy extends PolicySource {
  current(): { version: number; document: PolicyDocument };
  /**
   * Writes `doc` as a new version inside the caller's transaction `q`, which must be an audited
   * one (audit.transaction): its `policy.changed` row commits with it. Refuses (4xx AppError) a
   * document the schema refuses, one this service cannot carry out, and, with `basedOn`, one
   * edited from a version that is no longer the newest. Call `announce()` after the commit.
   */
  save(q: Queryable, doc: unknown, meta: VersionMeta & { roles?: readonly string[]; basedOn?: number }): Promise<number>;
  /** loads the newest version here, then tells every other process (they reload within 2 s) */
  announce(): Promise<void>;
  versions(limit?: number): Promise<VersionSummary[]>;
  version(n: number): Promise<PolicyDocument | null>;
  /** a document as it would be saved (an import), or a 4xx AppError saying what is wrong */
  check(doc: unknown): PolicyDocument;
  close(): Promise<void>;
}

/** What one version means in this process; `build` throws when this process cannot carry it out. */
export interface Built {
  data: PolicyData;
}

export interface LivePolicyOptions<B extends Built> {
  db: Database;
  store: EphemeralStore;
  audit: AuditLog;
  /** the document's schema, with the registered methods' own (policyDocumentSchemaFor) */
  schema: PolicyDocumentSchema;
  /** the first version, when none is stored yet */
  seed(): PolicyDocument;
  /** `trial`: only checking whether it can be built (nothing this process keeps may change) */
  build(doc: PolicyDocument, trial: boolean): B;
  checkEveryMs?: number;
}

const MAX_LIST = 200;
const SEED_REASON = 'first start: seeded from config/';

/** The first five problems, one line each, for an admin to read. */
function problems(text: string): string {
  return text.split('; ').slice(0, 5).join('; ');
}

export async function createLivePolicy<B extends Built>(o: LivePolicyOptions<B>): Promise<LivePolicy & { built(): B }> {
  const first = await loadOrSeed(o);
  let state = { version: first.version, document: first.document, built: o.build(first.document, false) };
  countCacheReload('policy', 'ok');
  // a stored version this process could not build is not tried again until a newer one comes
  let refused = 0;
  let failing = false;

  async function load(): Promise<void> {
    try {
      if ((await latestVersionNumber(o.db)) <= Math.max(state.version, refused)) return;
      const row = await latestVersion(o.db);
      if (!row || row.version <= state.version) return;
      try {
        const document = o.schema.parse(row.document);
        state = { version: row.version, document, built: o.build(document, false) };
        countCacheReload('policy', 'ok');
        log.info({ version: row.version }, 'policy version in force');
      } catch (err) {
        refused = row.version;
        countCacheReload('policy', 'failed');
        log.error({ err, version: row.version }, 'policy version cannot be carried out here; the previous one stays in force');
      }
      failing = false;
    } catch (err) {
      countCacheReload('policy', 'failed');
      // once per outage, not once a second
      if (!failing) log.error({ err }, 'policy check failed; the version in force stays');
      failing = true;
    }
  }

  // one load at a time; a request during one runs once more after it (it may have missed the newest)
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  function refresh(): Promise<void> {
    if (!running) {
      running = load().finally(() => (running = null));
      return running;
    }
    queued ??= running.then(() => {
      queued = null;
      return refresh();
    });
    return queued;
  }

  const unsubscribe = await o.store.subscribe(POLICY_CHANNEL, () => void refresh());
  const stopChecks = runPeriodically(refresh, o.checkEveryMs ?? 1000, 'policy check failed');

  function check(doc: unknown): PolicyDocument {
    const parsed = o.schema.safeParse(doc);
    if (!parsed.success) throw new AppError('policy_invalid', { params: { problems: problems(describeIssues(parsed.error)) } });
    try {
      o.build(parsed.data, true);
    } catch (err) {
      throw new AppError('policy_cannot_apply', { params: { problems: problems((err as Error).message.replace(/\n/g, '; ')) } });
    }
    return parsed.data;
  }

  return {
    data: () => state.built.data,
    built: () => state.built,
    current: () => ({ version: state.version, document: state.document }),
    check,

    async save(q, doc, meta) {
      const audited = q as Partial<AuditedTx>;
      if (typeof audited.audit !== 'function') throw new Error('a policy version is saved in an audited transaction (audit.transaction)');
      const checked = check(doc);
      const written = await insertVersion(q, checked, meta, meta.basedOn);
      if ('conflict' in written) throw new AppError('policy_version_conflict', { params: { version: written.conflict } });
      await audited.audit({
        type: 'policy.changed',
        version: written.version,
        actorId: meta.actorId,
        roles: meta.roles ?? [],
        reason: meta.reason,
        ...(meta.rollbackOf !== undefined ? { rollbackOf: meta.rollbackOf } : {}),
        diff: written.diff,
      });
      return written.version;
    },

    async announce() {
      await refresh();
      await o.store.publish(POLICY_CHANNEL, String(state.version));
    },

    versions: (limit = 50) => listVersions(o.db, Math.min(Math.max(1, limit), MAX_LIST)),

    async version(n) {
      if (!Number.isInteger(n) || n < 1) return null;
      const doc = await documentOf(o.db, n);
      return doc === null ? null : o.schema.parse(doc);
    },

    async close() {
      await unsubscribe();
      await stopChecks();
    },
  };
}

/** The newest version; on a first start, version 1 from `seed()` (once, however many instances start together). */
async function loadOrSeed(o: Pick<LivePolicyOptions<Built>, 'db' | 'audit' | 'seed' | 'schema'>): Promise<{ version: number; document: PolicyDocument }> {
  let row = await latestVersion(o.db);
  if (!row) {
    const doc = o.seed();
    await o.audit.transaction(async (tx) => {
      if (await seedFirstVersion(tx, doc, SEED_REASON)) await tx.audit({ type: 'policy.seeded', version: 1, reason: SEED_REASON });
    });
    row = await latestVersion(o.db);
  }
  if (!row) throw new Error('the first policy version was not written');
  const parsed = o.schema.safeParse(row.document);
  if (!parsed.success) throw new ConfigError(`policy version ${row.version} in the database is not valid: ${describeIssues(parsed.error)}`);
  return { version: row.version, document: parsed.data };
}
