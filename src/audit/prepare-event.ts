/**
 * Turns a typed event into the row the chain stores: envelope fields in their own columns,
 * everything else as JSON, and never a resident ID number anywhere in it.
 */
import { AppError } from '../errors.ts';
import type { ChainRow } from './chain-writer.ts';
import type { AuditEvent } from './events.ts';

// An 18-character resident ID number standing on its own (not part of a longer digit run).
const LOOKS_LIKE_ID_NUMBER = /(?<!\d)\d{17}[\dXx](?!\d)/;

/** The path of the first value that looks like a resident ID number, or null. */
function findIdNumber(value: unknown, path: string): string | null {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
    return LOOKS_LIKE_ID_NUMBER.test(String(value)) ? path : null;
  }
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const hit = findIdNumber(v, `${path}[${i}]`);
      if (hit) return hit;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (LOOKS_LIKE_ID_NUMBER.test(k)) return `${path} (a key)`;
      const hit = findIdNumber(v, `${path}.${k}`);
      if (hit) return hit;
    }
  }
  return null;
}

/**
 * The audit log refused an event. Inside an action's transaction this undoes the action; the
 * person sees "not carried out, nothing changed" (503) instead of a crash.
 */
export class AuditRefused extends AppError {
  constructor(detail: string, cause?: unknown) {
    super('audit_not_recorded', { cause });
    this.name = 'AuditRefused';
    // for logs only: it names the field, never its value; people see the catalogue message
    this.message = detail;
  }
}

export function prepareEvent(event: AuditEvent & { source?: string }): ChainRow {
  const { type, source, clientId, subjectIndex, ...rest } = event as AuditEvent & {
    source?: string;
    clientId?: string;
    subjectIndex?: string;
  };
  // Round-trip through JSON now so the hashed value is exactly what jsonb gives back later.
  const data = JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
  const columns = { type, subjectIndex: subjectIndex ?? null, clientId: clientId ?? null, source: source ?? null };
  // The last line of defence: a careless caller must not put an ID number into a permanent record.
  const leak = findIdNumber({ ...columns, data }, 'event');
  if (leak) throw new AuditRefused(`audit: refused ${type} event: ${leak} looks like a resident ID number`);
  return { ...columns, data };
}
