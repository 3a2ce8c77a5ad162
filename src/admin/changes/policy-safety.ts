/**
 * Policy documents that must not take effect, whoever approves them: one that leaves the
 * consoles (counter and admin) no enabled method reaching level 3 — nobody could sign in to
 * undo it — and one that leaves a department none of the methods it allows.
 */
import type { MessageKey } from '../../i18n/messages.ts';

/** The consoles staff and admins sign in to, at level 3 only. */
export const CONSOLE_CLIENT_IDS = ['tongban-counter', 'tongban-admin'] as const;

export interface Refusal {
  code: MessageKey;
  params: Record<string, string>;
}

type Rec = Record<string, unknown>;
const recordOf = (v: unknown): Rec => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Rec) : {});

/** Enabled methods and the level each reaches alone. A method without `enabled` counts as enabled. */
function enabledLevels(doc: unknown): Map<string, number> {
  const out = new Map<string, number>();
  for (const [id, m] of Object.entries(recordOf(recordOf(doc).methods))) {
    const rule = recordOf(m);
    if (rule.enabled === false) continue;
    out.set(id, typeof rule.level === 'number' ? rule.level : 0);
  }
  return out;
}

/** A department's allowed methods, or null for "every enabled method". */
function allowedOf(doc: unknown, clientId: string): string[] | null {
  const rule = recordOf(recordOf(recordOf(doc).clients)[clientId]);
  return Array.isArray(rule.allowedMethods) ? rule.allowedMethods.filter((x): x is string => typeof x === 'string') : null;
}

function violations(doc: unknown): Refusal[] {
  const out: Refusal[] = [];
  const enabled = enabledLevels(doc);
  for (const console of CONSOLE_CLIENT_IDS) {
    const allowed = allowedOf(doc, console);
    const ways = [...enabled].filter(([id, level]) => level >= 3 && (allowed === null || allowed.includes(id)));
    if (ways.length === 0) out.push({ code: 'change_unsafe_console_level3', params: { client: console } });
  }
  for (const clientId of Object.keys(recordOf(recordOf(doc).clients))) {
    const allowed = allowedOf(doc, clientId);
    if (allowed !== null && !allowed.some((id) => enabled.has(id))) out.push({ code: 'change_unsafe_department_no_method', params: { client: clientId } });
  }
  return out;
}

/**
 * What `after` breaks that `before` did not (a document already short of something, e.g. a
 * department configured with no method yet, does not block every other change).
 */
export function unsafePolicyChange(before: unknown, after: unknown): Refusal | null {
  const known = new Set(violations(before).map((r) => JSON.stringify(r)));
  return violations(after).find((r) => !known.has(JSON.stringify(r))) ?? null;
}
