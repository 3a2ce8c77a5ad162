/**
 * What staff do after checking a citizen's ID card and face in person. Each action is audited
 * with the staff member, the centre, the citizen's blind index and the reason typed. The order
 * is always the same: check everything typed, then commit the action's rows with its audit
 * event in one transaction, and only then touch anything outside PostgreSQL (a counter code or
 * a lock in the ephemeral store, the console session): no effect without its record.
 */
import type { Request } from 'express';
import type Provider from 'oidc-provider';
import { z } from 'zod';
import type { LoginMethod, MethodRole, OneTimeCodes, RateLimiter, SharedState } from '../../providers/kit/index.ts';
import type { IdentityService } from '../identity/index.ts';
import type { AuditLog } from '../audit/index.ts';
import type { Authorities } from '../authorities/index.ts';
import type { FieldCipher } from '../crypto/field-cipher.ts';
import type { Database } from '../store/database.ts';
import type { EphemeralStore } from '../store/ephemeral.ts';
import { parseIdNumber } from '../crypto/id-number.ts';
import type { MessageKey } from '../i18n/messages.ts';
import { t } from '../i18n/ui.ts';
import { html, type Html } from '../web/html.ts';
import type { StaffDirectory } from './staff-directory.ts';
import type { ConsoleSessions } from './console-session.ts';
import type { StaffRequest } from './routes.ts';
import { counterSlip } from './slip.ts';
import { problemOf, reasonText, staffText } from './free-text.ts';
import { approveKiosk } from './kiosk.ts';
import type { CompleteDeps } from '../interaction/complete-login.ts';
import { done, fail, reasonOf, type Outcome } from './outcome.ts';

export { done, fail, reasonOf, type Outcome };
import { createRequest, decideRequest } from './recovery.ts';
import { proxyAtCounter, type CounterProxyDeps } from './proxy.ts';

export const VISIT_SECONDS = 30 * 60;

export interface ActionDeps {
  provider: Provider;
  store: EphemeralStore;
  db: Database;
  cipher: FieldCipher;
  identity: IdentityService;
  audit: AuditLog;
  staff: StaffDirectory;
  sessions: ConsoleSessions;
  methods: ReadonlyMap<string, LoginMethod>;
  /** a method's shared state (the one its flows see) */
  sharedFor(methodId: string): SharedState;
  /** the method playing each role: recovery rebinds the 'phone-otp' one and resets the 'password' one */
  roles: Readonly<Partial<Record<MethodRole, string>>>;
  codes: OneTimeCodes;
  limits: RateLimiter;
  authorities: Authorities;
  /** how long a recovery request waits for a supervisor */
  approvalSeconds: number;
  /** turns a verified citizen into a sign-in (kiosk approval) */
  complete: CompleteDeps;
  /** family proxy set up at the counter (absent: not offered) */
  proxy?: CounterProxyDeps;
}


const verifyForm = z.object({
  id_number: z.string().max(32),
  name: staffText({ max: 50, required: { code: 'field_required', params: { field: '姓名 / name' } } }),
  card_expiry: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  face_match: z.string().max(10).optional(),
  reason: reasonText,
});

export function counterActions(deps: ActionDeps) {
  const openVisit = (sr: StaffRequest) => (sr.session.visit && sr.session.visit.expiresAt > Date.now() ? sr.session.visit : undefined);
  const who = (sr: StaffRequest) => ({ staffId: sr.staff.personId, centreId: sr.staff.centreId });

  async function refused(req: Request, sr: StaffRequest, action: string, why: MessageKey, subjectIndex?: string): Promise<Outcome> {
    await deps.audit.record({ type: 'counter.refused', ...who(sr), action, why, subjectIndex, source: req.ip });
    return fail(why);
  }

  async function verifyInPerson(req: Request, sr: StaffRequest, body: Record<string, string>): Promise<Outcome> {
    const f = verifyForm.safeParse(body);
    if (!f.success) {
      const p = problemOf(f.error);
      return fail(p.code, p.params);
    }
    const id = parseIdNumber(f.data.id_number);
    if (!id.ok) return fail(id.code);
    const reason = f.data.reason;
    const expiry = new Date(`${f.data.card_expiry}T23:59:59+08:00`);
    if (Number.isNaN(expiry.getTime())) return fail('invalid_input', { field: 'card_expiry' });
    if (expiry.getTime() < Date.now()) return refused(req, sr, 'verify', 'counter_card_expired');
    if (f.data.face_match !== 'yes') return fail('counter_face_unconfirmed');
    const enrolled = await deps.audit.transaction(async (tx) => {
      const e = await deps.identity.enrol(id.value.idNumber, { name: f.data.name, proofing: 'in_person', credentials: [] }, tx);
      await tx.audit({ type: 'counter.verified_in_person', ...who(sr), subjectIndex: e.idNumberIndex, reason, enrolled: e.created, source: req.ip });
      return e;
    });
    const now = Date.now();
    sr.session.visit = { personId: enrolled.personId, subjectIndex: enrolled.idNumberIndex, openedAt: now, expiresAt: now + VISIT_SECONDS * 1000, enrolled: enrolled.created };
    await deps.sessions.save(sr.id, sr.session);
    return done(t(sr.lang, enrolled.created ? 'counterVerifiedNew' : 'counterVerified'));
  }

  async function issueCode(req: Request, sr: StaffRequest, body: Record<string, string>): Promise<Outcome> {
    const visit = openVisit(sr);
    if (!visit) return refused(req, sr, 'code', 'counter_no_visit');
    const reason = reasonOf(body);
    if (typeof reason !== 'string') return reason;
    // the enabled method that offers a staff-issued credential (a counter code)
    const m = [...deps.methods.values()].find((x) => x.staffIssued);
    if (!m?.staffIssued) return fail('method_unknown');
    const issued = m.staffIssued;
    await deps.audit.transaction((tx) =>
      tx.audit({ type: 'counter.code_issued', ...who(sr), subjectIndex: visit.subjectIndex, reason, expiresIn: issued.ttlSeconds, source: req.ip }),
    );
    const { code, expiresIn } = await issued.issue({ shared: deps.sharedFor(m.id), codes: deps.codes }, { personId: visit.personId, ...who(sr) });
    return { status: 200, extra: counterSlip({ lang: sr.lang, code, expiresIn, centre: sr.staff.centreName, issuer: deps.provider.issuer }) };
  }

  async function liftLockout(req: Request, sr: StaffRequest, body: Record<string, string>): Promise<Outcome> {
    const visit = openVisit(sr);
    if (!visit) return refused(req, sr, 'lockout', 'counter_no_visit');
    const reason = reasonOf(body);
    if (typeof reason !== 'string') return reason;
    const person = (await deps.identity.getPerson(visit.personId))!;
    await deps.audit.transaction((tx) => tx.audit({ type: 'counter.lockout_lifted', ...who(sr), subjectIndex: visit.subjectIndex, reason, source: req.ip }));
    // the password method's account (the limiter knows how it names its keys)
    if (deps.roles.password) await deps.limits.resetAccount({ method: deps.roles.password, identifier: person.idNumber });
    return done(t(sr.lang, 'counterLockoutLifted'));
  }

  return {
    async run(req: Request, sr: StaffRequest, action: string, id: string | undefined, decision: string | undefined, body: Record<string, string>): Promise<Outcome> {
      switch (action) {
        case 'verify':
          return verifyInPerson(req, sr, body);
        case 'close-visit':
          sr.session.visit = undefined;
          await deps.sessions.save(sr.id, sr.session);
          return done(t(sr.lang, 'counterVisitEnded'));
        case 'code':
          return issueCode(req, sr, body);
        case 'lockout':
          return liftLockout(req, sr, body);
        case 'proxy': {
          const visit = openVisit(sr);
          if (!visit) return refused(req, sr, 'proxy', 'counter_no_visit');
          return proxyAtCounter(deps, req, sr, visit, body);
        }
        case 'kiosk': {
          const visit = openVisit(sr);
          if (!visit) return refused(req, sr, 'kiosk', 'counter_no_visit');
          return approveKiosk(deps, req, sr, visit, body);
        }
        case 'requests':
          if (id && (decision === 'approve' || decision === 'refuse')) return decideRequest(deps, req, sr, id, decision);
          if (id) return fail('not_found');
          {
            const visit = openVisit(sr);
            if (!visit) return refused(req, sr, 'request', 'counter_no_visit');
            return createRequest(deps, req, sr, visit, body);
          }
        default:
          return fail('not_found');
      }
    },
  };
}

export const noHtml: Html = html``;
