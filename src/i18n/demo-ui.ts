/** The names of the local demo's two department apps, shown in both languages at once on their pages and in the client list. */
import type { Text } from './text.ts';

export const demoApps = {
  socialInsurance: { 'zh-CN': '社保服务', en: 'Social insurance' },
  housing: { 'zh-CN': '住房保障', en: 'Housing' },
} as const satisfies Record<string, Text>;
