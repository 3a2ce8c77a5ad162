/**
 * Every rule of the login policy, in one table. Each check is a small named function of the
 * policy data (its parameters) and the facts of one decision, answering whether the thing may
 * go ahead, with the reason either way. Every place that decides asks through `decide`.
 */
import type { Level } from '../../providers/kit/index.ts';
import type { PolicyData } from './policy-data.ts';
import type { ClientRule } from './client-rule.ts';
import { combinedLevel, mergeAmr } from './levels.ts';

export interface Verdict {
  readonly ok: boolean;
  readonly reason: string;
}

const yes = (reason: string): Verdict => ({ ok: true, reason });
const no = (reason: string): Verdict => ({ ok: false, reason });

/** What a session or interaction has verified so far. */
export interface Verified {
  readonly level: Level;
  readonly amr: readonly string[];
}

const ruleOf = (data: PolicyData, method: string) => (Object.hasOwn(data.methods, method) ? data.methods[method] : undefined);

/** `base` followed by `method`: the level the two reach together. */
function levelWith(data: PolicyData, base: Verified, method: string): Level {
  const m = ruleOf(data, method)!;
  return combinedLevel(Math.max(base.level, m.level) as Level, mergeAmr(base.amr, m.amr, data.factors), data.factors);
}

export const CHECKS = {
  'method-allowed-for-client': (_data: PolicyData, f: { method: string; client: ClientRule }) =>
    !f.client.allowedMethods
      ? yes(`${f.client.clientId} accepts every enabled method`)
      : f.client.allowedMethods.includes(f.method)
        ? yes(`${f.client.clientId} accepts ${f.method}`)
        : no(`${f.client.clientId} accepts only ${f.client.allowedMethods.join(', ') || 'no method'}`),

  'usable-at-kiosk': (data: PolicyData, f: { method: string; atKiosk: boolean }) =>
    !f.atKiosk
      ? yes('not at a kiosk')
      : ruleOf(data, f.method)?.kiosk
        ? yes(`${f.method} works at a kiosk`)
        : no(`${f.method} is not offered at a kiosk`),

  /**
   * The method can bring the interaction to the level asked: alone, after what was already
   * verified, or (before anything was) as a first step followed by one of `companions`.
   */
  'can-reach-required-level': (data: PolicyData, f: { method: string; required: Level; prior: Verified | null; companions: readonly string[] }) => {
    const m = ruleOf(data, f.method);
    if (!m) return no(`${f.method} is not an enabled method`);
    if (m.level >= f.required) return yes(`${f.method} reaches level ${m.level} alone`);
    if (f.prior) {
      const reached = levelWith(data, f.prior, f.method);
      return reached >= f.required ? yes(`after what was verified, ${f.method} reaches level ${reached}`) : no(`after what was verified, ${f.method} reaches only level ${reached} of ${f.required}`);
    }
    const second = f.companions.find((n) => n !== f.method && ruleOf(data, n) && levelWith(data, m, n) >= f.required);
    return second ? yes(`${f.method} then ${second} reach level ${f.required}`) : no(`${f.method} reaches level ${m.level}, and no second method brings it to ${f.required}`);
  },

  'never-offered-alone': (data: PolicyData, f: { method: string; offered: readonly string[] }) => {
    if (!ruleOf(data, f.method)?.neverAlone) return yes(`${f.method} may be offered alone`);
    const other = f.offered.find((n) => n !== f.method && ruleOf(data, n) && !ruleOf(data, n)!.neverAlone);
    return other ? yes(`${f.method} is offered beside ${other}`) : no(`${f.method} is never a citizen's only way in`);
  },

  'client-minimum-level': (_data: PolicyData, f: { level: Level | 0; client: ClientRule }) =>
    f.level >= f.client.minLevel ? yes(`level ${f.level} meets ${f.client.clientId}'s minimum ${f.client.minLevel}`) : no(`${f.client.clientId} needs at least level ${f.client.minLevel}, not ${f.level}`),

  /** levels are ordered: a session at 3 satisfies a request for 2; below, one more method is needed */
  'step-up': (_data: PolicyData, f: { level: Level | 0; required: Level }) =>
    f.level >= f.required ? yes(`level ${f.level} satisfies level ${f.required}`) : no(`level ${f.level} is below the level ${f.required} asked: one more verification is needed`),

  'max-authentication-age': (_data: PolicyData, f: { authTime: number | undefined; now: number; client: ClientRule }) => {
    if (f.client.maxAuthAge === undefined) return yes(`${f.client.clientId} sets no maximum authentication age`);
    if (f.authTime === undefined) return no('the time of the last verification is unknown');
    const age = f.now - f.authTime;
    return age <= f.client.maxAuthAge ? yes(`verified ${age} s ago, within ${f.client.maxAuthAge} s`) : no(`verified ${age} s ago, more than the ${f.client.maxAuthAge} s ${f.client.clientId} allows`);
  },

  /** only a hall kiosk may be signed in by staff for a citizen they verified in person */
  'kiosk-client': (_data: PolicyData, f: { client: ClientRule }) =>
    f.client.kiosk ? yes(`${f.client.clientId} is a hall kiosk`) : no(`${f.client.clientId} is not a hall kiosk`),

  /** family proxy: the department takes sign-ins on a citizen's behalf (its registration or the policy may refuse them) */
  'proxy-allowed-for-client': (_data: PolicyData, f: { client: ClientRule }) =>
    f.client.proxyAllowed ? yes(`${f.client.clientId} accepts sign-ins on a citizen's behalf`) : no(`${f.client.clientId} refuses sign-ins on a citizen's behalf`),

  /** family proxy is not for level-3 requests unless the policy allows it for this client */
  'proxy-level': (_data: PolicyData, f: { required: Level; client: ClientRule }) =>
    f.required < 3
      ? yes(`a level-${f.required} request may be made on a citizen's behalf`)
      : f.client.proxyLevel3
        ? yes(`the policy allows level-3 sign-ins on a citizen's behalf at ${f.client.clientId}`)
        : no(`level-3 requests are not made on a citizen's behalf at ${f.client.clientId}`),

  /** the mandate covers this department and every scope asked, is accepted, not revoked, and in force now */
  'proxy-mandate-covers': (
    _data: PolicyData,
    f: { clientId: string; scopes: readonly string[]; now: Date; mandate: { clientIds: readonly string[]; scopes: readonly string[]; validFrom: Date; validUntil: Date; acceptedAt: Date | null; revokedAt: Date | null } },
  ) => {
    const m = f.mandate;
    if (m.revokedAt) return no('the mandate was revoked');
    if (!m.acceptedAt) return no('the helper has not accepted the mandate');
    if (f.now < m.validFrom || f.now >= m.validUntil) return no('the mandate is not in force now');
    if (!m.clientIds.includes(f.clientId)) return no(`the mandate does not cover ${f.clientId}`);
    const beyond = f.scopes.filter((s) => s !== 'openid' && !m.scopes.includes(s));
    return beyond.length ? no(`the mandate does not cover ${beyond.join(', ')}`) : yes(`the mandate covers ${f.clientId} for what it asks`);
  },

  'method-bindable': (data: PolicyData, f: { method: string }) =>
    ruleOf(data, f.method)?.bindable ? yes(`${f.method} accounts are bound from the account page`) : no(`${f.method} accounts are not bound from the account page`),
} as const satisfies Record<string, (data: PolicyData, facts: never) => Verdict>;

export type CheckName = keyof typeof CHECKS;
export type FactsOf<K extends CheckName> = Parameters<(typeof CHECKS)[K]>[1];

export function decide<K extends CheckName>(check: K, data: PolicyData, facts: FactsOf<K>): Verdict {
  return (CHECKS[check] as (d: PolicyData, f: FactsOf<K>) => Verdict)(data, facts);
}
