/** The languages of every page and message, and the shape of one text in both. */
export type Lang = 'zh-CN' | 'en';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];

export type Text = { readonly 'zh-CN': string; readonly en: string };

/** A text that is also an error code: the HTTP status it answers with is fixed beside its words. */
export type CodedText = Text & { readonly status: number };

export type Params = Readonly<Record<string, string | number>>;

/** `{name}` placeholders filled from params; an unknown one stays visible rather than vanishing. */
export function fill(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (_m, k: string) => (Object.hasOwn(params, k) ? String(params[k]) : `{${k}}`));
}

export function isLang(x: unknown): x is Lang {
  return typeof x === 'string' && (LANGS as readonly string[]).includes(x);
}

/** The language a page's switch offers. */
export function otherLang(lang: Lang): Lang {
  return LANGS.find((l) => l !== lang) ?? lang;
}
