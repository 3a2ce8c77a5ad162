import { statusOf, type Lang, type MessageKey } from './i18n/messages.ts';
import { t } from './i18n/ui.ts';

/**
 * An expected-but-unhappy outcome that reaches a person or a client: a stable code, the HTTP
 * status the catalogue fixes for it (src/i18n/messages.ts), and its message in zh-CN and en.
 */
export class AppError extends Error {
  readonly code: MessageKey;
  readonly status: number;
  readonly retryAfter?: number;
  readonly params: Record<string, string | number>;

  constructor(code: MessageKey, opts: { retryAfter?: number; params?: Record<string, string | number>; cause?: unknown } = {}) {
    super(t('en', code, opts.params ?? {}), { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = statusOf(code);
    this.retryAfter = opts.retryAfter;
    this.params = { ...(opts.params ?? {}), ...(opts.retryAfter !== undefined ? { seconds: opts.retryAfter } : {}) };
  }

  message_(lang: Lang): string {
    return t(lang, this.code, this.params);
  }

  toJSON(): { error: string; message: { 'zh-CN': string; en: string }; retry_after?: number } {
    return {
      error: this.code,
      message: { 'zh-CN': this.message_('zh-CN'), en: this.message_('en') },
      ...(this.retryAfter !== undefined ? { retry_after: this.retryAfter } : {}),
    };
  }
}

/** Configuration that cannot work: start-up stops with this message. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** An outside authority that is down, slow, or answered something we cannot trust. */
export class AuthorityUnavailable extends Error {
  readonly authority: string;
  readonly kind: 'timeout' | 'http' | 'malformed' | 'signature' | 'network';
  constructor(authority: string, kind: AuthorityUnavailable['kind'], detail: string) {
    super(`${authority} unavailable (${kind}): ${detail}`);
    this.name = 'AuthorityUnavailable';
    this.authority = authority;
    this.kind = kind;
  }
}

/**
 * PostgreSQL or Redis did not answer (refused, dropped, timed out, shutting down). Every layer
 * maps it to "temporarily unavailable": a 503 page, `503 temporarily_unavailable` JSON, never a
 * citizen's error. The fields below are the shape oidc-provider renders for an error it may show
 * (`message` is its protocol error code, as with the provider's own errors).
 */
export class StoreUnavailable extends Error {
  readonly store: 'postgres' | 'redis';
  readonly expose = true;
  readonly status = 503;
  readonly statusCode = 503;
  readonly error = 'temporarily_unavailable';
  readonly error_description = 'the service is temporarily unavailable, please try again shortly';
  /** the authorization endpoint shows our page with a retry link instead of sending the error to the app */
  readonly allow_redirect = false;
  /** seconds a client should wait before retrying */
  static readonly retryAfter = 5;

  constructor(store: 'postgres' | 'redis', cause: unknown) {
    super('temporarily_unavailable', { cause });
    this.name = 'StoreUnavailable';
    this.store = store;
  }
}
