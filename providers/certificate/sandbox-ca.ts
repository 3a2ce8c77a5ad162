/**
 * The sandbox CA: a trusted citizen CA and an untrusted "other" CA, both EC P-256, made once
 * per process, and the test certificates they issue to the synthetic citizens. Tests import
 * these helpers directly; the sandbox router (sandbox.ts) serves the same CA, since tests run
 * the sandbox in their own process.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { CITIZENS, citizen } from '../kit/sandbox.ts';

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

export const SANDBOX_CA_ID = 'tongban-sandbox-ca';
/** how long a CRL says it is good for (a real CA: a day or so) */
const CRL_VALIDITY_MS = 3_600_000;

interface Authority {
  readonly id: string;
  readonly keys: CryptoKeyPair;
  readonly certificate: x509.X509Certificate;
}

export interface TestCertificate {
  readonly certificate: x509.X509Certificate;
  readonly issuer: x509.X509Certificate;
  /** the UKey's private key: signs nonces with signNonce() */
  readonly privateKey: CryptoKey;
  /** the `chain` query value the signing software returns: leaf '.' issuing CA, base64url DER */
  readonly chain: string;
  readonly serialNumber: string;
}

export interface IssueOptions {
  /** 'other' is a CA no configuration trusts */
  issuer?: 'trusted' | 'other';
  notBefore?: Date;
  notAfter?: Date;
  keyUsage?: x509.KeyUsageFlags;
  /** put the serial on the trusted CA's CRL */
  revoked?: boolean;
  /** subject without the serialNumber (ID number) attribute */
  withoutIdNumber?: boolean;
}

/** The person on the certificate: a synthetic citizen, or anyone else (counter staff). */
export interface CertificateSubject {
  readonly name: string;
  readonly idNumber: string;
}

let authorities: Promise<{ trusted: Authority; other: Authority }> | undefined;
const revokedSerials = new Set<string>();

async function makeAuthority(id: string, name: string): Promise<Authority> {
  const keys = (await crypto.subtle.generateKey(ALG, false, ['sign', 'verify'])) as CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name,
    keys,
    signingAlgorithm: ALG,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 3650 * DAY),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { id, keys, certificate };
}

function cas(): Promise<{ trusted: Authority; other: Authority }> {
  authorities ??= (async () => ({
    trusted: await makeAuthority(SANDBOX_CA_ID, 'CN=Tongban Sandbox Citizen CA, O=Tongban ID Sandbox, C=CN'),
    other: await makeAuthority('elsewhere-ca', 'CN=Elsewhere Test CA, O=Unknown Issuer, C=CN'),
  }))();
  return authorities;
}

/** A positive 128-bit serial in hex, as CAs issue them. */
function serial(): string {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x10;
  return b.toString('hex');
}

const b64u = (der: ArrayBuffer) => Buffer.from(der).toString('base64url');

/** Issues a UKey certificate for anyone: the synthetic citizens here, counter staff elsewhere. */
export async function issueCertificate(person: CertificateSubject, opts: IssueOptions = {}): Promise<TestCertificate> {
  const { trusted, other } = await cas();
  const ca = opts.issuer === 'other' ? other : trusted;
  const keys = (await crypto.subtle.generateKey(ALG, false, ['sign', 'verify'])) as CryptoKeyPair;
  const subject: x509.JsonName = [{ CN: [person.name] }];
  // 2.5.4.5 serialNumber: the resident ID number, as Chinese citizen CAs put it
  if (!opts.withoutIdNumber) subject.push({ '2.5.4.5': [person.idNumber] });
  subject.push({ C: ['CN'] });
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: ca.certificate.subjectName,
    publicKey: keys.publicKey,
    signingKey: ca.keys.privateKey,
    signingAlgorithm: ALG,
    notBefore: opts.notBefore ?? new Date(Date.now() - DAY),
    notAfter: opts.notAfter ?? new Date(Date.now() + 730 * DAY),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(opts.keyUsage ?? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
      await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
    ],
  });
  if (opts.revoked && ca === trusted) revokedSerials.add(certificate.serialNumber);
  return {
    certificate,
    issuer: ca.certificate,
    privateKey: keys.privateKey,
    chain: `${b64u(certificate.rawData)}.${b64u(ca.certificate.rawData)}`,
    serialNumber: certificate.serialNumber,
  };
}

export type Variant = 'valid' | 'expired' | 'revoked' | 'untrusted';

/** The odd certificates on the simulator's list, each held by one synthetic citizen. */
export const SPECIAL_CERTIFICATES: readonly { citizen: string; variant: Exclude<Variant, 'valid'> }[] = [
  { citizen: 'zhao-min', variant: 'expired' },
  { citizen: 'ma-jun', variant: 'revoked' },
  { citizen: 'ouyang-xue', variant: 'untrusted' },
];

const VARIANT_OPTIONS: Record<Variant, () => IssueOptions> = {
  valid: () => ({}),
  expired: () => ({ notBefore: new Date(Date.now() - 730 * DAY), notAfter: new Date(Date.now() - DAY) }),
  revoked: () => ({ revoked: true }),
  untrusted: () => ({ issuer: 'other' }),
};

const issued = new Map<string, Promise<TestCertificate>>();

/** A synthetic citizen's test certificate (made once per process): the one the simulator signs with. */
export function testCertificateOf(citizenKey: string, variant: Variant = 'valid'): Promise<TestCertificate> {
  const c = citizen(citizenKey);
  const key = `${c.key}:${variant}`;
  let cert = issued.get(key);
  if (!cert) {
    cert = issueCertificate(c, VARIANT_OPTIONS[variant]());
    issued.set(key, cert);
  }
  return cert;
}

/** What the simulator lists: every citizen's certificate, then the odd ones. */
export function simulatorEntries(): { citizen: string; name: string; variant: Variant }[] {
  return [
    ...CITIZENS.map((c) => ({ citizen: c.key, name: c.name, variant: 'valid' as Variant })),
    ...SPECIAL_CERTIFICATES.map((s) => ({ ...s, name: citizen(s.citizen).name })),
  ];
}

/** ES256 over the ASCII nonce: P-256, SHA-256, r‖s (64 bytes), base64url — as JWS does. */
export async function signNonce(privateKey: CryptoKey, nonce: string): Promise<string> {
  const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, privateKey, new TextEncoder().encode(nonce));
  return Buffer.from(sig).toString('base64url');
}

/** Adds a serial of the trusted CA to its CRL (tests; a real CA revokes on request). */
export function revokeSerial(serialNumber: string): void {
  revokedSerials.add(serialNumber.toLowerCase());
}

export async function trustedCaPem(): Promise<string> {
  return (await cas()).trusted.certificate.toString('pem');
}

export async function otherCaPem(): Promise<string> {
  return (await cas()).other.certificate.toString('pem');
}

/** The trusted CA's CRL, signed now, DER. */
export async function currentCrl(): Promise<Buffer> {
  const { trusted } = await cas();
  const now = Date.now();
  const crl = await x509.X509CrlGenerator.create({
    issuer: trusted.certificate.subjectName,
    signingKey: trusted.keys.privateKey,
    signingAlgorithm: ALG,
    thisUpdate: new Date(now - 60_000),
    nextUpdate: new Date(now + CRL_VALIDITY_MS),
    entries: [...revokedSerials].map((s) => ({ serialNumber: s, revocationDate: new Date(now - 60_000), reason: x509.X509CrlReason.keyCompromise })),
  });
  return Buffer.from(crl.rawData);
}
