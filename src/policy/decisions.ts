/**
 * The questions callers ask, each answered by checks of the table (checks.ts) in a fixed order:
 * what the chooser offers, the level an interaction needs, whether a session must verify again.
 */
import type { Level } from '../../providers/kit/index.ts';
import type { PolicyData } from './policy-data.ts';
import type { ClientRule } from './client-rule.ts';
import { decide, type Verdict, type Verified } from './checks.ts';
import { levelOf, requiredLevel } from './levels.ts';

/** The level a request needs: what it asks for (acr_values, an essential acr claim), and at least the client's minimum. */
export function requiredLevelFor(client: Pick<ClientRule, 'minLevel'>, params: { acr_values?: unknown; claims?: unknown }): Level {
  return requiredLevel(params, client.minLevel);
}

/** The methods (ids, in the data's order) the chooser offers: allowed, usable here, and able to reach the level. */
export function offeredMethods(data: PolicyData, f: { client: ClientRule; atKiosk: boolean; required: Level; prior: Verified | null }): string[] {
  const accepted = Object.keys(data.methods).filter(
    (method) => decide('method-allowed-for-client', data, { method, client: f.client }).ok && decide('usable-at-kiosk', data, { method, atKiosk: f.atKiosk }).ok,
  );
  const reaching = accepted.filter((method) => decide('can-reach-required-level', data, { method, required: f.required, prior: f.prior, companions: accepted }).ok);
  return reaching.filter((method) => decide('never-offered-alone', data, { method, offered: reaching }).ok);
}

/** Whether a signed-in session may answer this request without a new verification; the first refusal otherwise. */
export function sessionSuffices(
  data: PolicyData,
  f: { client: ClientRule; acr: unknown; authTime: number | undefined; now: number; params: { acr_values?: unknown; claims?: unknown } },
): Verdict {
  const level = levelOf(f.acr);
  const verdicts = [
    decide('client-minimum-level', data, { level, client: f.client }),
    decide('step-up', data, { level, required: requiredLevelFor(f.client, f.params) }),
    decide('max-authentication-age', data, { authTime: f.authTime, now: f.now, client: f.client }),
  ];
  return verdicts.find((v) => !v.ok) ?? verdicts[verdicts.length - 1]!;
}
