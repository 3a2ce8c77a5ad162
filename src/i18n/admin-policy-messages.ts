/** Error codes of stored policies (src/policy/live-policy.ts): HTTP status and zh-CN/en text. */
import type { CodedText } from './text.ts';

export const messages = {
  policy_invalid: {
    status: 400,
    'zh-CN': '策略文档有误，未保存：{problems}',
    en: 'The policy document is not valid and was not saved: {problems}',
  },
  policy_cannot_apply: {
    status: 400,
    'zh-CN': '本服务无法执行这份策略（例如启用的登录方式缺少对接配置），未保存：{problems}',
    en: 'This service cannot carry out the policy (an enabled sign-in method lacks its connection settings, for example); it was not saved: {problems}',
  },
  policy_version_conflict: {
    status: 409,
    'zh-CN': '策略已被他人更新为第 {version} 版，请在最新版本上重新修改。',
    en: 'Someone else has changed the policy since (it is now version {version}). Make your change again on the newest version.',
  },
  policy_version_unknown: {
    status: 404,
    'zh-CN': '没有这个策略版本。',
    en: 'There is no such policy version.',
  },
} as const satisfies Record<string, CodedText>;
