/** Error codes of the admin console's sign-in and authorisation: the HTTP status of each and its zh-CN and en text. */
import type { CodedText } from './text.ts';

export const messages = {
  admin_sign_in_required: {
    status: 401,
    'zh-CN': '请先以安全管理员身份登录。',
    en: 'Please sign in as a security admin first.',
  },
  admin_role_required: {
    status: 403,
    'zh-CN': '您的管理员角色不能进行此操作（需要：{roles}）。',
    en: 'Your admin roles do not allow this (needs one of: {roles}).',
  },
  admin_level_required: {
    status: 403,
    'zh-CN': '管理控制台需要安全等级 3（数字证书或网证）登录。您当前的登录等级不够，请用数字证书或网证重新登录。',
    en: 'The admin console needs assurance level 3 (a digital certificate or the eID). Your sign-in is below that: sign in again with a certificate or the eID.',
  },
  admin_not_admin: {
    status: 403,
    'zh-CN': '您不是在任的安全管理员，无法使用管理控制台。',
    en: 'You are not an active security admin and cannot use the admin console.',
  },
  admin_session_expired: {
    status: 401,
    'zh-CN': '管理控制台已超时退出，请重新登录。',
    en: 'The admin session ended after inactivity. Please sign in again.',
  },
  admin_token_invalid: {
    status: 401,
    'zh-CN': '访问令牌无效、已过期，或不带管理权限。',
    en: 'The access token is not valid, has expired, or carries no admin scope.',
  },
  admin_person_unknown: {
    status: 404,
    'zh-CN': '没有这个身份证号码的人员记录；首次添加时请同时给出姓名。',
    en: 'No person with this ID number is known; give their name too when adding them for the first time.',
  },
  admin_cli_bootstrap_only: {
    status: 409,
    'zh-CN': '已有在任的管理员：新增或变更管理员请在管理控制台提出并经另一位管理员批准。只有在所有管理员都无法登录时，才可加 --emergency 使用命令行。',
    en: 'Active admins exist: add or change admins in the console, with a second admin’s approval. Use --emergency on the command line only when no admin can sign in.',
  },
  admin_not_found: { status: 404, 'zh-CN': '没有这个管理接口。', en: 'There is no such admin endpoint.' },
} as const satisfies Record<string, CodedText>;
