/**
 * Login and consent pages (/interaction/*). Each route runs a list of steps (pipeline.ts) that
 * drive the login methods through their contract and hand results to completeVerified; the
 * pages never decide who a person is by themselves.
 */
import express, { type Request, type Response } from 'express';
import { PIPELINES, runPipeline } from './pipeline.ts';
import type { Flow, InteractionDeps, Step } from './exchange.ts';

export type { InteractionDeps } from './exchange.ts';

export function interactionRouter(deps: InteractionDeps): express.Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 30 });
  const run = (steps: readonly Step[], flow: Flow = 'login') => (req: Request, res: Response) => runPipeline(steps, { req, res, deps, flow });

  router.get('/interaction/:uid', run(PIPELINES.show));
  for (const flow of ['login', 'enrol'] as const) {
    const path = `/interaction/:uid/${flow === 'login' ? 'method' : 'enrol'}/:id`;
    router.get(path, run(PIPELINES.visitMethod, flow));
    router.get(`${path}/status`, run(PIPELINES.pollMethod, flow));
    router.post(path, form, run(PIPELINES.submitMethod, flow));
  }
  router.get('/interaction/:uid/callback/:id', run(PIPELINES.callback));
  router.post('/interaction/:uid/consent', form, run(PIPELINES.consent));
  router.post('/interaction/:uid/abort', form, run(PIPELINES.abort));
  return router;
}
