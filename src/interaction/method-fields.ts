/**
 * Field specs and input checks shared by methods (through the kit) and the core's own forms:
 * the same ID-number box everywhere.
 */
import { z } from 'zod';
import type { FieldSpec, Lang, MessageKey } from '../../providers/kit/index.ts';
import { parseIdNumber } from '../crypto/id-number.ts';
import { phoneSchema } from '../validation/fields.ts';
import { t } from '../i18n/ui.ts';

export const idNumberField: FieldSpec = {
  name: 'id_number',
  label: 'fieldIdNumber',
  type: 'text',
  autocomplete: 'username',
  maxLength: 18,
  keep: true,
  hint: 'fieldIdNumberHint',
};

export const nameField: FieldSpec = {
  name: 'name',
  label: 'fieldName',
  type: 'text',
  autocomplete: 'name',
  maxLength: 50,
  keep: true,
};

export const phoneField: FieldSpec = {
  name: 'phone',
  label: 'fieldPhone',
  type: 'tel',
  inputMode: 'tel',
  autocomplete: 'tel-national',
  maxLength: 11,
  keep: true,
};

export const codeField = (digits: number): FieldSpec => ({
  name: 'code',
  label: 'fieldSmsCode',
  type: 'text',
  inputMode: 'numeric',
  autocomplete: 'one-time-code',
  maxLength: digits,
});

export type InputProblem = { reason: MessageKey; params?: Record<string, string | number> };

/** Reads named text fields: present, trimmed (except secrets), within their length. */
export function readFields(
  input: Readonly<Record<string, string>>,
  specs: readonly FieldSpec[],
  lang: Lang,
): { ok: true; values: Record<string, string> } | { ok: false; problem: InputProblem } {
  const values: Record<string, string> = {};
  for (const f of specs) {
    const rawValue = input[f.name];
    const v = typeof rawValue === 'string' ? (f.type === 'password' ? rawValue : rawValue.trim()) : '';
    const label = t(lang, f.label);
    if (!v && f.optional) continue;
    if (!v) return { ok: false, problem: { reason: 'field_required', params: { field: label } } };
    if (v.length > f.maxLength) return { ok: false, problem: { reason: 'field_too_long', params: { field: label } } };
    values[f.name] = v;
  }
  return { ok: true, values };
}

/** A value not of its field's form: `invalid_input`, naming the field in the person's language. */
export function invalidField(f: FieldSpec, lang: Lang): InputProblem {
  return { reason: 'invalid_input', params: { field: t(lang, f.label) } };
}

export function checkIdNumber(raw: string): { ok: true; idNumber: string } | { ok: false; problem: InputProblem } {
  const r = parseIdNumber(raw);
  return r.ok ? { ok: true, idNumber: r.value.idNumber } : { ok: false, problem: { reason: r.code } };
}

export { phoneSchema };
export const nameSchema = z.string().regex(/^[\p{L}·•.\- ]{1,50}$/u);

export function maskPhone(phone: string): string {
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}
