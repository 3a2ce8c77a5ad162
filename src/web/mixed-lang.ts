/**
 * Text with names in it: a name written in another language than the page (a department's
 * Chinese name on an English page) is marked with its own `lang`, so a screen reader says it in
 * the right voice. Placeholders in the catalogue's text take names or other fragments.
 */
import { langOfName, type Lang } from '../i18n/text.ts';
import { t, type TextKey } from '../i18n/ui.ts';
import { escapeHtml, html, Html } from './html.ts';

/** A name as shown on a page in `lang`. */
export function named(lang: Lang, name: string): Html {
  const own = langOfName(name);
  return own === lang ? html`${name}` : html`<span lang="${own}">${name}</span>`;
}

/** The catalogue's text for `key`, its `{placeholders}` filled with escaped values or fragments. */
export function textHtml(lang: Lang, key: TextKey, params: Readonly<Record<string, Html | string | number>> = {}): Html {
  const template = t(lang, key);
  const out = template.split(/(\{\w+\})/).map((part) => {
    const name = /^\{(\w+)\}$/.exec(part)?.[1];
    if (name === undefined || !Object.hasOwn(params, name)) return escapeHtml(part);
    const v = params[name]!;
    return v instanceof Html ? v.value : escapeHtml(String(v));
  });
  return new Html(out.join(''));
}

