/**
 * What counter staff type by hand (the reason for an action, a name from the card) goes into
 * the audit trail and in front of a supervisor, so it is checked before anything happens: a
 * length limit, no control characters, and no number that identifies a person (an ID number,
 * a mobile number, a card number) — those belong in their own fields, never in prose.
 */
import { z } from 'zod';
import type { MessageKey } from '../i18n/messages.ts';

export const REASON_MAX = 200;

// C0 and C1 controls (NUL, newlines, ESC…), and format characters that reorder or hide text
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;
// separators people put inside long numbers; stripped before looking for one
const NUMBER_SEPARATORS = /[\s\-_.·,，、/]/g;
// a resident ID number (17 digits and a digit or X), a mainland mobile number, or any other run
// of 11+ digits (bank and social-security card numbers)
const PERSONAL_NUMBER = /\d{17}[\dXx]|(?<!\d)(?:\+?86)?1[3-9]\d{9}(?!\d)|\d{11,}/;

/** One zod check per rule, each with the message code the clerk sees. */
export function staffText(opts: { max: number; required: FormProblem }) {
  return z
    .string()
    .transform((s) => s.normalize('NFKC').trim())
    .superRefine((s, ctx) => {
      if (!s) ctx.addIssue({ code: 'custom', message: opts.required.code, params: opts.required.params });
      else if ([...s].length > opts.max) ctx.addIssue({ code: 'custom', message: 'counter_text_too_long', params: { max: opts.max } });
      else if (CONTROL.test(s)) ctx.addIssue({ code: 'custom', message: 'counter_text_control' });
      else if (PERSONAL_NUMBER.test(s.replace(NUMBER_SEPARATORS, ''))) ctx.addIssue({ code: 'custom', message: 'counter_text_number' });
    });
}

export const reasonText = staffText({ max: REASON_MAX, required: { code: 'counter_reason_required' } });

export type FormProblem = { code: MessageKey; params?: Record<string, string | number> };

/** The first problem of a failed parse, as a message code (zod's own issues become invalid_input). */
export function problemOf(error: z.ZodError): FormProblem {
  const issue = error.issues[0]!;
  if (issue.code === 'custom') {
    const params = (issue as { params?: Record<string, string | number> }).params;
    return { code: issue.message as MessageKey, ...(params ? { params } : {}) };
  }
  return { code: 'invalid_input', params: { field: issue.path.join('.') || '?' } };
}
