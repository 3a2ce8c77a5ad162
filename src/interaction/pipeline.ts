/**
 * The order of an interaction request's steps, one list per route (each step is a file in
 * steps/). A step answers the request and stops the list, or hands over to the next.
 */
import { AuthorityUnavailable } from '../errors.ts';
import { renderChooser } from './respond.ts';
import type { Exchange, Step } from './exchange.ts';
import { loadInteraction } from './steps/load-interaction.ts';
import { checkCsrf } from './steps/check-csrf.ts';
import { checkFlow, pickMethod } from './steps/pick-method.ts';
import { parseCallback, parseForm, parseWaitingStep } from './steps/parse-input.ts';
import { startMethod } from './steps/start-method.ts';
import { verifyInput } from './steps/verify-input.ts';
import { showOutcome } from './steps/show-outcome.ts';
import { complete } from './steps/complete.ts';
import { answerPoll, requireWaitingStep } from './steps/answer-poll.ts';
import { showPrompt } from './steps/show-prompt.ts';
import { recordConsent } from './steps/consent.ts';
import { abortInteraction } from './steps/abort.ts';
import { countSignIn } from '../metrics/index.ts';

export const PIPELINES = {
  /** GET /interaction/:uid */
  show: [loadInteraction, showPrompt],
  /** GET /interaction/:uid/method|enrol/:id — a first visit starts the method; a waiting page's ?step= asks it again */
  visitMethod: [loadInteraction, pickMethod, checkFlow, parseWaitingStep, startMethod, verifyInput, showOutcome, complete],
  /** GET /interaction/:uid/method|enrol/:id/status?step= — a waiting page's script asks (JSON) */
  pollMethod: [loadInteraction, pickMethod, checkFlow, parseWaitingStep, requireWaitingStep, verifyInput, answerPoll, complete],
  /** POST /interaction/:uid/method|enrol/:id */
  submitMethod: [loadInteraction, checkCsrf, pickMethod, parseForm, checkFlow, verifyInput, showOutcome, complete],
  /** GET /interaction/:uid/callback/:id — an authority sends the browser back */
  callback: [loadInteraction, pickMethod, parseCallback, verifyInput, showOutcome, complete],
  /** POST /interaction/:uid/consent */
  consent: [loadInteraction, checkCsrf, recordConsent],
  /** POST /interaction/:uid/abort */
  abort: [loadInteraction, checkCsrf, abortInteraction],
} as const satisfies Record<string, readonly Step[]>;

/** Runs `steps` in order until one answers. An authority that does not answer gives the chooser, so another method can be picked. */
export async function runPipeline(steps: readonly Step[], x: Exchange): Promise<void> {
  try {
    for (const step of steps) if ((await step(x)) === 'done') return;
    throw new Error('interaction pipeline: no step answered');
  } catch (err) {
    if (!(err instanceof AuthorityUnavailable) || !x.loaded || !x.method) throw err;
    countSignIn(x.method.id, x.method.level, 'unavailable');
    await x.deps.audit.record({ type: 'authority.unavailable', authority: err.authority, kind: err.kind, method: x.method.id, clientId: x.loaded.client.clientId, source: x.req.ip });
    renderChooser(x, x.loaded, { code: 'method_unavailable' });
  }
}
