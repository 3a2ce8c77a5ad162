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

// the language tags a browser may prefer (Accept-Language), as our languages
const TAGS: Readonly<Record<string, Lang>> = { 'zh-CN': 'zh-CN', zh: 'zh-CN', 'zh-Hans': 'zh-CN', en: 'en' };
export const ACCEPTED_TAGS: readonly string[] = Object.keys(TAGS);

export function langOfTag(tag: string | false | undefined): Lang | undefined {
  return tag && Object.hasOwn(TAGS, tag) ? TAGS[tag] : undefined;
}

/** The language a name is written in: Chinese when it has a Han character. */
export function langOfName(name: string): Lang {
  return /\p{Script=Han}/u.test(name) ? 'zh-CN' : 'en';
}
