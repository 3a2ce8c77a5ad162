/**
 * The one logger: JSON lines (pino) on stdout, level from LOG_LEVEL. What reaches it is chosen
 * field by field, so nothing personal can slip in: a request is its method, route (the path with
 * every segment that could be an id, a code or a name replaced, never the query string), status
 * and time; never a body, a cookie or a header. An error is its type, code, a masked message
 * (quoted text and long runs of digits hidden) and its stack frames. Behind that, any field
 * named like a secret or a person's data is redacted wherever it is logged (REDACT below).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pino, type Level, type LevelWithSilent, type Logger } from 'pino';
import { StoreUnavailable } from './errors.ts';

export type LogLevel = LevelWithSilent;

interface Sink {
  write(line: string): void;
}

let sink: Sink = process.stdout;
let capturing = false;

// fields that must never carry their value into a line, wherever they are in what is logged
const SECRET_FIELDS = [
  'password', 'secret', 'client_secret', 'clientSecret', 'pin', 'otp', 'user_code', 'userCode',
  'token', 'access_token', 'accessToken', 'refresh_token', 'refreshToken', 'id_token', 'idToken',
  'cookie', 'cookies', 'authorization', 'idNumber', 'id_number', 'name', 'phone', 'body', 'query', 'headers',
];
const SECRET = new Set(SECRET_FIELDS);
const REDACTED = '[redacted]';

/**
 * Nested objects (pino's own redaction covers the top level): their secret fields replaced, in
 * copies. Pino's wildcard paths would do the same at ten times the cost of a line.
 */
function redactNested(value: unknown, depth: number): unknown {
  if (depth > 4 || value === null || typeof value !== 'object' || value instanceof Error) return value;
  if (Array.isArray(value)) {
    const items = value.map((v) => redactNested(v, depth + 1));
    return items.some((v, i) => v !== value[i]) ? items : value;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(value)) {
    const clean = SECRET.has(k) ? REDACTED : redactNested(v, depth + 1);
    if (clean !== v) (copy ??= { ...value })[k] = clean;
  }
  return copy ?? value;
}

function redactLogObject(obj: Record<string, unknown>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const k in obj) {
    const v = obj[k];
    if (v === null || typeof v !== 'object' || SECRET.has(k)) continue;
    const clean = redactNested(v, 1);
    if (clean !== v) (copy ??= { ...obj })[k] = clean;
  }
  return copy ?? obj;
}

/** The root logger. Under NODE_ENV=test it is silent unless a test captures it or asks for a level. */
export const log: Logger = pino(
  {
    level: process.env.NODE_ENV === 'test' ? 'silent' : 'info',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }), log: redactLogObject },
    serializers: { err: safeError, path: routeOf, route: routeOf },
    redact: { paths: SECRET_FIELDS, censor: REDACTED },
  },
  { write: (line: string) => sink.write(line) },
);

export function setLogLevel(level: LogLevel): void {
  // a test that captures the log keeps the level it asked for
  if (!capturing) log.level = level;
}

/** Tests: collect the log lines (parsed) at `level` until restore(). */
export function captureLogs(level: Level = 'info'): { lines(): Record<string, unknown>[]; restore(): void } {
  const buffer: string[] = [];
  const previous = { sink, level: log.level };
  sink = { write: (line) => void buffer.push(line) };
  log.level = level;
  capturing = true;
  return {
    lines: () => buffer.map((l) => JSON.parse(l) as Record<string, unknown>),
    restore() {
      sink = previous.sink;
      log.level = previous.level;
      capturing = false;
    },
  };
}

/**
 * A failure nothing waits on (a background sweep, a note after the fact): a store outage is a
 * warning (requests report it as it happens), anything else an unexpected error.
 */
export function logBackgroundFailure(msg: string, err: unknown): void {
  if (err instanceof StoreUnavailable) log.warn({ store: err.store, err: err.cause }, msg);
  else log.error({ err }, msg);
}

/** The request's own logger (it carries the request id), or the root one outside a request. */
export function logOf(req: IncomingMessage | undefined): Logger {
  return (req as { log?: Logger } | undefined)?.log ?? log;
}

// what a proxy may pass on as a request id: short, and nothing that could carry markup or lines
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request an id (the proxy's X-Request-Id when the proxy is trusted, else a new
 * UUID), returns it in the X-Request-Id response header, and logs each finished request.
 * Written out rather than taken from pino-http: that builds a child logger and its serializers
 * for every request, which cost about 7 % of the token endpoint's CPU. Here a request's child
 * logger is made only when something logs for that request, and the line is skipped
 * altogether when the level would drop it.
 */
export function requestLogging(trustedProxy: (req: IncomingMessage) => boolean, opts: { quietPaths?: readonly string[] } = {}) {
  const quiet = new Set(opts.quietPaths ?? []);
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) && trustedProxy(req) ? given : randomUUID();
    res.setHeader('X-Request-Id', requestId);
    let child: Logger | undefined;
    Object.defineProperty(req, 'log', { configurable: true, get: () => (child ??= log.child({ requestId })) });
    if (log.isLevelEnabled('info')) {
      const path = pathOf(req);
      // health probes every few seconds would drown the log; they still get their id
      if (!quiet.has(path)) {
        const started = performance.now();
        res.once('close', () => {
          const line = { requestId, method: req.method, route: path, status: res.statusCode, ms: Math.round(performance.now() - started) };
          // a 5xx is one line like any other: the error behind it is logged where it is caught, once
          log.info(res.writableFinished ? line : { ...line, aborted: true }, 'request');
        });
      }
    }
    next();
  };
}

// a path segment kept as it is: a short lowercase word (a route's name, a method id); anything
// else (digits, capitals, escapes, length: an interaction id, a code, a phone number, a name) is `:id`
const ROUTE_WORD = /^[a-z][a-z._-]{0,19}$/;

/** A path as it may be logged: the route's words, every other segment `:id`. */
export function routeOf(path: unknown): string {
  if (typeof path !== 'string') return '';
  return path
    .split('/')
    .slice(0, 12)
    .map((seg) => (seg === '' || ROUTE_WORD.test(seg) ? seg : ':id'))
    .join('/');
}

function pathOf(req: IncomingMessage): string {
  const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '';
  const q = url.indexOf('?');
  return (q === -1 ? url : url.slice(0, q)).slice(0, 200);
}

/** An error as it may be logged: no free text from outside survives the masking. */
export function safeError(err: unknown, depth = 0): Record<string, unknown> {
  if (!(err instanceof Error)) return { type: typeof err };
  const code = (err as { code?: unknown }).code;
  const cause = (err as { cause?: unknown }).cause;
  return {
    type: err.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    message: mask(err.message),
    ...(err.stack ? { stack: frames(err.stack) } : {}),
    ...(cause !== undefined && depth < 3 ? { cause: safeError(cause, depth + 1) } : {}),
  };
}

function mask(message: string): string {
  return message
    .slice(0, 300)
    .replace(/(["'`])[^"'`]*\1/g, '$1…$1')
    .replace(/\d[\dXx]{5,}/g, '…');
}

function frames(stack: string): string[] {
  return stack
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('at '))
    .slice(0, 12);
}
