/**
 * What a login method borrows from the core, in one place: a method imports the kit and its own
 * folder, never src/ itself, so dependencies run one way (method → kit → core).
 */
export { AppError, AuthorityUnavailable, ConfigError } from '../../src/errors.ts';
export {
  callAuthority,
  callAuthorityWithText,
  fetchAuthorityBytes,
  type CallAuthorityOptions,
  type FetchBytesOptions,
} from '../../src/authorities/http.ts';
export { t } from '../../src/i18n/ui.ts';
export type { Text } from '../../src/i18n/text.ts';
export { parseIdNumber, maskIdNumber, type ParsedIdNumber, type IdNumberInfo } from '../../src/crypto/id-number.ts';
export { sameSecret } from '../../src/crypto/constant-time.ts';
export { acrOf, levelOf } from '../../src/policy/levels.ts';
export { escapeHtml, html, raw, type Html } from '../../src/web/html.ts';
export { issuePaths } from '../../src/validation/issues.ts';
