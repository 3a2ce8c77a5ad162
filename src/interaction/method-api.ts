/**
 * POST /api/methods/<method>/<name>: the APIs login methods offer to apps (the city app
 * approving a QR login). The caller presents an access token of ours; the method gets who it
 * belongs to, never the token.
 */
import express, { type Request, type Response } from 'express';
import type Provider from 'oidc-provider';
import type { LoginMethod, RateLimiter } from '../../providers/kit/index.ts';
import type { EphemeralStore } from '../store/ephemeral.ts';
import { AppError } from '../errors.ts';
import { sharedState, type Sealer } from './method-context.ts';

export function methodApiRouter(deps: {
  provider: Provider;
  methods: ReadonlyMap<string, LoginMethod>;
  store: EphemeralStore;
  limits: RateLimiter;
  sealer?: Sealer;
}): express.Router {
  const router = express.Router();
  const json = express.json({ limit: '4kb', strict: true });

  router.post('/api/methods/:method/:name', async (req: Request, res: Response, next) => {
    if (!req.is('application/json')) return next(new AppError('unsupported_content_type'));
    json(req, res, async (err?: unknown) => {
      if (err) return next(err);
      try {
        const apis = deps.methods.get(req.params.method as string)?.api;
        // own names only: `constructor` or `__proto__` must not reach Object.prototype
        const api = apis && Object.hasOwn(apis, req.params.name as string) ? apis[req.params.name as string] : undefined;
        if (!api) return res.status(404).json(new AppError('not_found').toJSON());
        // counted before the token is looked up: guessed tokens are refused per source address
        const gate = await deps.limits.reserve([{ scope: 'ip', id: req.ip ?? 'unknown' }]);
        if (!gate.ok) return next(new AppError('rate_limited', { retryAfter: gate.retryAfter }));
        const m = /^Bearer ([A-Za-z0-9._~+/-]{20,512}=*)$/.exec(req.get('authorization') ?? '');
        const token = m ? await deps.provider.AccessToken.find(m[1]!) : undefined;
        if (!token || token.isExpired || !token.accountId) {
          await gate.failed();
          res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
          const refused = new AppError('invalid_token');
          return res.status(refused.status).json(refused.toJSON());
        }
        await gate.succeeded();
        const extra = (token.extra ?? {}) as { acr?: string; amr?: string[] };
        const out = await api.handle(
          { shared: sharedState(deps.store, req.params.method as string, deps.sealer), sourceIp: req.ip ?? 'unknown' },
          { accountId: token.accountId, clientId: token.clientId!, acr: extra.acr, amr: extra.amr },
          req.body,
        );
        res.status(out.status).json(out.body);
      } catch (e) {
        next(e);
      }
    });
  });
  return router;
}
