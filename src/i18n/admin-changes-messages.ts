/** Error codes of admin change requests, policy editing and admin management: HTTP status and zh-CN/en text. */
import type { CodedText } from './text.ts';

export const messages = {
  change_kind_unknown: { status: 404, 'zh-CN': '没有这种变更类型。', en: 'There is no such kind of change.' },
  change_not_found: { status: 404, 'zh-CN': '没有找到这项变更申请。', en: 'This change request was not found.' },
  change_role_required: {
    status: 403,
    'zh-CN': '您的管理角色不能提出或批准这类变更（需要：{roles}）。',
    en: 'Your admin roles cannot propose or approve this kind of change (it needs: {roles}).',
  },
  change_self_approval: {
    status: 403,
    'zh-CN': '不能批准自己提出的变更，需要另一位管理员批准。',
    en: 'You cannot approve your own change; another admin must approve it.',
  },
  change_lapsed: {
    status: 409,
    'zh-CN': '这项变更申请已超过批准时限，已失效。如仍需要，请重新提出。',
    en: 'This change request was not approved in time and has lapsed. Propose it again if it is still needed.',
  },
  change_closed: { status: 409, 'zh-CN': '这项变更申请已经处理过了。', en: 'This change request has already been decided.' },
  change_reason_required: { status: 400, 'zh-CN': '请填写变更原因（最多 500 字）。', en: 'Please give a reason for the change (at most 500 characters).' },
  change_nothing: { status: 400, 'zh-CN': '提交的内容与当前策略相同，没有需要变更的地方。', en: 'This is the same as the current policy: there is nothing to change.' },
  change_invalid: { status: 400, 'zh-CN': '变更内容无效：{detail}', en: 'The change is not valid: {detail}' },
  change_stale: {
    status: 409,
    'zh-CN': '提出这项变更后策略已被修改，为避免覆盖他人的修改，请基于当前版本重新提出。',
    en: 'The policy has changed since this was proposed. To avoid overwriting that change, propose it again from the current version.',
  },
  change_unsafe_console_level3: {
    status: 409,
    'zh-CN': '不能这样修改：「{client}」将没有任何已启用且能达到安全等级 3 的登录方式，工作人员和管理员将无法登录（包括撤销这项修改）。',
    en: 'Refused: “{client}” would be left with no enabled method that reaches level 3, so staff and admins could not sign in (not even to undo this).',
  },
  change_unsafe_department_no_method: {
    status: 409,
    'zh-CN': '不能这样修改：应用「{client}」允许的登录方式将全部停用，市民将无法登录该应用。',
    en: 'Refused: every sign-in method the app “{client}” allows would be disabled, so nobody could sign in to it.',
  },
  change_unsafe_last_admin_admin: {
    status: 409,
    'zh-CN': '不能这样修改：这样将没有任何在职的管理员管理员（admin_admin），再也无法管理管理员和角色。',
    en: 'Refused: no active admin would hold admin_admin, so nobody could manage admins and roles any more.',
  },
  change_unsafe_last_admin: {
    status: 409,
    'zh-CN': '不能这样修改：这样将没有任何在职的管理员。',
    en: 'Refused: there would be no active admin left.',
  },
  policy_version_unknown: { status: 404, 'zh-CN': '没有这个策略版本。', en: 'There is no such policy version.' },
  admins_person_unknown: {
    status: 404,
    'zh-CN': '没有找到使用该身份证号码开通通办 ID 的人，请对方先开通通办 ID。',
    en: 'No one with a Tongban ID has that ID number. Ask them to register first.',
  },
  admins_exists: { status: 409, 'zh-CN': '此人已是管理员，请修改其角色。', en: 'This person is already an admin: change their roles instead.' },
  admins_unknown: { status: 404, 'zh-CN': '没有找到这位管理员。', en: 'This admin was not found.' },
} as const satisfies Record<string, CodedText>;
