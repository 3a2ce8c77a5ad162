/**
 * A policy section (a method's entry, the global settings) as form fields and back: each leaf
 * of the current value becomes a field named by its path, typed by the value it holds now
 * (yes/no, a number, text, a list one item per line). Reading the form back keeps the shape of
 * the current value, so the document's schema still decides what is valid.
 */
import { AppError } from '../../errors.ts';
import type { Lang } from '../../i18n/text.ts';
import { t } from '../../i18n/ui.ts';
import { html, type Html } from '../../web/html.ts';

type Leaf = { path: string[]; value: unknown };
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringList = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const editable = (v: unknown) => typeof v === 'boolean' || typeof v === 'number' || typeof v === 'string' || isStringList(v);

function leaves(value: unknown, path: string[] = []): Leaf[] {
  if (isObject(value)) return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return editable(value) ? [{ path, value }] : [];
}

const nameOf = (path: readonly string[]) => `f.${path.join('.')}`;
const idOf = (path: readonly string[]) => `f-${path.join('-').replace(/[^A-Za-z0-9_-]/g, '_')}`;

export function fieldsFor(lang: Lang, value: unknown): Html {
  return html`${leaves(value).map(({ path, value: v }) => {
    const id = idOf(path);
    const name = nameOf(path);
    const label = html`<label for="${id}"><span class="code">${path.join('.')}</span></label>`;
    if (typeof v === 'boolean') {
      return html`${label}<select id="${id}" name="${name}"><option value="true"${v ? html` selected` : ''}>${t(lang, 'chgYes')}</option><option value="false"${v ? '' : html` selected`}>${t(lang, 'chgNo')}</option></select>`;
    }
    if (typeof v === 'number') return html`${label}<input type="number" step="any" id="${id}" name="${name}" value="${v}" required>`;
    if (typeof v === 'string') return html`${label}<input type="text" id="${id}" name="${name}" value="${v}">`;
    return html`${label}<textarea id="${id}" name="${name}" rows="4" aria-describedby="${id}-hint">${(v as string[]).join('\n')}</textarea><p class="hint" id="${id}-hint">${t(lang, 'chgListHint')}</p>`;
  })}`;
}

/** The section with each field's value from the form, typed like the current value. */
export function readFields(current: unknown, form: Record<string, unknown>): unknown {
  const out = structuredClone(current) as Record<string, unknown>;
  for (const { path, value } of leaves(current)) {
    const raw = form[nameOf(path)];
    if (typeof raw !== 'string') throw new AppError('invalid_input', { params: { field: path.join('.') } });
    let next: unknown;
    if (typeof value === 'boolean') {
      if (raw !== 'true' && raw !== 'false') throw new AppError('invalid_input', { params: { field: path.join('.') } });
      next = raw === 'true';
    } else if (typeof value === 'number') {
      next = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(next)) throw new AppError('invalid_input', { params: { field: path.join('.') } });
    } else if (typeof value === 'string') {
      next = raw.trim();
    } else {
      next = raw.split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
    }
    let at: Record<string, unknown> = out;
    for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
    at[path[path.length - 1]!] = next;
  }
  return out;
}
