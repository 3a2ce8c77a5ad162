/** Session and token lifetimes: policy (`global.lifetimes` of the document), read by the provider at each issue. */
import { z } from 'zod';

const DAY = 86_400;
const seconds = (max: number) => z.number().int().min(1).max(max);

/** Lifetimes in seconds (named `…Ttl` so a reader, and the change rules, know shorter is stricter). */
export const lifetimesSchema = z
  .object({
    sessionTtl: seconds(30 * DAY),
    interactionTtl: z.number().int().min(60).max(3600),
    accessTokenTtl: z.number().int().min(60).max(DAY),
    /** a hall kiosk's access tokens: short, the citizen walks away */
    kioskAccessTokenTtl: z.number().int().min(60).max(3600),
    idTokenTtl: z.number().int().min(60).max(DAY),
    refreshTokenTtl: seconds(365 * DAY),
    grantTtl: seconds(365 * DAY),
    authorizationCodeTtl: z.number().int().min(10).max(600),
    deviceCodeTtl: z.number().int().min(60).max(3600),
    clientCredentialsTtl: z.number().int().min(60).max(DAY),
  })
  .strict();
export type Lifetimes = z.infer<typeof lifetimesSchema>;

/** The provider's lifetimes before they were policy: the first version's, and the provider's without a policy. */
export const DEFAULT_LIFETIMES: Lifetimes = {
  sessionTtl: 8 * 3600,
  interactionTtl: 900,
  accessTokenTtl: 600,
  kioskAccessTokenTtl: 300,
  idTokenTtl: 3600,
  refreshTokenTtl: 14 * DAY,
  grantTtl: 14 * DAY,
  authorizationCodeTtl: 60,
  deviceCodeTtl: 600,
  clientCredentialsTtl: 600,
};

/** The default lifetimes with a start-up option's (tests') shorter ones laid over them. */
export function lifetimesWith(ttl: Partial<Record<'Interaction' | 'AccessToken' | 'Session', number>> = {}): Lifetimes {
  return {
    ...DEFAULT_LIFETIMES,
    ...(ttl.Session ? { sessionTtl: ttl.Session } : {}),
    ...(ttl.Interaction ? { interactionTtl: ttl.Interaction } : {}),
    ...(ttl.AccessToken ? { accessTokenTtl: ttl.AccessToken } : {}),
  };
}
