/**
 * Faults of the request itself as express's body parsers and router report them (errors with a
 * `type`, a zlib code or a 4xx `status`), turned into our stable codes. Anything else that
 * reaches the error handler is unexpected.
 */
import { AppError } from '../errors.ts';
import type { MessageKey } from '../i18n/messages.ts';

const BY_TYPE: Record<string, MessageKey> = {
  'entity.too.large': 'payload_too_large',
  'entity.parse.failed': 'malformed_body',
  'parameters.too.many': 'payload_too_large',
  'encoding.unsupported': 'unsupported_content_type',
  'charset.unsupported': 'unsupported_content_type',
  // the body ended before its Content-Length, or the client went away
  'request.size.invalid': 'malformed_body',
  'request.aborted': 'malformed_body',
};

const BY_STATUS: Record<number, MessageKey> = {
  400: 'malformed_request',
  413: 'payload_too_large',
  415: 'unsupported_content_type',
};

export function requestFault(err: unknown): AppError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { type, status } = err as { type?: unknown; status?: unknown };
  if (typeof type === 'string' && Object.hasOwn(BY_TYPE, type)) {
    return new AppError(BY_TYPE[type]!);
  }
  // a compressed body that does not inflate (body-parser passes zlib's error on with status 400)
  if (status === 400 && typeof (err as { errno?: unknown }).errno === 'number') return new AppError('malformed_body');
  // a path parameter with a broken percent-escape (the router sets 400 on its URIError), and any
  // other 4xx a parser decided on
  if (typeof status === 'number' && Object.hasOwn(BY_STATUS, status)) return new AppError(BY_STATUS[status]!);
  return undefined;
}
