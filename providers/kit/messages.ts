/**
 * A method's own words: its `messages.ts` exports `messages` (its error codes, zh-CN and en),
 * `statuses` (the HTTP status of each code that ends a step; 400 when not listed) and `text`
 * (the words of its pages, keyed `<method id>.<name>`), and adds their keys to
 * `MethodMessageKeys` and `MethodTextKeys` so the core's key types know them without importing
 * the method. The definition carries all three; the kit adds them to the catalogue.
 */
import type { Text } from '../../src/i18n/text.ts';

export type { Text };

// filled by each method's messages.ts (declaration merging), never by hand here
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface MethodMessageKeys {}
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface MethodTextKeys {}

/** the codes of a method's message table, for its `MethodMessageKeys` declaration */
export type CodesOf<T> = { readonly [K in keyof T]: true };

export interface MethodMessages {
  readonly messages: Readonly<Record<string, Text>>;
  readonly statuses: Readonly<Record<string, number>>;
  readonly text?: Readonly<Record<string, Text>>;
}

