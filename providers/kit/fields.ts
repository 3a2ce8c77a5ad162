/** Field specs and input checks shared by methods: the same ID-number box everywhere. */
import { z } from 'zod';
import type { FieldSpec, LocalText, MessageKey } from './index.ts';
import { parseIdNumber } from '../../src/crypto/id-number.ts';
import { phoneSchema } from '../../src/validation/fields.ts';

export const idNumberField: FieldSpec = {
  name: 'id_number',
  label: { 'zh-CN': '身份证号码', en: 'Resident ID number' },
  type: 'text',
  autocomplete: 'username',
  maxLength: 18,
  keep: true,
  hint: { 'zh-CN': '18 位，最后一位可能是 X', en: '18 characters; the last may be X' },
};

export const nameField: FieldSpec = {
  name: 'name',
  label: { 'zh-CN': '姓名', en: 'Full name' },
  type: 'text',
  autocomplete: 'name',
  maxLength: 50,
  keep: true,
};

export const phoneField: FieldSpec = {
  name: 'phone',
  label: { 'zh-CN': '手机号码', en: 'Mobile number' },
  type: 'tel',
  inputMode: 'tel',
  autocomplete: 'tel-national',
  maxLength: 11,
  keep: true,
};

export const codeField = (digits: number): FieldSpec => ({
  name: 'code',
  label: { 'zh-CN': '短信验证码', en: 'Code from the text message' },
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
  lang: 'zh-CN' | 'en',
): { ok: true; values: Record<string, string> } | { ok: false; problem: InputProblem } {
  const values: Record<string, string> = {};
  for (const f of specs) {
    const rawValue = input[f.name];
    const v = typeof rawValue === 'string' ? (f.type === 'password' ? rawValue : rawValue.trim()) : '';
    const label = (f.label as LocalText)[lang];
    if (!v && f.optional) continue;
    if (!v) return { ok: false, problem: { reason: 'field_required', params: { field: label } } };
    if (v.length > f.maxLength) return { ok: false, problem: { reason: 'field_too_long', params: { field: label } } };
    values[f.name] = v;
  }
  return { ok: true, values };
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
