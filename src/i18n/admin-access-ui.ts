/** Interface text of the admin console's frame: sign-in, home page, roles (zh-CN and en). */
import type { Text } from './text.ts';

export const adminAccessUi = {
  adminTitle: { 'zh-CN': '安全管理控制台', en: 'Security admin console' },
  adminSignedIn: { 'zh-CN': '已登录，正在进入管理控制台……', en: 'Signed in. Opening the admin console…' },
  adminOpenConsole: { 'zh-CN': '进入管理控制台', en: 'Open the admin console' },
  adminSignInAgain: { 'zh-CN': '重新登录', en: 'Sign in again' },
  adminWho: { 'zh-CN': '当前管理员', en: 'Signed in as' },
  adminYourRoles: { 'zh-CN': '您的角色', en: 'Your roles' },
  adminAreas: { 'zh-CN': '管理功能', en: 'What you can manage' },
  adminNoAreas: { 'zh-CN': '您的角色目前没有可用的管理功能。', en: 'Your roles reach no part of the console yet.' },
  adminSignOut: { 'zh-CN': '退出管理控制台', en: 'Sign out of the admin console' },
  adminIdleNote: {
    'zh-CN': '{minutes} 分钟无操作将自动退出。',
    en: 'You are signed out after {minutes} minutes without activity.',
  },
  adminApiDoc: { 'zh-CN': '管理接口说明（OpenAPI）', en: 'Admin API description (OpenAPI)' },
  adminRole_policy_admin: { 'zh-CN': '策略管理员', en: 'Policy admin' },
  adminRole_client_admin: { 'zh-CN': '应用管理员', en: 'Client admin' },
  adminRole_helpdesk: { 'zh-CN': '服务台', en: 'Helpdesk' },
  adminRole_key_admin: { 'zh-CN': '密钥管理员', en: 'Key admin' },
  adminRole_staff_admin: { 'zh-CN': '窗口人员管理员', en: 'Staff admin' },
  adminRole_admin_admin: { 'zh-CN': '管理员管理员', en: 'Admin admin' },
  adminRole_auditor: { 'zh-CN': '审计员', en: 'Auditor' },
} as const satisfies Record<string, Text>;
