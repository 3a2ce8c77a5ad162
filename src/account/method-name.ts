/** A login method's name for the person, by its id; the id itself for a method no longer offered. */
import type { LoginMethod } from '../../providers/kit/index.ts';
import type { Lang } from '../i18n/text.ts';
import { t } from '../i18n/ui.ts';

export function methodName(methods: ReadonlyMap<string, LoginMethod>, lang: Lang, id: string): string {
  const method = methods.get(id);
  return method ? t(lang, method.label) : id;
}
