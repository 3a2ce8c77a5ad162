/** Claims for a person, as oidc-provider asks for them; releases of the ID number are audited. */
import type { Configuration } from 'oidc-provider';
import type { IdentityService } from '../identity/index.ts';
import type { AuditLog } from '../audit/index.ts';

export function createFindAccount(
  identity: IdentityService,
  audit: AuditLog,
  actOf: (grantId: string | undefined) => Promise<Record<string, string> | undefined>,
): NonNullable<Configuration['findAccount']> {
  return async (ctx, sub, token) => {
    const person = await identity.getPerson(sub);
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
        // an assisted sign-in (a kiosk approved by counter staff) names who acted
        // only kiosk sign-ins are assisted: their tokens come from a device code (the ID token)
        // or carry the act in the access token (userinfo); everything else skips the look-up
        const t = token as { kind?: string; grantId?: string; extra?: { act?: Record<string, string> } } | undefined;
        const act = t?.kind === 'DeviceCode' ? await actOf(t.grantId) : t?.extra?.act;
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
