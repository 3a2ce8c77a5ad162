/** The printed slip for a counter code: large type, plain instructions, a QR of the login page. */
import { html, type Html } from '../web/html.ts';
import { qrSvg } from '../web/qr.ts';

export function counterSlip(o: { code: string; expiresIn: number; centre: string; issuer: string }): Html {
  const grouped = `${o.code.slice(0, 4)} ${o.code.slice(4)}`;
  const until = new Date(Date.now() + o.expiresIn * 1000).toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit' });
  return html`<section class="slip" aria-label="窗口码 counter code">
<h2>通办 ID 窗口码</h2>
<p class="slip-code" id="counter-code">${grouped}</p>
<ol class="slip-steps">
<li>在大厅自助机或任意电脑上打开登录页，选择“我有窗口码”。</li>
<li>输入上面的 8 位码（不区分大小写）。</li>
<li>此码只能用一次，${until} 前有效。请勿交给他人。</li>
</ol>
<p>${qrSvg(o.issuer, '登录页 sign-in page')}</p>
<p class="hint">${o.centre} · Counter code: sign in, choose “I have a counter code”, type the code above. One use only.</p>
<button type="button" class="noprint" onclick="window.print()">打印 Print</button>
</section>`;
}
