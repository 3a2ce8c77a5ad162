/** Error codes of the admin console's operations areas (helpdesk, audit, department apps, keys, staff): HTTP status and zh-CN/en text. */
import type { CodedText } from './text.ts';

export const messages = {
  admin_reason_required: {
    status: 400,
    'zh-CN': '请填写操作原因（2 至 500 字）。',
    en: 'Please give a reason for this action (2 to 500 characters).',
  },
  admin_citizen_not_found: {
    status: 404,
    'zh-CN': '没有找到这个身份证号码对应的账号。',
    en: 'No account was found for this ID number.',
  },
  admin_lookup_expired: {
    status: 404,
    'zh-CN': '查询已过期，请重新输入身份证号码查询。',
    en: 'This look-up has expired. Please enter the ID number again.',
  },
  admin_audit_filter_invalid: {
    status: 400,
    'zh-CN': '查询条件有误：{detail}',
    en: 'The search is not valid: {detail}',
  },
  admin_client_invalid: {
    status: 400,
    'zh-CN': '应用登记信息有误：{detail}',
    en: 'The department app’s registration is not valid: {detail}',
  },
  admin_client_exists: {
    status: 409,
    'zh-CN': '已有同一标识的应用。',
    en: 'A department app with this id already exists.',
  },
  admin_client_not_found: {
    status: 404,
    'zh-CN': '没有这个应用，或它是本服务自带的应用。',
    en: 'There is no such department app, or it is one of the service’s own.',
  },
  admin_client_no_secret: {
    status: 409,
    'zh-CN': '这个应用不使用客户端密钥。',
    en: 'This department app does not use a client secret.',
  },
  admin_scope_needs_approval: {
    status: 409,
    'zh-CN': '授予身份证号码或其他敏感范围需要另一位管理员批准，请通过范围变更申请提交。',
    en: 'Granting the ID number or another sensitive scope needs a second admin’s approval: propose it as a scope change.',
  },
  admin_key_not_found: {
    status: 404,
    'zh-CN': '没有这个签名密钥。',
    en: 'There is no such signing key.',
  },
  admin_key_not_next: {
    status: 409,
    'zh-CN': '只有已预先发布的（下一个）密钥才能启用。',
    en: 'Only a key already published as the next key can be activated.',
  },
  admin_key_in_use: {
    status: 409,
    'zh-CN': '正在签名的密钥不能撤下，请先启用新的密钥。',
    en: 'The key that signs cannot be withdrawn: activate a new key first.',
  },
  admin_centre_exists: {
    status: 409,
    'zh-CN': '已有同一编号的服务网点。',
    en: 'A service centre with this id already exists.',
  },
  admin_centre_not_found: {
    status: 404,
    'zh-CN': '没有这个服务网点。',
    en: 'There is no such service centre.',
  },
  admin_staff_not_found: {
    status: 404,
    'zh-CN': '没有这位窗口工作人员。',
    en: 'There is no such member of counter staff.',
  },
} satisfies Record<string, CodedText>;
