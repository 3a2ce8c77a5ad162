/** Error codes of the `certificate` method (zh-CN and en). */
import type { Text } from '../text.ts';

export const messages = {} as const satisfies Record<string, Text>;
