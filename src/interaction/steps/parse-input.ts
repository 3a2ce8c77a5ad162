/** What verify() gets, from each way a browser can bring it: a form, a waiting page asking again, an authority's callback. */
import { z } from 'zod';
import { fail } from '../respond.ts';
import type { Step } from '../exchange.ts';

const formBody = z.record(z.string(), z.string());

export const parseForm: Step = async (x) => {
  const input = formBody.safeParse(x.req.body);
  if (!input.success) return fail(x, { code: 'invalid_input', params: { field: '?' } });
  x.input = input.data;
  return 'next';
};

/** a waiting page (QR, hand-off) asks again with ?step=…; no secrets travel this way. Without it, the method starts. */
export const parseWaitingStep: Step = async (x) => {
  if (typeof x.req.query.step === 'string') x.input = { step: x.req.query.step.slice(0, 32) };
  return 'next';
};

/** an authority sends the browser back with its query; the method checks its own `state` */
export const parseCallback: Step = async (x) => {
  const input: Record<string, string> = {};
  for (const [k, v] of Object.entries(x.req.query)) if (typeof v === 'string' && v.length <= 8192) input[k] = v;
  x.input = { ...input, step: 'callback' };
  return 'next';
};
