/**
 * What the sign-in error page says for the protocol errors oidc-provider reports (RFC 6749,
 * OpenID Connect Core), in both languages: the provider's own description is English and for
 * the app's developers, so the page shows it only as technical detail.
 */
import type { Text } from './text.ts';

export const protocolUi = {
  oidc_invalid_request: {
    'zh-CN': '应用发来的登录请求不完整或有误，无法继续。',
    en: 'The app sent a sign-in request that is incomplete or wrong, so it cannot go on.',
  },
  oidc_invalid_client: { 'zh-CN': '发起登录的应用未登记或已停用。', en: 'The app that asked you to sign in is not registered or has been switched off.' },
  oidc_invalid_redirect_uri: {
    'zh-CN': '应用要求登录后返回的地址未登记，为保护您的信息，登录已停止。',
    en: 'The app asked to return you to an address it has not registered; to protect you, the sign-in stopped.',
  },
  oidc_unauthorized_client: { 'zh-CN': '该应用无权以这种方式发起登录。', en: 'This app may not ask for a sign-in this way.' },
  oidc_invalid_scope: { 'zh-CN': '应用请求了未获准的信息范围。', en: 'The app asked for information it is not allowed to ask for.' },
  oidc_unsupported_response_type: { 'zh-CN': '应用使用了不支持的登录方式。', en: 'The app used a way of signing in that is not supported.' },
  oidc_access_denied: { 'zh-CN': '登录已取消或被拒绝。', en: 'The sign-in was cancelled or refused.' },
  oidc_login_required: { 'zh-CN': '需要先登录。', en: 'You need to sign in first.' },
  oidc_consent_required: { 'zh-CN': '需要您先同意应用使用您的信息。', en: 'You need to allow the app to use your information first.' },
  oidc_interaction_required: { 'zh-CN': '需要您在登录页面上操作。', en: 'You need to act on the sign-in page.' },
  oidc_invalid_request_object: { 'zh-CN': '应用发来的登录请求无法验证。', en: 'The app’s sign-in request could not be verified.' },
  oidc_server_error: { 'zh-CN': '服务暂时出现问题，请稍后再试。', en: 'Something went wrong on our side. Please try again later.' },
  oidc_other: { 'zh-CN': '登录请求无效，无法继续。', en: 'The sign-in request is not valid and cannot go on.' },
  oidcDetail: { 'zh-CN': '技术信息（供应用开发人员）', en: 'Technical detail (for the app’s developers)' },
} as const satisfies Record<string, Text>;
