/**
 * Assurance levels. Levels are ordered: a session at level 3 satisfies a request for 2.
 * Two verifications in one session that prove different factors (something you know, have,
 * are) reach at least level 2: password + SMS = 2.
 */
import type { Level } from '../../providers/kit/index.ts';

export const ACR_PREFIX = 'urn:tongban:loa:';
export const ACR_VALUES = [`${ACR_PREFIX}1`, `${ACR_PREFIX}2`, `${ACR_PREFIX}3`] as const;

export function acrOf(level: Level): string {
  return `${ACR_PREFIX}${level}`;
}

export function levelOf(acr: unknown): Level | 0 {
  if (typeof acr !== 'string' || !acr.startsWith(ACR_PREFIX)) return 0;
  const n = Number(acr.slice(ACR_PREFIX.length));
  return n === 1 || n === 2 || n === 3 ? n : 0;
}

/** which factor each amr value counts as, unless the policy data (from the method definitions) says otherwise */
export const DEFAULT_FACTORS: Readonly<Record<string, 'know' | 'have' | 'are'>> = {
  pwd: 'know',
  pin: 'know',
  sms: 'have',
  otp: 'have',
  hwk: 'have',
  swk: 'have',
  sc: 'have',
  face: 'are',
  fpt: 'are',
};

/** The level of a session that verified with `amr` factors and whose best single method reached `best`. */
export function combinedLevel(best: Level, amr: readonly string[], factorOf: Readonly<Record<string, string>> = DEFAULT_FACTORS): Level {
  const factors = new Set(amr.map((a) => (Object.hasOwn(factorOf, a) ? factorOf[a] : undefined)).filter(Boolean));
  return factors.size >= 2 ? (Math.max(best, 2) as Level) : best;
}

export function mergeAmr(a: readonly string[], b: readonly string[], factorOf: Readonly<Record<string, string>> = DEFAULT_FACTORS): string[] {
  const merged = [...new Set([...a, ...b])];
  const factors = new Set(merged.map((x) => (Object.hasOwn(factorOf, x) ? factorOf[x] : undefined)).filter(Boolean));
  if (factors.size >= 2 && !merged.includes('mfa')) merged.push('mfa');
  return merged;
}

interface LevelRequest {
  acr_values?: unknown;
  claims?: unknown;
}

/**
 * The lowest level that satisfies a request: any listed acr value is acceptable, so the
 * minimum of the known ones; combined with the client's own minimum.
 */
export function requiredLevel(params: LevelRequest, clientMinimum: Level): Level {
  const wanted: Level[] = [];
  if (typeof params.acr_values === 'string') {
    const levels = params.acr_values.split(' ').map(levelOf).filter((l): l is Level => l > 0);
    if (levels.length) wanted.push(Math.min(...levels) as Level);
  }
  const claims = parseClaims(params.claims);
  const acr = claims?.id_token?.acr;
  if (acr?.essential) {
    const values = Array.isArray(acr.values) ? acr.values : acr.value !== undefined ? [acr.value] : [];
    const levels = values.map(levelOf).filter((l): l is Level => l > 0);
    if (levels.length) wanted.push(Math.min(...levels) as Level);
  }
  return Math.max(clientMinimum, ...wanted) as Level;
}

type ClaimsParam = { id_token?: { acr?: { essential?: boolean; value?: unknown; values?: unknown[] } } };

function parseClaims(claims: unknown): ClaimsParam | undefined {
  if (typeof claims === 'string') {
    try {
      return JSON.parse(claims) as ClaimsParam;
    } catch {
      return undefined;
    }
  }
  return claims && typeof claims === 'object' ? (claims as ClaimsParam) : undefined;
}
