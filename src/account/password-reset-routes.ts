/**
 * /help/password: what to do about a forgotten password, and its reset by text message. The
 * browser carries a reset id in a cookie of this path only: the forms' CSRF tokens and the
 * code's state are bound to it, and it is replaced once a password is set. Every page links
 * back to the sign-in the person came from (`back`).
 */
import { randomBytes } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { Csrf } from '../interaction/csrf.ts';
import { backSchema, passwordHelpPage } from '../interaction/password-help.ts';
import { parseIdNumber } from '../crypto/id-number.ts';
import { statusOf, type Lang } from '../i18n/messages.ts';
import { readCookie } from '../web/cookies.ts';
import type { Problem } from '../interaction/views.ts';
import { passwordReset, resetCodeSettings, type PasswordResetDeps, type ResetRefusal } from './password-reset.ts';
import { resetCodePage, resetDonePage, resetForm, type ResetPageCtx } from './password-reset-views.ts';
import { elderOf } from '../web/elder.ts';

export interface PasswordHelpDeps extends PasswordResetDeps {
  csrf: Csrf;
  secureCookies: boolean;
}

/** the reset flow's cookie: its id, on the reset pages' path only */
export const RESET_COOKIE = { name: 'tongban_reset', path: '/help/password' } as const;
const FLOW = /^[A-Za-z0-9_-]{22}$/;
const sendForm = z.object({ csrf: z.string().max(200), id_number: z.string().max(40), back: z.string().max(100).optional() });
const newForm = z.object({
  csrf: z.string().max(200),
  code: z.string().max(16),
  password: z.string().max(128),
  password_repeat: z.string().max(128),
  back: z.string().max(100).optional(),
});

const problemOf = (r: ResetRefusal): Problem => ({ code: r.reason, ...(r.retryAfter ? { params: { seconds: r.retryAfter } } : {}) });

export function passwordHelpRouter(deps: PasswordHelpDeps): express.Router {
  const reset = passwordReset(deps);
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '2kb', parameterLimit: 6 });
  const cookieOpts = { httpOnly: true, sameSite: 'lax' as const, secure: deps.secureCookies, path: RESET_COOKIE.path };

  const flowOf = (req: Request) => {
    const v = readCookie(req, RESET_COOKIE.name);
    return v && FLOW.test(v) ? v : undefined;
  };
  const newFlow = (res: Response) => {
    const id = randomBytes(16).toString('base64url');
    res.cookie(RESET_COOKIE.name, id, { ...cookieOpts, maxAge: 3_600_000 });
    return id;
  };
  const backOf = (raw: unknown) => {
    const b = backSchema.safeParse(raw);
    return b.success ? b.data : undefined;
  };
  // the language switch of every page here leads to the help page (the forms are POSTs)
  const ctxOf = (res: Response, flowId: string, back: string | undefined): ResetPageCtx => ({
    lang: res.locals.lang as Lang,
    elder: elderOf(res),
    path: back ? `/help/password?back=${encodeURIComponent(back)}` : '/help/password',
    csrf: deps.csrf.token(`pwreset:${flowId}`),
    back,
  });
  const send = (res: Response, status: number, body: string) => {
    res.setHeader('Cache-Control', 'no-store');
    res.status(status).type('html').send(body);
  };
  const helpPage = (res: Response, c: ResetPageCtx, status = 200, o: { typedId?: string; problem?: Problem } = {}) =>
    send(res, status, passwordHelpPage(c.lang, c.elder, c.path, c.back, reset.offered() ? resetForm(c, o) : undefined));
  const codePage = (res: Response, c: ResetPageCtx, status = 200, problem?: Problem) =>
    send(res, status, resetCodePage(c, { codeLength: reset.codeLength, minutes: reset.minutes, minLength: deps.rules().minLength, ...(problem ? { problem } : {}) }));

  /** The browser's reset id when the form's CSRF token is bound to it; otherwise the help page answers 403. */
  function checked(req: Request, res: Response, back: string | undefined): string | undefined {
    const flowId = flowOf(req);
    if (flowId && deps.csrf.valid(`pwreset:${flowId}`, (req.body as Record<string, unknown> | undefined)?.csrf)) return flowId;
    helpPage(res, ctxOf(res, flowId ?? newFlow(res), back), 403, { problem: { code: 'csrf_invalid' } });
    return undefined;
  }

  router.get('/help/password', (req, res) => {
    const flowId = flowOf(req) ?? newFlow(res);
    helpPage(res, ctxOf(res, flowId, backOf(req.query.back)));
  });

  router.post('/help/password/reset', form, async (req, res) => {
    const back = backOf(req.body?.back);
    const flowId = checked(req, res, back);
    if (!flowId) return;
    const c = ctxOf(res, flowId, back);
    if (!reset.offered()) return helpPage(res, c, 404, { problem: { code: 'not_found' } });
    const body = sendForm.safeParse(req.body ?? {});
    if (!body.success) return helpPage(res, c, 400, { problem: { code: 'invalid_input', params: { field: 'id_number' } } });
    const id = parseIdNumber(body.data.id_number);
    if (!id.ok) return helpPage(res, c, statusOf(id.code), { typedId: body.data.id_number.trim(), problem: { code: id.code } });
    const sent = await reset.send({ flowId, idNumber: id.value.idNumber, sourceIp: req.ip ?? '', lang: c.lang });
    if (!sent.ok) return helpPage(res, c, statusOf(sent.reason), { typedId: id.value.idNumber, problem: problemOf(sent) });
    codePage(res, c);
  });

  router.post('/help/password/new', form, async (req, res) => {
    const back = backOf(req.body?.back);
    const flowId = checked(req, res, back);
    if (!flowId) return;
    const c = ctxOf(res, flowId, back);
    const body = newForm.safeParse(req.body ?? {});
    if (!body.success) return codePage(res, c, 400, { code: 'invalid_input', params: { field: 'password' } });
    // checked before the code, so a password that cannot be set costs no attempt
    if (body.data.password !== body.data.password_repeat) return codePage(res, c, statusOf('password_mismatch'), { code: 'password_mismatch' });
    if (reset.weak(body.data.password)) return codePage(res, c, statusOf('password_weak'), { code: 'password_weak' });
    const done = await reset.confirm({ flowId, code: body.data.code, password: body.data.password, sourceIp: req.ip ?? '', lang: c.lang });
    if (!done.ok) {
      // an expired or used-up code starts again from the ID number
      if (done.reason === 'otp_expired') return helpPage(res, c, statusOf(done.reason), { problem: problemOf(done) });
      return codePage(res, c, statusOf(done.reason), problemOf(done));
    }
    newFlow(res);
    send(res, 200, resetDonePage(c, done.maskedPhone));
  });

  return router;
}

/** The help pages' dependencies: the code settings of the password method (config/). */
export function passwordHelpDeps(base: Omit<PasswordHelpDeps, 'otp'>, methodSettings: unknown): PasswordHelpDeps {
  return { ...base, otp: resetCodeSettings(methodSettings, base.passwordMethod()) };
}
