/**
 * The hash that links audit rows. Fields are encoded as one JSON array, so no value can be
 * shifted into its neighbour to forge the same input.
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  readonly prevHash: string;
  readonly type: string;
  /** ISO 8601, UTC, millisecond precision */
  readonly at: string;
  readonly subjectIndex: string | null;
  readonly clientId: string | null;
  readonly source: string | null;
  readonly data: unknown;
}

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function rowHash(f: ChainedFields): string {
  const input = JSON.stringify([f.prevHash, f.type, f.at, f.subjectIndex, f.clientId, f.source, canonicalJson(f.data)]);
  return createHash('sha256').update(input, 'utf8').digest('hex');
}

/** Postgres expression giving a timestamptz as the ISO text the hash uses. */
export function isoUtc(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}
