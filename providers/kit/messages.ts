/**
 * A method's own error codes: its `messages.ts` exports `messages` (zh-CN and en) and
 * `statuses` (the HTTP status of each code that ends a step; 400 when not listed), and adds
 * its codes to `MethodMessageKeys` so the core's `MessageKey` type knows them without
 * importing the method. The definition carries both; the kit adds them to the catalogue.
 */
import type { Text } from '../../src/i18n/text.ts';

export type { Text };

// filled by each method's messages.ts (declaration merging), never by hand here
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface MethodMessageKeys {}

/** the codes of a method's message table, for its `MethodMessageKeys` declaration */
export type CodesOf<T> = { readonly [K in keyof T]: true };

export interface MethodMessages {
  readonly messages: Readonly<Record<string, Text>>;
  readonly statuses: Readonly<Record<string, number>>;
}

