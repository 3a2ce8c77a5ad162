/**
 * The words of each login method's own pages: its name and what it is good for, its forms'
 * titles, fields, buttons and notes. They live in the `text` table of the method's messages.ts,
 * keyed `<method id>.<name>`, and its definition adds them here when it is loaded, as it adds
 * its error codes: the core looks them up by key (`t`) and never imports a method.
 */
import type { Text } from './text.ts';
import type { MethodTextKeys } from '../../providers/kit/messages.ts';

export type MethodTextKey = keyof MethodTextKeys & string;

const texts: Record<string, Text> = {};

/** A method's page words; each key must start with the method's id, so two methods never share one. */
export function addMethodText(method: string, table: Readonly<Record<string, Text>>): void {
  for (const [key, text] of Object.entries(table)) {
    if (!key.startsWith(`${method}.`)) throw new Error(`text key "${key}" of method ${method} must start with "${method}."`);
    const known = texts[key];
    if (known && (known['zh-CN'] !== text['zh-CN'] || known.en !== text.en)) throw new Error(`text key "${key}" is defined twice`);
    texts[key] = { 'zh-CN': text['zh-CN'], en: text.en };
  }
}

/** The words of a method's key (for the catalogue's lookup in ./ui.ts). */
export function methodText(key: string): Text | undefined {
  return Object.hasOwn(texts, key) ? texts[key] : undefined;
}
