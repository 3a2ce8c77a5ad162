/** Error codes of the `id-card-password` method (zh-CN and en): it has none of its own, the core's cover it. */
import type { CodesOf, Text } from '../kit/messages.ts';

export const messages = {} as const satisfies Record<string, Text>;

/** HTTP status of each code when it ends a step (400 when not listed). */
export const statuses: Readonly<Record<string, number>> = {};

declare module '../kit/messages.ts' {
  interface MethodMessageKeys extends CodesOf<typeof messages> {}
}
