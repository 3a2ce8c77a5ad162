/**
 * A forgotten password, set again with a code texted to the phone linked to the person. The
 * citizen gives their ID number; a code goes to the person's linked phone only when the person
 * exists, has a phone and has a password to reset, but the answer, and the time it takes, are the
 * same either way (an undelivered code is "sent" as the kit's OTP step does it: the same caps, the
 * same wait, and every code then fails as a wrong one). Which phone is shown (masked) only after
 * the right code, when the person has proved they hold it.
 *
 * The code is the kit's OTP step (keyed digest, TTL, single use under races, attempts counted by
 * the rate limiter against the ID number, apart from password guesses), run in a context of its
 * own, bound to the browser's reset id. A good code and an acceptable new password replace the
 * password's secret, with its audit event, in one transaction; then every session of the person
 * ends (whoever knew the old password may be signed in with it), the lockouts a stranger's
 * guesses left on the password are lifted, and the phone is told.
 */
import { z } from 'zod';
import type Provider from 'oidc-provider';
import { maskPhone } from '../interaction/method-fields.ts';
import { OTP_DEFAULTS, otpConfigSchema, otpStep, type OtpConfig } from '../interaction/otp-step.ts';
import type { AuditLog } from '../audit/index.ts';
import { signOutEverywhere } from './sessions.ts';
import { AuthorityUnavailable } from '../errors.ts';
import type { IdentityService } from '../identity/index.ts';
import type { Lang } from '../i18n/text.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { weakPassword, type PasswordRules } from '../policy/password-rules.ts';
import { challengeKey, methodContext, type ContextServices } from '../interaction/method-context.ts';

export interface PasswordResetDeps {
  provider: Provider;
  identity: IdentityService;
  audit: AuditLog;
  services: ContextServices;
  /** the method whose secret is the person's password, in the policy in force; none: no reset is offered */
  passwordMethod(): string | undefined;
  /** the password rules in force (the policy's global ones) */
  rules(): PasswordRules;
  otp: OtpConfig;
}

// wrong codes count against the ID number under a name of their own: guessing reset codes
// must not lock the person's password sign-in, nor password guesses their reset
const RESET_ACCOUNT = 'password-reset';
// the method context's flow for a reset's code step
const RESET_FLOW = 'login';
/** where a reset flow's pending code is kept (its flow id is the reset cookie's value) */
export const resetStateKey = (flowId: string) => challengeKey(flowId, RESET_ACCOUNT, RESET_FLOW);
// the state of an undelivered code names no phone
const NO_PHONE = '00000000000';
const NO_PERSON = '00000000-0000-0000-0000-000000000000';

const pendingSchema = z.object({ idNumber: z.string(), personId: z.string().nullable() });
type Pending = z.infer<typeof pendingSchema>;

/** The password method's code settings from the method settings (config/), as the method reads them. */
export function resetCodeSettings(methodSettings: unknown, passwordMethod: string | undefined): OtpConfig {
  const own = z.object({ otp: z.unknown() }).partial().safeParse((methodSettings as Record<string, unknown> | undefined)?.[passwordMethod ?? ''] ?? {});
  const otp = otpConfigSchema.safeParse(own.success ? (own.data.otp ?? OTP_DEFAULTS) : OTP_DEFAULTS);
  return otp.success ? otp.data : OTP_DEFAULTS;
}

const resetText = (code: string, minutes: number) => `【通办ID】您正在重置通办 ID 登录密码，验证码 ${code}，${minutes} 分钟内有效。如非本人操作，请勿告诉他人。`;
const changedText = '【通办ID】您的通办 ID 登录密码已通过短信验证码重新设置，其他设备上的登录已退出。如非本人操作，请立即联系 12345。';

export type ResetRefusal = { ok: false; reason: MessageKey; retryAfter?: number };

export function passwordReset(deps: PasswordResetDeps) {
  const otp = otpStep<Pending>({
    cfg: deps.otp,
    data: pendingSchema,
    text: resetText,
    account: (_phone, data) => ({ method: RESET_ACCOUNT, identifier: data.idNumber }),
    // capped per ID number below, the same for every number typed: a cap per phone would tell
    // a number that has one from a number that has not
    dailyCaps: false,
  });
  const contextOf = (flowId: string, sourceIp: string, lang: Lang) =>
    methodContext(deps.services, { interactionId: flowId, methodId: RESET_ACCOUNT, flow: RESET_FLOW, sourceIp, lang });

  /** Sends the code, or does the same work without sending it; the same answer either way. */
  async function send(o: { flowId: string; idNumber: string; sourceIp: string; lang: Lang }): Promise<{ ok: true } | ResetRefusal> {
    const ctx = contextOf(o.flowId, o.sourceIp, o.lang);
    const passwordMethod = deps.passwordMethod();
    const capped = await ctx.limits.message(`reset:${o.idNumber}`);
    if (!capped.ok) return { ok: false, reason: 'rate_limited', retryAfter: capped.retryAfter };
    const personId = await deps.identity.findPersonIdByIdNumber(o.idNumber);
    const [person, cred] = await Promise.all([
      // looked up either way, so an unknown number costs the same queries as a known one
      deps.identity.getPerson(personId ?? NO_PERSON),
      passwordMethod ? deps.services.credentials.find(passwordMethod, o.idNumber) : null,
    ]);
    const phone = person?.phone && cred?.status === 'active' && cred.personId === person.id ? person.phone : null;
    const sent = await otp.send(ctx, { phone: phone ?? NO_PHONE, deliver: phone !== null, data: { idNumber: o.idNumber, personId: phone ? person!.id : null }, restart: true });
    if (!sent.ok) return { ok: false, reason: sent.reason, ...(sent.retryAfter ? { retryAfter: sent.retryAfter } : {}) };
    return { ok: true };
  }

  /** Checks the code once; a good one sets the new password. Returns the phone, masked, to tell the person where the notice went. */
  async function confirm(o: { flowId: string; code: string; password: string; sourceIp: string; lang: Lang }): Promise<{ ok: true; maskedPhone: string } | ResetRefusal> {
    const method = deps.passwordMethod();
    if (!method) return { ok: false, reason: 'otp_expired' };
    const ctx = contextOf(o.flowId, o.sourceIp, o.lang);
    const checked = await otp.check(ctx, o.code);
    if (!checked.ok) return { ok: false, reason: checked.reason, ...(checked.retryAfter ? { retryAfter: checked.retryAfter } : {}) };
    const person = checked.data.personId ? await deps.identity.getPerson(checked.data.personId) : null;
    if (!person) return { ok: false, reason: 'otp_expired' };
    const secretHash = await deps.services.secrets.hash(o.password);
    await deps.audit.transaction(async (tx) => {
      await deps.identity.bind(person.id, { method, identifier: person.idNumber, secretHash }, tx);
      await tx.audit({ type: 'credential.secret_replaced', method, subjectIndex: person.idNumberIndex, source: o.sourceIp });
    });
    await deps.services.limits.resetAccount({ method, identifier: person.idNumber });
    await signOutEverywhere({ provider: deps.provider, store: deps.services.store, audit: deps.audit }, person, o.sourceIp);
    try {
      await deps.services.authorities.sms.send(checked.phone, changedText);
    } catch (err) {
      // the password is set; a notice that could not go out does not undo it
      if (!(err instanceof AuthorityUnavailable)) throw err;
    }
    return { ok: true, maskedPhone: maskPhone(checked.phone) };
  }

  /** true when `password` may not be set */
  const weak = (password: string) => weakPassword(password, deps.rules());

  return { send, confirm, weak, offered: () => deps.passwordMethod() !== undefined, codeLength: deps.otp.length, minutes: Math.max(1, Math.round(deps.otp.ttlSeconds / 60)) };
}
export type PasswordReset = ReturnType<typeof passwordReset>;
