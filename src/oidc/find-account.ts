/** Claims for a person, as oidc-provider asks for them; releases of the ID number are audited. */
import type { Configuration } from 'oidc-provider';
import type { IdentityService } from '../identity/index.ts';
import type { AuditLog } from '../audit/index.ts';

export function createFindAccount(
  identity: IdentityService,
  audit: AuditLog,
  actOf: (grantId: string | undefined) => Promise<Record<string, string> | 'revoked' | undefined>,
): NonNullable<Configuration['findAccount']> {
  return async (ctx, sub, token) => {
    // an assisted sign-in (a kiosk approved by counter staff) or one made on the person's behalf
    // by a helper (family proxy) names who acted. Kiosk sign-ins come from a device code; proxied
    // grants name the claim `act`; access tokens of either carry it. Everything else skips the
    // look-up. A helper's act whose mandate ended refuses the token at once.
    const t = token as { kind?: string; grantId?: string; extra?: { act?: Record<string, string> } } | undefined;
    const grant = ctx.oidc.entities.Grant as { getOIDCClaims?(): string[] } | undefined;
    const named = t?.kind === 'DeviceCode' || Boolean(t?.extra?.act) || Boolean(grant?.getOIDCClaims?.().includes('act'));
    const looked = t && named ? await actOf(t.grantId) : undefined;
    if (looked === 'revoked') return undefined;
    const act = looked ?? t?.extra?.act;
    // at the sign-in's resume and its code exchange, the copy its completion read a moment ago
    const person = await identity.recentPerson(sub);
    if (!person) return undefined;
    return {
      accountId: sub,
      async claims(use, scope, claims) {
        const idNumberAsked = scope.split(' ').includes('id_number') || Boolean(claims?.id_number);
        if (idNumberAsked) {
          await audit.record({
            type: 'claims.released',
            clientId: ctx.oidc.client?.clientId ?? 'unknown',
            subjectIndex: person.idNumberIndex,
            claims: ['id_number'],
            use: use === 'id_token' ? 'id_token' : 'userinfo',
          });
        }
        return {
          sub,
          ...(act ? { act } : {}),
          name: person.name,
          birthdate: person.birthdate,
          gender: person.gender,
          ...(person.phone ? { phone_number: `+86${person.phone}`, phone_number_verified: true } : {}),
          id_number: person.idNumber,
          proofing: person.proofing,
        };
      },
    };
  };
}
