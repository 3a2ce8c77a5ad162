/**
 * Sandbox authority `ca`: the citizen CA (developer console with its certificate, CRL) and a
 * simulator of the UKey signing software. The simulator is mounted as a tool, outside failure
 * control: it plays a program on the citizen's own computer, which keeps working when the CA's
 * servers are down.
 */
import express, { type Response } from 'express';
import { z } from 'zod';
import type { MethodSandbox } from '../kit/index.ts';
import { esc } from '../kit/sandbox.ts';
import { issuePaths } from '../kit/core.ts';
import {
  currentCrl,
  SANDBOX_CA_ID,
  signNonce,
  simulatorEntries,
  testCertificateOf,
  trustedCaPem,
  type Variant,
} from './sandbox-ca.ts';
import { AUTHORITY } from './connector.ts';

export {
  issueCertificate,
  otherCaPem,
  revokeSerial,
  SANDBOX_CA_ID,
  signNonce,
  SPECIAL_CERTIFICATES,
  testCertificateOf,
  trustedCaPem,
  type CertificateSubject,
  type TestCertificate,
  type Variant,
} from './sandbox-ca.ts';


const signRequest = z.object({
  nonce: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/),
  return_to: z.url({ protocol: /^https?$/ }).max(2048),
  alg: z.literal('ES256').default('ES256'),
});
const signChoice = signRequest.extend({
  cert: z.string().regex(/^[a-z-]{1,40}:(valid|expired|revoked|untrusted)$/).optional(),
  action: z.enum(['sign', 'cancel']).default('sign'),
});

const VARIANT_LABEL: Record<Variant, string> = {
  valid: '',
  expired: '（已过期 <span class="en">expired</span>）',
  revoked: '（已吊销 <span class="en">revoked</span>）',
  untrusted: '（不受信任的 CA <span class="en">untrusted CA</span>）',
};

function signerPage(res: Response, q: z.infer<typeof signRequest>): void {
  const rows = simulatorEntries()
    .map(
      (e, i) =>
        `<li><label><input type="radio" name="cert" value="${esc(`${e.citizen}:${e.variant}`)}"${i === 0 ? ' checked' : ''}> ${esc(e.name)} <code>${esc(e.citizen)}</code> ${VARIANT_LABEL[e.variant]}</label></li>`,
    )
    .join('\n');
  const hidden = (['nonce', 'return_to', 'alg'] as const)
    .map((k) => `<input type="hidden" name="${k}" value="${esc(q[k])}">`)
    .join('');
  res
    .status(200)
    .type('html')
    .set('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:; frame-ancestors 'none'")
    .set('cache-control', 'no-store').send(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>UKey 签名（模拟） · UKey signing (simulated)</title>
<style>body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:2rem;line-height:1.6}.en{color:#555;font-size:.9em}li{list-style:none}</style>
</head><body>
<h1>UKey 签名软件（沙箱模拟） <span class="en">UKey signing software (sandbox simulator)</span></h1>
<p>选择一张测试证书，用它的私钥对登录随机数签名。<br><span class="en">Pick a test certificate; its private key signs the sign-in nonce.</span></p>
<form method="post" action="sign">${hidden}
<ul>
${rows}
</ul>
<button type="submit" name="action" value="sign">签名并返回 <span class="en">Sign and return</span></button>
<button type="submit" name="action" value="cancel">取消 <span class="en">Cancel</span></button>
</form>
</body></html>`);
}

export const sandbox: MethodSandbox = {
  authority: AUTHORITY,
  create(kit) {
    const router = express.Router();
    // developer console: what a developer downloads after registering with the CA
    router.get('/console/credentials', async (_req, res) => {
      res.json({
        cas: [{ id: SANDBOX_CA_ID, certificate: await trustedCaPem(), crlUrl: `${kit.publicUrl()}/${AUTHORITY}/crl/${SANDBOX_CA_ID}.crl` }],
      });
    });
    router.get('/crl/:file', async (req, res) => {
      if (req.params.file !== `${SANDBOX_CA_ID}.crl`) {
        res.status(404).json({ error: 'not_found' });
        return;
      }
      const der = await currentCrl();
      // a damaged signature: the last byte is inside the signature's s value
      if (kit.takeFailure(AUTHORITY) === 'bad_signature') der.writeUInt8(der.readUInt8(der.length - 1) ^ 0x01, der.length - 1);
      // revalidate every time, so a revocation or an outage in the sandbox shows at once
      res.status(200).type('application/pkix-crl').set('cache-control', 'max-age=0').send(der);
    });

    const tools = express.Router();
    tools.use(express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 }));
    tools.get('/sign', (req, res) => {
      const q = signRequest.safeParse(req.query);
      if (!q.success) {
        res.status(400).json({ error: 'invalid_request', fields: issuePaths(q.error, { root: '' }) });
        return;
      }
      signerPage(res, q.data);
    });
    tools.post('/sign', async (req, res) => {
      const q = signChoice.safeParse(req.body);
      if (!q.success || (q.data.action === 'sign' && !q.data.cert)) {
        res.status(400).json({ error: 'invalid_request' });
        return;
      }
      const back = new URL(q.data.return_to);
      back.searchParams.set('nonce', q.data.nonce);
      if (q.data.action === 'cancel') {
        back.searchParams.set('error', 'cancelled');
        res.redirect(303, back.toString());
        return;
      }
      const [who, variant] = q.data.cert!.split(':') as [string, Variant];
      if (!simulatorEntries().some((e) => e.citizen === who && e.variant === variant)) {
        res.status(400).json({ error: 'unknown_certificate' });
        return;
      }
      const cert = await testCertificateOf(who, variant);
      let signature = await signNonce(cert.privateKey, q.data.nonce);
      // a `bad_signature` failure asked for `ca` spoils whatever it signs next
      if (kit.takeFailure(AUTHORITY) === 'bad_signature') {
        const bytes = Buffer.from(signature, 'base64url');
        bytes.writeUInt8(bytes.readUInt8(10) ^ 0x01, 10);
        signature = bytes.toString('base64url');
      }
      back.searchParams.set('chain', cert.chain);
      back.searchParams.set('signature', signature);
      back.searchParams.set('alg', q.data.alg);
      res.redirect(303, back.toString());
    });
    // inspection: which certificates the simulator offers, with serials (no keys)
    tools.get('/certificates.json', async (_req, res) => {
      const list = await Promise.all(
        simulatorEntries().map(async (e) => {
          const c = await testCertificateOf(e.citizen, e.variant);
          return { ...e, serialNumber: c.serialNumber, notAfter: c.certificate.notAfter.toISOString(), issuer: c.certificate.issuer };
        }),
      );
      res.json(list);
    });
    return { router, tools };
  },
};
