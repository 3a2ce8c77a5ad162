/**
 * The certificate checks that need no network: parse the chain the signing software returned,
 * find the trusted CA that signed it, then dates, key usage, the signature over our nonce, and the subject.
 * Each refusal is a stable code; nothing here throws on bad input.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { z } from 'zod';
import { checkIdNumber, nameSchema } from '../kit/fields.ts';
import type { TrustedCa } from './connector.ts';

export type CertProblem =
  | 'cert_untrusted'
  | 'cert_expired'
  | 'cert_revoked'
  | 'cert_key_usage'
  | 'cert_bad_signature'
  | 'cert_malformed'
  | 'cert_no_id_number';

const b64u = /^[A-Za-z0-9_-]+$/;
/** What the signing software sends back (step and nonce are checked by the flow). */
export const signedAnswer = z.object({
  // leaf first, then its issuing CA(s); EC P-256 certificates are well under 1 kB each
  chain: z.string().max(8192).regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+){0,3}$/),
  signature: z.string().regex(b64u).length(86),
  alg: z.literal('ES256'),
});

/** Clock difference we forgive between the CA, the UKey's computer and us. */
const SKEW_MS = 5 * 60_000;
const ES256 = { name: 'ECDSA', hash: 'SHA-256' } as const;

export type Checked =
  | { ok: true; leaf: x509.X509Certificate; issuer: TrustedCa; idNumber: string; name: string }
  | { ok: false; reason: CertProblem };

function parseChain(chain: string): x509.X509Certificate[] | null {
  const out: x509.X509Certificate[] = [];
  for (const part of chain.split('.')) {
    const der = Buffer.from(part, 'base64url');
    try {
      const cert = new x509.X509Certificate(der);
      // trailing bytes or a non-canonical encoding: not the certificate the CA signed
      if (!Buffer.from(cert.rawData).equals(der)) return null;
      out.push(cert);
    } catch {
      return null;
    }
  }
  return out;
}

async function signedBy(cert: x509.X509Certificate, ca: x509.X509Certificate): Promise<boolean> {
  if (cert.issuer !== ca.subject) return false;
  return cert.verify({ publicKey: ca, signatureOnly: true }).catch(() => false);
}

function within(cert: x509.X509Certificate, now: number): boolean {
  return cert.notBefore.getTime() - SKEW_MS <= now && now <= cert.notAfter.getTime();
}

/**
 * The leaf must be signed by a trusted CA: only a CA we know has a CRL we can ask, so a leaf
 * under some intermediate we do not know could be revoked without our noticing. A CA
 * certificate the chain carries after the leaf must be byte-equal to that trusted one.
 */
async function anchorOf(chain: readonly x509.X509Certificate[], anchors: readonly TrustedCa[]): Promise<TrustedCa | null> {
  const [leaf, carried] = chain;
  for (const a of anchors) {
    if (!(await signedBy(leaf!, a.certificate))) continue;
    return !carried || Buffer.from(carried.rawData).equals(a.der) ? a : null;
  }
  return null;
}

/** The leaf's key signed exactly this nonce (ES256, r‖s). */
async function signedNonce(leaf: x509.X509Certificate, nonce: string, signature: string): Promise<boolean | null> {
  const alg = leaf.publicKey.algorithm as EcKeyAlgorithm;
  if (alg.name !== 'ECDSA' || alg.namedCurve !== 'P-256') return null;
  try {
    const key = await leaf.publicKey.export({ name: 'ECDSA', namedCurve: 'P-256' }, ['verify']);
    return await crypto.subtle.verify(ES256, key, Buffer.from(signature, 'base64url'), new TextEncoder().encode(nonce));
  } catch {
    return null;
  }
}

export async function checkCertificate(
  answer: z.infer<typeof signedAnswer>,
  nonce: string,
  anchors: readonly TrustedCa[],
  now = Date.now(),
): Promise<Checked> {
  const chain = parseChain(answer.chain);
  if (!chain?.length) return { ok: false, reason: 'cert_malformed' };
  const leaf = chain[0]!;

  const anchor = await anchorOf(chain, anchors);
  if (!anchor) return { ok: false, reason: 'cert_untrusted' };
  if (!within(leaf, now) || !within(anchor.certificate, now)) return { ok: false, reason: 'cert_expired' };

  const ku = leaf.getExtension(x509.KeyUsagesExtension);
  const bc = leaf.getExtension(x509.BasicConstraintsExtension);
  // a CA's own key signs certificates, not sign-ins
  if (!ku || (ku.usages & x509.KeyUsageFlags.digitalSignature) === 0 || bc?.ca) return { ok: false, reason: 'cert_key_usage' };

  const good = await signedNonce(leaf, nonce, answer.signature);
  if (good === null) return { ok: false, reason: 'cert_malformed' };
  if (!good) return { ok: false, reason: 'cert_bad_signature' };

  const serials = leaf.subjectName.getField('2.5.4.5');
  if (serials.length !== 1) return { ok: false, reason: 'cert_no_id_number' };
  const id = checkIdNumber(serials[0]!);
  if (!id.ok) return { ok: false, reason: 'cert_no_id_number' };
  const names = leaf.subjectName.getField('CN');
  const name = names[0]?.trim() ?? '';
  if (names.length !== 1 || !nameSchema.safeParse(name).success) return { ok: false, reason: 'cert_malformed' };

  return { ok: true, leaf, issuer: anchor, idNumber: id.idNumber, name };
}

/** Our credential identifier: issuer DN + serial (a serial is unique only within its CA). */
export function credentialIdentifier(leaf: x509.X509Certificate): string {
  return `${leaf.issuer}#${leaf.serialNumber.toLowerCase().replace(/^0+(?=.)/, '')}`;
}

/** Revoked when the path's issuing CA lists the leaf's serial on its CRL. */
export function isRevoked(crl: x509.X509Crl, leaf: x509.X509Certificate): boolean {
  return crl.findRevoked(leaf) !== null;
}
