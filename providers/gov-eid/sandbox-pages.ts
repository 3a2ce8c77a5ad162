/**
 * Pages of the simulated eID app (sandbox only): what the citizen's phone shows after scanning.
 * The tester picks a synthetic citizen and a mode and confirms.
 */
import type { Response } from 'express';
import { CITIZENS, esc } from '../kit/sandbox.ts';

export function sendPage(res: Response, status: number, title: string, main: string): void {
  res
    .status(status)
    .type('html')
    .set('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
    .set('cache-control', 'no-store')
    .send(`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>
body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 1.5rem; line-height: 1.5; max-width: 36rem; }
fieldset { margin: 1rem 0; } label { display: block; padding: .2rem 0; }
.en { color: #555; font-size: .9em; } .who { background: #f2f4f7; padding: .5rem .8rem; }
button { font-size: 1.1rem; padding: .5rem 1.5rem; }
</style>
</head>
<body>
<h1>国家网络身份认证 <span class="en">National eID (simulated)</span></h1>
${main}
</body>
</html>
`);
}

export function confirmPage(o: { action: string; requestId: string; audience: string }): string {
  const people = CITIZENS.map(
    (c, i) =>
      `<label><input type="radio" name="citizen" value="${esc(c.key)}"${i === 0 ? ' checked' : ''}> ${esc(c.name)} <span class="en">${esc(c.key)}</span></label>`,
  ).join('\n');
  return `<p class="who">请求方 <span class="en">Requested by</span>: <code>${esc(o.audience)}</code></p>
<p>模拟 App：选择持证人和认证方式后确认。<br><span class="en">Simulated app: pick the holder and the mode, then confirm.</span></p>
<form method="post" action="${esc(o.action)}">
<input type="hidden" name="r" value="${esc(o.requestId)}">
<fieldset><legend>持证人 <span class="en">Holder</span></legend>
${people}
</fieldset>
<fieldset><legend>认证方式 <span class="en">Mode</span></legend>
<label><input type="radio" name="mode" value="password" checked> 网证口令 <span class="en">eID password</span></label>
<label><input type="radio" name="mode" value="face"> 刷脸 <span class="en">Face</span></label>
</fieldset>
<button type="submit">确认登录 <span class="en">Confirm</span></button>
</form>`;
}

export const DONE_PAGE = `<p>已确认，请回到原页面继续。<br><span class="en">Confirmed. Go back to the page you came from.</span></p>`;
export const EXPIRED_PAGE = `<p>二维码已过期或无效，请在原页面刷新二维码。<br><span class="en">This code has expired or is not valid. Refresh the code on the original page.</span></p>`;
