/**
 * The simulated social-security authority (社保卡服务平台), mounted at `/social-security`.
 * It checks a card number and a PIN that arrives RSA-OAEP-encrypted under its own key, and
 * answers with the holder's ID number and name. Cards are derived from the sandbox citizens.
 */
import { constants, createHash, generateKeyPairSync, privateDecrypt } from 'node:crypto';
import express from 'express';
import { z } from 'zod';
import type { MethodSandbox } from '../kit/index.ts';
import { CITIZENS, citizen } from '../kit/sandbox.ts';
import { sameSecret } from '../kit/core.ts';
import { AUTHORITY } from './connector.ts';

export { AUTHORITY };

/** what the sandbox console issues to us; fixed so a restarted sandbox still knows our token */
export const SANDBOX_ORG_CODE = '310000TBID01';
const SANDBOX_ORG_TOKEN = 'sandbox-ss-org-token-3f9c2a7d41e8b6';
/** the citizen whose card is reported lost */
export const LOST_CARD_CITIZEN = 'zhou-xiuying';
/** wrong PINs before the authority locks a card (our own back-off stops strangers earlier) */
export const PIN_TRIES = 6;
const BLOCK_MAX_AGE_SECONDS = 300;
const LOG_LIMIT = 200;

function digits(label: string, n: number): string {
  const h = createHash('sha256').update(label).digest();
  let out = '';
  for (let i = 0; out.length < n; i++) out += String(h[i % h.length]! % 10);
  return out;
}

/** The synthetic card of a sandbox citizen: number and PIN, for tests and demos. */
export function socialSecurityCardOf(citizenKey: string): { cardNo: string; pin: string } {
  const c = citizen(citizenKey);
  return { cardNo: `SH${digits(`ss-card:${c.key}`, 8)}`, pin: digits(`ss-pin:${c.key}`, 6) };
}

type CardStatus = 'normal' | 'lost' | 'frozen';
interface Card {
  readonly idNumber: string;
  readonly name: string;
  readonly pin: string;
  readonly status: CardStatus;
  triesLeft: number;
}

export interface LoggedRequest {
  readonly at: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  /** the body exactly as it arrived */
  readonly body: string;
}

const verifyBody = z.object({
  orgCode: z.string().min(1).max(32),
  cardNo: z.string().min(1).max(32),
  pinBlock: z.string().min(1).max(1024),
});

const pinBlock = z.object({
  pin: z.string(),
  cardNo: z.string(),
  ts: z.number().int(),
  nonce: z.string().min(16).max(64),
});

export const sandbox: MethodSandbox = {
  authority: AUTHORITY,
  create() {
    // a fresh key per process: a client holding an old key gets 1004 and fetches again
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const spki = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const cards = new Map<string, Card>(
      CITIZENS.map((c) => {
        const { cardNo, pin } = socialSecurityCardOf(c.key);
        const status: CardStatus = c.key === LOST_CARD_CITIZEN ? 'lost' : 'normal';
        return [cardNo, { idNumber: c.idNumber, name: c.name, pin, status, triesLeft: PIN_TRIES }];
      }),
    );
    const seenNonces = new Map<string, number>();
    const log: LoggedRequest[] = [];

    const router = express.Router();
    router.use((req, _res, next) => {
      log.push({
        at: new Date().toISOString(),
        path: req.path,
        headers: { authorization: req.get('authorization') ? 'Bearer …' : '', 'content-type': req.get('content-type') ?? '' },
        body: req.body === undefined ? '' : JSON.stringify(req.body),
      });
      if (log.length > LOG_LIMIT) log.splice(0, log.length - LOG_LIMIT);
      next();
    });

    // the developer console: where an organisation downloads its token and the PIN key
    router.get('/console/credentials', (_req, res) => {
      res.json({ orgCode: SANDBOX_ORG_CODE, orgToken: SANDBOX_ORG_TOKEN, pinKey: { alg: 'RSA-OAEP-256', spki } });
    });

    router.post('/api/v2/card/verify', (req, res) => {
      if (req.get('authorization') !== `Bearer ${SANDBOX_ORG_TOKEN}`) {
        res.status(401).json({ code: 4010, msg: 'invalid org token' });
        return;
      }
      const body = verifyBody.safeParse(req.body);
      if (!body.success || body.data.orgCode !== SANDBOX_ORG_CODE) {
        res.status(400).json({ code: 4001, msg: 'invalid request' });
        return;
      }
      const block = openPinBlock(body.data.pinBlock);
      const now = Math.floor(Date.now() / 1000);
      for (const [n, exp] of seenNonces) if (exp < now) seenNonces.delete(n);
      // a block is bound to one card, a few minutes and one use
      if (!block || block.cardNo !== body.data.cardNo || Math.abs(now - block.ts) > BLOCK_MAX_AGE_SECONDS || seenNonces.has(block.nonce)) {
        res.json({ code: 1004, msg: 'pinBlock invalid' });
        return;
      }
      seenNonces.set(block.nonce, now + BLOCK_MAX_AGE_SECONDS * 2);

      const card = cards.get(body.data.cardNo);
      if (!card) {
        res.json({ code: 1002, msg: 'card not found' });
        return;
      }
      if (card.triesLeft <= 0) {
        res.json({ code: 1003, msg: 'card locked' });
        return;
      }
      if (!sameSecret(card.pin, block.pin)) {
        card.triesLeft--;
        res.json({ code: 1001, msg: 'PIN incorrect', remainingTries: card.triesLeft });
        return;
      }
      card.triesLeft = PIN_TRIES;
      res.json({ code: 0, data: { idNumber: card.idNumber, name: card.name, cardStatus: card.status } });
    });

    function openPinBlock(b64: string): z.infer<typeof pinBlock> | null {
      try {
        const plain = privateDecrypt(
          { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
          Buffer.from(b64, 'base64'),
        );
        const r = pinBlock.safeParse(JSON.parse(plain.toString('utf8')));
        return r.success ? r.data : null;
      } catch {
        return null;
      }
    }

    // inspection for tests: what arrived here, outside failure control
    const tools = express.Router();
    tools.get('/sandbox/requests.json', (_req, res) => {
      res.json(log);
    });
    tools.delete('/sandbox/requests', (_req, res) => {
      log.length = 0;
      res.json({ ok: true });
    });
    return { router, tools };
  },
};
