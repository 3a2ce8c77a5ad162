/**
 * The simulated national eID platform (`/eid`): authentication requests for an app's one-time
 * challenge, the simulated eID app page a QR code opens, ES256-signed assertions with the ID
 * number and name encrypted (RSA-OAEP-256 + A256GCM) to the app's key, and a developer
 * console that hands out the app's credentials. Keys are made per sandbox start.
 */
import { createHmac, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import express from 'express';
import { z } from 'zod';
import { CompactEncrypt, SignJWT } from 'jose';
import { CITIZENS, citizen, type Citizen } from '../kit/sandbox.ts';
import type { MethodSandbox, SandboxKit } from '../kit/index.ts';
import { confirmPage, DONE_PAGE, EXPIRED_PAGE, sendPage } from './sandbox-pages.ts';
import { AUTHORITY } from './connector.ts';

export const SANDBOX_APP_ID = 'tongban-id-sandbox';
const KID = 'ctid-sandbox-1';
const REQUEST_TTL_SECONDS = 120;
const ASSERTION_TTL_SECONDS = 120;
const MAX_REQUESTS = 2000;

/** The network-identity code (`sub`) of a citizen for an app: pseudonymous, stable per citizen per app. */
export function networkIdOf(citizenKey: string, appId = SANDBOX_APP_ID): string {
  return createHmac('sha256', 'sandbox-ctid-network-identity').update(`${appId}\0${citizen(citizenKey).idNumber}`).digest('base64url');
}

interface AuthRequest {
  requestId: string;
  appId: string;
  challenge: string;
  audience: string;
  expiresAt: number;
  status: 'pending' | 'done' | 'expired';
  assertion?: string;
}

const createBody = z.object({
  appId: z.string().min(1).max(64),
  challenge: z.string().regex(/^[A-Za-z0-9_-]{22,128}$/),
  audience: z.string().min(1).max(256),
});
const confirmBody = z.object({
  r: z.string().max(64),
  citizen: z.string().max(40),
  mode: z.enum(['password', 'face']),
});
/** Test tool: answer a request with a crafted assertion (claim overrides) or a verbatim one. */
const answerBody = z.union([
  z.object({ assertion: z.string().min(1).max(16_000) }).strict(),
  z
    .object({
      citizen: z.string().max(40),
      mode: z.enum(['password', 'face']).default('password'),
      claims: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
    })
    .strict(),
]);

export const sandbox: MethodSandbox = {
  authority: AUTHORITY,
  create(kit: SandboxKit) {
    const platformKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    // signs with the same kid as the platform: what a `bad_signature` failure looks like
    const impostorKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const appKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const requests = new Map<string, AuthRequest>();
    const base = () => `${kit.publicUrl()}/${AUTHORITY}`;

    function find(id: string): AuthRequest | undefined {
      const r = requests.get(id);
      if (r && r.status === 'pending' && r.expiresAt <= Date.now()) r.status = 'expired';
      return r;
    }
    function remember(r: AuthRequest): void {
      requests.set(r.requestId, r);
      // oldest first (insertion order): bounded so a long-running sandbox does not grow
      for (const id of requests.keys()) {
        if (requests.size <= MAX_REQUESTS) break;
        requests.delete(id);
      }
    }

    const encrypt = (text: string) =>
      new CompactEncrypt(new TextEncoder().encode(text))
        .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: `${SANDBOX_APP_ID}-enc` })
        .encrypt(appKey.publicKey);

    async function assertionFor(r: AuthRequest, who: Citizen, mode: string, overrides: Record<string, string | number>, key: KeyObject) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        iss: base(),
        aud: r.appId,
        nonce: r.challenge,
        iat: now,
        exp: now + ASSERTION_TTL_SECONDS,
        jti: randomUUID(),
        sub: networkIdOf(who.key, r.appId),
        mode,
        id_enc: await encrypt(who.idNumber),
        name_enc: await encrypt(who.name),
        ...overrides,
      })
        .setProtectedHeader({ alg: 'ES256', kid: KID, typ: 'JWT' })
        .sign(key);
    }

    const router = express.Router();
    router.use(express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 }));

    router.get('/console/credentials', (_req, res) => {
      res.json({
        appId: SANDBOX_APP_ID,
        platformIssuer: base(),
        platformJwks: { keys: [{ ...platformKey.publicKey.export({ format: 'jwk' }), kid: KID, alg: 'ES256', use: 'sig' }] },
        ourEncryptionPrivateJwk: { ...appKey.privateKey.export({ format: 'jwk' }), kid: `${SANDBOX_APP_ID}-enc` },
      });
    });

    router.post('/v1/auth/requests', (req, res) => {
      const parsed = createBody.safeParse(req.body);
      if (!parsed.success) return void res.status(400).json({ code: '4001', message: 'invalid request' });
      if (parsed.data.appId !== SANDBOX_APP_ID) return void res.status(401).json({ code: '4010', message: 'unknown appId' });
      const r: AuthRequest = {
        requestId: randomUUID().replace(/-/g, ''),
        ...parsed.data,
        expiresAt: Date.now() + REQUEST_TTL_SECONDS * 1000,
        status: 'pending',
      };
      remember(r);
      res.json({ requestId: r.requestId, qrContent: `${base()}/app/auth?r=${r.requestId}`, expiresIn: REQUEST_TTL_SECONDS });
    });

    router.get('/v1/auth/requests/:id', (req, res) => {
      const r = find(req.params.id);
      // an unknown request is one that expired and was forgotten
      if (!r) return void res.json({ status: 'expired' });
      if (req.query.appId !== r.appId) return void res.status(403).json({ code: '4030', message: 'not your request' });
      res.json(r.status === 'done' ? { status: 'done', assertion: r.assertion } : { status: r.status });
    });

    // the simulated eID app: what opening the QR code on a phone shows
    router.get('/app/auth', (req, res) => {
      const r = typeof req.query.r === 'string' ? find(req.query.r) : undefined;
      if (!r || r.status !== 'pending') return sendPage(res, 410, '二维码已过期', EXPIRED_PAGE);
      sendPage(res, 200, '确认登录', confirmPage({ action: `${base()}/app/auth`, requestId: r.requestId, audience: r.audience }));
    });

    router.post('/app/auth', async (req, res) => {
      const parsed = confirmBody.safeParse(req.body);
      const who = parsed.success ? CITIZENS.find((c) => c.key === parsed.data.citizen) : undefined;
      if (!parsed.success || !who) return sendPage(res, 400, '无效的请求', EXPIRED_PAGE);
      const r = find(parsed.data.r);
      if (!r || r.status !== 'pending') return sendPage(res, 410, '二维码已过期', EXPIRED_PAGE);
      const bad = kit.takeFailure(AUTHORITY) === 'bad_signature';
      r.assertion = await assertionFor(r, who, parsed.data.mode, {}, bad ? impostorKey.privateKey : platformKey.privateKey);
      r.status = 'done';
      sendPage(res, 200, '已确认', DONE_PAGE);
    });

    // inspection and crafting for tests, outside failure control
    const tools = express.Router();
    tools.get('/testing/requests/:id', (req, res) => {
      const r = find(req.params.id);
      if (!r) return void res.status(404).json({ error: 'not_found' });
      res.json(r);
    });
    tools.post('/testing/requests/:id/answer', async (req, res) => {
      const r = find(req.params.id);
      const parsed = answerBody.safeParse(req.body);
      if (!r || !parsed.success) return void res.status(400).json({ error: 'invalid_request' });
      if ('assertion' in parsed.data) {
        r.assertion = parsed.data.assertion;
      } else {
        const who = CITIZENS.find((c) => c.key === (parsed.data as { citizen: string }).citizen);
        if (!who) return void res.status(400).json({ error: 'unknown_citizen' });
        r.assertion = await assertionFor(r, who, parsed.data.mode, parsed.data.claims, platformKey.privateKey);
      }
      r.status = 'done';
      res.json({ ok: true, assertion: r.assertion });
    });
    tools.post('/testing/requests/:id/expire', (req, res) => {
      const r = find(req.params.id);
      if (!r) return void res.status(404).json({ error: 'not_found' });
      r.status = 'expired';
      r.expiresAt = Date.now();
      res.json({ ok: true });
    });

    return { router, tools };
  },
};
