/**
 * A department's policy override as a form: minimum level, the methods it allows (or every
 * enabled one), maximum authentication age, kiosk and family-proxy flags. An empty choice
 * removes the override, so the app's registration decides again.
 */
import { AppError } from '../../errors.ts';
import type { Lang } from '../../i18n/text.ts';
import { t, type UiKey } from '../../i18n/ui.ts';
import { html, type Html } from '../../web/html.ts';
import type { PolicyDocument } from '../../policy/policy-document.ts';

type Override = PolicyDocument['clients'][string];
const FLAGS: ReadonlyArray<[keyof Override & ('kiosk' | 'proxyAllowed' | 'proxyLevel3'), UiKey]> = [
  ['kiosk', 'chgKiosk'],
  ['proxyAllowed', 'chgProxyAllowed'],
  ['proxyLevel3', 'chgProxyLevel3'],
];

const option = (value: string, label: string, selected: boolean) => html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`;

export function clientFields(lang: Lang, rule: Override, methods: readonly string[]): Html {
  const unset = t(lang, 'chgUnset');
  const allowed = rule.allowedMethods ?? null;
  return html`<label for="c-min">${t(lang, 'chgMinLevel')}</label>
<select id="c-min" name="minLevel">${option('', unset, rule.minLevel === undefined)}${[1, 2, 3].map((l) => option(String(l), String(l), rule.minLevel === l))}</select>
<fieldset><legend>${t(lang, 'chgLimitMethods')}</legend>
${methods.map(
  (m, i) => html`<div class="check"><input type="checkbox" id="c-m${i}" name="allowedMethods" value="${m}"${allowed?.includes(m) ? html` checked` : ''}><label for="c-m${i}">${m}</label></div>`,
)}
</fieldset>
<label for="c-age">${t(lang, 'chgMaxAuthAge')}</label>
<input type="number" id="c-age" name="maxAuthAge" min="1" step="1" value="${rule.maxAuthAge ?? ''}">
${FLAGS.map(
  ([key, label]) => html`<label for="c-${key}">${t(lang, label)}</label>
<select id="c-${key}" name="${key}">${option('', unset, rule[key] === undefined)}${option('true', t(lang, 'chgYes'), rule[key] === true)}${option('false', t(lang, 'chgNo'), rule[key] === false)}</select>`,
)}`;
}

const bad = (field: string) => new AppError('invalid_input', { params: { field } });

export function readClient(form: Record<string, unknown>): Override {
  const out: Override = {};
  const min = form.minLevel;
  if (min === '1' || min === '2' || min === '3') out.minLevel = Number(min) as 1 | 2 | 3;
  else if (min !== '' && min !== undefined) throw bad('minLevel');
  const list = form.allowedMethods;
  const methods = list === undefined ? [] : Array.isArray(list) ? list : [list];
  if (!methods.every((m): m is string => typeof m === 'string' && m.length <= 64)) throw bad('allowedMethods');
  if (methods.length) out.allowedMethods = [...new Set(methods)];
  const age = typeof form.maxAuthAge === 'string' ? form.maxAuthAge.trim() : '';
  if (age !== '') {
    const n = Number(age);
    if (!Number.isInteger(n) || n < 1) throw bad('maxAuthAge');
    out.maxAuthAge = n;
  }
  for (const [key] of FLAGS) {
    const v = form[key];
    if (v === 'true' || v === 'false') out[key] = v === 'true';
    else if (v !== '' && v !== undefined) throw bad(key);
  }
  return out;
}
