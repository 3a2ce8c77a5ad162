/**
 * `face`: name + ID number, a separate consent, then a liveness capture at the face authority
 * and a 1:1 compare with the registry photo. Proves the live person is the claimed resident;
 * never the only method offered, and on its own it does not create a person.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { defineMethod, type Flow, type MethodContext, type VerifyResult } from '../kit/index.ts';
import { checkIdNumber, invalidField, nameField, nameSchema, readFields } from '../kit/fields.ts';
import { configSchema, type FaceConfig } from './config.ts';
import * as messages from './messages.ts';
import { AUTHORITY, createFaceAuthority, type FaceAuthority } from './connector.ts';
import { consentForm, detailsForm } from './challenges.ts';
import { refuseConsoleInProduction } from '../kit/console-credentials.ts';

const ID = 'face';
// longer than an interaction lives, so the session count cannot be reset by waiting
const ATTEMPT_WINDOW_SECONDS = 1800;

const person = { idNumber: z.string(), name: z.string() };
const consentState = z.object({ stage: z.literal('consent'), ...person });
const captureState = z.object({ stage: z.literal('capture'), ...person, bizNo: z.string(), sessionId: z.string() });
const anyState = z.discriminatedUnion('stage', [consentState, captureState]);

const callbackInput = z.object({
  sessionId: z.string().regex(/^[A-Za-z0-9_-]{8,128}$/),
  bizNo: z.string().regex(/^[0-9a-f]{32}$/),
  result: z.enum(['done', 'cancelled']),
});


function loginFlow(cfg: FaceConfig, authority: FaceAuthority): Flow {
  async function submitDetails(ctx: MethodContext, input: Readonly<Record<string, string>>): Promise<VerifyResult> {
    const read = readFields(input, detailsForm.fields, ctx.lang);
    if (!read.ok) return { status: 'failed', ...read.problem };
    const id = checkIdNumber(read.values.id_number!);
    if (!id.ok) return { status: 'failed', ...id.problem };
    const name = read.values.name!;
    if (!nameSchema.safeParse(name).success) return { status: 'failed', ...invalidField(nameField, ctx.lang) };
    await ctx.state.put({ stage: 'consent', idNumber: id.idNumber, name }, cfg.ttlSeconds);
    return { status: 'pending', challenge: consentForm };
  }

  async function submitConsent(ctx: MethodContext, input: Readonly<Record<string, string>>): Promise<VerifyResult> {
    const state = await ctx.state.get(anyState);
    if (!state) return { status: 'failed', reason: 'challenge_expired', challenge: detailsForm };
    // nothing is captured without the explicit tick
    if (input.consent !== 'yes') return { status: 'failed', reason: 'face_consent_required', challenge: consentForm };
    // each capture session is a paid request to the face authority: counted per source address
    const gate = await ctx.limits.reserve([{ scope: 'authority', id: `${ID}:${ctx.sourceIp}` }]);
    if (!gate.ok) return { status: 'failed', reason: 'rate_limited', retryAfter: gate.retryAfter, challenge: detailsForm };
    const attempt = await ctx.state.attempt(cfg.sessionsPerInteraction, ATTEMPT_WINDOW_SECONDS);
    if (!attempt.allowed) return { status: 'failed', reason: 'face_attempts_exhausted', challenge: detailsForm };

    const bizNo = randomBytes(16).toString('hex');
    const session = await authority.createSession({ bizNo, returnUrl: ctx.callbackUrl });
    await ctx.state.put(
      { stage: 'capture', idNumber: state.idNumber, name: state.name, bizNo, sessionId: session.sessionId },
      Math.min(cfg.ttlSeconds, session.expiresIn + 60),
    );
    return { status: 'pending', challenge: { kind: 'redirect', url: session.captureUrl } };
  }

  async function callback(ctx: MethodContext, input: Readonly<Record<string, string>>): Promise<VerifyResult> {
    const back = callbackInput.safeParse(input);
    if (!back.success) return { status: 'failed', reason: 'state_mismatch' };
    const { bizNo, sessionId, result } = back.data;
    const pending = await ctx.state.get(captureState);
    if (!pending) return { status: 'failed', reason: 'challenge_expired', challenge: detailsForm };
    // a session started by another interaction (or a forged one) never touches this one's state
    if (pending.bizNo !== bizNo || pending.sessionId !== sessionId) return { status: 'failed', reason: 'state_mismatch', challenge: consentForm };
    const won = await ctx.state.consume(captureState);
    if (!won || won.bizNo !== bizNo) return { status: 'failed', reason: 'challenge_expired', challenge: detailsForm };
    // the person may try again (within the session count) without typing their details again
    await ctx.state.put({ stage: 'consent', idNumber: won.idNumber, name: won.name }, cfg.ttlSeconds);
    if (result === 'cancelled') return { status: 'failed', reason: 'face_cancelled', challenge: consentForm };
    if (!(await ctx.shared.once(`session:${won.sessionId}`, ATTEMPT_WINDOW_SECONDS))) {
      return { status: 'failed', reason: 'challenge_expired', challenge: detailsForm };
    }

    // counted before the authority compares: with a limit of k, at most k faces are tried at once
    const guess = await ctx.limits.guess({ method: ID, identifier: won.idNumber });
    if (!guess.ok) return { status: 'failed', reason: 'rate_limited', retryAfter: guess.retryAfter, challenge: consentForm };
    let r: Awaited<ReturnType<FaceAuthority['compare']>>;
    try {
      r = await authority.compare({ sessionId: won.sessionId, idNumber: won.idNumber, name: won.name });
    } catch (err) {
      await guess.release();
      throw err;
    }
    if (r.liveness !== 'pass' || r.score < cfg.threshold) {
      await guess.failed();
      return { status: 'failed', reason: r.liveness !== 'pass' ? 'face_liveness_failed' : 'face_no_match', challenge: consentForm };
    }
    await ctx.state.clear();
    await guess.succeeded();
    return {
      status: 'verified',
      claim: { kind: 'id_number', idNumber: won.idNumber },
      level: cfg.level,
      amr: ['face'],
      ...(cfg.enrol ? { enrol: { name: won.name, proofing: 'remote' as const, credentials: [] } } : {}),
      // outcome only: no image, template or ID number
      evidence: { liveness: r.liveness, score: r.score, threshold: cfg.threshold, requestId: r.requestId },
    };
  }

  return {
    start: async () => detailsForm,
    async verify(ctx, input) {
      if (input.step === 'callback') return callback(ctx, input);
      if (input.step === 'consent') return submitConsent(ctx, input);
      return submitDetails(ctx, input);
    },
  };
}

export const method = defineMethod({
  id: ID,
  messages,
  authority: AUTHORITY,
  configSchema,
  create(cfg, env) {
    const fromConsole = 'sandboxConsole' in cfg.credentials;
    refuseConsoleInProduction(env, ID, fromConsole, 'give credentials appId and apiKey');
    const authority = createFaceAuthority({
      baseUrl: cfg.baseUrl ?? `${env.authoritiesUrl.replace(/\/+$/, '')}/face`,
      timeoutMs: env.timeoutMs,
      credentials: 'apiKey' in cfg.credentials ? cfg.credentials : null,
    });
    return {
      id: ID,
      group: 'common',
      factors: { face: 'are' },
      kiosk: true,
      label: 'face.label',
      description: 'face.description',
      level: cfg.level,
      amr: ['face'],
      neverAlone: true,
      flows: { login: loginFlow(cfg, authority) },
    };
  },
});
