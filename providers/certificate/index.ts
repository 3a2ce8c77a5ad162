/**
 * `certificate`: an X.509 certificate on a UKey. We issue a nonce, the citizen's signing
 * software signs it with the certificate's key and sends the browser back with the chain; we
 * check the chain up to a trusted CA, its dates, key usage and the CA's CRL, and the signature.
 * The CA vouched for the ID number in the subject, so a first sign-in may enrol the person.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ConfigError, sameSecret } from '../kit/core.ts';
import { defineMethod, type Challenge, type Flow, type MethodContext, type VerifyResult } from '../kit/index.ts';
import { configSchema, type CertificateConfig } from './config.ts';
import * as messages from './messages.ts';
import { AUTHORITY, configuredCas, createConnector, type CaConnector } from './connector.ts';
import { checkCertificate, credentialIdentifier, isRevoked, signedAnswer } from './verify-chain.ts';
import { refuseConsoleInProduction } from '../kit/console-credentials.ts';

const ID = 'certificate';
const AMR = ['hwk', 'sc'] as const;
const WAIT_STEP = 'wait';

const nonceState = z.object({ nonce: z.string() });
const nonceInput = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

function loginFlow(cfg: CertificateConfig, signerUrl: string, ca: CaConnector): Flow {
  const waiting = (ctx: MethodContext, nonce: string): Challenge => {
    const url = new URL(signerUrl);
    url.searchParams.set('nonce', nonce);
    url.searchParams.set('return_to', ctx.callbackUrl);
    url.searchParams.set('alg', 'ES256');
    return {
      kind: 'pending',
      step: WAIT_STEP,
      title: 'certificate.waitTitle',
      pollAfter: 5,
      url: url.toString(),
      note: 'certificate.waitNote',
    };
  };

  async function callback(ctx: MethodContext, input: Readonly<Record<string, string>>): Promise<VerifyResult> {
    // whatever comes back spends the nonce: one answer per challenge, a replay finds nothing
    const ours = await ctx.state.consume(nonceState);
    await ctx.state.clear();
    const theirs = nonceInput.safeParse(input.nonce);
    if (!ours || !theirs.success || !sameSecret(ours.nonce, theirs.data)) return { status: 'failed', reason: 'challenge_expired' };

    if (input.error !== undefined) return { status: 'failed', reason: 'cert_cancelled' };
    // bad signatures count per source address, checked and counted before anything is tested
    const gate = await ctx.limits.reserve([{ scope: 'ip', id: ctx.sourceIp }]);
    if (!gate.ok) return { status: 'failed', reason: 'rate_limited', retryAfter: gate.retryAfter };

    const refuse = async (reason: Extract<VerifyResult, { status: 'failed' }>['reason']): Promise<VerifyResult> => {
      await gate.failed();
      return { status: 'failed', reason };
    };
    try {
      const answer = signedAnswer.safeParse(input);
      if (!answer.success) return refuse('cert_malformed');
      const checked = await checkCertificate(answer.data, ours.nonce, await ca.trustedCas());
      if (!checked.ok) return refuse(checked.reason);
      // last, and only for an otherwise good certificate: the CRL is the one network call
      if (isRevoked(await ca.crlOf(checked.issuer), checked.leaf)) return refuse('cert_revoked');
      await gate.succeeded();
      return verified(checked);
    } catch (err) {
      // the CA did not answer: nothing was decided
      await gate.release().catch(() => undefined);
      throw err;
    }
  }

  function verified(checked: Extract<Awaited<ReturnType<typeof checkCertificate>>, { ok: true }>): VerifyResult {
    return {
      status: 'verified',
      claim: { kind: 'id_number', idNumber: checked.idNumber },
      level: cfg.level,
      amr: [...AMR],
      ...(cfg.enrol
        ? {
            enrol: {
              name: checked.name,
              proofing: 'remote' as const,
              credentials: [{ method: ID, identifier: credentialIdentifier(checked.leaf) }],
            },
          }
        : {}),
      evidence: { ca: checked.issuer.id, notAfter: checked.leaf.notAfter.toISOString() },
    };
  }

  return {
    async start(ctx) {
      const nonce = randomBytes(32).toString('base64url');
      await ctx.state.clear();
      await ctx.state.put({ nonce }, cfg.nonceTtlSeconds);
      return waiting(ctx, nonce);
    },
    async verify(ctx, input) {
      if (input.step === 'callback') return callback(ctx, input);
      if (input.step === WAIT_STEP) {
        // the waiting page polls: nothing arrives here but the callback, so keep waiting while the nonce lives
        const current = await ctx.state.get(nonceState);
        return current ? { status: 'pending', challenge: waiting(ctx, current.nonce) } : { status: 'failed', reason: 'challenge_expired' };
      }
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
    refuseConsoleInProduction(env, ID, cfg.sandboxConsole === true, 'set trustedCas');
    if (env.production && !cfg.signerUrl) {
      throw new ConfigError('config/methods.json: "certificate": signerUrl (the signing software) is required in production');
    }
    const ca = createConnector(env, cfg.trustedCas ? configuredCas(cfg.trustedCas) : null);
    const signerUrl = cfg.signerUrl ?? `${env.authoritiesUrl.replace(/\/+$/, '')}/ca/sign`;
    return {
      id: ID,
      group: 'cards',
      factors: { hwk: 'have', sc: 'have' },
      label: 'certificate.label',
      description: 'certificate.description',
      level: cfg.level,
      amr: [...AMR],
      flows: { login: loginFlow(cfg, signerUrl, ca) },
    };
  },
});
