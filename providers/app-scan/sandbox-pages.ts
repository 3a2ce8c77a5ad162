/** Pages of the city-app simulator (sandbox.ts): bilingual, escaped, no script. */
import { html, type Html } from '../kit/core.ts';

export type { Html };

function page(title: string, main: Html): Html {
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 1.5rem; max-width: 28rem; line-height: 1.5; }
.en { color: #555; font-size: .9em; }
button, .button { font-size: 1.1rem; padding: .5rem 1.2rem; margin: .3rem .3rem .3rem 0; }
textarea { width: 100%; font-family: monospace; }
</style>
</head>
<body>
<p class="en">通办城市 App 模拟器 · City-app simulator (sandbox)</p>
${main}
</body>
</html>
`;
}

export function pastePage(invalid = false): Html {
  return page(
    '扫一扫 · Scan',
    html`<h1>扫一扫 <span class="en">Scan</span></h1>
${invalid ? html`<p role="alert">无法识别该二维码内容。<span class="en">This is not a city-app QR code.</span></p>` : ''}
<form method="get" action="/city-app/">
<label for="payload">二维码内容 <span class="en">QR code content</span></label>
<textarea id="payload" name="payload" rows="3" maxlength="600" required placeholder="tongban://scan?t=…&amp;iss=…"></textarea>
<button type="submit">识别 <span class="en">Read</span></button>
</form>`,
  );
}

export function signInPage(payload: string, issuer: string): Html {
  return page(
    '登录城市 App · Sign in to the city app',
    html`<h1>登录城市 App <span class="en">Sign in to the city app</span></h1>
<p>确认电脑上的登录前，请先在本机登录 <code>${issuer}</code>。<br><span class="en">Sign in to the app first; then you can approve the sign-in on the computer.</span></p>
<p><a class="button" href="/city-app/login?${new URLSearchParams({ payload }).toString()}">登录城市 App <span class="en">Sign in to the city app</span></a></p>`,
  );
}

export function approvePage(payload: string, issuer: string, name?: string): Html {
  const hidden = html`<input type="hidden" name="payload" value="${payload}">`;
  return page(
    '确认登录 · Approve sign-in',
    html`<h1>在电脑上登录？ <span class="en">Approve the sign-in on the computer?</span></h1>
<p>${name ? html`当前账号 <span class="en">Signed in as</span> <strong>${name}</strong> · ` : ''}<code>${issuer}</code></p>
<p>如果这不是您本人正在进行的登录，请点“不是我”。<br><span class="en">If you did not start this sign-in yourself, choose “Not me”.</span></p>
<form method="post" action="/city-app/approve">${hidden}<button type="submit">确认登录 <span class="en">Approve</span></button></form>
<form method="post" action="/city-app/reject">${hidden}<button type="submit">不是我 <span class="en">Not me</span></button></form>`,
  );
}

export function messagePage(zh: string, en: string): Html {
  return page('城市 App · City app', html`<p>${zh}<br><span class="en">${en}</span></p><p><a href="/city-app/">扫一扫 <span class="en">Scan again</span></a></p>`);
}
