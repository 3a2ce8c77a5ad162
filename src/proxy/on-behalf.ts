/**
 * Signing in on a citizen's behalf. After a helper's own verification at a department their
 * mandates cover, they choose: as themselves, or on behalf of a citizen (they see whom before
 * continuing). On behalf, the department receives the citizen's own `sub` and an `act` claim
 * naming the helper by the helper's `sub` at that department. Every rule is asked again when the
 * helper chooses, so a mandate revoked meanwhile refuses the sign-in at once; tokens are checked
 * against the mandate again when they are issued (see oidc/act.ts).
 */
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { Level } from '../../providers/kit/index.ts';
import type { Lang } from '../i18n/messages.ts';
import { AppError, StoreUnavailable } from '../errors.ts';
import { actKey, type StoredAct } from '../oidc/act.ts';
import { openGrant } from '../oidc/grants.ts';
import { subjectFor } from '../oidc/subject.ts';
import { clientRuleOf, decide, requiredLevelFor, type ClientRule } from '../policy/index.ts';
import type { Mandate } from './mandates.ts';
import type { ProxyDeps } from './deps.ts';
import { choicePage } from './views.ts';
import { requestLang } from '../web/lang.ts';
import { elderOf } from '../web/elder.ts';

type Login = { accountId: string; acr: string; amr: string[]; remember: boolean };

/** The helper's own verified sign-in, kept with the interaction while they choose. */
interface Pending {
  login: Login;
  clientId: string;
  mandateIds: string[];
}

const pendingKey = (uid: string) => `proxy-pending:${uid}`;
const choiceForm = z.object({ csrf: z.string().max(200), as: z.string().max(64) });
// grants live 14 days (provider.ts); an act outliving its grant would be of no use
const ACT_TTL = 14 * 24 * 3600;

const scopesOf = (params: Record<string, unknown>) => (typeof params.scope === 'string' ? params.scope.split(' ').filter(Boolean) : ['openid']);

/** Every rule a proxied sign-in must pass, asked of the policy table; the first refusal's reason. */
function refusal(deps: ProxyDeps, o: { rule: ClientRule; required: Level; scopes: string[]; mandate: Mandate }): string | null {
  const data = deps.policy.data();
  for (const v of [
    decide('proxy-allowed-for-client', data, { client: o.rule }),
    decide('proxy-level', data, { required: o.required, client: o.rule }),
    decide('proxy-mandate-covers', data, { clientId: o.rule.clientId, scopes: o.scopes, now: new Date(deps.clock?.() ?? Date.now()), mandate: o.mandate }),
  ]) {
    if (!v.ok) return v.reason;
  }
  return null;
}

/**
 * Called when a helper's own sign-in completes: where the choice is offered, the page to go to
 * (the login waits with the interaction); null when no mandate lets them act here.
 */
export async function offerOnBehalf(
  deps: ProxyDeps,
  o: { uid: string; login: Login; rule: ClientRule; required: Level; params: Record<string, unknown> },
): Promise<string | null> {
  const data = deps.policy.data();
  if (!decide('proxy-allowed-for-client', data, { client: o.rule }).ok || !decide('proxy-level', data, { required: o.required, client: o.rule }).ok) return null;
  const now = new Date(deps.clock?.() ?? Date.now());
  // most people help nobody: their person, as the sign-in just read it, says so without a look-up
  const helper = await deps.identity.recentPerson(o.login.accountId);
  if (!helper?.helpsUntil || helper.helpsUntil <= now) return null;
  const found = await deps.mandates.inForce(o.login.accountId, o.rule.clientId, now);
  const scopes = scopesOf(o.params);
  const usable = found.filter((m) => refusal(deps, { rule: o.rule, required: o.required, scopes, mandate: m }) === null);
  if (!usable.length) return null;
  const pending: Pending = { login: o.login, clientId: o.rule.clientId, mandateIds: usable.map((m) => m.id) };
  await deps.store.set(pendingKey(o.uid), JSON.stringify(pending), deps.interactionTtl);
  return `/interaction/${o.uid}/on-behalf`;
}

export function onBehalfRouter(deps: ProxyDeps): express.Router {
  const { provider, identity, store, csrf } = deps;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '2kb', parameterLimit: 5 });
  const langOf = (res: Response): Lang => res.locals.lang as Lang;

  /** The interaction of the browser's cookie, and the helper's sign-in waiting in it. */
  async function load(req: Request, res: Response) {
    const details = await provider.interactionDetails(req, res).catch((err: unknown) => {
      if (err instanceof StoreUnavailable) throw err;
      throw new AppError('interaction_expired');
    });
    if (details.uid !== req.params.uid) throw new AppError('interaction_expired');
    res.locals.lang = requestLang(req, details.params.ui_locales);
    const raw = await store.get(pendingKey(details.uid));
    if (!raw) throw new AppError('interaction_expired');
    const pending = JSON.parse(raw) as Pending;
    const client = await provider.Client.find(pending.clientId);
    if (!client || client.clientId !== details.params.client_id) throw new AppError('interaction_expired');
    return { details, pending, client, rule: clientRuleOf(deps.policy.data(), client) };
  }

  async function render(req: Request, res: Response, l: Awaited<ReturnType<typeof load>>, status = 200, refused = false) {
    const citizens = [];
    if (!refused) {
      for (const id of l.pending.mandateIds) {
        const m = await deps.mandates.get(id);
        const person = m ? await identity.getPerson(m.citizenId) : null;
        if (m && person) citizens.push({ mandateId: m.id, name: person.name });
      }
    }
    res.setHeader('Cache-Control', 'no-store');
    res.status(status).type('html').send(
      choicePage({
        lang: langOf(res),
        elder: elderOf(res),
        path: req.originalUrl,
        uid: l.details.uid,
        csrf: csrf.token(`on-behalf:${l.details.uid}`),
        client: l.client.clientName ?? l.client.clientId,
        citizens,
        ...(refused ? { problem: 'proxy_refused' as const } : {}),
      }),
    );
  }

  router.get('/interaction/:uid/on-behalf', async (req, res) => {
    await render(req, res, await load(req, res));
  });

  router.post('/interaction/:uid/on-behalf', form, async (req, res) => {
    const l = await load(req, res);
    if (!csrf.valid(`on-behalf:${l.details.uid}`, req.body?.csrf)) throw new AppError('csrf_invalid');
    const parsed = choiceForm.safeParse(req.body ?? {});
    if (!parsed.success) throw new AppError('invalid_input', { params: { field: 'as' } });
    const helper = l.pending.login;
    if (parsed.data.as === 'self') {
      if (!(await store.consume(pendingKey(l.details.uid)))) throw new AppError('interaction_expired');
      await provider.interactionFinished(req, res, { login: helper }, { mergeWithLastSubmission: false });
      return;
    }
    if (!l.pending.mandateIds.includes(parsed.data.as)) throw new AppError('invalid_input', { params: { field: 'as' } });
    // asked again now: a mandate revoked (or a department that changed its mind) since the offer refuses at once
    const mandate = await deps.mandates.get(parsed.data.as);
    const required = requiredLevelFor(l.rule, l.details.params);
    const scopes = scopesOf(l.details.params);
    const why = mandate ? refusal(deps, { rule: l.rule, required, scopes, mandate }) : 'the mandate does not exist';
    const [helperPerson, citizen] = await Promise.all([identity.getPerson(helper.accountId), mandate ? identity.getPerson(mandate.citizenId) : null]);
    if (why !== null || !mandate || !citizen || !helperPerson) {
      if (helperPerson) await deps.audit.record({ type: 'proxy.refused', subjectIndex: helperPerson.idNumberIndex, mandateId: parsed.data.as, reason: why ?? 'the citizen is unknown', clientId: l.rule.clientId, source: req.ip });
      return render(req, res, l, 403, true);
    }
    if (!(await store.consume(pendingKey(l.details.uid)))) throw new AppError('interaction_expired');

    // the citizen's grant for what the mandate lets this department receive, naming the helper
    const grant = await openGrant(provider, { accountId: citizen.id, clientId: l.rule.clientId });
    grant.addOIDCScope(scopes.join(' '));
    grant.addOIDCClaims(['act']);
    const grantId = await grant.save();
    const act: StoredAct = { sub: subjectFor(deps.pairwiseSalt, l.client, helper.accountId), mandate: mandate.id };
    // the act's mandate also marks the session this makes: it serves this department only and
    // never opens the citizen's account page (markProxiedSessions in oidc/act.ts)
    await store.set(actKey(grantId), JSON.stringify(act), ACT_TTL);
    // on both people's record before the sign-in takes effect
    await deps.audit.transaction(async (tx) => {
      for (const [role, who] of [['citizen', citizen], ['helper', helperPerson]] as const) {
        await tx.audit({ type: 'proxy.signed_in', subjectIndex: who.idNumberIndex, mandateId: mandate.id, role, acr: helper.acr, clientId: l.rule.clientId, source: req.ip });
      }
    });
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: citizen.id, acr: helper.acr, amr: helper.amr, remember: false }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  });

  return router;
}
