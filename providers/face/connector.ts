/**
 * The face authority: liveness sessions captured in the citizen's browser, then a 1:1 compare of
 * the captured face with the registry photo of the claimed person. Images never reach us: we only
 * learn the liveness outcome, a similarity score and the authority's request id.
 */
import { consoleCredentials } from '../kit/console-credentials.ts';
import { z } from 'zod';
import { callAuthority } from '../kit/core.ts';
import type { FaceCredentials } from './config.ts';

export const AUTHORITY = 'face';

const consoleAnswer = z.object({ appId: z.string().min(1).max(64), apiKey: z.string().min(16).max(256) });
const sessionAnswer = z.object({
  sessionId: z.string().regex(/^[A-Za-z0-9_-]{8,128}$/),
  captureUrl: z.url({ protocol: /^https?$/ }),
  expiresIn: z.number().int().positive().max(3600),
});
const compareAnswer = z.object({
  liveness: z.enum(['pass', 'fail']),
  score: z.number().min(0).max(100),
  requestId: z.string().min(1).max(128),
});

export type LivenessSession = z.infer<typeof sessionAnswer>;
export type CompareResult = z.infer<typeof compareAnswer>;

export interface FaceAuthority {
  createSession(o: { bizNo: string; returnUrl: string }): Promise<LivenessSession>;
  compare(o: { sessionId: string; idNumber: string; name: string }): Promise<CompareResult>;
}

export function createFaceAuthority(o: {
  baseUrl: string;
  timeoutMs: number;
  /** explicit credentials, or null to fetch them once from the sandbox developer console */
  credentials: FaceCredentials | null;
}): FaceAuthority {
  const base = o.baseUrl.replace(/\/+$/, '');
  const credentials = consoleCredentials({ authority: AUTHORITY, baseUrl: base, schema: consoleAnswer, timeoutMs: o.timeoutMs, fixed: o.credentials });

  async function post<T>(path: string, body: (c: FaceCredentials) => object, schema: z.ZodType<T>): Promise<T> {
    const c = await credentials.get();
    return callAuthority({
      authority: AUTHORITY,
      url: `${base}${path}`,
      body: body(c),
      headers: { authorization: `Bearer ${c.apiKey}` },
      schema,
      timeoutMs: o.timeoutMs,
      // neither call is idempotent: a session is created once, a capture is compared once
      retries: 0,
    });
  }

  return {
    createSession: ({ bizNo, returnUrl }) => post('/v1/liveness/sessions', (c) => ({ appId: c.appId, bizNo, returnUrl }), sessionAnswer),
    compare: ({ sessionId, idNumber, name }) => post('/v1/compare', (c) => ({ appId: c.appId, sessionId, idNumber, name }), compareAnswer),
  };
}
