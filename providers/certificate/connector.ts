/**
 * This method's outside calls: the CA's developer console (development only: which CAs to
 * trust) and each trusted CA's CRL (DER over HTTP, fetched with a timeout and one retry,
 * signature-checked, cached until its nextUpdate or the answer's max-age, whichever is first).
 * Anything that keeps us from a current, genuine CRL is AuthorityUnavailable: we fail closed.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { z } from 'zod';
import { AuthorityUnavailable, ConfigError, fetchAuthorityBytes } from '../kit/core.ts';
import type { MethodEnv } from '../kit/index.ts';
import { trustedCaSchema, type TrustedCaConfig } from './config.ts';
import { consoleCredentials } from '../kit/console-credentials.ts';

export const AUTHORITY = 'ca';
const MAX_CRL_BYTES = 2_000_000;

export interface TrustedCa {
  readonly id: string;
  readonly certificate: x509.X509Certificate;
  readonly der: Buffer;
  readonly crlUrl: string;
}

export interface CaConnector {
  trustedCas(): Promise<readonly TrustedCa[]>;
  /** the CA's current CRL, verified; throws AuthorityUnavailable when there is none to be had */
  crlOf(ca: TrustedCa): Promise<x509.X509Crl>;
}

export function toTrustedCa(c: TrustedCaConfig): TrustedCa | null {
  try {
    const certificate = new x509.X509Certificate(c.certificate);
    return { id: c.id, certificate, der: Buffer.from(certificate.rawData), crlUrl: c.crlUrl };
  } catch {
    return null;
  }
}

/** Explicit trust anchors from configuration; a certificate that does not parse stops start-up. */
export function configuredCas(list: readonly TrustedCaConfig[]): TrustedCa[] {
  return list.map((c) => {
    const ca = toTrustedCa(c);
    if (!ca) throw new ConfigError(`config/methods.json: "certificate": trustedCas "${c.id}": the certificate does not parse`);
    return ca;
  });
}

const consoleAnswer = z.object({ cas: z.array(trustedCaSchema).min(1).max(20) });

export function createConnector(env: MethodEnv, configured: readonly TrustedCa[] | null): CaConnector {
  const base = env.authoritiesUrl.replace(/\/+$/, '');
  const anchors = consoleCredentials({
    authority: AUTHORITY,
    baseUrl: `${base}/${AUTHORITY}`,
    schema: consoleAnswer,
    timeoutMs: env.timeoutMs,
    fixed: configured,
    map: (answer): readonly TrustedCa[] => {
      const cas = answer.cas.map(toTrustedCa);
      if (cas.some((c) => c === null)) throw new AuthorityUnavailable(AUTHORITY, 'malformed', 'a console CA certificate does not parse');
      return cas as TrustedCa[];
    },
  });
  const cache = new Map<string, { crl: x509.X509Crl; until: number }>();
  const inFlight = new Map<string, Promise<x509.X509Crl>>();

  async function fetchCrl(ca: TrustedCa): Promise<x509.X509Crl> {
    // a CRL download is idempotent: one retry after a timeout, network error or 5xx
    const { bytes, headers } = await fetchAuthorityBytes({
      authority: AUTHORITY,
      url: ca.crlUrl,
      method: 'GET',
      headers: { accept: 'application/pkix-crl' },
      maxResponseBytes: MAX_CRL_BYTES,
      timeoutMs: env.timeoutMs,
      retries: 1,
    });
    if (bytes.length === 0) throw new AuthorityUnavailable(AUTHORITY, 'malformed', `CRL of ${ca.id} is empty`);
    const maxAge = maxAgeOf(headers.get('cache-control'));
    let crl: x509.X509Crl;
    try {
      crl = new x509.X509Crl(new Uint8Array(bytes));
    } catch {
      throw new AuthorityUnavailable(AUTHORITY, 'malformed', `CRL of ${ca.id} does not parse`);
    }
    if (crl.issuer !== ca.certificate.subject || !(await crl.verify({ publicKey: ca.certificate }).catch(() => false))) {
      throw new AuthorityUnavailable(AUTHORITY, 'signature', `CRL of ${ca.id} is not signed by that CA`);
    }
    const now = Date.now();
    const next = crl.nextUpdate?.getTime();
    // a CRL without nextUpdate, or past it, cannot say whether a certificate was revoked since
    if (next === undefined || next <= now) throw new AuthorityUnavailable(AUTHORITY, 'malformed', `CRL of ${ca.id} is out of date`);
    cache.set(ca.id, { crl, until: Math.min(next, maxAge === null ? next : now + maxAge * 1000) });
    return crl;
  }

  return {
    trustedCas() {
      return anchors.get(); // a failed download is asked again by the next sign-in
    },
    async crlOf(ca) {
      const hit = cache.get(ca.id);
      if (hit && hit.until > Date.now()) return hit.crl;
      let p = inFlight.get(ca.id);
      if (!p) {
        p = fetchCrl(ca).finally(() => inFlight.delete(ca.id));
        inFlight.set(ca.id, p);
      }
      return p;
    },
  };
}

function maxAgeOf(cacheControl: string | null): number | null {
  if (!cacheControl) return null;
  if (/(^|,)\s*(no-cache|no-store)\s*(,|$)/i.test(cacheControl)) return 0;
  const m = /(^|,)\s*max-age\s*=\s*"?(\d{1,10})"?\s*(,|$)/i.exec(cacheControl);
  return m ? Number(m[2]) : null;
}
