/**
 * The simulated bank-verification authority, mounted at `/bank`. Every synthetic citizen with
 * a phone holds one active debit card (BIN 622848, Luhn-valid, derived from their key) bound
 * to that phone, and one old card that is frozen. Keys are issued per sandbox process by its
 * developer console.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import express from 'express';
import { z } from 'zod';
import type { MethodSandbox } from '../kit/index.ts';
import { CITIZENS, citizen, type Citizen } from '../kit/sandbox.ts';
import { luhnCheckDigit } from './card.ts';
import { signVerify4, verify4SignatureBase } from './connector.ts';
import { AUTHORITY } from './connector.ts';

const BIN = '622848';

function deriveCard(label: string): string {
  const hex = createHash('sha256').update(`sandbox-bank:${label}`).digest('hex');
  const body = BIN + (BigInt(`0x${hex.slice(0, 24)}`) % 10n ** 12n).toString().padStart(12, '0');
  return body + luhnCheckDigit(body);
}

/** The active debit card of a synthetic citizen (throws for one without a phone: they hold none). */
export function bankCardOf(citizenKey: string): string {
  const c = citizen(citizenKey);
  if (!c.phone) throw new Error(`sandbox citizen '${citizenKey}' has no phone and no bank card`);
  return deriveCard(`active:${c.key}`);
}

/** An old card of the same citizen that the bank has frozen. */
export function frozenCardOf(citizenKey: string): string {
  bankCardOf(citizenKey);
  return deriveCard(`frozen:${citizenKey}`);
}

interface Card {
  holder: Citizen;
  frozen: boolean;
}

const CARDS: ReadonlyMap<string, Card> = new Map(
  CITIZENS.filter((c) => c.phone !== null).flatMap((c): [string, Card][] => [
    [bankCardOf(c.key), { holder: c, frozen: false }],
    [frozenCardOf(c.key), { holder: c, frozen: true }],
  ]),
);

const verifyBody = z.object({
  merchantId: z.string().min(1).max(64),
  requestId: z.string().min(1).max(64),
  name: z.string().min(1).max(64),
  idNumber: z.string().min(1).max(32),
  cardNumber: z.string().regex(/^\d{12,19}$/),
  mobile: z.string().regex(/^1\d{10}$/),
});

const MESSAGES: Record<string, string> = {
  '0000': '认证一致',
  '2001': '认证信息不一致',
  '2002': '无此卡号',
  '2003': '卡状态异常（冻结或挂失）',
};

export const sandbox: MethodSandbox = {
  authority: AUTHORITY,
  create(kit) {
    const creds = {
      merchantId: `sandbox-${randomBytes(4).toString('hex')}`,
      apiKey: randomBytes(24).toString('base64url'),
      signKey: randomBytes(32).toString('base64url'),
    };
    const router = express.Router();

    router.get('/console/credentials', (_req, res) => {
      res.set('cache-control', 'no-store').json(creds);
    });

    router.post('/v1/verify4', (req, res) => {
      if (req.get('x-api-key') !== creds.apiKey) {
        res.status(401).json({ respCode: '4010', respMsg: 'invalid api key', requestId: '', verifiedAt: '' });
        return;
      }
      const parsed = verifyBody.safeParse(req.body);
      if (!parsed.success || parsed.data.merchantId !== creds.merchantId) {
        res.status(400).json({ respCode: '4001', respMsg: 'invalid request', requestId: '', verifiedAt: '' });
        return;
      }
      const b = parsed.data;
      const card = CARDS.get(b.cardNumber);
      const h = card?.holder;
      // the card's status is told only to someone who knows all four elements
      const respCode = !card
        ? '2002'
        : h!.name !== b.name.trim() || h!.idNumber !== b.idNumber.toUpperCase() || h!.phone !== b.mobile
          ? '2001'
          : card.frozen
            ? '2003'
            : '0000';
      const verifiedAt = new Date().toISOString();
      const answer = { respCode, respMsg: MESSAGES[respCode]!, requestId: b.requestId, verifiedAt };
      const signBase = verify4SignatureBase({ merchantId: creds.merchantId, ...answer });
      const signKey = kit.takeFailure(AUTHORITY) === 'bad_signature' ? `wrong-${randomUUID()}` : creds.signKey;
      res.json({ ...answer, sign: signVerify4(signKey, signBase) });
    });

    return { router };
  },
};
