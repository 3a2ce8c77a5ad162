/**
 * The login flow: a one-time challenge registered with the eID platform, shown as a QR; the
 * waiting page polls until the citizen confirmed in the eID app, then the signed assertion
 * is checked and yields the ID number (with enrolment of the eID credential).
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Challenge, Flow, MethodContext, MethodEnv, StartRefused, VerifyResult } from '../kit/index.ts';
import { openAssertion } from './assertion.ts';
import type { GovEidConfig } from './config.ts';
import type { EidPlatform } from './connector.ts';

export const METHOD_ID = 'gov-eid';
const POLL_STEP = 'poll';

const pendingRequest = z.object({
  requestId: z.string(),
  challenge: z.string(),
  qrContent: z.string(),
  expiresAt: z.number(),
});
type PendingRequest = z.infer<typeof pendingRequest>;

export function loginFlow(cfg: GovEidConfig, env: MethodEnv, platform: EidPlatform): Flow {
  const { ttlSeconds, pollSeconds, maxPolls } = cfg.challenge;

  function qr(p: PendingRequest): Challenge {
    return {
      kind: 'qr',
      step: POLL_STEP,
      title: 'gov-eid.qrTitle',
      payload: p.qrContent,
      expiresIn: Math.max(1, Math.ceil((p.expiresAt - Date.now()) / 1000)),
      pollAfter: pollSeconds,
      note: 'gov-eid.qrNote',
    };
  }

  async function start(ctx: MethodContext): Promise<Challenge | StartRefused> {
    // every start is a platform request we pay for: an address that opens too many is refused
    // checked and counted in one step, and never given back
    const gate = await ctx.limits.reserve([{ scope: 'authority', id: `${METHOD_ID}:${ctx.sourceIp}` }]);
    if (!gate.ok) return { kind: 'refused', reason: 'rate_limited', retryAfter: gate.retryAfter };
    // 128 random bits, bound to this interaction and to the platform request made for it
    const challenge = randomBytes(16).toString('base64url');
    const created = await platform.createRequest(challenge, env.issuer);
    const ttl = Math.min(ttlSeconds, created.expiresIn);
    const pending: PendingRequest = { requestId: created.requestId, challenge, qrContent: created.qrContent, expiresAt: Date.now() + ttl * 1000 };
    // a new QR replaces the previous one and its poll count
    await ctx.state.clear();
    await ctx.state.put(pending, ttl);
    return qr(pending);
  }

  async function poll(ctx: MethodContext): Promise<VerifyResult> {
    const pending = await ctx.state.get(pendingRequest);
    if (!pending || pending.expiresAt <= Date.now()) {
      await ctx.state.clear();
      return { status: 'failed', reason: 'challenge_expired' };
    }
    const attempt = await ctx.state.attempt(maxPolls, ttlSeconds);
    if (!attempt.allowed) {
      await ctx.state.clear();
      return { status: 'failed', reason: 'challenge_expired' };
    }

    const answer = await platform.result(pending.requestId);
    if (answer.status === 'pending') return { status: 'pending', challenge: qr(pending) };
    if (answer.status === 'expired') {
      await ctx.state.clear();
      return { status: 'failed', reason: 'challenge_expired' };
    }

    // single use: of two polls that both saw "done", only one goes on
    const won = await ctx.state.consume(pendingRequest);
    await ctx.state.clear();
    if (!won || won.requestId !== pending.requestId) return { status: 'failed', reason: 'challenge_expired' };

    const keys = await platform.keys();
    const opened = await openAssertion(keys, ctx.shared, answer.assertion, { nonce: won.challenge });
    if (!opened.ok) return { status: 'failed', reason: opened.reason };
    const a = opened.value;

    const enrol = cfg.enrol || (await ctx.credentials.personExists(a.idNumber));
    return {
      status: 'verified',
      claim: { kind: 'id_number', idNumber: a.idNumber },
      level: cfg.level,
      amr: a.mode === 'face' ? ['hwk', 'face'] : ['hwk', 'pwd'],
      ...(enrol
        ? { enrol: { name: a.name, proofing: 'remote' as const, credentials: [{ method: METHOD_ID, identifier: a.networkId }] } }
        : {}),
      evidence: { platformRequestId: won.requestId, assertionId: a.jti, mode: a.mode },
    };
  }

  return {
    start,
    async verify(ctx, input) {
      if (input.step === POLL_STEP) return poll(ctx);
      // nothing else is expected here: keep the QR that is still being waited for, if any
      const pending = await ctx.state.get(pendingRequest);
      return {
        status: 'failed',
        reason: 'invalid_input',
        params: { field: 'step' },
        ...(pending && pending.expiresAt > Date.now() ? { challenge: qr(pending) } : {}),
      };
    },
  };
}
