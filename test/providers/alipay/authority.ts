/** Plays the citizen on the sandbox Alipay authorize page: picks a user, agrees or cancels. */
import assert from 'node:assert/strict';

const unescape = (s: string) => s.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n)));

/** Returns where Alipay sends the browser back (our callback URL with auth_code and state). */
export async function approveAtAlipay(authorizeUrl: string, userId: string, decision: 'allow' | 'deny' = 'allow'): Promise<string> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  assert.equal(page.status, 200, html.slice(0, 200));
  const form = html.match(/<form method="post" action="([^"]+)">([\s\S]*?)<\/form>/);
  assert.ok(form, 'the authorize page has a form');
  const hidden = Object.fromEntries([...form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, unescape(m[2]!)]));
  const res = await fetch(new URL(form[1]!, authorizeUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...hidden, user: userId, decision }),
    redirect: 'manual',
  });
  assert.equal(res.status, 302, await res.text());
  return res.headers.get('location')!;
}
