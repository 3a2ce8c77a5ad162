/** What a counter action answers: the status, the notice shown, and what the form keeps. */
import { statusOf, type MessageKey } from '../i18n/messages.ts';
import type { Html } from '../web/html.ts';
import { problemOf, reasonText } from './free-text.ts';

export interface Outcome {
  status: number;
  /** a refused form is shown again with what was typed */
  keepTyped?: boolean;
  notice?: { ok: true; text: string } | { ok: false; code: MessageKey; params?: Record<string, string | number> };
  extra?: Html;
}

/** A refusal with the status the catalogue fixes for its code; a 400 keeps what was typed. */
export function fail(code: MessageKey, params?: Record<string, string | number>): Outcome {
  const status = statusOf(code);
  return { status, notice: { ok: false, code, params }, keepTyped: status === 400 };
}
export const done = (text: string, extra?: Html): Outcome => ({ status: 200, notice: { ok: true, text }, extra });

/** The reason typed for an action, or the 400 that says what is wrong with it. */
export function reasonOf(body: Record<string, string>): string | Outcome {
  const r = reasonText.safeParse(body.reason ?? '');
  if (r.success) return r.data;
  const p = problemOf(r.error);
  return fail(p.code, p.params);
}
