/**
 * The simulated face authority (`/face`): a developer console that hands out the API key,
 * liveness sessions captured on its own page, and a 1:1 compare with the "registry photo".
 * No image is ever sent anywhere here: the tester picks a sample, and the sample decides.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { MethodSandbox } from '../kit/index.ts';
import type { Text } from '../kit/messages.ts';
import { text } from './messages.ts';
import { findCitizenById } from '../kit/sandbox.ts';
import { capturePage, CAMERA_SCRIPT } from './sandbox-pages.ts';
import { AUTHORITY } from './connector.ts';

const APP_ID = 'tongban-id';
const SESSION_SECONDS = 300;
const MAX_SESSIONS = 1000;

export type SampleKind = 'match' | 'mismatch' | 'spoof';

/** The pictures a tester can pick instead of a camera: ids and inline images tests can scan for. */
export const FACE_SAMPLES: Readonly<Record<SampleKind, { id: string; label: Text; image: string }>> = {
  match: { id: 'sandbox-face-sample-match', label: text['face.sandboxMatch'], image: svg('#2e7d32', 'M') },
  mismatch: { id: 'sandbox-face-sample-mismatch', label: text['face.sandboxMismatch'], image: svg('#c62828', 'X') },
  spoof: { id: 'sandbox-face-sample-spoof', label: text['face.sandboxSpoof'], image: svg('#6d4c41', 'P') },
};

function svg(colour: string, mark: string): string {
  const doc = `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><circle cx="32" cy="32" r="30" fill="${colour}"/><text x="32" y="41" font-size="24" text-anchor="middle" fill="#fff">${mark}</text></svg>`;
  return Buffer.from(doc).toString('base64');
}

/** The similarity a matching sample scores for this resident: 86–94, fixed per person. */
export function matchScore(idNumber: string): number {
  return 86 + (createHash('sha256').update(`face:${idNumber}`).digest()[0]! % 9);
}

/** What a sample scores against the registry photo of (idNumber, name). */
function scoreOf(kind: SampleKind, idNumber: string, name: string): { liveness: 'pass' | 'fail'; score: number } {
  const c = findCitizenById(idNumber);
  // no photo on record, or the name is not this number's: nothing to be similar to
  const same = c !== undefined && c.name === name.trim() ? matchScore(c.idNumber) : 0;
  if (kind === 'spoof') return { liveness: 'fail', score: same };
  if (kind === 'mismatch') return { liveness: 'pass', score: 20 + (createHash('sha256').update(idNumber).digest()[1]! % 26) };
  return { liveness: 'pass', score: same };
}

interface Session {
  appId: string;
  bizNo: string;
  returnUrl: string;
  expiresAt: number;
  outcome: { kind: 'captured'; sample: SampleKind } | { kind: 'cancelled' } | null;
  compared: boolean;
}

const sessionBody = z.object({
  appId: z.string().min(1).max(64),
  bizNo: z.string().min(8).max(64),
  returnUrl: z.url({ protocol: /^https?$/ }).max(2048),
});
const compareBody = z.object({
  appId: z.string().min(1).max(64),
  sessionId: z.string().min(1).max(128),
  idNumber: z.string().min(1).max(32),
  name: z.string().min(1).max(64),
});
const captureForm = z.object({ action: z.enum(['done', 'cancel']), sample: z.enum(['match', 'mismatch', 'spoof']).optional() });

export const sandbox: MethodSandbox = {
  authority: AUTHORITY,
  create(kit) {
    // one key per sandbox run, downloaded from the "console" like a developer would
    const apiKey = `face_${randomBytes(24).toString('base64url')}`;
    const sessions = new Map<string, Session>();
    const router = express.Router();

    function authorised(req: Request, res: Response, appId: string): boolean {
      if (req.get('authorization') !== `Bearer ${apiKey}` || appId !== APP_ID) {
        res.status(401).json({ error: 'unauthorized', message: 'invalid API key or appId' });
        return false;
      }
      return true;
    }

    function live(id: string): Session | undefined {
      const s = sessions.get(id);
      if (s && s.expiresAt < Date.now()) sessions.delete(id);
      return s && s.expiresAt >= Date.now() ? s : undefined;
    }

    router.get('/console/credentials', (_req, res) => {
      res.json({ appId: APP_ID, apiKey });
    });

    router.post('/v1/liveness/sessions', (req, res) => {
      const body = sessionBody.safeParse(req.body);
      if (!body.success) return void res.status(400).json({ error: 'invalid_request' });
      if (!authorised(req, res, body.data.appId)) return;
      if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value!);
      const sessionId = randomUUID().replace(/-/g, '');
      sessions.set(sessionId, { ...body.data, expiresAt: Date.now() + SESSION_SECONDS * 1000, outcome: null, compared: false });
      res.json({ sessionId, captureUrl: `${kit.publicUrl()}/${AUTHORITY}/capture/${sessionId}`, expiresIn: SESSION_SECONDS });
    });

    router.get('/static/camera.js', (_req, res) => {
      res.type('application/javascript').set('cache-control', 'no-store').send(CAMERA_SCRIPT);
    });

    router.get('/capture/:sessionId', (req, res) => {
      const s = live(req.params.sessionId!);
      if (!s || s.outcome) return void res.status(404).type('text').send('session not found or already used');
      res
        .type('html')
        .set('cache-control', 'no-store')
        .set('content-security-policy', "default-src 'none'; script-src 'self'; img-src data:; media-src 'self' blob:; style-src 'unsafe-inline'; frame-ancestors 'none'")
        .send(capturePage({ action: `${req.baseUrl}/capture/${req.params.sessionId}`, script: `${req.baseUrl}/static/camera.js`, samples: FACE_SAMPLES }));
    });

    router.post('/capture/:sessionId', express.urlencoded({ extended: false, limit: '2kb' }), (req, res) => {
      const s = live(req.params.sessionId!);
      const form = captureForm.safeParse(req.body);
      if (!s || s.outcome) return void res.status(404).type('text').send('session not found or already used');
      if (!form.success || (form.data.action === 'done' && !form.data.sample)) return void res.status(400).type('text').send('pick a sample');
      s.outcome = form.data.action === 'done' ? { kind: 'captured', sample: form.data.sample! } : { kind: 'cancelled' };
      const back = new URL(s.returnUrl);
      back.searchParams.set('sessionId', req.params.sessionId!);
      back.searchParams.set('bizNo', s.bizNo);
      back.searchParams.set('result', form.data.action === 'done' ? 'done' : 'cancelled');
      res.redirect(303, back.toString());
    });

    router.post('/v1/compare', (req, res) => {
      const body = compareBody.safeParse(req.body);
      if (!body.success) return void res.status(400).json({ error: 'invalid_request' });
      if (!authorised(req, res, body.data.appId)) return;
      const s = live(body.data.sessionId);
      if (!s || s.appId !== body.data.appId || s.compared) return void res.status(404).json({ error: 'session_not_found' });
      // a capture is compared once; a session never captured has nothing live in it
      s.compared = true;
      const requestId = randomUUID();
      if (s.outcome?.kind !== 'captured') return void res.json({ liveness: 'fail', score: 0, requestId });
      res.json({ ...scoreOf(s.outcome.sample, body.data.idNumber, body.data.name), requestId });
    });

    return { router };
  },
};
