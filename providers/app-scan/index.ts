/**
 * `app-scan`: the login page shows a QR with a one-time token; the city app, signed in as a
 * person of ours, approves it through the method API (api.ts); the page, polling, signs that
 * person in at the app session's level (at most the method's) with the app session's amr.
 */
import { z } from 'zod';
import { defineMethod, type Challenge, type Flow, type MethodContext, type MethodEnv, type VerifyResult } from '../kit/index.ts';
import { configSchema, type AppScanConfig } from './config.ts';
import * as messages from './messages.ts';
import { AUTHORITY, openQr, qrToken, readQr, secondsLeft, takeQr } from './connector.ts';
import { approvalApis } from './api.ts';

const ID = 'app-scan';
type QrChallenge = Extract<Challenge, { kind: 'qr' }>;

/** this interaction's QR (the shared record is keyed by the token; this says which is ours) */
const current = z.object({ token: qrToken });

/** What the QR encodes: the city app reads its own scheme, and `iss` says where to approve. */
export function qrPayload(token: string, issuer: string): string {
  return `tongban://scan?${new URLSearchParams({ t: token, iss: issuer })}`;
}

function loginFlow(cfg: AppScanConfig, env: MethodEnv): Flow {
  const { ttlSeconds, pollSeconds } = cfg.qr;
  // a page polling for the QR's whole life, twice over, is plenty; more is a script
  const maxPolls = Math.ceil(ttlSeconds / pollSeconds) * 2 + 10;
  const simulator = `${env.authoritiesUrl.replace(/\/+$/, '')}/city-app/`;

  function challenge(token: string, expiresAt: number): QrChallenge {
    const payload = qrPayload(token, env.issuer);
    return {
      kind: 'qr',
      step: 'poll',
      title: 'app-scan.qrTitle',
      payload,
      expiresIn: Math.max(1, secondsLeft({ expiresAt })),
      pollAfter: pollSeconds,
      // outside production the tester pastes the payload into the city-app simulator
      note: env.production ? 'app-scan.qrNote' : { key: 'app-scan.qrNoteSandbox', params: { payload, simulator } },
    };
  }

  async function start(ctx: MethodContext): Promise<Challenge> {
    const mine = await ctx.state.get(current);
    if (mine) {
      const r = await readQr(ctx.shared, mine.token);
      // a reloaded page keeps the QR the phone may be scanning, or already answered
      if (r?.interactionId === ctx.interactionId) {
        if (r.status !== 'waiting' || secondsLeft(r) > pollSeconds * 2) return challenge(mine.token, r.expiresAt);
        await takeQr(ctx.shared, mine.token);
      }
    }
    await ctx.state.clear();
    const qr = await openQr(ctx.shared, ctx.interactionId, ttlSeconds);
    await ctx.state.put({ token: qr.token }, ttlSeconds);
    return challenge(qr.token, qr.expiresAt);
  }

  /** The old QR is dropped; the page shows the error with a fresh one (start() runs again). */
  async function expired(ctx: MethodContext, token?: string): Promise<VerifyResult> {
    if (token) await takeQr(ctx.shared, token);
    await ctx.state.clear();
    return { status: 'failed', reason: 'challenge_expired' };
  }

  async function poll(ctx: MethodContext): Promise<VerifyResult> {
    const mine = await ctx.state.get(current);
    if (!mine) return expired(ctx);
    const tries = await ctx.state.attempt(maxPolls, ttlSeconds);
    if (!tries.allowed) return expired(ctx, mine.token);
    const seen = await readQr(ctx.shared, mine.token);
    if (!seen) return expired(ctx);
    // never touch a record another interaction owns
    if (seen.interactionId !== ctx.interactionId) return expired(ctx);
    if (seen.status === 'waiting') return { status: 'pending', challenge: challenge(mine.token, seen.expiresAt) };

    // an answer is taken exactly once: a second poll (another tab, a replay) finds nothing
    const taken = await takeQr(ctx.shared, mine.token);
    await ctx.state.clear();
    if (!taken || secondsLeft(taken) <= 0) return expired(ctx);
    if (taken.status === 'rejected') return { status: 'failed', reason: 'app_scan_rejected' };
    if (taken.status !== 'approved') return expired(ctx);
    return {
      status: 'verified',
      claim: { kind: 'person', personId: taken.personId },
      level: taken.level,
      amr: taken.amr,
      evidence: { appClientId: cfg.appClientId, appLevel: taken.appLevel },
    };
  }

  return {
    start,
    async verify(ctx, input) {
      if (input.step === 'poll') return poll(ctx);
      // this flow has no form: anything else is not ours (the page shows the current QR again)
      return { status: 'failed', reason: 'invalid_input', params: { field: 'step' } };
    },
  };
}

export const method = defineMethod({
  id: ID,
  messages,
  authority: AUTHORITY,
  configSchema,
  create(cfg, env) {
    return {
      id: ID,
      group: 'apps',
      factors: { pwd: 'know', pin: 'know', sms: 'have', otp: 'have', hwk: 'have', swk: 'have', sc: 'have', face: 'are', fpt: 'are' },
      kiosk: true,
      label: 'app-scan.label',
      description: 'app-scan.description',
      level: cfg.level,
      // the factors are the app session's, known only once it approves
      amr: [],
      flows: { login: loginFlow(cfg, env) },
      api: approvalApis(cfg),
    };
  },
});
